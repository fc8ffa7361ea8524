"""Drafting a report from the city's own data: for each section the tables and charts that answer it, in one
language. Everything is public-grade: counts of people under 5 are suppressed as on the public pages.

A table is {"title", "headers", "rows", "source"}; a chart is {"title", "unit", "bars": [[label, value]]}
(value None: hidden or no data). The snapshot frozen at approval is exactly what these functions return."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from learningcity.budget import selectors as budget
from learningcity.budget.models import Phase
from learningcity.core.indicators import IndicatorResult, indicator_results
from learningcity.core.models import City
from learningcity.core.registry import app_modules
from learningcity.places.selectors import space_list
from learningcity.programmes.models import ProgrammeKind
from learningcity.programmes.selectors import learners_reached, programme_list

from . import profile as profile_mod
from .assessment import assess
from .sections import SPECS

Section = dict[str, Any]
PARITY_GAP = 0.8  # a parity index under this names a group left behind


def _num(value) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _table(title: str, headers: list[str], rows: list[list], source: str = "") -> dict:
    return {
        "title": title,
        "headers": headers,
        "rows": [[_num(v) for v in r] for r in rows],
        "source": source,
    }


def _chart(title: str, bars: list[tuple[str, Any]], unit: str = "") -> dict:
    return {"title": title, "unit": unit, "bars": [[label, _num(v)] for label, v in bars]}


class Context:
    """What one drafting run shares between sections: the city, the years, one reader of the indicators (through
    analytics' `indicator_results` hook, so every indicator of the last year shares one set of queries)."""

    def __init__(self, city: City, year_from: int, year_to: int):
        self.city, self.year_from, self.year_to = city, year_from, year_to
        self.reader = indicator_results().indicator_reader(city=city, period=str(year_to), exact=False)
        self.indicators = self.reader.indicators
        self.period_label = self.reader.period_label

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    def evaluate(self, code: str, by: list[str]) -> IndicatorResult | None:
        return self.reader.result(code, by)

    def source(self, code: str) -> str:
        ind = self.indicators.get(code)
        return f"{code}: {ind.name} · {self.period_label}" if ind else code


def _value_text(row) -> Any:
    if row.suppressed:
        return "<5"
    return row.value


def _indicator_table(ctx: Context, code: str, by: str) -> tuple[dict | None, dict | None]:
    result = ctx.evaluate(code, [by])
    if result is None or result.message:
        return None, None
    rows, bars = [], []
    for r in result.rows:
        label = r.label
        rows.append(
            [
                label,
                "<5" if r.suppressed else r.numerator,
                "" if r.suppressed else r.denominator,
                _value_text(r),
            ]
        )
        if not r.is_total:
            bars.append((label, None if r.suppressed else r.value))
    dimension = indicator_results().dimension_label(by)
    table = _table(
        f"{result.name} · {dimension}",
        [dimension, _("Numerator"), _("Denominator"), _("Value")],
        rows,
        ctx.source(code),
    )
    return table, _chart(f"{result.name} · {dimension}", bars, result.unit)


def _targets(ctx: Context, prefix: str = "") -> Section:
    indicators = (
        [i for c, i in ctx.indicators.items() if c.startswith(prefix)]
        if prefix
        else list(ctx.indicators.values())
    )
    rows = [
        r
        for r in indicator_results().target_rows(
            city=ctx.city, indicators=indicators, exact=False, years=[ctx.year_to] if prefix else None
        )
        if r.national is not None or r.city is not None or prefix
    ]
    table = _table(
        _("Actual against target"),
        [_("Indicator"), _("Year"), _("National target"), _("City target"), _("Actual"), _("Source")],
        [
            [f"{r.indicator.code} {r.indicator.name}", str(r.year), r.national, r.city, r.actual, r.note]
            for r in rows
        ],
    )
    return {"tables": [table], "charts": []}


def _plan(ctx: Context) -> Section:
    return _targets(ctx)


def _coordination(ctx: Context) -> Section:
    kinds = Counter(programme_list(city=ctx.city).values_list("kind", flat=True))
    spaces = Counter(
        space_list(city=ctx.city).values_list(
            "space_type__name_vi" if _lang() == "vi" else "space_type__name_en", flat=True
        )
    )
    t1 = _table(
        _("Programmes by kind"),
        [_("Kind"), _("Programmes")],
        [[str(ProgrammeKind(k).label), n] for k, n in sorted(kinds.items())],
    )
    t2 = _table(
        _("Learning spaces by type"),
        [_("Type"), _("Spaces")],
        [[k or "\u2013", n] for k, n in sorted(spaces.items(), key=lambda kv: -kv[1])],
    )
    return {
        "tables": [t1, t2],
        "charts": [
            _chart(_("Learning spaces by type"), [(k or "\u2013", n) for k, n in spaces.most_common(8)])
        ],
    }


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "vi")[:2]


