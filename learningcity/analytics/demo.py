"""The analytics part of the demo: the catalogue, population of the former Son La city, reported values.

Population: about 106,000 people in the 4 wards of the former city (2024-2026), split by sex, the SDG age bands
and ethnic group following the province's 2019 census shares (Thái 53.61%, Kinh 16.26%, Hmông 16.06%, Mường
6.78%, Xinh Mun 2.17%, Dao 1.76%; "others" take the remaining 3.36% so the shares add up to 100: the
press figure of about 5.1% would make them add up to 101.7%), with more Kinh in the central ward of Tô Hiệu (Kinh are the
majority of urban residents). Each ward and each demo hamlet has one row per (sex, age band, ethnic group) cell
and a total row equal to the sum of its cells; a ward's figures include its hamlets. Rounded by the largest
remainder, so every total adds up exactly.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile

from learningcity.core.models import Area, PopulationCount

from .models import Indicator, ManualValue, ManualValueStatus
from .services.catalogue import catalogue_load

ORDER = 30
SOURCE = "Demo: 2019 census shares of Son La province applied to the former city (about 106,000 people)"

WARD_TOTALS_2025 = {"03646": 36_200, "03664": 21_400, "03670": 24_300, "03679": 24_100}  # 106,000
GROWTH = {2024: 0.985, 2025: 1.0, 2026: 1.012}
PROVINCE_SHARES = {"03": 53.61, "01": 16.26, "08": 16.06, "06": 6.78, "34": 2.17, "09": 1.76, "98": 3.36}
URBAN_SHARES = {"03": 40.0, "01": 42.0, "08": 6.0, "06": 6.0, "34": 1.0, "09": 1.0, "98": 4.0}
AGE_SHARES = {"0-5": 10.0, "6-14": 15.5, "15-24": 15.5, "25-64": 52.0, "65+": 7.0}
SEX_SHARES = {"F": 50.4, "M": 49.6}
HAMLET_SHARE = 0.09  # each demo hamlet holds about 9% of its ward


def split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Largest-remainder rounding: integer parts that add up exactly to `total`."""
    weight = sum(shares.values())
    raw = {k: total * v / weight for k, v in shares.items()}
    out = {k: int(v) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[:rest]:
        out[k] += 1
    return out


def cells(total: int, ethnic_shares: dict[str, float]) -> dict[tuple[str, str, str], int]:
    out = {}
    for eth, n_eth in split(total, ethnic_shares).items():
        for sex, n_sex in split(n_eth, SEX_SHARES).items():
            for band, n in split(n_sex, AGE_SHARES).items():
                out[(sex, band, eth)] = n
    return out


def population_rows(
    city, area: Area, year: int, total: int, shares: dict[str, float]
) -> list[PopulationCount]:
    rows = [
        PopulationCount(
            city=city, area=area, year=year, sex=sex, age_band=band, ethnicity=eth, count=n, source=SOURCE
        )
        for (sex, band, eth), n in cells(total, shares).items()
    ]
    rows.append(PopulationCount(city=city, area=area, year=year, count=total, source=SOURCE))
    return rows


def load(ctx) -> None:
    city = ctx.city
    result = catalogue_load()
    ctx.log(
        f"  catalogue {result['version']}: {result['frameworks']} frameworks, {result['indicators']} indicators"
    )
    wards = {
        a.code: a for a in Area.objects.filter(city=city, code__in=WARD_TOTALS_2025, valid_to__isnull=True)
    }
    hamlets = list(Area.objects.filter(city=city, parent__in=wards.values(), valid_to__isnull=True))
    rows: list[PopulationCount] = []
    for year, growth in GROWTH.items():
        for code, ward in wards.items():
            shares = URBAN_SHARES if code == "03646" else PROVINCE_SHARES
            ward_total = round(WARD_TOTALS_2025[code] * growth)
            rows += population_rows(city, ward, year, ward_total, shares)
            for hamlet in [h for h in hamlets if h.parent_id == ward.pk]:
                rows += population_rows(city, hamlet, year, round(ward_total * HAMLET_SHARE), shares)
    PopulationCount.objects.filter(city=city, year__in=GROWTH).delete()
    PopulationCount.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  population: {len(rows)} figures for {len(wards)} wards and {len(hamlets)} hamlets, 2024-2026")

    admin = ctx.users.get("admin")
    budget = Indicator.objects.get(code="LC.BUDGET.EDU")
    mv = ManualValue(
        city=city,
        indicator=budget,
        year=2024,
        value=Decimal("34"),
        source="Báo cáo tại Hội nghị ASEAN+3, Bangkok 10/2024",
        note="34% tổng ngân sách thành phố dành cho giáo dục, kể cả xây dựng xã hội học tập.",
        status=ManualValueStatus.APPROVED,
        entered_by=admin,
        approved_by=admin,
    )
    mv.evidence.save("bao-cao-ngan-sach-2024.pdf", ContentFile(_demo_pdf()), save=False)
    from django.utils import timezone

    mv.approved_at = timezone.now()
    mv.save()
    citizens = Indicator.objects.get(code="VN1373.LEARNING_CITIZENS")
    ManualValue.objects.create(
        city=city,
        indicator=citizens,
        year=2025,
        value=Decimal("38.5"),
        source="Hội Khuyến học thành phố (demo)",
        status=ManualValueStatus.ENTERED,
        entered_by=ctx.users.get("coord.chiengcoi"),
    )


def _demo_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
