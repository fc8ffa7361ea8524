"""The core's part of the demo city: Son La, its real areas, a few hamlets and one account per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .models import Area, AreaLevel, City, Role, User
from .services.accounts import role_assign
from .services.areas import area_create, official_units_load
from .services.cities import city_create

ORDER = 0
SON_LA_PROVINCE = "14"
FORMER_CITY_DISTRICT = "116"


@dataclass
class DemoContext:
    city: City
    password: str
    users: dict[str, User] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # what one app's demo leaves for the next
    log: Any = print
    # Tests (tests/test_tenancy.py) ask for a small demo: every kind of row, but few of each (volume is for
    # benchmarks and the real demo). Apps that generate volume should honour it.
    small: bool = False


DEMO_ACCOUNTS = [
    # username, full name, role, area code (for area coordinators)
    ("network", "Quản trị mạng lưới", None, None),
    ("admin", "Lò Văn Thành (Ban chỉ đạo)", Role.CITY_ADMIN, None),
    ("coord.chiengcoi", "Cầm Thị Hoa", Role.AREA_COORDINATOR, "03670"),
    ("coord.tohieu", "Quàng Văn Minh", Role.AREA_COORDINATOR, "03646"),
    ("space.meban", "Lò Thị Xuân", Role.SPACE_COORDINATOR, None),
    ("judge", "Nguyễn Thị Lan", Role.JUDGE, None),
    ("viewer", "Hà Văn Tú", Role.VIEWER, None),
]

# A few hamlets and residential groups under the four wards of the former city (codes are the city's own).
DEMO_HAMLETS = [
    ("03670-MB", "Bản Mé Ban", AreaLevel.HAMLET, "03670", 21.3001, 103.8925),
    ("03670-HL", "Bản Hua La", AreaLevel.HAMLET, "03670", 21.2880, 103.9010),
    ("03670-CC", "Bản Cọ", AreaLevel.HAMLET, "03670", 21.3120, 103.8600),
    ("03646-T1", "Tổ dân phố 1", AreaLevel.RESIDENTIAL_GROUP, "03646", 21.3280, 103.9150),
    ("03646-T2", "Tổ dân phố 2", AreaLevel.RESIDENTIAL_GROUP, "03646", 21.3310, 103.9230),
    ("03646-BL", "Bản Lả", AreaLevel.HAMLET, "03646", 21.3400, 103.9050),
    ("03664-BD", "Bản Dửn", AreaLevel.HAMLET, "03664", 21.3860, 103.8950),
    ("03664-HX", "Bản Hẹo", AreaLevel.HAMLET, "03664", 21.3780, 103.9250),
    ("03679-BN", "Bản Ngần", AreaLevel.HAMLET, "03679", 21.3270, 103.9700),
    ("03679-BS", "Bản Sẳng", AreaLevel.HAMLET, "03679", 21.2870, 103.9650),
]


def create_city() -> City:
    return city_create(
        actor=None,
        slug="son-la",
        name_vi="Sơn La",
        name_en="Son La",
        description_vi=(
            "Thành phố học tập toàn cầu của UNESCO từ năm 2024: xây dựng thành phố học tập "
            "“không ai bị bỏ lại phía sau”, với các Ngôi nhà trí tuệ và Thư viện nhân ái ở các bản, "
            "các câu lạc bộ văn hoá Thái và 34% ngân sách dành cho giáo dục."
        ),
        description_en=(
            "A member of the UNESCO Global Network of Learning Cities since 2024, building a learning city "
            "where no one is left behind: Houses of Wisdom and Compassionate Libraries in its hamlets, Thai "
            "cultural clubs, and 34% of its budget for education."
        ),
        gnlc_member_since=dt.date(2024, 2, 14),
        center_lat=21.3273,
        center_lon=103.921,
        time_zone="Asia/Ho_Chi_Minh",
        # Son La province, with a margin: places outside it are refused.
        bounds=[20.55, 103.15, 22.05, 105.15],
    )


def load(ctx: DemoContext) -> None:
    city = ctx.city
    result = official_units_load(
        actor=None, city=city, province_code=SON_LA_PROVINCE, legacy_district_codes=[FORMER_CITY_DISTRICT]
    )
    ctx.log(f"  areas: {result['created']} units from {result['source']} {result['version']}")
    wards = {a.code: a for a in Area.objects.filter(city=city, valid_to__isnull=True)}
    for code, name, level, parent_code, lat, lon in DEMO_HAMLETS:
        if not Area.objects.filter(city=city, code=code).exists():
            area_create(
                actor=None,
                city=city,
                code=code,
                level=level,
                name_vi=name,
                parent=wards[parent_code],
                lat=lat,
                lon=lon,
                source="demo",
                check_permission=False,
            )
    for username, full_name, role, area_code in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=ctx.password,
                full_name=full_name,
                email=f"{username}@demo.learningcity.invalid",
                is_network_admin=role is None,
                is_staff=role is None,  # Django's admin holds nothing for a city admin: the pages do
                is_superuser=role is None,
            )
        if role is not None:
            role_assign(
                actor=None,
                user=user,
                city=city,
                role=role,
                area=wards[area_code] if area_code else None,
                check_permission=False,
            )
        ctx.users[username] = user
