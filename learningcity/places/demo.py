"""The atlas's part of the demo city: 123 learning spaces (Son La's 112 Houses of Wisdom and Compassionate
Libraries, all open, and 11 others) across the four wards of the former Son La city and a few communes, near the real centre points.

Bulk-created (fast); the demo rows are not audit entries (no person made them)."""

from __future__ import annotations

import datetime as dt
import random

from learningcity.core.models import Area
from learningcity.core.text import fold

from . import hours as hours_mod
from .models import (
    LearningSpace,
    OpeningPeriod,
    SpaceStatus,
    SpaceStatusChange,
    SpaceType,
    codes_to_text,
)

ORDER = 10

TYPES = [
    # code, Vietnamese, English, colour
    ("house-of-wisdom", "Ngôi nhà trí tuệ", "House of Wisdom", "#0b5d7a"),
    ("compassionate-library", "Thư viện nhân ái", "Compassionate Library", "#7a3b0b"),
    ("community-learning-centre", "Trung tâm học tập cộng đồng", "Community learning centre", "#1d6b2f"),
    ("cultural-house", "Nhà văn hoá", "Cultural house", "#5b2a86"),
    ("school", "Trường học", "School", "#8a6d00"),
    ("museum", "Bảo tàng", "Museum", "#6b1d4f"),
    ("sports-ground", "Sân thể thao", "Sports ground", "#2a6f86"),
    ("online", "Trực tuyến", "Online", "#4a5560"),
]

# Hamlets / residential groups (named in the space's name) per ward, and how many spaces of each kind.
WARD_PLACES = {
    "03646": [f"tổ dân phố {n}" for n in range(3, 15)]
    + ["bản Lả", "bản Hẹo Phường", "bản Cá", "bản Phiêng Ngùn"],
    "03664": [
        "bản Dửn",
        "bản Hẹo",
        "bản Tông",
        "bản Bó Cón",
        "bản Nà Coóc",
        "bản Hôm",
        "bản Cọ Chạy",
        "bản Buổn",
        "bản Noong Đúc",
        "bản Ngần Xôm",
        "bản Phiêng Tam",
        "bản Pát",
        "bản Nong La",
        "tổ dân phố An Thịnh",
        "tổ dân phố An Sơn",
        "bản Chiềng Xôm",
    ],
    "03670": [
        "bản Mé Ban",
        "bản Hua La",
        "bản Cọ",
        "bản Hài",
        "bản Pó Sinh",
        "bản Lọng Mường",
        "bản Nà Hạ",
        "bản Lẹo",
        "bản Củ",
        "bản Bó Ẩn",
        "bản Giảng Lắc",
        "bản Nong Lạnh",
        "tổ dân phố 3",
        "tổ dân phố 5",
        "bản Khoang",
        "bản Phiêng Tam",
    ],
    "03679": [
        "bản Ngần",
        "bản Sẳng",
        "bản Cang",
        "bản Hìn",
        "bản Híp",
        "bản Lụa",
        "bản Nà Ngần",
        "bản Pát Công",
        "bản Bó Phúc",
        "tổ dân phố 2",
        "tổ dân phố 4",
        "tổ dân phố 7",
        "bản Panh",
        "bản Kéo Ca",
        "bản Tam Ban",
        "bản Quyết Tiến",
    ],
}
WARD_NAMES = {"03646": "Tô Hiệu", "03664": "Chiềng An", "03670": "Chiềng Cơi", "03679": "Chiềng Sinh"}
# A demo hamlet area for a place name, where the core created one (the space then lies in that hamlet).
HAMLET_AREAS = {
    ("03670", "bản Mé Ban"): "03670-MB",
    ("03670", "bản Hua La"): "03670-HL",
    ("03670", "bản Cọ"): "03670-CC",
    ("03646", "bản Lả"): "03646-BL",
    ("03664", "bản Dửn"): "03664-BD",
    ("03664", "bản Hẹo"): "03664-HX",
    ("03679", "bản Ngần"): "03679-BN",
    ("03679", "bản Sẳng"): "03679-BS",
}
CODE_PREFIX = {
    "house-of-wisdom": "NTT",
    "compassionate-library": "TVNA",
    "community-learning-centre": "TTHTCD",
    "cultural-house": "NVH",
    "school": "TH",
    "museum": "BT",
    "sports-ground": "STT",
    "online": "OL",
}
COMMUNES = {
    "03799": "Muổi Nọi",
    "03754": "Chiềng La",
    "04117": "Mường Chanh",
    "04123": "Chiềng Mung",
    "03721": "Thuận Châu",
}

