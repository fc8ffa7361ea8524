"""Writes of the budget: the city's code mappings and the budget lines (one by one or from the finance office's
spreadsheet, all rows or none). Every write is audit-logged in its transaction."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from learningcity.core import audit
from learningcity.core.errors import DomainError, ImportRejected, PermissionDeniedError, RowError
from learningcity.core.models import AuditEntry, City
from learningcity.core.permissions import is_city_admin
from learningcity.core.tabular import as_dicts, read_table, require_columns
from learningcity.core.text import fold, normalize
from learningcity.places.selectors import space_list
from learningcity.programmes.selectors import programme_list

from .cofog import COFOG, CULTURAL_SERVICES, is_education
from .models import BudgetLine, CodeMapping, FundedKind, Phase, Source

IMPORT_COLUMNS = [
    "year", "phase", "code", "amount", "currency", "source", "unit", "description",
    "programme", "space", "partnership", "practice",
]  # fmt: skip
REQUIRED_COLUMNS = ["year", "phase", "code", "amount", "source", "unit"]
MAX_IMPORT_BYTES = 5_000_000
_AMOUNT = re.compile(r"^\d{1,3}([.,  ]\d{3})+$|^\d+$")


def _require_admin(actor, city: City) -> None:
    if not is_city_admin(actor, city):
        raise PermissionDeniedError(_("Only the city administrator may change the budget."))


def code_mapping_save(
    *,
    actor,
    city: City,
    year: int,
    code: str,
    name: str,
    cofog: str,
    counts_as_education: bool | None = None,
    counts_as_heritage: bool | None = None,
) -> CodeMapping:
    """Create or change the mapping of one budget code in one year's version. Education and heritage default
    to COFOG 09 and 08.2; the city may count a cultural-services code (libraries, clubs) as education."""
    _require_admin(actor, city)
    code = code.strip()
    if not code:
        raise DomainError(_("The budget code is empty."), field="code")
    if cofog not in COFOG:
        raise DomainError(_("Unknown COFOG function %(code)s.") % {"code": cofog}, field="cofog")
    education = is_education(cofog) if counts_as_education is None else counts_as_education
    heritage = cofog == CULTURAL_SERVICES if counts_as_heritage is None else counts_as_heritage
    with transaction.atomic():
        mapping = CodeMapping.objects.filter(city=city, year=year, code=code).first()
        values = {
            "name": name.strip(),
            "cofog": cofog,
            "counts_as_education": education,
            "counts_as_heritage": heritage,
        }
        if mapping is None:
            mapping = CodeMapping.objects.create(city=city, year=year, code=code, **values)
            audit.record_create(actor=actor, obj=mapping)
            return mapping
        before = audit.snapshot(mapping)
        for key, value in values.items():
            setattr(mapping, key, value)
        mapping.save()
        audit.record_update(actor=actor, obj=mapping, before=before)
    return mapping


def code_mappings_copy(*, actor, city: City, from_year: int, to_year: int) -> int:
    """Start a year's version of the classification from another year's: codes already there are kept."""
    _require_admin(actor, city)
    with transaction.atomic():
        have = set(CodeMapping.objects.filter(city=city, year=to_year).values_list("code", flat=True))
        copied = 0
        for m in CodeMapping.objects.filter(city=city, year=from_year).exclude(code__in=have):
            new = CodeMapping.objects.create(
                city=city,
                year=to_year,
                code=m.code,
                name=m.name,
                cofog=m.cofog,
                counts_as_education=m.counts_as_education,
                counts_as_heritage=m.counts_as_heritage,
            )
            audit.record_create(actor=actor, obj=new, note=f"copied from {from_year}")
            copied += 1
    return copied


def line_save(
    *,
    actor,
    city: City,
    year: int,
    phase: str,
    code: str,
    amount: Decimal,
    source: str,
    spending_unit: str,
    description: str = "",
    programme_id: int | None = None,
    space_id: int | None = None,
    line: BudgetLine | None = None,
) -> BudgetLine:
    """Add one budget line, or change `line`: the code must be in that year's classification."""
    _require_admin(actor, city)
    mapping = CodeMapping.objects.filter(city=city, year=year, code=code.strip()).first()
    if mapping is None:
        raise DomainError(
            _("The code “%(code)s” is not in the %(year)s classification.") % {"code": code, "year": year},
            field="code",
        )
    if amount is None or amount < 0 or amount != amount.to_integral_value():
        raise DomainError(_("Give a whole amount in VND, not negative."), field="amount")
    if phase not in Phase.values:
        raise DomainError(_("Unknown phase."), field="phase")
    if source not in Source.values:
        raise DomainError(_("Unknown funding source."), field="source")
    if not spending_unit.strip():
        raise DomainError(_("The spending unit is empty."), field="spending_unit")
    look = _Lookups(city, year)
    if programme_id is not None and programme_id not in look.programmes.values():
        raise DomainError(_("No such programme in this city."), field="programme_id")
    if space_id is not None and space_id not in look.spaces.values():
        raise DomainError(_("No such learning space in this city."), field="space_id")
    values = {
        "year": year,
        "phase": phase,
        "code": mapping,
        "amount": amount,
        "source": source,
        "spending_unit": normalize(spending_unit.strip())[:200],
        "description": normalize(description.strip())[:500],
        "programme_id": programme_id,
        "space_id": space_id,
    }
    with transaction.atomic():
        if line is None:
            line = BudgetLine.objects.create(city=city, **values)
            audit.record_create(actor=actor, obj=line)
            return line
        if line.city_id != city.pk:
            raise DomainError(_("This line belongs to another city."))
        before = audit.snapshot(line)
        for key, value in values.items():
            setattr(line, key, value)
        line.save()
        audit.record_update(actor=actor, obj=line, before=before)
    return line


