"""Son La's budget 2024-2026 (demo figures, not the city's accounts): about 34% to education, with lines for the
Houses of Wisdom, the Thai clubs, the competition and the Finnish "Lau Lau Learning" pilot."""

from __future__ import annotations

from decimal import Decimal

from learningcity.places.selectors import space_list
from learningcity.programmes.selectors import programme_list

from .models import BudgetLine, CodeMapping, Phase, Source

ORDER = 50
BN = Decimal(1_000_000_000)
MN = Decimal(1_000_000)
YEARS = (2024, 2025, 2026)

# code, name, COFOG, amount in billion VND (approved, 2024), education?, heritage?
CODES = [
    ("070-071", "Giáo dục mầm non", "09.1", 95, True, False),
    ("070-072", "Giáo dục tiểu học", "09.1", 120, True, False),
    ("070-073", "Giáo dục trung học cơ sở", "09.2", 100, True, False),
    ("070-085", "Giáo dục thường xuyên, xây dựng xã hội học tập", "09.5", 25, True, False),
    ("160-161", "Văn hoá, thư viện, câu lạc bộ", "08.2", 40, False, False),
    ("160-165", "Bảo tồn di sản văn hoá", "08.2", 15, False, True),
    ("340-341", "Quản lý nhà nước", "01", 250, False, False),
    ("280-281", "Các hoạt động kinh tế", "04", 200, False, False),
    ("130-131", "Y tế", "07", 60, False, False),
    ("370-371", "Bảo đảm xã hội", "10", 70, False, False),
    ("250-251", "Bảo vệ môi trường", "05", 25, False, False),
]
GROWTH = {2024: Decimal("1.00"), 2025: Decimal("1.06"), 2026: Decimal("1.12")}
# executed / approved per year (2026 is still being spent)
EXECUTION = {2024: Decimal("0.98"), 2025: Decimal("0.97"), 2026: Decimal("0.84")}
UNIT = "UBND thành phố Sơn La"


def _lines_for(year: int, codes: dict[str, CodeMapping], links: dict) -> list[BudgetLine]:
    g = GROWTH[year]
    out: list[BudgetLine] = []

    def add(code: str, amount: Decimal, **kw) -> None:
        approved = (amount * g).quantize(Decimal(1))
        kw.setdefault("source", Source.PROVINCE)
        kw.setdefault("spending_unit", UNIT)
        out.append(
            BudgetLine(
                city=codes[code].city,
                year=year,
                phase=Phase.APPROVED,
                code=codes[code],
                amount=approved,
                **kw,
            )
        )
        if year == 2026:
            out.append(
                BudgetLine(
                    city=codes[code].city,
                    year=year,
                    phase=Phase.PROPOSED,
                    code=codes[code],
                    amount=approved,
                    **kw,
                )
            )
        executed = (approved * EXECUTION[year]).quantize(Decimal(1))
        out.append(
            BudgetLine(
                city=codes[code].city,
                year=year,
                phase=Phase.EXECUTED,
                code=codes[code],
                amount=executed,
                **kw,
            )
        )

    special = Decimal(0)
    for space in links["spaces"]:
        add(
            "070-085",
            120 * MN,
            space=space,
            spending_unit="Phòng Văn hoá - Xã hội",
            description=f"Ngôi nhà trí tuệ: {space.name_vi}"[:500],
        )
        special += 120 * MN
    for prog in links["thai"]:
        add(
            "070-085",
            45 * MN,
            programme=prog,
            spending_unit="Phòng Văn hoá - Xã hội",
            description="Câu lạc bộ văn hoá Thái",
        )
        special += 45 * MN
    if links["laulau"] is not None:
        add(
            "070-085",
            600 * MN,
            programme=links["laulau"],
            source=Source.INTERNATIONAL,
            spending_unit="Trung tâm học tập cộng đồng",
            description="Thí điểm “Lau Lau Learning” (Phần Lan)",
        )
        special += 600 * MN
    add(
        "070-085",
        800 * MN,
        spending_unit="Ban chỉ đạo thành phố học tập",
        description="Cuộc thi “Sơn La - Thành phố học tập toàn cầu tôi yêu”",
    )
    special += 800 * MN
    add(
        "070-085",
        2 * BN,
        source=Source.COMMUNITY,
        spending_unit="Các phường",
        description="Đóng góp của cộng đồng cho tủ sách nhân ái",
    )
    special += 2 * BN
    for code, _name, _cofog, amount, _edu, _her in CODES:
        rest = amount * BN - (special if code == "070-085" else 0)
        add(code, rest, source=Source.STATE if code.startswith("070-07") else Source.PROVINCE)
    return out


def load(ctx) -> None:
    city = ctx.city
    if CodeMapping.objects.filter(city=city).exists():
        ctx.log("  budget: already loaded")
        return
    codes_by_year = {}
    for year in YEARS:
        codes_by_year[year] = {
            m.code: m
            for m in CodeMapping.objects.bulk_create(
                CodeMapping(
                    city=city,
                    year=year,
                    code=code,
                    name=name,
                    cofog=cofog,
                    counts_as_education=edu,
                    counts_as_heritage=her,
                )
                for code, name, cofog, _a, edu, her in CODES
            )
        }
    programmes = list(programme_list(city=city))
    spaces = [
        s
        for s in space_list(city=city).select_related("space_type")
        if s.space_type.code == "house-of-wisdom"
    ]
    links = {
        "spaces": spaces[: 3 if ctx.small else 40],
        "thai": [p for p in programmes if p.code.startswith("clb-thai-")][: 2 if ctx.small else 35],
        "laulau": next((p for p in programmes if p.code == "lau-lau-learning"), None),
    }
    lines = []
    for year in YEARS:
        lines += _lines_for(year, codes_by_year[year], links)
    BudgetLine.objects.bulk_create(lines)
    ctx.log(f"  budget: {len(lines)} lines for {', '.join(map(str, YEARS))}")