HOURS_COMMON = "Mo-Su 08:00-20:00"
HOURS_OTHER = [
    "Mo-Fr 07:30-11:00,14:00-17:00; Sa 08:00-11:00",
    "Tu-Su 08:00-20:00",
    "Mo-Sa 14:00-21:00; Su 08:00-20:00",
]
FACILITY_SETS = [
    ["books", "meeting_room", "stage"],
    ["books", "internet", "computers", "children"],
    ["books", "internet", "meeting_room", "sports"],
    ["books", "children", "garden"],
    ["books", "internet", "projector", "stage", "sports"],
]
ACCESS_SETS = [
    ["step_free"],
    ["step_free", "accessible_toilet"],
    [],
    ["seating", "large_print"],
    ["step_free", "seating"],
]


def _types(city) -> dict[str, SpaceType]:
    out = {}
    for order, (code, vi, en, colour) in enumerate(TYPES):
        obj, _created = SpaceType.objects.get_or_create(
            city=city,
            code=code,
            defaults={"name_vi": vi, "name_en": en, "colour": colour, "sort_order": order},
        )
        out[code] = obj
    return out


def _plan() -> list[dict]:
    """123 spaces: the 112 Houses of Wisdom and Compassionate Libraries (per ward 16 places, a House of Wisdom each
    and a Compassionate Library in every other one and a few more; a House of Wisdom and a Compassionate Library at
    each of five commune centres), all open, plus 11 others: community centres, cultural houses, a museum,
    schools, sports grounds and an online space."""
    plan: list[dict] = []
    for ward, places in WARD_PLACES.items():
        for i, place in enumerate(places):
            plan.append({"type": "house-of-wisdom", "ward": ward, "place": place})
            if i % 2 == 0:
                plan.append({"type": "compassionate-library", "ward": ward, "place": place})
    # 4 x (16 + 8) = 96 so far.
    for code, name in COMMUNES.items():
        plan.append({"type": "house-of-wisdom", "commune": code, "place": f"trung tâm xã {name}"})
    # 101. Son La reports 112 Houses of Wisdom and Compassionate Libraries: a Compassionate Library also at each
    # commune centre and at a few more ward places (appended, so the codes above stay the same).
    for code, name in COMMUNES.items():
        plan.append({"type": "compassionate-library", "commune": code, "place": f"trung tâm xã {name}"})
    wards = list(WARD_PLACES)
    extra = [(ward, WARD_PLACES[ward][1]) for ward in wards] + [
        (ward, WARD_PLACES[ward][3]) for ward in wards[:2]
    ]
    for ward, place in extra:
        plan.append({"type": "compassionate-library", "ward": ward, "place": place})
    # 112 of them, all open (on the map). Then the other kinds, one planned and one closed.
    plan += [
        {
            "type": "community-learning-centre",
            "ward": "03646",
            "name": "Trung tâm học tập cộng đồng phường Tô Hiệu",
        },
        {
            "type": "community-learning-centre",
            "ward": "03670",
            "name": "Trung tâm học tập cộng đồng phường Chiềng Cơi",
        },
        {
            "type": "community-learning-centre",
            "commune": "03754",
            "name": "Trung tâm học tập cộng đồng xã Chiềng La",
        },
        {"type": "cultural-house", "ward": "03664", "name": "Nhà văn hoá bản Hẹo"},
        {
            "type": "cultural-house",
            "ward": "03679",
            "name": "Nhà văn hoá bản Sẳng",
            "status": SpaceStatus.CLOSED,
        },
        {"type": "museum", "ward": "03646", "name": "Bảo tàng tỉnh Sơn La"},
        {"type": "school", "ward": "03646", "name": "Thư viện Trường THPT Chuyên Sơn La"},
        {"type": "school", "ward": "03679", "name": "Thư viện Trường Tiểu học Chiềng Sinh"},
        {
            "type": "sports-ground",
            "ward": "03664",
            "name": "Sân thể thao bản Dửn",
            "status": SpaceStatus.PLANNED,
        },
        {"type": "sports-ground", "ward": "03670", "name": "Sân bóng chuyền bản Hua La"},
        {"type": "online", "ward": "03646", "name": "Thư viện số Sơn La (trực tuyến)"},
    ]
    return plan  # 123


