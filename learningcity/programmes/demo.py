"""The programmes part of the demo city: 35 Thai cultural clubs, the Thai-script class at Mé Ban, the Lau Lau
Learning pilot, reading and sports at the Houses of Wisdom, festivals; a year of sessions; a synthetic population
following the province's 2019 census shares (docs/analytics.md, "Demo") and its attendance. Bulk writes only (no
per-row audit): fast.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from learningcity.core.demography import age_band
from learningcity.core.text import fold

from .models import (
    Consent,
    ConsentPurpose,
    Headcount,
    Learner,
    Membership,
    Programme,
    ProgrammeKind,
    Schedule,
    Session,
    SessionStatus,
)
from .services.attendance_stage import insert_attendance_rows
from .services.learners import CODE_ALPHABET

if TYPE_CHECKING:
    from learningcity.places.models import LearningSpace

ORDER = 20
SEED = 2024
TARGET_LEARNERS = 12_000

# Son La province, 2019 census: ethnic group code, share in % (docs/analytics.md, "Demo").
ETHNIC_MIX = [
    ("03", 53.61),  # Thái
    ("01", 16.26),  # Kinh
    ("08", 16.06),  # H'Mông
    ("06", 6.78),  # Mường
    ("34", 2.17),  # Xinh Mun
    ("09", 1.76),  # Dao
    ("29", 1.6),  # Khơ Mú
    ("37", 0.5),  # Lào
    ("33", 0.4),  # Kháng
    ("39", 0.4),  # La Ha
    ("02", 0.5),  # Tày
    ("99", 1.0),  # not stated
    ("98", 0.16),
]
FAMILY = {
    "03": ["Lò", "Cầm", "Quàng", "Lường", "Tòng", "Vì", "Điêu", "Bạc", "Hà", "Lù", "Lộc", "Mè"],
    "01": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"],
    "08": ["Giàng", "Vàng", "Sùng", "Mùa", "Thào", "Lầu", "Hạng", "Lý", "Sồng", "Chá"],
    "06": ["Đinh", "Bùi", "Quách", "Hà", "Xa"],
    "34": ["Lò", "Vi", "Lường", "Quàng"],
    "09": ["Bàn", "Triệu", "Đặng", "Lý"],
}
GIVEN_F = [
    "Thị Hoa",
    "Thị Xuân",
    "Thị Lan",
    "Thị Ánh",
    "Thị Hương",
    "Thị Mai",
    "Thị Phượng",
    "Thị Thuỷ",
    "Thị Dung",
    "Thị Hoà",
    "Thị Bích",
    "Thị Nga",
    "Thị Sợi",
    "Thị Mỷ",
    "Thị Chăm",
    "Thị Ngọc",
    "Thị Hằng",
    "Thị Diệp",
]
GIVEN_M = [
    "Văn Thành",
    "Văn Minh",
    "Văn Tú",
    "Văn Hùng",
    "Văn Xuân",
    "Văn Pành",
    "Văn Sinh",
    "A Páo",
    "A Dế",
    "Văn Chiến",
    "Văn Dũng",
    "Văn Khánh",
    "Văn Thắng",
    "Văn Long",
    "Văn Tuấn",
    "Văn Quý",
    "Văn Hiên",
]
GIVEN_HMONG_F = ["Thị Mỷ", "Thị Dua", "Thị Sông", "Thị Chá", "Thị Pằng"]
GIVEN_HMONG_M = ["A Páo", "A Dế", "A Sử", "A Chu", "A Lử", "Seo Lình"]

# Tai Viet script (U+AA80-U+AADF) as a Thai club would write its name: "Tai" and "club of Tai letters".
TAI_VIET_CLUB = "ꪶꪁꪙ ꪼꪕ"  # demo text in Tai Viet script
TAI_VIET_LETTERS = "ꪎꪳ ꪼꪕ"
TAI_VIET_DESCRIPTION = "ꪹꪖꪷꪉ ꪎꪳ ꪼꪕ ꪙꪱ ꪹꪭꪙ"


def _code(rng: random.Random, used: set[str]) -> str:
    while True:
        code = "L" + "".join(rng.choice(CODE_ALPHABET) for _ in range(7))
        if code not in used:
            used.add(code)
            return code


def _sessions(programme, space, weekdays, start, end, starts_on, ends_on, city, rng, cancel_rate=0.03):
    schedule = Schedule(
        city=city,
        programme=programme,
        space=space,
        weekdays=",".join(str(d) for d in weekdays),
        start_time=start,
        end_time=end,
        starts_on=starts_on,
        ends_on=ends_on,
        facilitator=programme.organiser[:200],
    )
    out = []
    day = starts_on
    while day <= ends_on:
        if day.weekday() in weekdays:
            status = SessionStatus.CANCELLED if rng.random() < cancel_rate else SessionStatus.SCHEDULED
            out.append(
                Session(
                    city=city,
                    programme=programme,
                    space=space,
                    date=day,
                    start_time=start,
                    end_time=end,
                    facilitator=schedule.facilitator,
                    status=status,
                    note="Nghỉ do mưa lớn" if status == SessionStatus.CANCELLED else "",
                )
            )
        day += dt.timedelta(days=1)
    return schedule, out


def load(ctx) -> None:  # noqa: C901 - one linear script
    city = ctx.city
    if Programme.objects.filter(city=city).exists():
        ctx.log("  programmes: already loaded")
        return
    rng = random.Random(SEED)  # demo data
    spaces = list(ctx.data.get("spaces") or [])
    if not spaces:
        from learningcity.places.models import LearningSpace

        spaces = list(
            LearningSpace.objects.filter(city=city).select_related("area", "space_type").order_by("id")
        )
    if not spaces:
        ctx.log("  programmes: no learning spaces, skipped")
        return
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    ahead = today + dt.timedelta(days=56)

    def type_code(s) -> str:
        return getattr(getattr(s, "space_type", None), "code", "")

    wisdom = [s for s in spaces if type_code(s) == "house-of-wisdom"] or spaces
    cultural = [
        s
        for s in spaces
        if type_code(s) in ("house-of-wisdom", "cultural-house", "community-learning-centre")
    ]
    cultural = cultural or spaces
    sports = [s for s in spaces if type_code(s) == "sports-ground"]
    meban = ctx.data.get("space_meban") or next(
        (s for s in wisdom if getattr(s.area, "code", "") == "03670-MB"), wisdom[0]
    )

    programmes: list[Programme] = []
    plan: list[tuple[Programme, LearningSpace, list[int], dt.time, dt.time, dt.date, dt.date, float]] = []

    def add(programme: Programme, space, weekdays, start, end, starts_on, ends_on, popularity):
        programme.city = city
        programme.search_text = fold(" ".join([programme.code, programme.title_vi, programme.title_en]))
        programmes.append(programme)
        plan.append((programme, space, weekdays, start, end, starts_on, ends_on, popularity))

    # 35 Thai cultural clubs (2024): language and the Tai Viet script, festivals, costumes.
    club_spaces = [meban] + [s for s in cultural if s.pk != meban.pk]
    for i in range(35):
        space = club_spaces[i % len(club_spaces)]
        place = space.name_vi.split(" ", 3)[-1] if " " in space.name_vi else space.name_vi
        weekdays = [5, 6] if i % 3 == 0 else ([2] if i % 3 == 1 else [6])
        add(
            Programme(
                code=f"clb-thai-{i + 1:02d}",
                kind=ProgrammeKind.CLUB,
                title_vi=f"Câu lạc bộ văn hoá Thái {place}",
                title_en=f"Thai cultural club, {place}",
                title_blt=f"{TAI_VIET_CLUB} {i + 1}",
                description_vi=(
                    "Giữ gìn tiếng Thái và chữ Thái cổ, phục dựng lễ hội, trang phục truyền thống, dạy hát "
                    "khắp và múa xoè cho các thế hệ trong bản."
                ),
                description_en=(
                    "Keeping the Thai language and the Tai Viet script alive, restoring festivals and costumes, "
                    "teaching khắp songs and xoè dance across generations."
                ),
                description_blt=TAI_VIET_DESCRIPTION,
                organiser="Hội Liên hiệp Phụ nữ và Mặt trận bản",
                topics="|language|culture|arts|",
                target_groups="|everyone|ethnic_minorities|",
                kflc_blocks="|B2|B6|",
                sdg_targets="|4.6|4.7|11.4|",
                starts_on=dt.date(2024, 4, 1) + dt.timedelta(days=7 * (i % 20)),
                area=space.area,
            ),
            space,
            weekdays,
            dt.time(19, 30) if weekdays == [2] else dt.time(8, 0),
            dt.time(21, 0) if weekdays == [2] else dt.time(10, 0),
            year_ago,
            ahead,
            1.0,
        )
    # The Thai-script class at the Mé Ban House of Wisdom: twice a week since March 2024, 30+ learners aged 9-76.
    script_class = Programme(
        code="lop-chu-thai-me-ban",
        kind=ProgrammeKind.CLASS,
        title_vi="Lớp học chữ Thái cổ bản Mé Ban",
        title_en="Tai Viet script class, Mé Ban hamlet",
        title_blt=f"{TAI_VIET_LETTERS} ꪹꪣ ꪚꪱꪙ",
        description_vi="Hơn 30 học viên từ 9 đến 76 tuổi học đọc, viết chữ Thái cổ hai buổi mỗi tuần tại Ngôi nhà trí tuệ.",
        description_en="More than 30 learners aged 9 to 76 learn to read and write the Tai Viet script, twice a week.",
        description_blt=TAI_VIET_DESCRIPTION,
        organiser="Ngôi nhà trí tuệ bản Mé Ban",
        topics="|language|literacy|culture|",
        target_groups="|everyone|ethnic_minorities|older|children|",
        kflc_blocks="|B2|B6|",
        sdg_targets="|4.6|4.7|",
        starts_on=dt.date(2024, 3, 5),
        area=meban.area,
    )
    add(script_class, meban, [1, 4], dt.time(19, 0), dt.time(20, 30), dt.date(2024, 3, 5), ahead, 0.0)
    lau_lau = Programme(
        code="lau-lau-learning",
        kind=ProgrammeKind.PILOT,
        title_vi="Thí điểm Lau Lau Learning: học qua nghệ thuật và âm nhạc",
        title_en="Lau Lau Learning pilot: learning through art and music",
        description_vi="Phương pháp giáo dục qua nghệ thuật và âm nhạc của Phần Lan, thí điểm lần đầu ở Việt Nam (10/2024).",
        description_en="A Finnish method of learning through art and music, piloted for the first time in Viet Nam (Oct 2024).",
        organiser="Sở Giáo dục và Đào tạo Sơn La",
        partners="Lau Lau Learning (Phần Lan / Finland)",
        partner_country="FI",
        topics="|arts|literacy|",
        target_groups="|children|families|",
        kflc_blocks="|B1|B5|",
        sdg_targets="|4.7|",
        starts_on=dt.date(2024, 10, 1),
        area=wisdom[1 % len(wisdom)].area,
    )
    add(
        lau_lau,
        wisdom[1 % len(wisdom)],
        [5],
        dt.time(14, 0),
        dt.time(16, 0),
        max(dt.date(2024, 10, 5), year_ago),
        ahead,
        0.8,
    )
    # Reading and sports at the Houses of Wisdom.
    for i, space in enumerate(wisdom[:30]):
        add(
            Programme(
                code=f"doc-sach-{i + 1:02d}",
                kind=ProgrammeKind.CLUB,
                title_vi=f"Đọc sách cùng nhau: {space.name_vi}",
                title_en=f"Reading together: {space.name_en or space.name_vi}",
                description_vi="“Góp một cuốn sách, đọc nhiều cuốn sách”: đọc sách, kể chuyện cho trẻ em và người lớn.",
                description_en="“Contribute one book to read many”: reading and storytelling for children and adults.",
                organiser=space.name_vi,
                topics="|reading|literacy|",
                target_groups="|children|adults|families|",
                kflc_blocks="|B2|B6|",
                sdg_targets="|4.6|",
                starts_on=dt.date(2024, 5, 1),
                area=space.area,
            ),
            space,
            [3],
            dt.time(18, 30),
            dt.time(20, 0),
            year_ago,
            ahead,
            0.7,
        )
    for i, space in enumerate((sports + wisdom[30:])[:20]):
        add(
            Programme(
                code=f"the-thao-{i + 1:02d}",
                kind=ProgrammeKind.CLUB,
                title_vi=f"Thể thao cộng đồng: {space.name_vi}",
                title_en=f"Community sports: {space.name_en or space.name_vi}",
                description_vi="Bóng chuyền, đẩy gậy, ném còn và đi bộ cho mọi lứa tuổi.",
                description_en="Volleyball, stick pushing, còn throwing and walking for all ages.",
                organiser="Đoàn Thanh niên",
                topics="|sports|health|",
                target_groups="|youth|adults|everyone|",
                kflc_blocks="|B2|",
                starts_on=dt.date(2024, 6, 1),
                area=space.area,
            ),
            space,
            [6],
            dt.time(16, 0),
            dt.time(18, 0),
            year_ago,
            ahead,
            0.6,
        )
    # Festivals and a competition event (headcounts, no names).
    festivals = []
    for code, vi, en, day, space in [
        (
            "le-hoi-xen-ban",
            "Lễ hội Xên bản",
            "Xên bản festival",
            dt.date(today.year, 3, 15),
            cultural[2 % len(cultural)],
        ),
        ("ngay-hoi-doc-sach", "Ngày hội đọc sách", "Reading day", dt.date(today.year, 4, 21), wisdom[0]),
        (
            "trien-lam-thanh-pho-hoc-tap",
            "Triển lãm “Sơn La - Thành phố học tập toàn cầu tôi yêu”",
            "Exhibition “Son La - My Beloved Global Learning City”",
            dt.date(2025, 9, 20),
            wisdom[2 % len(wisdom)],
        ),
    ]:
        festival = Programme(
            code=code,
            kind=ProgrammeKind.FESTIVAL if code != "trien-lam-thanh-pho-hoc-tap" else ProgrammeKind.EVENT,
            title_vi=vi,
            title_en=en,
            organiser="UBND thành phố",
            topics="|culture|arts|",
            target_groups="|everyone|",
            kflc_blocks="|B6|",
            sdg_targets="|11.4|",
            starts_on=day,
            ends_on=day,
            area=space.area,
        )
        festival.city = city
        festival.search_text = fold(f"{code} {vi} {en}")
        programmes.append(festival)
        festivals.append((festival, space, day))

    Programme.objects.bulk_create(programmes)
    through = Programme.spaces.through
    links = [through(programme_id=p.pk, learningspace_id=s.pk) for p, s, *_ in plan]
    links += [through(programme_id=f.pk, learningspace_id=s.pk) for f, s, _d in festivals]
    through.objects.bulk_create(links)
    leader = ctx.users.get("space.meban")
    if leader is not None:
        Programme.leaders.through.objects.bulk_create(
            [
                Programme.leaders.through(programme_id=script_class.pk, user_id=leader.pk),
                Programme.leaders.through(programme_id=programmes[0].pk, user_id=leader.pk),
            ]
        )

    schedules, sessions = [], []
    per_programme: dict[int, list[Session]] = {}
    for programme, space, weekdays, start, end, starts_on, ends_on, _pop in plan:
        schedule, held = _sessions(programme, space, weekdays, start, end, starts_on, ends_on, city, rng)
        schedules.append(schedule)
        sessions.extend(held)
        per_programme[programme.pk] = held
    Schedule.objects.bulk_create(schedules)
    by_programme_schedule = {s.programme_id: s for s in schedules}
    for s in sessions:
        s.schedule = by_programme_schedule[s.programme_id]
    festival_sessions = [
        Session(
            city=city,
            programme=f,
            space=s,
            date=d,
            start_time=dt.time(8),
            end_time=dt.time(17),
            headcount_mode=True,
        )
        for f, s, d in festivals
    ]
    # One changed session: a club moved to the ward's cultural centre for a week.
    changed = next((s for s in sessions if s.date > today and s.status == SessionStatus.SCHEDULED), None)
    if changed is not None:
        changed.status = SessionStatus.CHANGED
        changed.start_time = dt.time(9, 0)
        changed.end_time = dt.time(11, 0)
        changed.note = "Đổi giờ: 9:00-11:00"
    Session.objects.bulk_create(sessions + festival_sessions, batch_size=2000)

    # The population: learners whose ethnic mix follows the province census.
    codes, weights = zip(*ETHNIC_MIX, strict=True)
    used: set[str] = set()
    learners: list[Learner] = []
    homes: list[int] = []  # index into plan of each learner's main programme

    def make_learner(programme_index: int, ethnicity: str | None = None, year: int | None = None) -> Learner:
        eth = ethnicity or rng.choices(codes, weights)[0]
        sex = "F" if rng.random() < 0.54 else "M"
        family = FAMILY.get(eth, FAMILY["03"])
        if eth == "08":
            given = rng.choice(GIVEN_HMONG_F if sex == "F" else GIVEN_HMONG_M)
        else:
            given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        name = f"{rng.choice(family)} {given}"
        birth = year or int(rng.triangular(1948, today.year - 6, 1995))
        answers: dict[str, int] = {}
        has = None
        if rng.random() < 0.7:
            answers = {
                "seeing": 1,
                "hearing": 1,
                "walking": 1,
                "cognition": 1,
                "selfcare": 1,
                "communication": 1,
            }
            if rng.random() < 0.06 + (0.15 if birth < 1960 else 0):
                answers[rng.choice(list(answers))] = rng.choice([3, 3, 4])
            has = any(v >= 3 for v in answers.values())
        space = plan[programme_index][1]
        homes.append(programme_index)
        return Learner(
            city=city,
            code=_code(rng, used),
            full_name=name,
            search_text=fold(name),
            sex=sex,
            birth_year=birth,
            ethnicity=eth,
            disability_answers=answers,
            has_disability=has,
            area_id=space.area_id,
            languages="vi, blt" if eth in ("03", "34") else "vi",
        )

    script_index = next(i for i, p in enumerate(plan) if p[0] is script_class)
    for age in [
        9,
        10,
        11,
        12,
        14,
        16,
        19,
        23,
        28,
        31,
        35,
        38,
        41,
        44,
        46,
        49,
        52,
        54,
        57,
        59,
        61,
        63,
        65,
        66,
        68,
        69,
        70,
        71,
        72,
        74,
        75,
        76,
    ]:
        learners.append(make_learner(script_index, ethnicity="03", year=dt.date(2024, 3, 1).year - age))
    popular = [i for i, p in enumerate(plan) if p[7] > 0]
    pops = [plan[i][7] for i in popular]
    # A small demo (tests) keeps every kind of row but few people: attendance follows the learners.
    target = 600 if getattr(ctx, "small", False) else TARGET_LEARNERS
    while len(learners) < target:
        learners.append(make_learner(rng.choices(popular, pops)[0]))
    Learner.objects.bulk_create(learners, batch_size=2000)

    # Memberships (one programme each, a quarter in a second one) and consent recorded at sign-up.
    now = timezone.now()
    members: dict[int, list[tuple]] = {}
    memberships = []
    consents = []
    admin = ctx.users.get("admin")
    for learner, home in zip(learners, homes, strict=True):
        choices = [home] + ([rng.choice(popular)] if rng.random() < 0.25 else [])
        for index in dict.fromkeys(choices):
            programme, _space, _w, _s, _e, starts_on, _ends, _pop = plan[index]
            first = max(starts_on, programme.starts_on or starts_on)
            joined = first + dt.timedelta(days=int(rng.random() ** 2 * 200))
            left = joined + dt.timedelta(days=rng.randint(60, 300)) if rng.random() < 0.12 else None
            memberships.append(
                Membership(city=city, programme=programme, learner=learner, joined_on=joined, left_on=left)
            )
            keen = rng.betavariate(2.2, 2.0) if programme is not script_class else rng.uniform(0.6, 0.95)
            members.setdefault(programme.pk, []).append((learner.pk, joined, keen, left, learner.area_id))
        for purpose in (ConsentPurpose.PARTICIPATION, ConsentPurpose.STATISTICS):
            consents.append(
                Consent(
                    city=city,
                    learner=learner,
                    purpose=purpose,
                    recorded_by=admin,
                    recorded_by_name=str(admin) if admin else "demo",
                    method="phiếu đăng ký giấy",
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    Consent.objects.bulk_create(consents, batch_size=2000)

    # Attendance: each member comes to a share of the sessions held while a member.
    rows: list[tuple] = []
    total = 0
    # Written the way the import writes (staged, then one statement per 20,000 rows with the summary following).
    for programme_pk, programme_sessions in per_programme.items():
        people = members.get(programme_pk, [])
        for s in programme_sessions:
            if s.date > today or s.status == SessionStatus.CANCELLED:
                continue
            minutes = s.minutes
            for learner_pk, joined, keen, left, area_id in people:
                if joined <= s.date and (left is None or s.date <= left) and rng.random() < keen * 0.65:
                    rows.append(
                        (city.pk, s.pk, learner_pk, programme_pk, s.space_id, area_id, s.date, minutes)
                    )
            if len(rows) >= 20000:
                total += insert_attendance_rows(rows)
                rows.clear()
    if rows:
        total += insert_attendance_rows(rows)

    # Festival headcounts (no names), by sex and age band, Thái counted where known.
    headcounts = []
    for s in festival_sessions:
        if s.date > today:
            continue
        for sex in ("F", "M"):
            for band, n in (("6-14", 60), ("15-24", 90), ("25-64", 180), ("65+", 40)):
                headcounts.append(
                    Headcount(
                        city=city,
                        session=s,
                        programme_id=s.programme_id,
                        space=s.space,
                        date=s.date,
                        minutes=s.minutes,
                        sex=sex,
                        age_band=band,
                        count=int(n * rng.uniform(0.7, 1.3)),
                    )
                )
    Headcount.objects.bulk_create(headcounts)
    _ = age_band  # bands come from core.demography (used by analytics)

    ctx.data["programmes"] = {p.code: p.pk for p in programmes}
    ctx.data["thai_clubs"] = [p.pk for p in programmes if p.code.startswith("clb-thai-")]
    ctx.data["thai_script_class"] = script_class.pk
    ctx.data["lau_lau"] = lau_lau.pk
    ctx.data["learner_count"] = len(learners)
    ctx.data["attendance_count"] = total
    ctx.log(
        f"  programmes: {len(programmes)} programmes, {len(sessions) + len(festival_sessions)} sessions, "
        f"{len(learners)} learners, {len(memberships)} memberships, {total} attendances ({now:%H:%M:%S})"
    )
