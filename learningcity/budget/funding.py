"""Registry hook (core.registry): what the budget gives to the programmes, spaces, partnerships and practices of a
city, for the apps that show them (the network app reads partnerships' and practices' funding here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from learningcity.core.models import City

from .models import BudgetLine, FundedKind, Phase
from .selectors import PLAN_PHASES

KINDS = ("programme", "space", FundedKind.PARTNERSHIP.value, FundedKind.PRACTICE.value)


@dataclass(frozen=True)
class Funding:
    """Amounts in VND over all years: approved (the adjusted budget where a year has one), executed; lines."""

    approved: Decimal
    executed: Decimal
    lines: int


def funding_for(city: City, kind: str, ids: Iterable[int]) -> dict[int, Funding]:
    """Funding per object of one kind ("programme", "space", "partnership", "practice"); objects without a line
    are absent. One query."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    ids = list(ids)
    if not ids:
        return {}
    qs = BudgetLine.objects.for_city(city)
    if kind in ("programme", "space"):
        key = f"{kind}_id"
        qs = qs.filter(**{f"{key}__in": ids})
    else:
        key = "funded_id"
        qs = qs.filter(funded_kind=kind, funded_id__in=ids)
    per: dict[int, dict] = {}
    for row in qs.values(key, "year", "phase").annotate(amount=Sum("amount"), n=Count("pk")):
        entry = per.setdefault(row[key], {"years": {}, "lines": 0})
        entry["years"].setdefault(row["year"], {})[row["phase"]] = row["amount"]
        entry["lines"] += row["n"]
    out = {}
    for pk, entry in per.items():
        approved = executed = Decimal(0)
        for phases in entry["years"].values():
            approved += next((phases[p] for p in PLAN_PHASES if p in phases), Decimal(0))
            executed += phases.get(Phase.EXECUTED, Decimal(0))
        out[pk] = Funding(approved=approved, executed=executed, lines=entry["lines"])
    return out


__all__ = ["KINDS", "Funding", "funding_for"]