def line_delete(*, actor, line: BudgetLine) -> None:
    _require_admin(actor, line.city)
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=line)
        line.delete()


# --- import -------------------------------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal:
    """A whole amount in VND as the finance office writes it: 1234567, 1.234.567 or 1,234,567."""
    raw = text.strip().replace(" ", "").replace(" ", "")
    if raw.startswith("-"):
        raise ValueError(_("The amount is negative."))
    if raw.endswith((",00", ".00")) and len(raw) > 3:
        raw = raw[:-3]
    if not raw or not _AMOUNT.match(raw):
        raise ValueError(
            _("“%(value)s” is not an amount in VND (whole đồng, e.g. 1.250.000).") % {"value": text}
        )
    return Decimal(re.sub(r"[.,]", "", raw))


def _choice(text: str, choices) -> str | None:
    """The value of a choice given as its code or its label in Vietnamese or English, accents or not."""
    key = fold(text)
    for value, label in choices:
        names = {fold(value), fold(str(label))}
        for language in ("vi", "en"):
            with override(language):
                names.add(fold(str(label)))
        if key in names:
            return value
    return None


class _Lookups:
    def __init__(self, city: City, year: int):
        self.codes = {m.code: m for m in CodeMapping.objects.filter(city=city, year=year)}
        self.programmes = dict(programme_list(city=city).values_list("code", "pk"))
        self.spaces = dict(
            space_list(city=city, include_hidden=True).exclude(code="").values_list("code", "pk")
        )


def _row_links(row: dict[str, str], look: _Lookups, bad) -> dict[str, Any]:
    """The programme, space, partnership or practice a line funds."""
    links: dict[str, Any] = {"programme_id": None, "space_id": None, "funded_kind": "", "funded_id": None}
    value = row.get("programme", "").strip()
    if value:
        links["programme_id"] = look.programmes.get(value)
        if links["programme_id"] is None:
            bad("programme", _("No programme has the code “%(code)s”.") % {"code": value})
    value = row.get("space", "").strip()
    if value:
        links["space_id"] = look.spaces.get(value)
        if links["space_id"] is None:
            bad("space", _("No learning space has the code “%(code)s”.") % {"code": value})
    for kind in (FundedKind.PARTNERSHIP, FundedKind.PRACTICE):
        value = row.get(kind.value, "").strip()
        if value:
            if not value.isdigit() or links["funded_kind"]:
                bad(kind.value, _("Give the number of one partnership or practice."))
            else:
                links["funded_kind"], links["funded_id"] = kind.value, int(value)
    return links


