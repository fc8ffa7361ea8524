"""The conferences part of the demo.

1. The ASEAN+3 Learning Cities Conference 2024 (Bangkok, 29-30 October 2024: more than 250 people, plenaries,
   parallel sessions and a ceremony for seven new member cities, Son La among them). Its programme here is a
   plausible reconstruction, and its delegates are invented (marked demo): only the facts above are sourced.
2. A Son La learning-city forum with site visits to the Mé Ban House of Wisdom and a Thai script club.

Events are named by a slug unique on the installation: the first city that loads the demo holds them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from learningcity.places import selectors as places_selectors

from .models import Event, MaterialKind, Registration, RegistrationStatus, SessionKind
from .services import call as call_services
from .services import registration as reg_services
from .services import schedule as s

ORDER = 75
ASEAN_SLUG = "asean3-lc-2024"
FORUM_SLUG = "son-la-forum-2025"
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")

DELEGATIONS = [
    # name, country, members (full size demo)
    ("Sơn La", "VN", 14),
    ("Hà Nội", "VN", 10),
    ("Điện Biên (demo)", "VN", 8),
    ("Bangkok", "TH", 30),
    ("Chiang Rai (demo)", "TH", 12),
    ("Luang Prabang (demo)", "LA", 10),
    ("Siem Reap (demo)", "KH", 10),
    ("Yogyakarta (demo)", "ID", 12),
    ("Iskandar Puteri (demo)", "MY", 12),
    ("Cebu (demo)", "PH", 12),
    ("Yangon (demo)", "MM", 8),
    ("Seoul (demo)", "KR", 24),
    ("Suwon (demo)", "KR", 14),
    ("Okayama (demo)", "JP", 16),
    ("Beijing (demo)", "CN", 18),
    ("Shanghai (demo)", "CN", 16),
    ("UNESCO UIL", "DE", 6),
]
GIVEN = [
    "Lan",
    "Somchai",
    "Minh",
    "Malee",
    "Ji-woo",
    "Hiroshi",
    "Wei",
    "Siti",
    "Bounmy",
    "Dara",
    "Maria",
    "Aung",
]
FAMILY = ["Nguyen", "Srisuk", "Tran", "Kim", "Tanaka", "Li", "Rahman", "Phommachanh", "Sok", "Santos", "Win"]


def _t(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=BANGKOK)


def load(ctx) -> None:
    if Event.objects.filter(slug=ASEAN_SLUG).exists():
        return
    admin = ctx.users["admin"]
    city = ctx.city
    _asean(ctx, city, admin)
    _forum(ctx, city, admin)


def _asean(ctx, city, admin) -> None:
    day1, day2 = dt.date(2024, 10, 29), dt.date(2024, 10, 30)
    event = s.event_create(
        actor=admin,
        city=city,
        slug=ASEAN_SLUG,
        title_vi="Hội nghị các Thành phố học tập ASEAN+3 năm 2024",
        title_en="ASEAN+3 Learning Cities Conference 2024",
        description_en="Bangkok, 29-30 October 2024. More than 250 participants; seven new member cities of the "
        "UNESCO Global Network of Learning Cities, Son La among them, received in a ceremony. "
        "(Demo: the programme and delegates are reconstructed.)",
        description_vi="Bangkok, 29-30/10/2024. Hơn 250 đại biểu; lễ đón bảy thành phố thành viên mới của Mạng "
        "lưới các thành phố học tập toàn cầu UNESCO, trong đó có Sơn La. (Dữ liệu minh hoạ.)",
        starts_on=day1,
        ends_on=day2,
        time_zone="Asia/Bangkok",
        network_slug=_network_slug(),
        capacity=300,
        check_permission=False,
    )
    venue = s.venue_create(
        actor=admin, event=event, name="Bangkok conference centre (demo)", address="Bangkok"
    )
    hall = s.room_create(actor=admin, venue=venue, name="Plenary hall", capacity=320)
    rooms = [s.room_create(actor=admin, venue=venue, name=f"Room {c}", capacity=60) for c in "ABCD"]
    tracks = [
        s.track_create(actor=admin, event=event, name_vi="Hòa nhập", name_en="Equity and inclusion"),
        s.track_create(
            actor=admin, event=event, name_vi="Bền vững", name_en="Sustainability", colour="#15803d"
        ),
        s.track_create(
            actor=admin, event=event, name_vi="Số hoá", name_en="Digital learning", colour="#b45309"
        ),
    ]
    speakers = [
        s.speaker_create(actor=admin, event=event, name=f"{GIVEN[i % 12]} {FAMILY[i % 11]} (demo)")
        for i in range(12)
    ]
    spoken, interp = ["en"], ["th", "vi"]
    s.session_save(
        actor=admin,
        event=event,
        title="Opening plenary: learning cities for all",
        kind=SessionKind.PLENARY,
        room=hall,
        starts_at=_t(day1, 9),
        ends_at=_t(day1, 10, 30),
        speakers=speakers[:2],
        languages=spoken,
        interpretation=interp,
    )
    topics = [
        "Houses of Wisdom in ethnic minority villages",
        "Green skills for climate action",
        "Libraries as community learning centres",
        "Digital literacy for older learners",
        "Mother-tongue literacy and scripts",
        "Measuring lifelong learning",
        "Youth entrepreneurship",
        "Cities learning from each other",
    ]
    n = 2
    for day, hours in ((day1, (11, 14)), (day2, (9,))):
        for hour in hours:
            for i, room in enumerate(rooms):
                topic = topics[(n + i) % len(topics)]
                s.session_save(
                    actor=admin,
                    event=event,
                    title=f"Parallel session: {topic}",
                    kind=SessionKind.PARALLEL,
                    room=room,
                    track=tracks[i % 3],
                    starts_at=_t(day, hour),
                    ends_at=_t(day, hour + 1, 30),
                    speakers=[speakers[(n + i) % 12]],
                    languages=["en"],
                    interpretation=["vi"] if i == 0 else [],
                    expected=50,
                )
            n += 4
    s.session_save(
        actor=admin,
        event=event,
        title="Ceremony: welcoming the new member cities of the GNLC",
        kind=SessionKind.CEREMONY,
        room=hall,
        starts_at=_t(day1, 16),
        ends_at=_t(day1, 17),
        languages=spoken,
        interpretation=interp,
    )
    s.session_save(
        actor=admin,
        event=event,
        title="Workshop: writing a learning city action plan",
        kind=SessionKind.WORKSHOP,
        room=rooms[0],
        starts_at=_t(day2, 11),
        ends_at=_t(day2, 12, 30),
        capacity=40,
        languages=["en"],
    )
    s.session_save(
        actor=admin,
        event=event,
        title="Closing plenary: the Bangkok statement",
        kind=SessionKind.PLENARY,
        room=hall,
        starts_at=_t(day2, 14),
        ends_at=_t(day2, 15, 30),
        speakers=speakers[10:12],
        languages=spoken,
        interpretation=interp,
    )
    s.schedule_release(
        actor=admin, event=event, note="First programme", now=dt.datetime(2024, 10, 1, tzinfo=dt.UTC)
    )
    # Delegations and their members (about 250 in the full demo; three per delegation in the small one).
    for d_index, (name, country, members) in enumerate(DELEGATIONS):
        delegation = reg_services.delegation_create(actor=admin, event=event, name=name, country=country)
        for m in range(3 if ctx.small else members):
            k = d_index * 31 + m
            reg_services.registration_create(
                actor=admin,
                event=event,
                delegation=delegation,
                full_name=f"{GIVEN[k % 12]} {FAMILY[(k // 12) % 11]} {k} (demo)",
                country=country,
                role="Delegate" if m else "Head of delegation",
                sex="f" if k % 2 else "m",
                public_listing=m == 0,
                visa_letter=country not in ("TH",),
                interpretation_language={"VN": "vi", "TH": "th"}.get(country, ""),
                now=dt.datetime(2024, 9, 1, tzinfo=dt.UTC),
            )
    _asean_call(ctx, event, admin)
    _asean_after(ctx, event, admin)
    # The first members were checked in at the door (certificates are given to them).
    for registration in Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)[:20]:
        reg_services.checkin_scan(
            actor=admin,
            event=event,
            code=reg_services.badge_payload(registration),
            now=_t(day1, 8, 30),
        )


def _asean_call(ctx, event, admin) -> None:
    """The call for good practices (closed before the conference): two contributions, one accepted."""
    from learningcity.core.models import User

    call_services.call_open(
        actor=admin,
        event=event,
        opens_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2024, 7, 1, tzinfo=dt.UTC),
        judging_ends_at=dt.datetime(2024, 8, 1, tzinfo=dt.UTC),
        kinds=["practice", "paper", "poster"],
        criteria=[("Tính mới", "Originality", 1), ("Khả năng nhân rộng", "Transferability", 2)],
        questions=["How many learners take part?"],
    )
    author = ctx.users.get("space.meban") or User.objects.filter(pk=admin.pk).get()
    made = [
        call_services.contribution_submit(
            actor=author,
            event=event,
            kind="practice",
            title=title,
            abstract=abstract,
            answers={"How many learners take part?": learners},
            from_city=event.city,
            now=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
        )
        for title, abstract, learners in (
            (
                "Houses of Wisdom in Son La's villages",
                "Village learning houses run by the community: reading, culture and Thai script classes.",
                "30 in Mé Ban (demo figure)",
            ),
            ("Thai script clubs", "Clubs where elders teach the old Thai script to the young.", "300 (demo)"),
        )
    ]
    call_services.contribution_decide(
        actor=admin, contribution=made[0], accept=True, now=dt.datetime(2024, 8, 15, tzinfo=dt.UTC)
    )


def _asean_after(ctx, event, admin) -> None:
    """Its steward (the city's viewer, who checked delegates in beside the organisers) and what it left: the
    outcome document (public, a PDF), the recording of the opening (a link) and a workshop's slides (for
    delegates only). The links point to example.org: demo data."""
    from django.core.files.base import ContentFile

    from .pdf import document_pdf
    from .services import materials as material_services
    from .services import stewards as steward_services

    if "viewer" in ctx.users:
        steward_services.steward_name(actor=admin, event=event, username=ctx.users["viewer"].username)
    sessions = {x.title.split(":")[0]: x for x in event.sessions.filter(kind__in=["plenary", "workshop"])}
    statement = document_pdf(
        "The Bangkok statement (demo)",
        [
            "ASEAN+3 Learning Cities Conference, Bangkok, 29-30 October 2024.",
            "Demo document: the cities agree to build a regional network of learning cities.",
        ],
    )
    slides = document_pdf(
        "Writing a learning city action plan (demo)", ["1. Listen", "2. Plan", "3. Measure"]
    )
    for kind, title, session, upload, link, public in (
        (
            MaterialKind.OUTCOME,
            "The Bangkok statement (demo)",
            "Closing plenary",
            ContentFile(statement, name="bangkok-statement.pdf"),
            "",
            True,
        ),
        (
            MaterialKind.RECORDING,
            "Recording of the opening plenary (demo)",
            "Opening plenary",
            None,
            "https://video.example.org/asean3-lc-2024/opening",
            True,
        ),
        (
            MaterialKind.SLIDES,
            "Slides: writing a learning city action plan (demo)",
            "Workshop",
            ContentFile(slides, name="slides.pdf"),
            "",
            False,
        ),
    ):
        material_services.material_add(
            actor=admin,
            event=event,
            kind=kind,
            title=title,
            session=sessions.get(session),
            upload=upload,
            link=link,
            is_public=public,
        )


def _network_slug() -> str:
    from learningcity.network import selectors as network_selectors

    try:
        return network_selectors.network_get(slug="asean3-demo").slug
    except Exception:
        return ""


def _forum(ctx, city, admin) -> None:
    today = dt.date(2025, 11, 20)
    event = s.event_create(
        actor=admin,
        city=city,
        slug=FORUM_SLUG,
        title_vi="Diễn đàn Thành phố học tập Sơn La 2025",
        title_en="Son La Learning City Forum 2025",
        description_vi="Một ngày trao đổi và tham quan các không gian học tập của thành phố. (Dữ liệu minh hoạ.)",
        description_en="A day of exchange and visits to the city's learning spaces. (Demo data.)",
        starts_on=today,
        ends_on=today,
        capacity=120,
        check_permission=False,
    )
    zone = zoneinfo.ZoneInfo(event.time_zone)

    def at(hh, mm=0):
        return dt.datetime.combine(today, dt.time(hh, mm), tzinfo=zone)

    hall_venue = s.venue_create(actor=admin, event=event, name="Hội trường UBND tỉnh Sơn La (demo)")
    hall = s.room_create(actor=admin, venue=hall_venue, name="Hội trường", capacity=150)
    spaces = places_selectors.space_list(city=city)
    meban = next((sp for sp in spaces if "Mé Ban" in sp.name), None)
    venue = s.venue_create(actor=admin, event=event, name="Nhà trí tuệ bản Mé Ban", space=meban)
    meban_room = s.room_create(actor=admin, venue=venue, name="Nhà trí tuệ Mé Ban", capacity=40)
    club_venue = s.venue_create(actor=admin, event=event, name="Câu lạc bộ chữ Thái (demo)")
    club = s.room_create(actor=admin, venue=club_venue, name="Câu lạc bộ chữ Thái", capacity=25)
    host = s.speaker_create(actor=admin, event=event, name="Lò Thị Xuân", name_native="Lò Thị Xuân")
    s.session_save(
        actor=admin,
        event=event,
        title="Khai mạc: Sơn La - thành phố học tập",
        kind=SessionKind.PLENARY,
        room=hall,
        starts_at=at(8),
        ends_at=at(9, 30),
        languages=["vi"],
        interpretation=["en"],
    )
    for title, room, hour, hosts, places in (
        ("Tham quan Nhà trí tuệ bản Mé Ban", meban_room, 10, [host], 30),
        ("Tham quan câu lạc bộ chữ Thái", club, 14, [], 20),
    ):
        s.session_save(
            actor=admin,
            event=event,
            title=title,
            kind=SessionKind.SITE_VISIT,
            room=room,
            starts_at=at(hour),
            ends_at=at(hour + 1, 30),
            speakers=hosts,
            capacity=places,
            languages=["vi"],
        )
    s.schedule_release(actor=admin, event=event, now=dt.datetime(2025, 11, 1, tzinfo=dt.UTC))
    call_services.call_open(
        actor=admin,
        event=event,
        opens_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2030, 10, 1, tzinfo=dt.UTC),
        judging_ends_at=dt.datetime(2030, 10, 15, tzinfo=dt.UTC),
        kinds=["practice", "paper"],
        criteria=[("Tính mới", "Originality", 1), ("Khả năng nhân rộng", "Transferability", 2)],
        questions=["Bao nhiêu người học tham gia?"],
    )