def _resources(ctx: Context) -> Section:
    rows, bars = [], []
    for year in ctx.years:
        shares = budget.education_share(city=ctx.city, year=year)
        approved = budget.share_for(shares, Phase.APPROVED)
        executed = budget.share_for(shares, Phase.EXECUTED)
        heritage = budget.heritage_spending(city=ctx.city, year=year)
        rows.append([
            str(year),
            approved.percent if approved else None,
            executed.percent if executed else None,
            executed.education if executed else None,
            executed.total if executed else None,
            heritage.per_capita if heritage else None,
        ])  # fmt: skip
        shown = executed or approved
        bars.append((str(year), shown.percent if shown is not None else None))
    tables = [
        _table(
            _("Share of the budget spent on education"),
            [
                _("Year"),
                _("Approved (%)"),
                _("Executed (%)"),
                _("Education, executed (VND)"),
                _("All spending, executed (VND)"),
                _("Heritage per person (VND)"),
            ],
            rows,
            _("computed from the city's budget lines (UIS SDG 1.a.2; SDG 11.4.1)"),
        )
    ]
    programmes = budget.programme_execution(city=ctx.city, year=ctx.year_to)
    if programmes:
        tables.append(
            _table(
                _("Budget against execution per programme, %(year)s") % {"year": ctx.year_to},
                [
                    _("Programme"),
                    _("Budget (VND)"),
                    _("Executed (VND)"),
                    _("Progress (%)"),
                    _("Status"),
                    _("Learners reached"),
                    _("Per learner (VND)"),
                ],
                [
                    [
                        p.title,
                        p.planned,
                        p.executed,
                        p.progress,
                        p.status_label,
                        p.learners if p.learners >= 5 else "<5",
                        p.per_learner if p.learners >= 5 else None,
                    ]
                    for p in programmes[:40]
                ],
            )
        )
    sources = budget.source_breakdown(city=ctx.city, year=ctx.year_to, phase=Phase.EXECUTED)
    if sources:
        tables.append(
            _table(
                _("Spending by source, %(year)s") % {"year": ctx.year_to},
                [_("Source"), _("VND")],
                [list(s) for s in sources],
            )
        )
    return {
        "tables": tables,
        "charts": [_chart(_("Share of the budget spent on education"), bars, "percent")],
    }


def _monitoring(ctx: Context) -> Section:
    rows = []
    for code, indicator in ctx.indicators.items():
        result = ctx.evaluate(code, [])
        total = result.total if result else None
        value = None if total is None else _value_text(total)
        note = (total.note if total else "") or (result.message if result else "")
        rows.append([code, indicator.name, value, note])
    with_data = sum(1 for r in rows if r[2] is not None)
    table = _table(
        _("Indicators and their values, %(period)s") % {"period": ctx.period_label},
        [_("Code"), _("Indicator"), _("Value"), _("Source or note")],
        rows,
    )
    return {
        "tables": [table],
        "charts": [
            _chart(
                _("Indicators with data"),
                [(_("with data"), with_data), (_("without data"), len(rows) - with_data)],
            )
        ],
    }


def _learning_for_all(ctx: Context) -> Section:
    tables, charts = [], []
    for by in ("sex", "age_band", "ethnicity", "disability"):
        table, chart = _indicator_table(ctx, "LC.LEARNERS", by)
        if table:
            tables.append(table)
            charts.append(chart)
    behind = []
    for code in ("SDG4.5.1.SEX", "SDG4.5.1.ETH", "SDG4.5.1.LOC", "SDG4.5.1.DIS"):
        result = ctx.evaluate(code, [])
        if result is None or result.message:
            continue
        for r in result.rows:
            if r.value is not None and r.value < PARITY_GAP:
                dim = result.by[-2] if len(result.by) >= 2 else ""
                behind.append([result.name, r.labels.get(dim, _("All")) if dim else "", r.value])
    tables.append(
        _table(
            _("Who is left behind (parity index under %(gap)s)") % {"gap": PARITY_GAP},
            [_("Indicator"), _("Group"), _("Parity index")],
            behind,
            ctx.source("SDG4.5.1.ETH"),
        )
    )
    return {"tables": tables, "charts": charts[:2]}


def _culture(ctx: Context) -> Section:
    figures = []
    for module in app_modules("figures"):
        if module.__name__.startswith("learningcity.reporting"):
            continue
        figures += [[str(label), str(value)] for label, value in module.key_figures(ctx.city)]
    tables = [_table(_("Key figures"), [_("Figure"), _("Value")], figures)]
    rows = []
    for code in ("LC.SESSIONS", "LC.HOURS", "LC.ATTENDANCE", "LC.CLUBS.ACTIVE", "LC.SPACES.ACTIVE"):
        result = ctx.evaluate(code, [])
        total = result.total if result else None
        if total is not None and result is not None:
            rows.append([result.name, _value_text(total)])
    tables.append(
        _table(
            _("Learning activity, %(period)s") % {"period": ctx.period_label},
            [_("Indicator"), _("Value")],
            rows,
        )
    )
    return {
        "tables": tables,
        "charts": [_chart(_("Learning activity"), [(r[0], r[1] if r[1] != "<5" else None) for r in rows])],
    }