def load(ctx) -> None:  # noqa: C901 - one linear script that builds the demo atlas
    city = ctx.city
    if LearningSpace.objects.filter(city=city).exists():
        ctx.data["spaces"] = list(LearningSpace.objects.filter(city=city).order_by("id"))
        return
    rng = random.Random(14)  # demo data
    types = _types(city)
    codes = set(WARD_NAMES) | set(COMMUNES) | set(HAMLET_AREAS.values())
    areas = {a.code: a for a in Area.objects.filter(city=city, code__in=codes, valid_to__isnull=True)}
    plan = _plan()
    spaces: list[LearningSpace] = []
    counters: dict[str, int] = {}
    for item in plan:
        kind = item["type"]
        ward_code: str = item.get("ward") or item["commune"]
        area = areas.get(HAMLET_AREAS.get((ward_code, item.get("place", "")), ""))
        area = area or areas[ward_code]
        parent_name = (
            f"phường {WARD_NAMES[ward_code]}" if ward_code in WARD_NAMES else f"xã {COMMUNES[ward_code]}"
        )
        type_obj = types[kind]
        if "name" in item:
            name_vi = item["name"]
            name_en = ""
        else:
            place = item["place"]
            suffix = "" if place.startswith("trung tâm") else f", {parent_name}"
            name_vi = f"{type_obj.name_vi} {place}{suffix}"
            name_en = f"{type_obj.name_en}, {place}"
        counters[kind] = counters.get(kind, 0) + 1
        code = f"SL-{CODE_PREFIX[kind]}-{counters[kind]:03d}"
        spread = 0.004 if area.level in ("hamlet", "residential_group") else 0.014
        lat = lon = None
        if kind != "online" and area.lat is not None and area.lon is not None:
            lat = round(area.lat + rng.uniform(-spread, spread), 6)
            lon = round(area.lon + rng.uniform(-spread, spread), 6)
        if kind == "online":
            hours = ""
        elif kind in ("house-of-wisdom", "compassionate-library"):
            hours = HOURS_COMMON if rng.random() < 0.8 else rng.choice(HOURS_OTHER)
        else:
            hours = rng.choice(HOURS_OTHER)
        status = item.get("status", SpaceStatus.ACTIVE)
        languages = ["vi"]
        if kind in ("house-of-wisdom", "compassionate-library") and rng.random() < 0.5:
            languages += ["blt"]
        facilities = rng.choice(FACILITY_SETS) if kind != "online" else ["internet", "computers"]
        if kind == "sports-ground":
            facilities = ["sports"]
        founded = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randint(0, 540))
        area_names = [area.name_vi, area.code, parent_name]
        spaces.append(
            LearningSpace(
                city=city,
                space_type=type_obj,
                area=area,
                code=code,
                name_vi=name_vi,
                name_en=name_en,
                search_text=fold(
                    " ".join([name_vi, name_en, code, type_obj.name_vi, type_obj.name_en, *area_names])
                ),
                address=f"{item.get('place', '').capitalize() or area.name_vi}, {parent_name}, tỉnh Sơn La",
                lat=lat,
                lon=lon,
                hours=hours_mod.normalize_hours(hours),
                facilities=codes_to_text(facilities),
                accessibility=codes_to_text(rng.choice(ACCESS_SETS)),
                languages=codes_to_text(languages),
                capacity=rng.choice([20, 30, 40, 50, 60, 80]),
                founded_on=founded,
                status=status,
                contact_phone=f"0212 38{rng.randint(10000, 99999)}",
                description_vi=(
                    "Không gian đọc sách, sinh hoạt văn hoá, thể thao và trao đổi kinh nghiệm của bà con, "
                    "xây dựng trên nhà văn hoá bản. “Góp một cuốn sách, đọc nhiều cuốn sách”."
                ),
                description_en=(
                    "A place for reading, cultural and sports activities and exchanging experience, built on the "
                    "hamlet's cultural centre. “Contribute one book to read many”."
                ),
            )
        )
    meban = next(s for s in spaces if s.space_type.code == "house-of-wisdom" and s.area.code == "03670-MB")
    meban.languages = codes_to_text(["vi", "blt", "blt-Tavt"])
    meban.description_vi = (
        "Ngôi nhà trí tuệ của bản Mé Ban: đọc sách, sinh hoạt văn hoá và lớp học chữ Thái cổ cho hơn 30 học viên "
        "từ 9 đến 76 tuổi, hai buổi mỗi tuần từ tháng 3/2024."
    )
    meban.description_en = (
        "The House of Wisdom of Mé Ban hamlet: reading, cultural activities and a Tai Viet (Thái) script class for "
        "30+ learners aged 9 to 76, twice a week since March 2024."
    )
    meban.status = SpaceStatus.ACTIVE
    LearningSpace.objects.bulk_create(spaces, batch_size=500)
    periods = []
    history = []
    for s in spaces:
        for day, ranges in enumerate(hours_mod.parse(s.hours)):
            for opens, closes in ranges:
                periods.append(OpeningPeriod(city=city, space=s, weekday=day, opens=opens, closes=closes))
        history.append(SpaceStatusChange(city=city, space=s, status_from="", status_to=s.status, note="demo"))
    OpeningPeriod.objects.bulk_create(periods, batch_size=1000)
    SpaceStatusChange.objects.bulk_create(history, batch_size=1000)
    coordinator = ctx.users.get("space.meban")
    if coordinator is not None:
        meban.coordinators.add(coordinator)
    ctx.data["spaces"] = spaces
    ctx.data["space_meban"] = meban
    ctx.log(f"  places: {len(spaces)} learning spaces in {len({s.area_id for s in spaces})} areas")
