"""The competitions part of the demo: "Sơn La - Thành phố học tập toàn cầu thân yêu của tôi" (launched in
September 2024, nearly 300 entries in fine arts, songs, poems and solutions for the learning city linked to
environmental protection and climate change), judged by 12 judges, with published results.

Fast on purpose: rows are bulk-created, the entries carry no files except a few small generated paintings for
the gallery, and the ranking is computed by the same code the services use.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from learningcity.core.models import Area, Role, RoleAssignment, User
from learningcity.core.text import fold

from .models import (
    Assignment,
    Category,
    Competition,
    Conflict,
    ConflictSource,
    Criterion,
    Entry,
    EntryFile,
    FileKind,
    JuryMember,
    Result,
    Score,
)
from .services.results import judge_stats, rank_entries
from .services.scoring import weighted_total

ORDER = 40
SLUG = "son-la-thanh-pho-hoc-tap-2024"
UTC = dt.UTC

CATEGORIES = [
    # code, Vietnamese, English, accepted files, number of entries
    ("MT", "Mỹ thuật", "Fine arts", [FileKind.IMAGE, FileKind.PDF], 92),
    ("AN", "Ca khúc", "Songs", [FileKind.AUDIO, FileKind.PDF, FileKind.TEXT], 47),
    ("TH", "Thơ", "Poems", [FileKind.TEXT, FileKind.AUDIO, FileKind.PDF], 88),
    (
        "GP",
        "Giải pháp xây dựng thành phố học tập",
        "Solutions for the learning city",
        [FileKind.PDF, FileKind.TEXT, FileKind.IMAGE],
        69,
    ),
]
CRITERIA = [
    (
        "Phù hợp chủ đề",
        "Fits the theme",
        3,
        "Gắn với thành phố học tập, bảo vệ môi trường, ứng phó biến đổi khí hậu.",
    ),
    ("Sáng tạo", "Creativity", 3, ""),
    ("Chất lượng nghệ thuật, kỹ thuật", "Artistic or technical quality", 2, ""),
    ("Khả năng lan toả, ứng dụng", "Reach and usefulness", 2, ""),
]
JUDGES = [
    # username, full name (the demo user "judge" is the first judge)
    ("judge", None),
    ("judge.cam", "Cầm Văn Chung"),
    ("judge.lo", "Lò Thị Hương"),
    ("judge.quang", "Quàng Văn Dũng"),
    ("judge.ha", "Hà Thị Thu"),
    ("judge.tong", "Tòng Văn Hải"),
    ("judge.vi", "Vì Thị Nga"),
    ("judge.nguyen", "Nguyễn Văn Bình"),
    ("judge.tran", "Trần Thị Minh"),
    ("judge.luong", "Lường Văn Tuấn"),
    ("judge.giang", "Giàng A Páo"),
    ("judge.dinh", "Đinh Thị Phương"),
]
FAMILY = [
    "Lò",
    "Cầm",
    "Quàng",
    "Hà",
    "Tòng",
    "Vì",
    "Lường",
    "Nguyễn",
    "Trần",
    "Lê",
    "Giàng",
    "Sùng",
    "Mùa",
    "Đinh",
    "Bạc",
]
GIVEN = [
    "Văn Hùng",
    "Thị Mai",
    "Thị Hoa",
    "Văn Tiến",
    "Thị Lan",
    "A Dế",
    "Thị Xuân",
    "Văn Nam",
    "Thị Thảo",
    "Minh Anh",
    "Gia Bảo",
    "Thị Yến",
    "Văn Long",
    "Khánh Linh",
    "Thị Hạnh",
    "Văn Sơn",
    "Bảo Ngọc",
    "Thị Ngân",
]
TITLE_WORDS = {
    "MT": [
        "Bản Mé Ban mùa hoa ban",
        "Ngôi nhà trí tuệ",
        "Em đọc sách dưới gốc đào",
        "Sơn La xanh",
        "Dòng Nậm La trong xanh",
        "Cùng nhau trồng rừng",
        "Thư viện nhân ái",
        "Phiên chợ vùng cao",
        "Xoè hoa đoàn kết",
        "Rác thải thành hoa",
    ],
    "AN": [
        "Sơn La thành phố học tập",
        "Khúc hát Nậm La",
        "Bài ca Ngôi nhà trí tuệ",
        "Gửi tình yêu cho rừng",
        "Học mãi không thôi",
        "Tiếng khèn mùa xuân",
        "Mưa rừng",
        "Em yêu Sơn La",
    ],
    "TH": [
        "Thương về Sơn La",
        "Chữ Thái của bà",
        "Ánh đèn thư viện bản",
        "Gieo hạt",
        "Mùa ban trắng",
        "Lời ru của núi",
        "Nậm La ơi",
        "Sách và em",
        "Trái đất xanh",
        "Mây trên đỉnh Pha Đin",
    ],
    "GP": [
        "Tủ sách xoay vòng giữa các bản",
        "Lớp học chữ Thái buổi tối",
        "Phân loại rác tại Ngôi nhà trí tuệ",
        "Ứng dụng điện thoại đọc sách cho người cao tuổi",
        "Vườn ươm cây bản địa của học sinh",
        "Câu lạc bộ sửa chữa đồ dùng",
        "Bản đồ học tập của phường",
        "Tiết kiệm nước trong trường học",
    ],
}


def _painting(seed: int) -> bytes:
    rnd = random.Random(seed)
    image = Image.new(
        "RGB", (240, 180), (rnd.randint(150, 255), rnd.randint(150, 255), rnd.randint(150, 255))
    )
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rnd.randint(0, 220), rnd.randint(0, 160)
        r = rnd.randint(10, 50)
        draw.ellipse(
            (x, y, x + r, y + r), fill=(rnd.randint(0, 200), rnd.randint(60, 200), rnd.randint(0, 120))
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def load(ctx) -> None:  # noqa: C901 - one straight story, from set-up to published results
    city = ctx.city
    if Competition.objects.filter(city=city, slug=SLUG).exists():
        return
    rnd = random.Random(2024)
    admin = ctx.users.get("admin")
    competition = Competition.objects.create(
        city=city,
        slug=SLUG,
        code="SL24",
        title_vi="Sơn La - Thành phố học tập toàn cầu thân yêu của tôi",
        title_en="Son La - My Beloved Global Learning City",
        description_vi=(
            "Cuộc thi phát động tháng 9/2024 sau khi Sơn La trở thành thành viên Mạng lưới các thành phố học tập "
            "toàn cầu của UNESCO: sáng tác mỹ thuật, ca khúc, thơ và giải pháp xây dựng thành phố học tập, gắn với "
            "bảo vệ môi trường và ứng phó với biến đổi khí hậu."
        ),
        description_en=(
            "Launched in September 2024 after Son La joined the UNESCO Global Network of Learning Cities: fine arts, "
            "songs, poems and solutions for building the learning city, linked to environmental protection and "
            "climate change."
        ),
        theme_vi="Thành phố học tập; bảo vệ môi trường; ứng phó với biến đổi khí hậu; không ai bị bỏ lại phía sau.",
        theme_en="The learning city; protecting the environment; responding to climate change; no one left behind.",
        rules_vi="Mỗi người dự thi tối đa 3 tác phẩm mỗi thể loại. Tác phẩm chưa từng đạt giải ở cuộc thi khác.",
        rules_en="Up to 3 entries per person and category. Entries must not have won a prize elsewhere.",
        prizes_vi="Mỗi thể loại: 1 giải Nhất, 1 giải Nhì, 1 giải Ba và giấy chứng nhận cho mọi người tham gia.",
        prizes_en="In each category: a first, a second and a third prize, and a certificate for every entrant.",
        residents_only=True,
        announced_at=dt.datetime(2024, 9, 5, tzinfo=UTC),
        opens_at=dt.datetime(2024, 9, 15, tzinfo=UTC),
        closes_at=dt.datetime(2024, 11, 15, 16, 59, tzinfo=UTC),
        judging_ends_at=dt.datetime(2024, 12, 10, tzinfo=UTC),
        reviews_per_entry=3,
        normalise_scores=True,
        winners_per_category=3,
        gallery_enabled=True,
        peoples_choice=False,
    )
    categories = [
        Category(
            city=city,
            competition=competition,
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            allowed_kinds=kinds,
            max_files=3,
            position=i,
        )
        for i, (code, name_vi, name_en, kinds, _n) in enumerate(CATEGORIES)
    ]
    Category.objects.bulk_create(categories)
    categories = list(Category.objects.filter(competition=competition).order_by("position"))
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(
                city=city,
                competition=competition,
                name_vi=vi,
                name_en=en,
                weight=w,
                guidance_vi=g,
                position=i,
            )
            for i, (vi, en, w, g) in enumerate(CRITERIA)
        ]
    )
    criteria = list(Criterion.objects.filter(competition=competition).order_by("position"))

    # Judges: the demo judge and eleven more, all with the judge role; each sits on two juries.
    hashed = make_password(ctx.password)
    new_users = [
        User(username=u, full_name=name or "", email=f"{u}@demo.learningcity.invalid", password=hashed)
        for u, name in JUDGES[1:]
        if not User.objects.filter(username=u).exists()
    ]
    User.objects.bulk_create(new_users)
    judges = [
        ctx.users.get("judge") or User.objects.get(username="judge"),
        *User.objects.filter(username__in=[u for u, _ in JUDGES[1:]]).order_by("username"),
    ]
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=j, city=city, role=Role.JUDGE) for j in judges[1:]], ignore_conflicts=True
    )
    for j in judges:
        ctx.users[j.username] = j
    jury: dict[int, list[int]] = {c.pk: [] for c in categories}
    members = []
    for i, judge in enumerate(judges):
        for c in (categories[i % 4], categories[(i + 1) % 4]):
            jury[c.pk].append(judge.pk)
            members.append(
                JuryMember(city=city, category=c, judge=judge, is_chair=i < 4 and c == categories[i % 4])
            )
    # The demo judge sits on the poems and songs juries.
    JuryMember.objects.bulk_create(members)

    # Entries, spread over the wards of the former city, submitted between mid-September and the deadline.
    wards: list[Area | None] = list(
        Area.objects.filter(city=city, valid_to__isnull=True, level="ward").order_by("code")[:4]
    ) or [None]
    entries = []
    quality: dict[str, float] = {}
    start = competition.opens_at
    span = (competition.closes_at - start).total_seconds()
    for category in categories:
        n = next(c[4] for c in CATEGORIES if c[0] == category.code)
        titles = TITLE_WORDS[category.code]
        for k in range(1, n + 1):
            name = f"{rnd.choice(FAMILY)} {rnd.choice(GIVEN)}"
            team = ""
            if category.code == "GP" and rnd.random() < 0.5:
                team = "\n".join(
                    f"{rnd.choice(FAMILY)} {rnd.choice(GIVEN)}" for _ in range(rnd.randint(1, 3))
                )
            title = titles[(k - 1) % len(titles)] + ("" if k <= len(titles) else f" ({k // len(titles) + 1})")
            code = f"{category.code}-{k:03d}"
            quality[code] = rnd.gauss(65, 12)
            entries.append(
                Entry(
                    city=city,
                    competition=competition,
                    category=category,
                    entered_by=admin,
                    entrant_name=name,
                    birth_year=rnd.randint(1950, 2014),
                    residence=rnd.choice(wards),
                    team_members=team,
                    title=title,
                    description="",
                    receipt=f"SL24-{category.code}-{uuid.UUID(int=rnd.getrandbits(128)).hex[:6].upper()}",
                    blind_code=code,
                    gallery_consent=rnd.random() < 0.6,
                    submitted_at=start + dt.timedelta(seconds=rnd.random() * span),
                    search_text=fold(f"{title} {name} {team}")[:600],
                )
            )
    Entry.objects.bulk_create(entries, batch_size=500)
    entries = list(Entry.objects.filter(competition=competition).order_by("category__position", "blind_code"))
    ctx.log(f"  competitions: {len(entries)} entries in {len(categories)} categories")

    # A few small paintings in the gallery.
    files = []
    for entry in [e for e in entries if e.category_id == categories[0].pk and e.gallery_consent][:8]:
        token = uuid.UUID(int=rnd.getrandbits(128)).hex
        data = _painting(entry.pk)
        ef = EntryFile(
            city=city,
            entry=entry,
            token=token,
            kind=FileKind.IMAGE,
            file_format="jpg",
            content_type="image/jpeg",
            size=len(data),
            sha256="",
            original_name="tranh.jpg",
        )
        ef.file.save("f.jpg", ContentFile(data), save=False)
        files.append(ef)
    EntryFile.objects.bulk_create(files)

    # Conflicts: staff recorded a few; the demo judge declared one (a pupil of hers).
    conflicts = []
    by_cat: dict[int, list[Entry]] = {}
    for e in entries:
        by_cat.setdefault(e.category_id, []).append(e)
    for i, judge in enumerate(judges[1:6], start=1):
        cat = categories[i % 4]
        e = by_cat[cat.pk][i * 3]
        conflicts.append(
            Conflict(
                city=city,
                competition=competition,
                judge=judge,
                entry=e,
                source=ConflictSource.STAFF,
                reason="Người thân",
                created_by=admin,
            )
        )
    poems = next(c for c in categories if c.code == "TH")
    conflicts.append(
        Conflict(
            city=city,
            competition=competition,
            judge=judges[0],
            entry=by_cat[poems.pk][4],
            source=ConflictSource.DECLARED,
            reason="Học trò của tôi",
            created_by=judges[0],
        )
    )
    Conflict.objects.bulk_create(conflicts)

    # Balanced assignment, by the same algorithm as the service.
    from .services.assignment import plan_assignments

    plan = plan_assignments(
        entries=[(e.pk, e.category_id) for e in entries],
        juries=jury,
        conflicts={(c.judge_id, c.entry_id) for c in conflicts},
        k=competition.reviews_per_entry,
    )
    code_of = {e.pk: e.blind_code for e in entries}
    bias = {j.pk: rnd.gauss(0, 8) for j in judges}
    judged_at = dt.datetime(2024, 12, 1, tzinfo=UTC)
    assignments = []
    values_of = []
    for entry_id, judge_id in plan.pairs:
        base = quality[code_of[entry_id]] + bias[judge_id]
        values = {
            c.pk: max(c.min_score, min(c.max_score, round((base + rnd.gauss(0, 6)) / 10 * 2) / 2))
            for c in criteria
        }
        values_of.append(values)
        assignments.append(
            Assignment(
                city=city,
                competition=competition,
                entry_id=entry_id,
                judge_id=judge_id,
                total=weighted_total(values, criteria),
                submitted_at=judged_at,
                created_at=judged_at,
            )
        )
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    saved = Assignment.objects.filter(competition=competition).values_list("id", "entry_id", "judge_id")
    id_of = {(e, j): a for a, e, j in saved}
    Score.objects.bulk_create(
        [
            Score(city=city, assignment_id=id_of[(a.entry_id, a.judge_id)], criterion_id=cid, value=value)
            for a, values in zip(assignments, values_of, strict=True)
            for cid, value in values.items()
        ],
        batch_size=2000,
    )

    # Ranking with normalised scores, approved and published by the city administrator.
    reviews = [(a.entry_id, a.judge_id, a.total or 0.0) for a in assignments]
    stats = judge_stats(reviews)
    category_of = {e.pk: e.category_id for e in entries}
    per_cat: dict[int, list] = {}
    for r in reviews:
        per_cat.setdefault(category_of[r[0]], []).append(r)
    results = []
    for cat_id, rows in per_cat.items():
        for ranked in rank_entries(rows, normalise=True, tie_policy=competition.tie_policy, stats=stats):
            results.append(
                Result(
                    city=city,
                    competition=competition,
                    category_id=cat_id,
                    entry_id=ranked.entry_id,
                    rank=ranked.rank,
                    tied=ranked.tied,
                    raw_mean=ranked.raw_mean,
                    normalised=ranked.normalised,
                    reviews=ranked.reviews,
                )
            )
    Result.objects.bulk_create(results, batch_size=1000)
    competition.results_computed_at = dt.datetime(2024, 12, 12, tzinfo=UTC)
    competition.results_approved_at = dt.datetime(2024, 12, 15, tzinfo=UTC)
    competition.results_approved_by = admin
    competition.results_published_at = dt.datetime(2024, 12, 20, tzinfo=UTC)
    competition.save()
    ctx.data["competition_slug"] = SLUG
    ctx.log(f"  competitions: {len(judges)} judges, {len(assignments)} reviews, results published")
