"""Reading counts: who borrows, compared with who lives in the city, with the platform's small-cell suppression.

Only counts are read: `LoanTally` (loans by month, bookcase and who borrowed, without the person) and the cards'
date of last loan (active borrowers). Public readers see suppressed figures (core.suppression: primary
under 5 and the complementary cells); the city's staff see exact ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core.demography import AGE_BAND_CODES, age_band, ethnicity_name
from learningcity.core.models import Area, City, PopulationCount
from learningcity.core.selectors import population_total
from learningcity.core.suppression import Line, suppress

from .models import Borrower, LoanTally, Record
from .selectors import catalogue_counts


@dataclass
class Breakdown:
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)


def _sex_label(code: str) -> str:
    return {"F": _("Female"), "M": _("Male"), "X": _("Other")}.get(code, _("Not stated"))


def _disability_label(code: str) -> str:
    return {"y": _("With a disability"), "n": _("Without a disability")}.get(code, _("Not asked"))


def _population_shares(city: City, year: int, dim: str) -> dict[str, int]:
    """People by one dimension (the others blank), from the shallowest areas that have such rows."""
    blank = {"sex": "", "age_band": "", "ethnicity": ""}
    blank.pop(dim)
    rows = list(
        PopulationCount.objects.for_city(city)
        .filter(year=year, **blank)
        .exclude(**{dim: ""})
        .values_list("area__depth", dim, "count")
    )
    if not rows:
        return {}
    top = min(row[0] for row in rows)
    out: dict[str, int] = {}
    for depth, value, count in rows:
        if depth == top:
            out[value] = out.get(value, 0) + count
    return out


def _ward_of(city: City) -> tuple[dict[int, str], dict[str, str]]:
    areas = list(
        Area.objects.for_city(city)
        .filter(valid_to__isnull=True)
        .values_list("pk", "path", "level", "name_vi")
    )
    wards = {path: name for _pk, path, level, name in areas if level in ("ward", "commune")}
    by_id: dict[int, str] = {}
    for pk, path, _level, _name in areas:
        by_id[pk] = next((p for p in wards if path.startswith(p)), "")
    return by_id, wards


def _table(
    title: str,
    loans: dict[str, int],
    borrowers: dict[str, int],
    population: dict[str, int],
    labels: dict[str, str],
    exact: bool,
) -> Breakdown:
    keys = list(dict.fromkeys([*labels, *loans, *borrowers]))
    total_l, total_b = sum(loans.values()), sum(borrowers.values())
    total_p = sum(population.values())
    shown_l = suppress({**{k: loans.get(k, 0) for k in keys}, "_": total_l}, [Line("_", keys)])
    shown_b = suppress({**{k: borrowers.get(k, 0) for k in keys}, "_": total_b}, [Line("_", keys)])
    rows = []
    for key in keys:
        l_value = loans.get(key, 0) if exact else shown_l.shown(key)
        b_value = borrowers.get(key, 0) if exact else shown_b.shown(key)
        rows.append(
            {
                "label": labels.get(key, key or _("Not stated")),
                "loans": l_value,
                "borrowers": b_value,
                "borrower_share": round(100 * b_value / total_b, 1)
                if b_value is not None and total_b
                else None,
                "population_share": round(100 * population[key] / total_p, 1)
                if key in population and total_p
                else None,
            }
        )
    return Breakdown(title, rows)


def reading_figures(*, city: City, exact: bool, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    since = (today - dt.timedelta(days=365)).replace(day=1)
    tallies = LoanTally.objects.filter(city=city, month__gte=since)
    total_loans = tallies.aggregate(n=Sum("loans"))["n"] or 0
    active = Borrower.objects.for_city(city).filter(last_loan_on__gte=today - dt.timedelta(days=365))
    counts = catalogue_counts(city=city)
    population = population_total(city=city, year=today.year) or population_total(
        city=city, year=today.year - 1
    )
    ward_of, wards = _ward_of(city)

    def loans_by(dim: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for value, n in tallies.values_list(dim).annotate(n=Sum("loans")).values_list(dim, "n"):
            key = ward_of.get(value, "") if dim == "area_id" else (value or "")
            out[key] = out.get(key, 0) + n
        return out

    people = list(
        active.values_list(
            "learner__sex",
            "learner__birth_year",
            "learner__ethnicity",
            "learner__has_disability",
            "learner__area_id",
        )
    )

    def borrowers_by(index: int) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in people:
            value = row[index]
            if index == 1:
                value = age_band(value, today.year)
            elif index == 3:
                value = "" if value is None else ("y" if value else "n")
            elif index == 4:
                value = ward_of.get(value, "")
            out[value or ""] = out.get(value or "", 0) + 1
        return out

    year = today.year
    eth_codes = {c for c in [*loans_by("ethnicity"), *borrowers_by(2)] if c}
    tables = [
        _table(
            _("By sex"),
            loans_by("sex"),
            borrowers_by(0),
            _population_shares(city, year, "sex"),
            {"F": _sex_label("F"), "M": _sex_label("M")},
            exact,
        ),
        _table(
            _("By age band"),
            loans_by("age_band"),
            borrowers_by(1),
            _population_shares(city, year, "age_band"),
            {b: b for b in AGE_BAND_CODES},
            exact,
        ),
        _table(
            _("By ethnicity"),
            loans_by("ethnicity"),
            borrowers_by(2),
            _population_shares(city, year, "ethnicity"),
            {c: ethnicity_name(c) for c in sorted(eth_codes)},
            exact,
        ),
        _table(
            _("By disability"),
            loans_by("disability"),
            borrowers_by(3),
            {},
            {"y": _disability_label("y"), "n": _disability_label("n"), "": _disability_label("")},
            exact,
        ),
        _table(
            _("By home ward or commune"),
            loans_by("area_id"),
            borrowers_by(4),
            {},
            dict(sorted(wards.items(), key=lambda kv: kv[1])),
            exact,
        ),
    ]
    active_n = active.count()
    return {
        "since": since,
        "loans": total_loans,
        "active_borrowers": active_n if exact or active_n >= 5 else None,
        "loans_per_1000": round(1000 * total_loans / population, 1) if population else None,
        "population": population,
        "records": counts["records"],
        "copies": counts["copies"],
        "minority_share": round(100 * counts["minority"] / counts["records"], 1)
        if counts["records"]
        else None,
        "tables": tables,
    }


def minority_share(city: City) -> float | None:
    agg = Record.objects.for_city(city).aggregate(
        n=Count("pk"), m=Count("pk", filter=Q(languages__contains=",tai,") | Q(languages__contains=",hmn,"))
    )
    return round(100 * agg["m"] / agg["n"], 1) if agg["n"] else None
