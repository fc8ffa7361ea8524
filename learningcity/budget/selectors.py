"""Reads of the budget: lines with filters, and the figures computed from them (never typed):
the education share (UIS, SDG 1.a.2), per-capita heritage spending (SDG 11.4.1), spending per learner reached and
per learning space, and budget against execution per programme."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from learningcity.core.models import City
from learningcity.core.selectors import population_total
from learningcity.places.selectors import space_list
from learningcity.programmes.selectors import learners_reached, programme_list

from .cofog import COFOG
from .models import BudgetLine, CodeMapping, Phase, Source

ZERO = Decimal(0)
# The planned amount a line is measured against: the adjusted budget where there is one, else the approved.
PLAN_PHASES = (Phase.ADJUSTED, Phase.APPROVED)


@dataclass
class LineFilters:
    year: int | None = None
    phase: str = ""
    cofog: str = ""  # a division ("09") or a group ("09.1")
    source: str = ""


def line_list(*, city: City, filters: LineFilters | None = None) -> QuerySet[BudgetLine]:
    f = filters or LineFilters()
    qs = BudgetLine.objects.for_city(city).select_related("code", "programme", "space")
    if f.year:
        qs = qs.filter(year=f.year)
    if f.phase:
        qs = qs.filter(phase=f.phase)
    if f.cofog:
        qs = qs.filter(Q(code__cofog=f.cofog) | Q(code__cofog__startswith=f.cofog + "."))
    if f.source:
        qs = qs.filter(source=f.source)
    return qs.order_by("year", "phase", "code__code", "pk")


def programme_choices(*, city: City) -> list[tuple[int, str]]:
    return list(programme_list(city=city).values_list("pk", "title_vi"))


def space_choices(*, city: City) -> list[tuple[int, str]]:
    return list(space_list(city=city, include_hidden=True).order_by("name_vi").values_list("pk", "name_vi"))


def code_mapping_list(*, city: City, year: int | None = None) -> QuerySet[CodeMapping]:
    qs = CodeMapping.objects.for_city(city).annotate(line_count=Count("lines"))
    return qs.filter(year=year) if year else qs


def budget_years(*, city: City) -> list[int]:
    years = set(BudgetLine.objects.for_city(city).values_list("year", flat=True).distinct())
    years |= set(CodeMapping.objects.for_city(city).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Share:
    phase: str
    education: Decimal
    total: Decimal
    cultural: Decimal  # COFOG 08.2 not counted as education: shown so the city sees what it left out

    @property
    def percent(self) -> Decimal | None:
        return _pct(self.education, self.total)

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label)


def education_share(*, city: City, year: int) -> list[Share]:
    """Education spending over all spending of the same lines (one source: the city's budget), per phase.
    UIS SDG 1.a.2: current, capital and transfers alike, so every line counts."""
    rows = (
        BudgetLine.objects.for_city(city)
        .filter(year=year)
        .values("phase")
        .annotate(
            total=Sum("amount"),
            education=Sum("amount", filter=Q(code__counts_as_education=True)),
            cultural=Sum("amount", filter=Q(code__cofog="08.2", code__counts_as_education=False)),
        )
    )
    by_phase = {r["phase"]: r for r in rows}
    return [
        Share(
            p, by_phase[p]["education"] or ZERO, by_phase[p]["total"] or ZERO, by_phase[p]["cultural"] or ZERO
        )
        for p in Phase.values
        if p in by_phase
    ]


def share_for(shares: list[Share], phase: str) -> Share | None:
    return next((s for s in shares if s.phase == phase), None)


@dataclass
class HeritageSpending:
    year: int
    phase: str
    amount: Decimal
    population: int | None
    by_source: dict[str, Decimal] = field(default_factory=dict)

    @property
    def per_capita(self) -> Decimal | None:
        """In VND per person."""
        if not self.population:
            return None
        return (self.amount / self.population).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def heritage_spending(*, city: City, year: int, phase: str = Phase.EXECUTED) -> HeritageSpending | None:
    """SDG 11.4.1: spending on cultural and natural heritage per person, by source."""
    rows = (
        BudgetLine.objects.for_city(city)
        .filter(year=year, phase=phase, code__counts_as_heritage=True)
        .values("source")
        .annotate(amount=Sum("amount"))
    )
    by_source = {r["source"]: r["amount"] for r in rows}
    if not by_source:
        return None
    return HeritageSpending(
        year=year,
        phase=phase,
        amount=sum(by_source.values(), ZERO),
        population=population_total(city=city, year=year),
        by_source=by_source,
    )


def cofog_breakdown(*, city: City, year: int, phase: str) -> list[tuple[str, str, Decimal, Decimal | None]]:
    """(COFOG code, label, amount, percent of the total) per function of the year's lines."""
    rows = list(
        BudgetLine.objects.for_city(city)
        .filter(year=year, phase=phase)
        .values("code__cofog")
        .annotate(amount=Sum("amount"))
        .order_by("code__cofog")
    )
    total = sum((r["amount"] for r in rows), ZERO)
    return [
        (r["code__cofog"], str(COFOG.get(r["code__cofog"], "")), r["amount"], _pct(r["amount"], total))
        for r in rows
    ]


def source_breakdown(*, city: City, year: int, phase: str) -> list[tuple[str, Decimal]]:
    rows = (
        BudgetLine.objects.for_city(city)
        .filter(year=year, phase=phase)
        .values("source")
        .annotate(amount=Sum("amount"))
        .order_by("-amount")
    )
    return [(str(Source(r["source"]).label), r["amount"]) for r in rows]


STATUS_LABELS = {
    "not_started": gettext_lazy("not started"),
    "under_way": gettext_lazy("under way"),
    "completed": gettext_lazy("completed"),
    "overspent": gettext_lazy("over budget"),
    "unplanned": gettext_lazy("spent without a budget"),
}


@dataclass
class ProgrammeExecution:
    programme_id: int
    title: str
    planned: Decimal
    executed: Decimal
    learners: int

    @property
    def progress(self) -> Decimal | None:
        return _pct(self.executed, self.planned)

    @property
    def status(self) -> str:
        if not self.planned:
            return "unplanned" if self.executed else "not_started"
        if not self.executed:
            return "not_started"
        if self.executed > self.planned:
            return "overspent"
        return "completed" if self.executed * 100 >= self.planned * 95 else "under_way"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def per_learner(self) -> Decimal | None:
        if not self.learners or not self.executed:
            return None
        return (self.executed / self.learners).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _plan_and_execution(qs: QuerySet[BudgetLine], key: str) -> dict[int, dict[str, Decimal]]:
    out: dict[int, dict[str, Decimal]] = {}
    for row in qs.exclude(**{f"{key}__isnull": True}).values(key, "phase").annotate(amount=Sum("amount")):
        out.setdefault(row[key], {})[row["phase"]] = row["amount"]
    return out


def _planned(amounts: dict[str, Decimal]) -> Decimal:
    return next((amounts[p] for p in PLAN_PHASES if p in amounts), ZERO)


def programme_execution(*, city: City, year: int) -> list[ProgrammeExecution]:
    """Budget against execution per programme the year's lines fund, with status, progress and the cost per
    learner reached (people who attended at least once in the year)."""
    qs = BudgetLine.objects.for_city(city).filter(year=year)
    amounts = _plan_and_execution(qs, "programme_id")
    if not amounts:
        return []
    english = (get_language() or "vi").startswith("en")
    titles = {
        pk: (en if english and en else vi)
        for pk, vi, en in qs.exclude(programme__isnull=True)
        .values_list("programme_id", "programme__title_vi", "programme__title_en")
        .distinct()
    }
    reached = learners_reached(city=city, programme_ids=list(amounts), year=year)
    rows = [
        ProgrammeExecution(
            programme_id=pk,
            title=titles.get(pk, ""),
            planned=_planned(a),
            executed=a.get(Phase.EXECUTED, ZERO),
            learners=reached.get(pk, 0),
        )
        for pk, a in amounts.items()
    ]
    return sorted(rows, key=lambda r: (-r.planned, r.title))


@dataclass
class SpaceSpending:
    spaces: int
    executed: Decimal

    @property
    def per_space(self) -> Decimal | None:
        if not self.spaces:
            return None
        return (self.executed / self.spaces).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def space_spending(*, city: City, year: int) -> SpaceSpending:
    """Executed spending on learning spaces (lines that name a space) and the number of spaces it reached."""
    agg = (
        BudgetLine.objects.for_city(city)
        .filter(year=year, phase=Phase.EXECUTED, space__isnull=False)
        .aggregate(amount=Sum("amount"), spaces=Count("space", distinct=True))
    )
    return SpaceSpending(spaces=agg["spaces"] or 0, executed=agg["amount"] or ZERO)


@dataclass
class Overview:
    year: int
    shares: list[Share]
    heritage: HeritageSpending | None
    programmes: list[ProgrammeExecution]
    spaces: SpaceSpending
    sources: list[tuple[str, Decimal]]
    functions: list[tuple[str, str, Decimal, Decimal | None]]

    @property
    def headline(self) -> Share | None:
        """The share that speaks for the year: executed where the year is spent, else approved."""
        for phase in (Phase.EXECUTED, Phase.ADJUSTED, Phase.APPROVED, Phase.PROPOSED):
            share = share_for(self.shares, phase)
            if share is not None:
                return share
        return None


def overview(*, city: City, year: int) -> Overview:
    shares = education_share(city=city, year=year)
    phase = Phase.EXECUTED if share_for(shares, Phase.EXECUTED) else Phase.APPROVED
    return Overview(
        year=year,
        shares=shares,
        heritage=heritage_spending(city=city, year=year),
        programmes=programme_execution(city=city, year=year),
        spaces=space_spending(city=city, year=year),
        sources=source_breakdown(city=city, year=year, phase=phase),
        functions=cofog_breakdown(city=city, year=year, phase=phase),
    )


def source_note(*, city: City, year: int, phase: str) -> str:
    count = BudgetLine.objects.for_city(city).filter(year=year, phase=phase).count()
    return _("computed from %(n)s budget lines of %(year)s (%(phase)s)") % {
        "n": count,
        "year": year,
        "phase": Phase(phase).label,
    }
