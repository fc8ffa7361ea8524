"""The library's part of the demo city: a catalogue of Vietnamese children's books, farming and health manuals
and Thai-language books (valid ISBNs, 978-604 and 978-632), copies over the Houses of Wisdom and Compassionate
Libraries, library cards for consenting learners, a year of loans and returns (counted, not linked to people),
current and overdue loans, holds on their way, a librarian and a resident with her own card.

The Tai Viet titles are illustrative spellings of well-known Thái works, each with its romanisation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import Counter

from django.utils import timezone
from stdnum import ean

from learningcity.core.demography import age_band
from learningcity.core.errors import DomainError
from learningcity.core.models import Role, RoleAssignment, User
from learningcity.places.models import LearningSpace
from learningcity.programmes.models import Consent, Learner

from . import services
from .models import (
    Audience,
    BookDrive,
    Borrower,
    Copy,
    CopyStatus,
    Donation,
    Format,
    IntakeItem,
    Loan,
    LoanTally,
    Record,
    RecordWord,
    record_words_in_table,
)
from .selectors import BOOKCASE_TYPES
from .services.catalogue import match_key_of, search_text_of, words_of

ORDER = 25

CHILDREN = [
    "Truyện cổ tích Việt Nam",
    "Sự tích cây khế",
    "Sự tích dưa hấu",
    "Tấm Cám",
    "Thạch Sanh",
    "Cây tre trăm đốt",
    "Sọ Dừa",
    "Con Rồng cháu Tiên",
    "Thánh Gióng",
    "Chú Cuội cung trăng",
    "Dế Mèn phiêu lưu ký",
    "Những chú gà con",
    "Bé học đếm",
    "Bé tập tô chữ",
    "Em yêu khoa học",
    "Truyện ngụ ngôn cho bé",
]
FARMING = [
    "Kỹ thuật trồng cà phê chè",
    "Chăn nuôi gà thả vườn",
    "Trồng xoài trên đất dốc",
    "Nuôi cá lồng trên hồ thủy điện",
    "Kỹ thuật trồng ngô lai",
    "Phòng bệnh cho trâu bò",
    "Trồng mận hậu Mộc Châu",
    "Làm phân hữu cơ vi sinh",
    "Chăn nuôi lợn đen bản địa",
    "Trồng rau an toàn",
    "Kỹ thuật ghép cây ăn quả",
    "Nuôi ong lấy mật",
]
HEALTH = [
    "Chăm sóc sức khỏe bà mẹ và trẻ em",
    "Dinh dưỡng cho trẻ dưới 5 tuổi",
    "Phòng chống sốt xuất huyết",
    "Sơ cứu ban đầu",
    "Sức khỏe người cao tuổi",
    "Nước sạch và vệ sinh",
    "Phòng bệnh lao",
    "Tiêm chủng mở rộng",
    "Chăm sóc răng miệng",
]
ADULT = [
    "Lịch sử Sơn La",
    "Văn hóa các dân tộc Tây Bắc",
    "Pháp luật cho mọi người",
    "Hướng dẫn sử dụng điện thoại thông minh",
    "Kỹ năng sống",
    "Địa chí Sơn La",
    "Tin học cơ bản",
    "Tiếng Anh giao tiếp",
    "Gương người tốt việc tốt",
]
# (Tai Viet title, romanisation, Vietnamese subject)
THAI = [
    ("ꪎꪷꪉ ꪋꪴ ꪎꪮꪙ ꪎꪱꪫ", "Xống chụ xon xao", "Truyện thơ Thái"),
    ("ꪁꪫꪱꪣ ꪔꪷ ꪣꪳꪉ", "Quam tô mương", "Lịch sử người Thái"),
    ("ꪶꪬꪚ ꪹꪥꪱꪫ ꪩꪱꪫ", "Hạn khuống", "Văn hóa Thái"),
    ("ꪎꪾ ꪻꪊ ꪹꪀꪷꪉ", "Xên bản xên mường", "Lễ hội Thái"),
    ("ꪩꪱꪚ ꪕꪮꪥ ꪼꪕ", "Tập đọc chữ Thái", "Chữ Thái"),
    ("ꪀꪱꪙ ꪻꪕ ꪎꪴ", "Khắp Thái", "Dân ca Thái"),
]
AUTHORS = [
    "Nguyễn Văn An",
    "Lò Văn Puốn",
    "Cầm Trọng",
    "Hoàng Thị Hà",
    "Tô Hoài",
    "Lường Thị Đại",
    "Trần Đức Minh",
    "Quàng Văn Hặc",
    "Bộ Y tế",
    "Trung tâm Khuyến nông Sơn La",
    "Phạm Thị Thu",
    "Điêu Chính Nhìm",
]
PUBLISHERS = [
    ("604", "0", "Nhà xuất bản Giáo dục Việt Nam"),
    ("604", "2", "Nhà xuất bản Kim Đồng"),
    ("604", "60", "Nhà xuất bản Nông nghiệp"),
    ("604", "66", "Nhà xuất bản Y học"),
    ("632", "00", "Nhà xuất bản Văn hóa dân tộc"),
]


def _isbn(rng: random.Random, group: str, publisher: str) -> str:
    body = f"978{group}{publisher}"
    body += "".join(str(rng.randint(0, 9)) for _ in range(12 - len(body)))
    return body + ean.calc_check_digit(body)


def _plan(rng: random.Random, n: int) -> list[dict]:
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    kinds = [
        ("children", CHILDREN, ["vie"], Audience.CHILDREN, "Truyện thiếu nhi", "398.2"),
        ("farming", FARMING, ["vie"], Audience.ADULTS, "Nông nghiệp", "630"),
        ("health", HEALTH, ["vie"], Audience.ADULTS, "Sức khỏe", "613"),
        ("adult", ADULT, ["vie"], Audience.ADULTS, "Tri thức phổ thông", "300"),
    ]
    volume = 0
    while len(rows) < n:
        volume += 1
        if rng.random() < 0.14:
            tavt, roman, subject = rng.choice(THAI)
            title, romanised, langs, audience, ddc = (
                tavt,
                roman,
                ["tai", "vie"] if rng.random() < 0.5 else ["tai"],
                Audience.ADULTS,
                "895.91",
            )
            group, pub, publisher = PUBLISHERS[4]
        else:
            _kind, titles, langs, audience, subject, ddc = rng.choice(kinds)
            title, romanised = rng.choice(titles), ""
            if audience == Audience.CHILDREN and rng.random() < 0.3:
                audience = Audience.YOUTH
            group, pub, publisher = rng.choice(PUBLISHERS[:4])
        if volume > 1 and rng.random() < 0.8:
            title = f"{title}, tập {rng.randint(1, 12)}"
        author = rng.choice(AUTHORS)
        key = (title, author)
        if key in seen:
            title = f"{title} ({rng.randint(2, 9)})"
            key = (title, author)
            if key in seen:
                continue
        seen.add(key)
        rows.append(
            {
                "title": title,
                "title_romanised": romanised,
                "authors": author,
                "publisher": publisher,
                "year": rng.randint(1995, 2025),
                "languages": ",".join(["", *langs, ""]),
                "subjects": subject,
                "classification": ddc,
                "audience": audience,
                "format": Format.AUDIO
                if rng.random() < 0.03
                else Format.PERIODICAL
                if rng.random() < 0.03
                else Format.BOOK,
                "isbn": _isbn(rng, group, pub),
                "edition": "",
                "subtitle": "",
            }
        )
    return rows


def _users(ctx, city, meban) -> None:
    librarian = User.objects.filter(username="thuvien").first() or User.objects.create_user(
        "thuvien",
        password=ctx.password,
        full_name="Lò Thị Mai (Thư viện tỉnh)",
        email="thuvien@demo.learningcity.invalid",
    )
    RoleAssignment.objects.get_or_create(user=librarian, city=city, role=Role.LIBRARIAN, area=None)
    ctx.users["thuvien"] = librarian
    reader = User.objects.filter(username="docgia").first() or User.objects.create_user(
        "docgia", password=ctx.password, full_name="Cầm Thị Xuân", email="docgia@demo.learningcity.invalid"
    )
    ctx.users["docgia"] = reader


def _index_words(city, records: list[Record]) -> None:
    """PostgreSQL's search words (SQLite's FTS5 index is filled by its triggers)."""
    if record_words_in_table():
        RecordWord.objects.bulk_create(
            [
                RecordWord(city=city, word=w, record=r)
                for r in records
                for w in words_of(r.title, r.title_romanised, r.authors, r.subjects, r.isbn)
            ],
            batch_size=5000,
        )


def load(ctx) -> None:
    city = ctx.city
    rng = random.Random(19)
    small = getattr(ctx, "small", False)
    spaces = list(
        LearningSpace.objects.for_city(city).filter(space_type__code__in=BOOKCASE_TYPES).order_by("pk")
    )
    if not spaces:
        return
    meban = ctx.data.get("space_meban") or spaces[0]
    if meban not in spaces:
        spaces.insert(0, meban)
    _users(ctx, city, meban)
    now = timezone.now()
    n_records = 40 if small else 3000
    plan = _plan(rng, n_records)
    records = [
        Record(
            city=city, search_text=search_text_of(p), match_key=match_key_of(p["title"], p["authors"]), **p
        )
        for p in plan
    ]
    records = Record.objects.bulk_create(records, batch_size=2000)
    _index_words(city, records)
    copies, number = [], 0
    for r in records:
        for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 4)):
            number += 1
            home = meban if (small and number <= 12) or rng.random() < 0.05 else rng.choice(spaces)
            copies.append(Copy(city=city, record=r, barcode=f"SL{number:06d}", home=home, current=home))
    copies = Copy.objects.bulk_create(copies, batch_size=2000)
    ctx.log(f"  library: {len(records)} records, {len(copies)} copies on {len(spaces)} bookcases")

    # Cards for consenting learners; the demo resident holds one linked to her account.
    consenting = Consent.objects.filter(
        city=city, purpose="participation", given=True, withdrawn_at__isnull=True
    )
    learners = list(
        Learner.objects.for_city(city)
        .filter(pk__in=consenting.values("learner_id"))
        .order_by("pk")[: 30 if small else 900]
    )
    if not learners:
        return
    cards = Borrower.objects.bulk_create(
        [
            Borrower(
                city=city,
                learner=learner,
                card_code=learner.code.upper()[:20],
                keep_history=rng.random() < 0.1,
                home_space=rng.choice(spaces),
            )
            for learner in learners
        ]
    )
    reader = cards[0]
    reader.user, reader.home_space = ctx.users["docgia"], meban
    reader.save(update_fields=["user", "home_space"])

    # A year of returned loans: counted by month and group; linked to the person only when she keeps her history.
    history: list[Loan] = []
    tally: Counter[tuple] = Counter()
    by_id = {c.pk: c for c in cards}
    for _ in range(60 if small else 12000):
        copy = rng.choice(copies)
        card = rng.choice(cards)
        lent = now - dt.timedelta(days=rng.randint(30, 365), hours=rng.randint(0, 10))
        back = lent + dt.timedelta(days=rng.randint(3, 30))
        history.append(
            Loan(
                city=city,
                copy=copy,
                borrower=card if card.keep_history else None,
                space=copy.home,
                lent_at=lent,
                due_on=(lent + dt.timedelta(days=21)).date(),
                returned_at=back,
                returned_space=copy.home,
            )
        )
        learner = card.learner
        disability = "" if learner.has_disability is None else ("y" if learner.has_disability else "n")
        tally[
            (
                lent.date().replace(day=1),
                copy.home_id,
                learner.sex or "",
                age_band(learner.birth_year, lent.year),
                learner.ethnicity or "",
                disability,
                learner.area_id,
            )
        ] += 1
        by_id[card.pk].last_loan_on = max(by_id[card.pk].last_loan_on or lent.date(), lent.date())
    Loan.objects.bulk_create(history, batch_size=2000)
    LoanTally.objects.bulk_create(
        [
            LoanTally(
                city=city,
                month=k[0],
                space_id=k[1],
                sex=k[2],
                age_band=k[3],
                ethnicity=k[4],
                disability=k[5],
                area_id=k[6],
                loans=n,
            )
            for k, n in tally.items()
        ],
        batch_size=2000,
    )
    Borrower.objects.bulk_update(cards, ["last_loan_on"], batch_size=2000)

    # Today's loans (some overdue) and holds, through the services as a volunteer would make them.
    librarian = ctx.users["thuvien"]
    current = [c for c in copies if c.status == CopyStatus.AVAILABLE]
    rng.shuffle(current)
    lent_now = 0
    for copy in current[: 8 if small else 400]:
        card = rng.choice(cards)
        when = now - dt.timedelta(days=rng.randint(0, 40))
        try:
            services.loan_lend(
                actor=librarian, space=copy.home, barcode=copy.barcode, borrower=card, now=when
            )
            lent_now += 1
        except DomainError:
            continue
    meban_copy = next((c for c in copies if c.home_id == meban.pk), None)
    if meban_copy is not None:
        with contextlib.suppress(DomainError):
            services.loan_lend(
                actor=librarian, space=meban, barcode=meban_copy.barcode, borrower=reader, now=now
            )
    held = 0
    for r in rng.sample(records, min(len(records), 3 if small else 40)):
        card = rng.choice(cards)
        pickup = card.home_space or meban
        try:
            services.hold_place(actor=librarian, record=r, borrower=card, pickup=pickup)
            held += 1
        except DomainError:
            continue
    ctx.log(
        f"  library: {len(cards)} cards, {len(history)} loans in the past year, {lent_now} on loan now, {held} holds"
    )
    # A book drive and a donation at Mé Ban waiting in the intake queue.
    drive = BookDrive.objects.create(
        city=city, name="Góp một cuốn sách, đọc nhiều cuốn sách", starts_on=now.date()
    )
    donation = Donation.objects.create(city=city, space=meban, drive=drive, received_on=now.date(), books=3)
    IntakeItem.objects.bulk_create(
        [
            IntakeItem(city=city, donation=donation, space=meban, title_hint=title, isbn=code)
            for title, code in (
                ("Truyện Kiều", ""),
                ("", _isbn(rng, "604", "2")),
                ("Cẩm nang trồng cà phê", ""),
            )
        ]
    )
