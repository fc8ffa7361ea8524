"""Evaluating an indicator's formula over the measures, into rows ready for a page, the API or an export.

Each row has its breakdown keys, numerator, denominator, value and a `suppressed` flag. For the public (not
`can_view_exact_figures`) every count about people under 5 is hidden, and so are the cells that would let a
reader subtract back to it (see core.suppression); rates and indices built on a hidden count are hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.utils.translation import gettext as _

from learningcity.core.registry import app_modules
from learningcity.core.suppression import THRESHOLD, Line, suppress

from .formulas import PEOPLE_MEASURES, formula_problems
from .measures import MeasureQuery, NoData, measure_table, people_table
from .models import Indicator, ManualValue, ManualValueStatus

# Counts of people that decide suppression of measures built on them.
SUPPRESSION_BASE = {
    "learners": "learners",
    "attendances": "learners",
    "hours": "learners",
    "members": "members",
    "retained_members": "retained_members",
    "member_attendances": "members",
    "expected_attendances": "members",
    "population": "population",
}


@dataclass
class Row:
    keys: dict[str, Any]
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool = False
    note: str = ""

    @property
    def is_total(self) -> bool:
        return all(v is None for v in self.keys.values())


@dataclass
class Result:
    by: list[str]
    rows: list[Row] = field(default_factory=list)
    message: str = ""  # "no data" and why, when there is nothing honest to show
    exact: bool = False
    unit: str = ""

    @property
    def has_data(self) -> bool:
        return not self.message and bool(self.rows)


def lattice_lines(keys: list[tuple], ndims: int) -> list[Line]:
    """Lines of a table with all its margins: for each key with a None (a total over that dimension), the cells
    that add up to it."""
    keyset = set(keys)
    lines = []
    for total in keys:
        for i in range(ndims):
            if total[i] is not None:
                continue
            members = [
                k
                for k in keyset
                if k[i] is not None and all(k[j] == total[j] for j in range(ndims) if j != i)
            ]
            if members:
                lines.append(Line(total=total, members=members))
    return lines


def suppressed_keys(counts: dict[tuple, float], ndims: int) -> set[tuple]:
    result = suppress(counts, lattice_lines(list(counts), ndims), threshold=THRESHOLD)
    return cast(set[tuple], result.suppressed)  # a subset of the keys of counts


def _term_table(q: MeasureQuery, term: dict, by: list[str]) -> dict[tuple, float]:
    filters = {**q.filters, **(term.get("filters") or {})}
    # Terms with the same filters are the same query: they share one (and its cache), so a ratio of two
    # measures of one table (retained members / members) computes that table once.
    subs = q.cache.setdefault("term-queries", {})
    key = tuple(sorted(filters.items()))
    sub = subs.get(key)
    if sub is None:
        sub = subs[key] = MeasureQuery(
            city=q.city, period=q.period, area=q.area, filters=filters, today=q.today, _index=q.index
        )
    return measure_table(sub, term["measure"], by, min_sessions=term.get("min_sessions", 3))


def _base_counts(q: MeasureQuery, term: dict, by: list[str]) -> dict[tuple, float] | None:
    base = SUPPRESSION_BASE.get(term["measure"])
    if base is None:
        return None
    if base == term["measure"]:
        return None  # the caller already has it
    return _term_table(q, {**term, "measure": base}, by)


def _with_observed_zeros(counts: dict[tuple, float], population: dict[tuple, float]) -> dict[tuple, float]:
    """The counts with a 0 for every group that has people but no one counted (docs/analytics.md, "Zeros").

    An observed zero ("0 of 429 Dao in Chiềng Sinh") tells something about every member of a named group, so it
    is suppressed like any count under the threshold. A structural zero (no one lives in the group) is no count
    of people and stays as it is."""
    zeros = {k: 0.0 for k, v in population.items() if k not in counts and v}
    return {**zeros, **counts} if zeros else counts


def _sort_key(key: tuple) -> tuple:
    return tuple((0, "") if v is None else (1, str(v)) for v in key)


def evaluate_formula(formula: dict, q: MeasureQuery, by: list[str], *, exact: bool, unit: str = "") -> Result:  # noqa: C901 - count or ratio, exact or suppressed: one pass over the cells
    """Compute a count or ratio formula cell by cell. Never raises on bad data: returns a Result with a message."""
    result = Result(by=list(by), exact=exact, unit=unit)
    problems = formula_problems(formula)
    if problems:
        result.message = _("This indicator cannot be computed: %(why)s") % {"why": "; ".join(problems)}
        return result
    kind = formula["type"]
    try:
        if kind == "parity":
            return _evaluate_parity(formula, q, by, exact=exact, unit=unit)
        num_term = formula["numerator"]
        numerator = _term_table(q, num_term, by)
        denominator = _term_table(q, formula["denominator"], by) if kind == "ratio" else {}
    except NoData as exc:
        result.message = exc.message
        return result
    scale = float(formula.get("scale", 1))
    hidden: set[tuple] = set()
    if not exact:
        if num_term["measure"] in PEOPLE_MEASURES:
            hidden |= suppressed_keys(_with_observed_zeros(numerator, denominator), len(by))
        else:
            try:
                base = _base_counts(q, num_term, by)
            except NoData:
                base = None
            if base is not None:
                hidden |= suppressed_keys(base, len(by))
        if kind == "ratio" and formula["denominator"]["measure"] in PEOPLE_MEASURES:
            hidden |= {k for k, v in denominator.items() if v is not None and v < THRESHOLD}
    keys = sorted(set(numerator) | set(denominator), key=_sort_key)
    for key in keys:
        num = numerator.get(key, 0)
        den = denominator.get(key) if kind == "ratio" else None
        note = ""
        if kind == "ratio":
            if den is None:
                value = None
                note = _("no population figure for this group")
            elif den == 0:
                value = None
                note = _("no data: the denominator is zero")
            else:
                value = round(num / den * scale, 2)
        else:
            value = num
        suppressed = key in hidden
        result.rows.append(
            Row(
                keys=dict(zip(by, key, strict=True)),
                numerator=None if suppressed else num,
                denominator=None if suppressed else den,
                value=None if suppressed else value,
                suppressed=suppressed,
                note=note,
            )
        )
    return result


def _evaluate_parity(formula: dict, q: MeasureQuery, by: list[str], *, exact: bool, unit: str) -> Result:
    """Parity index of each group of `dimension` against the reference group (or the majority), per cell of
    the other breakdowns: rate(group) / rate(reference)."""
    dim = formula["dimension"]
    others = [b for b in by if b != dim]
    rate = {"type": "ratio", **formula["rate"], "scale": 100}
    rates = evaluate_formula(rate, q, [*others, dim], exact=exact)
    result = Result(by=[*others, dim], exact=exact, unit=unit)
    if rates.message:
        result.message = rates.message
        return result
    # group rows by the other keys
    groups: dict[tuple, dict[Any, Row]] = {}
    for rate_row in rates.rows:
        groups.setdefault(tuple(rate_row.keys[o] for o in others), {})[rate_row.keys[dim]] = rate_row
    pop: dict[Any, float] = {}
    if formula.get("reference") == "majority":
        try:
            pop_table = measure_table(q, "population", [dim])
            pop = {k[0]: v for k, v in pop_table.items() if k[0] is not None}
        except NoData as exc:
            result.message = exc.message
            return result
    for okey, cells in sorted(groups.items(), key=lambda kv: _sort_key(kv[0])):
        ref_code = formula.get("reference")
        if ref_code == "majority":
            ref_code = max(pop, key=lambda k: pop[k]) if pop else None
        ref = cells.get(ref_code)
        targets = (
            [formula["group"]]
            if formula.get("group")
            else [c for c in cells if c is not None and c != ref_code]
        )
        for code in targets:
            row = cells.get(code)
            keys = {**dict(zip(others, okey, strict=True)), dim: code}
            if row is None or ref is None:
                result.rows.append(
                    Row(
                        keys=keys,
                        numerator=None,
                        denominator=None,
                        value=None,
                        note=_("no data for this group or its reference"),
                    )
                )
                continue
            suppressed = row.suppressed or ref.suppressed
            value = None
            note = ""
            if not suppressed:
                if row.value is None:
                    note = row.note or _("no data for this group or its reference")
                elif not ref.value:
                    note = _("no data: the reference rate is zero or unknown")
                else:
                    value = round(row.value / ref.value, 2)
            result.rows.append(
                Row(
                    keys={**keys, "reference": ref_code},
                    numerator=None if suppressed else row.value,
                    denominator=None if suppressed else ref.value,
                    value=value,
                    suppressed=suppressed,
                    note=note,
                )
            )
    result.by = [*others, dim, "reference"]
    return result


def evaluate_indicator(indicator: Indicator, q: MeasureQuery, by: list[str], *, exact: bool) -> Result:
    formula = dict(indicator.formula)
    if formula.get("type") == "manual":
        return manual_result(indicator, q, exact=exact)
    return evaluate_formula(formula, q, by, exact=exact, unit=indicator.unit)


def computed_result(indicator: Indicator, q: MeasureQuery, *, exact: bool) -> Result | None:
    """A value an app computes from its own records (the budget's lines for LC.BUDGET.EDU and SDG11.4.1, its
    `indicator_values.py` hook): it replaces typed values, with its source as the note."""
    if q.area is not None:
        return None
    for module in app_modules("indicator_values"):
        computed = module.indicator_value(q.city, indicator.code, q.period.end.year)
        if computed is not None:
            row = Row(
                keys={}, numerator=None, denominator=None, value=float(computed.value), note=computed.source
            )
            return Result(by=[], rows=[row], exact=exact, unit=indicator.unit)
    return None


def _manual_values(q: MeasureQuery, *, exact: bool) -> dict[int, list[ManualValue]]:
    """The period's reported values of every indicator, per indicator: one query per measure query, however many
    manual indicators a page shows."""
    key = ("manual-values", exact)
    cached = q.cache.get(key)
    if cached is None:
        qs = ManualValue.objects.for_city(q.city).filter(year=q.period.end.year)
        qs = qs.filter(area=q.area) if q.area is not None else qs.filter(area__isnull=True)
        if not exact:
            qs = qs.filter(status=ManualValueStatus.APPROVED)
        cached = q.cache[key] = {}
        for mv in qs:
            cached.setdefault(mv.indicator_id, []).append(mv)
    return cast(dict[int, list[ManualValue]], cached)


def manual_result(indicator: Indicator, q: MeasureQuery, *, exact: bool) -> Result:
    """Reported values of the period's year (approved ones only for the public), unless an app computes it."""
    computed = computed_result(indicator, q, exact=exact)
    if computed is not None:
        return computed
    result = Result(by=[], exact=exact, unit=indicator.unit)
    for mv in _manual_values(q, exact=exact).get(indicator.pk, []):
        result.rows.append(
            Row(
                keys={},
                numerator=None,
                denominator=None,
                value=float(mv.value),
                note=_("approved") if mv.status == ManualValueStatus.APPROVED else _("waiting for approval"),
            )
        )
    if not result.rows:
        result.message = _("No value has been reported for %(year)s.") % {"year": q.period.end.year}
    return result


def to_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


__all__ = ["Result", "Row", "evaluate_formula", "evaluate_indicator", "people_table", "suppressed_keys"]
