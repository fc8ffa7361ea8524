"""Population counts (the denominators): import from a spreadsheet, and edit one cell.

The model lives in the core (core.models.PopulationCount); its writes live here. A blank sex, age band or
ethnicity means "all": a row with all three blank is the area's total for the year.
"""

from __future__ import annotations

from collections import defaultdict
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.demography import AGE_BAND_CODES, Sex, ethnicity_code
from learningcity.core.errors import DomainError, ImportRejected, PermissionDeniedError, RowError
from learningcity.core.models import Area, AuditEntry, City, PopulationCount
from learningcity.core.permissions import can_manage_area, is_city_admin
from learningcity.core.tabular import as_dicts, read_table, require_columns

REQUIRED_COLUMNS = ["area_code", "year", "count"]
OPTIONAL_COLUMNS = ["sex", "age_band", "ethnicity", "source"]
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MIN_YEAR, MAX_YEAR = 1900, 2100

_SEX_ALIASES = {
    "": "",
    "f": "F",
    "female": "F",
    "nu": "F",
    "nữ": "F",
    "m": "M",
    "male": "M",
    "nam": "M",
    "x": "X",
    "other": "X",
    "khac": "X",
    "khác": "X",
    "all": "",
    "tong": "",
    "tổng": "",
}


def _sex(value: str) -> str | None:
    return _SEX_ALIASES.get(value.strip().lower())


def _age_band(value: str) -> str | None:
    v = value.strip().replace(" ", "").replace("–", "-")
    if v.lower() in ("", "all", "tong", "tổng"):
        return ""
    return v if v in AGE_BAND_CODES else None


def _ethnicity(value: str) -> str | None:
    if value.strip().lower() in ("", "all", "tong", "tổng"):
        return ""
    return ethnicity_code(value)


def _check_permission(actor, city: City, area: Area | None = None) -> None:
    if actor is None:
        return
    if is_city_admin(actor, city) or (area is not None and can_manage_area(actor, area)):
        return
    raise PermissionDeniedError(
        _("Only city administrators and area coordinators may change population figures.")
    )


def _current_areas(city: City) -> dict[str, Area]:
    """Areas by code; when a code was reused by the reform, the current unit wins."""
    found: dict[str, Area] = {}
    for area in Area.objects.for_city(city).order_by("valid_to"):
        if area.code not in found or area.valid_to is None:
            found[area.code] = area
    return found


def population_import(*, actor, city: City, stream: IO[bytes], apply: bool, default_source: str = "") -> dict:  # noqa: C901 - row checks of an all-or-nothing import, each naming its column
    """Check a population file and, with apply=True, write it: all rows or none.

    Columns: area_code, year, count; optional sex (F/M/X or blank), age_band (0-5, 6-14, 15-24, 25-64, 65+ or
    blank), ethnicity (code or name, blank for all), source. Existing cells are replaced.
    """
    _check_permission(actor, city)
    table = read_table(stream, max_bytes=MAX_IMPORT_BYTES)
    require_columns(table, REQUIRED_COLUMNS)
    areas = _current_areas(city)
    errors: list[RowError] = []
    cells: dict[tuple, tuple[int, int, str]] = {}
    for row_no, row in as_dicts(table):
        code = row.get("area_code", "").strip()
        area = areas.get(code)
        if area is None:
            errors.append(
                RowError(row_no, "area_code", _("No area has the code “%(code)s”.") % {"code": code})
            )
        year_text = row.get("year", "").strip()
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not MIN_YEAR <= year <= MAX_YEAR:
            errors.append(RowError(row_no, "year", _("The year must be a number such as 2025.")))
        count_text = row.get("count", "").strip().replace(".", "").replace(",", "").replace(" ", "")
        count = int(count_text) if count_text.isdigit() else None
        if count is None:
            errors.append(RowError(row_no, "count", _("The count must be a whole number, 0 or more.")))
        sex = _sex(row.get("sex", ""))
        if sex is None:
            errors.append(RowError(row_no, "sex", _("Sex must be F, M, X or blank (all).")))
        band = _age_band(row.get("age_band", ""))
        if band is None:
            errors.append(
                RowError(
                    row_no,
                    "age_band",
                    _("The age band must be one of %(bands)s, or blank (all).")
                    % {"bands": ", ".join(AGE_BAND_CODES)},
                )
            )
        eth = _ethnicity(row.get("ethnicity", ""))
        if eth is None:
            errors.append(
                RowError(
                    row_no,
                    "ethnicity",
                    _("Unknown ethnic group “%(value)s”.") % {"value": row.get("ethnicity", "")},
                )
            )
        source = (row.get("source", "") or default_source).strip()[:200]
        if area is None or year is None or count is None or sex is None or band is None or eth is None:
            continue
        key = (area.pk, year, sex, band, eth)
        if key in cells:
            errors.append(
                RowError(
                    row_no,
                    "area_code",
                    _("This cell already appears in row %(row)s.") % {"row": cells[key][0]},
                )
            )
            continue
        cells[key] = (row_no, count, source)
    errors += _consistency_errors(cells)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
    if not cells:
        raise DomainError(_("The file has no data rows."))
    existing = set(
        PopulationCount.objects.for_city(city)
        .filter(year__in={k[1] for k in cells})
        .values_list("area_id", "year", "sex", "age_band", "ethnicity")
    )
    years = sorted({k[1] for k in cells})
    result: dict = {
        "create": sum(1 for k in cells if k not in existing),
        "replace": sum(1 for k in cells if k in existing),
        "rows": len(cells),
        "years": sorted({k[1] for k in cells}),
    }
    if apply:
        with transaction.atomic():
            by_year = defaultdict(list)
            for (area_id, year, sex, band, eth), (_row, count, source) in cells.items():
                by_year[year].append(
                    PopulationCount(
                        city=city,
                        area_id=area_id,
                        year=year,
                        sex=sex,
                        age_band=band,
                        ethnicity=eth,
                        count=count,
                        source=source,
                    )
                )
            for year, objs in by_year.items():
                PopulationCount.objects.for_city(city).filter(
                    year=year, area_id__in={o.area_id for o in objs}
                ).delete()
                PopulationCount.objects.bulk_create(objs, batch_size=2000)
            audit.record(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                obj=city,
                note=_("Population imported: %(n)s cells for %(years)s")
                % {"n": len(cells), "years": ", ".join(str(y) for y in years)},
            )
    return result