def _innovation(ctx: Context) -> Section:
    pilots = programme_list(city=ctx.city).filter(kind__in=[ProgrammeKind.PILOT, ProgrammeKind.INITIATIVE])
    rows = [[p.title, str(ProgrammeKind(p.kind).label)] for p in pilots[:30]]
    return {"tables": [_table(_("Pilots and initiatives"), [_("Programme"), _("Kind")], rows)], "charts": []}


def _network(ctx: Context) -> Section:
    facts = profile_mod.profile_facts(ctx.city)
    return {
        "tables": [_table(_("GNLC city profile"), [_("Field"), _("Value")], [list(f) for f in facts])],
        "charts": [],
    }


def _national_targets(ctx: Context) -> Section:
    return _targets(ctx, prefix="VN1373.")


def annexes(ctx: Context) -> list[dict]:
    """The concrete statistics behind the sections, in full: every learning space, every programme with the
    learners it reached, every budget line of the period, and participation by area."""
    spaces = space_list(city=ctx.city).select_related("space_type", "area")
    t_spaces = _table(
        _("Annex: learning spaces"),
        [_("Code"), _("Name"), _("Type"), _("Area")],
        [
            [s.code, s.name, s.space_type.name if s.space_type else "", s.area.name if s.area else ""]
            for s in spaces
        ],
    )
    programmes = list(programme_list(city=ctx.city))
    reached = learners_reached(city=ctx.city, programme_ids=[p.pk for p in programmes], year=ctx.year_to)
    t_programmes = _table(
        _("Annex: programmes and learners reached in %(year)s") % {"year": ctx.year_to},
        [_("Programme"), _("Kind"), _("Learners reached")],
        [[p.title, str(ProgrammeKind(p.kind).label), _small(reached.get(p.pk, 0))] for p in programmes],
    )
    lines = []
    for year in ctx.years:
        lines += [
            [str(line.year), str(line.get_phase_display()), f"{line.code.code} {line.code.name}", line.code.cofog,
             line.amount, str(line.get_source_display()), line.spending_unit]
            for line in budget.line_list(city=ctx.city, filters=budget.LineFilters(year=year))
        ]  # fmt: skip
    t_budget = _table(
        _("Annex: budget lines"),
        [_("Year"), _("Phase"), _("Code"), "COFOG", _("VND"), _("Source"), _("Spending unit")],
        lines,
        _("the city's budget lines"),
    )
    out = [t_spaces, t_programmes, t_budget]
    table, _chart_unused = _indicator_table(ctx, "LC.LEARNERS", "area")
    if table:
        out.append(table)
    return out


def _small(n: int) -> Any:
    return "<5" if 0 < n < 5 else n


BUILDERS: dict[str, Callable[[Context], Section]] = {
    "plan": _plan,
    "coordination": _coordination,
    "resources": _resources,
    "monitoring": _monitoring,
    "learning_for_all": _learning_for_all,
    "culture": _culture,
    "innovation": _innovation,
    "network": _network,
    "targets": _national_targets,
}


def draft(report, *, language: str, progress: Callable[[int], None] | None = None) -> dict:
    """The report's figures and texts in one language, section by section."""
    with override(language):
        ctx = Context(report.city, report.year_from, report.year_to)
        sections = []
        stored = {s.key: s for s in report.sections.prefetch_related("evidence")}
        specs = SPECS[report.kind]
        for n, spec in enumerate(specs):
            data = BUILDERS[spec.key](ctx)
            section = stored.get(spec.key)
            sections.append(
                {
                    "key": spec.key,
                    "title": str(spec.title),
                    "prompt": str(spec.prompt),
                    "features": spec.features,
                    "word_limit": section.word_limit if section else spec.word_limit,
                    "narrative_vi": section.narrative_vi if section else "",
                    "narrative_en": section.narrative_en if section else "",
                    "evidence": [
                        {"id": e.pk, "kind": e.kind, "title": e.title, "claim": e.claim}
                        for e in (section.evidence.all() if section else [])
                    ],
                    **data,
                }
            )
            if progress:
                progress(int((n + 1) * 100 / len(specs)))
        return {
            "assessment": assess(sections),
            "annexes": annexes(ctx),
            "language": language,
            "city": report.city.name,
            "title": report.title,
            "kind": report.kind,
            "years": [report.year_from, report.year_to],
            "version": report.version,
            "built_at": timezone.now().isoformat(),
            "sections": sections,
        }


def snapshot(report, *, progress: Callable[[int], None] | None = None) -> dict:
    """Both languages: what is frozen at approval."""
    vi = draft(report, language="vi", progress=(lambda p: progress(p // 2)) if progress else None)
    en = draft(report, language="en", progress=(lambda p: progress(50 + p // 2)) if progress else None)
    return {"vi": vi, "en": en}