def _row_line(
    row: dict[str, str], row_no: int, year: int, look: _Lookups, errors: list[RowError]
) -> dict | None:
    found: list[RowError] = []

    def bad(column: str, message: str) -> None:
        found.append(RowError(row_no, column, message))

    if row["year"].strip() != str(year):
        bad(
            "year",
            _("This line is for “%(got)s”; the sheet is for %(year)s.") % {"got": row["year"], "year": year},
        )
    phase = _choice(row["phase"], Phase.choices)
    if phase is None:
        bad(
            "phase",
            _("Unknown phase “%(value)s” (proposed, approved, adjusted, executed).")
            % {"value": row["phase"]},
        )
    mapping = look.codes.get(row["code"].strip())
    if mapping is None:
        bad(
            "code",
            _("The code “%(code)s” is not in the %(year)s classification.")
            % {"code": row["code"], "year": year},
        )
    amount = None
    try:
        amount = parse_amount(row["amount"])
    except ValueError as exc:
        bad("amount", str(exc))
    currency = row.get("currency", "").strip().upper()
    if currency not in ("", "VND", "VNĐ", "ĐỒNG", "DONG"):
        bad("currency", _("Amounts must be in VND, not %(currency)s.") % {"currency": row["currency"]})
    source = _choice(row["source"], Source.choices)
    if source is None:
        bad("source", _("Unknown funding source “%(value)s”.") % {"value": row["source"]})
    if not row["unit"].strip():
        bad("unit", _("The spending unit is empty."))
    links = _row_links(row, look, bad)
    if found:
        errors.extend(found)
        return None
    return {
        "year": year,
        "phase": phase,
        "code": mapping,
        "amount": amount,
        "source": source,
        "spending_unit": row["unit"].strip()[:200],
        "description": row.get("description", "").strip()[:500],
        **links,
    }


def lines_import(*, actor, city: City, year: int, stream: IO[bytes], apply: bool) -> dict:
    """Import one year's budget lines from the finance office's sheet: all rows or none. The lines of each phase
    in the sheet replace that year's lines of the phase, so importing the same sheet again changes nothing."""
    _require_admin(actor, city)
    table = read_table(stream, max_bytes=MAX_IMPORT_BYTES)
    require_columns(table, REQUIRED_COLUMNS)
    look = _Lookups(city, year)
    if not look.codes:
        raise DomainError(
            _("There is no classification for %(year)s yet: add the year's budget codes first.")
            % {"year": year}
        )
    errors: list[RowError] = []
    lines: list[dict] = []
    for row_no, row in as_dicts(table):
        line = _row_line(row, row_no, year, look, errors)
        if line is not None:
            lines.append(line)
    if errors:
        raise ImportRejected(errors)
    if not lines:
        raise DomainError(_("The sheet has no budget lines."))
    phases = sorted({line["phase"] for line in lines})
    summary = {
        "lines": len(lines),
        "phases": phases,
        "total": sum((line["amount"] for line in lines), Decimal(0)),
        "replaced": BudgetLine.objects.filter(city=city, year=year, phase__in=phases).count(),
    }
    if apply:
        with transaction.atomic():
            BudgetLine.objects.filter(city=city, year=year, phase__in=phases).delete()
            created = BudgetLine.objects.bulk_create([BudgetLine(city=city, **line) for line in lines])
            audit.record(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                obj=city,
                note=f"budget {year} {','.join(phases)}: {len(created)} lines imported",
                changes={"budget_lines": [summary["replaced"], len(created)]},
            )
    return summary