def _consistency_errors(cells: dict[tuple, tuple[int, int, str]]) -> list[RowError]:
    """A total row must equal the sum of the detailed cells of the same area and year, when both are given."""
    errors = []
    totals: dict[tuple, tuple[int, int]] = {}
    finest: dict[tuple, int] = defaultdict(int)
    has_finest: set[tuple] = set()
    for (area_id, year, sex, band, eth), (row_no, count, _s) in cells.items():
        if not sex and not band and not eth:
            totals[(area_id, year)] = (row_no, count)
        elif sex and band and eth:
            finest[(area_id, year)] += count
            has_finest.add((area_id, year))
    for key, (row_no, count) in totals.items():
        if key in has_finest and finest[key] != count:
            errors.append(
                RowError(
                    row_no,
                    "count",
                    _("The total (%(total)s) differs from the sum of the detailed rows (%(sum)s).")
                    % {"total": count, "sum": finest[key]},
                )
            )
    return errors


@transaction.atomic
def population_count_set(
    *,
    actor,
    city: City,
    area: Area,
    year: int,
    count: int,
    sex: str = "",
    age_band: str = "",
    ethnicity: str = "",
    source: str = "",
) -> PopulationCount:
    """Create or change one population cell."""
    if area.city_id != city.pk:
        raise DomainError(_("This area belongs to another city."), field="area")
    _check_permission(actor, city, area)
    if count < 0:
        raise DomainError(_("The count must be a whole number, 0 or more."), field="count")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(_("The year must be a number such as 2025."), field="year")
    if sex not in {"", Sex.FEMALE, Sex.MALE, Sex.OTHER}:
        raise DomainError(_("Sex must be F, M, X or blank (all)."), field="sex")
    if age_band not in ["", *AGE_BAND_CODES]:
        raise DomainError(_("Unknown age band."), field="age_band")
    if ethnicity and ethnicity_code(ethnicity) != ethnicity:
        raise DomainError(_("Unknown ethnic group “%(value)s”.") % {"value": ethnicity}, field="ethnicity")
    obj = (
        PopulationCount.objects.for_city(city)
        .filter(area=area, year=year, sex=sex, age_band=age_band, ethnicity=ethnicity)
        .first()
    )
    if obj is None:
        obj = PopulationCount.objects.create(
            city=city,
            area=area,
            year=year,
            sex=sex,
            age_band=age_band,
            ethnicity=ethnicity,
            count=count,
            source=source,
        )
        audit.record_create(actor=actor, obj=obj)
        return obj
    before = audit.snapshot(obj)
    obj.count = count
    obj.source = source or obj.source
    obj.save(update_fields=["count", "source", "updated_at"])
    audit.record_update(actor=actor, obj=obj, before=before)
    return obj


@transaction.atomic
def population_count_delete(*, actor, city: City, pk: int) -> None:
    obj = PopulationCount.objects.for_city(city).select_related("area").get(pk=pk)
    _check_permission(actor, city, obj.area)
    audit.record_delete(actor=actor, obj=obj)
    obj.delete()
