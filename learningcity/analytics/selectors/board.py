"""What the participation dashboard shows, as the page, the exports and the charts read it: cells, tables, the
ranking of the groups furthest behind, and the numbers written as people of the active language write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learningcity.core.models import Area, City
from learningcity.core.suppression import SUPPRESSED_LABEL

from ..labels import dimension_label
from ..periods import Period


@dataclass
class Cell:
    key: Any
    label: str
    learners: float | None
    population: float | None
    rate: float | None
    hours: float | None
    suppressed: bool
    href: str = ""
    # Each text written once: the table, its chart, the map and the exports ask for the same ones.
    _texts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def text(self, what: str) -> str:
        text = self._texts.get(what)
        if text is None:
            text = self._texts[what] = self._text(what)
        return text

    def _text(self, what: str) -> str:
        value = getattr(self, what)
        if what == "learners" and self.suppressed:
            return SUPPRESSED_LABEL
        if what == "rate":
            if value is None:
                return (
                    "–" if self.population is None or (not self.suppressed and not self.population) else "…"
                )
            return _fmt(value, 1) + "%"
        if value is None:
            return "…" if self.suppressed else "–"
        return _fmt(value)

    @property
    def learners_text(self) -> str:
        return self.text("learners")

    @property
    def population_text(self) -> str:
        return self.text("population")

    @property
    def rate_text(self) -> str:
        return self.text("rate")

    @property
    def hours_text(self) -> str:
        return self.text("hours")


@dataclass
class Table:
    name: str
    title: str
    dim: str
    rows: list[Cell]
    total: Cell | None
    svg: str = ""
    message: str = ""
    with_population: bool = True

    @property
    def dim_label(self) -> str:
        return dimension_label(self.dim)


@dataclass
class Ranked:
    label: str
    group: str
    rate: float
    gap: float
    parity: float
    href: str = ""
    learners: str = ""
    population: str = ""


@dataclass
class Dashboard:
    city: City
    period: Period
    area: Area | None
    root: Area | None
    exact: bool
    crumbs: list[tuple[str, int | None]] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    ranking: list[Ranked] = field(default_factory=list)
    hidden_groups: list[str] = field(default_factory=list)
    parity: list[tuple[str, str, str]] = field(default_factory=list)
    map_svg: str = ""
    spaces: Table | None = None
    message: str = ""
    city_rate: float | None = None

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None) or (
            self.spaces if self.spaces and self.spaces.name == name else None
        )


def _rate(learners, population) -> float | None:
    if population is None or not population or learners is None:
        return None
    return round(learners / population * 100, 2)


def _fmt(value, decimals: int | None = None) -> str:
    """A number as people of the active language write it (Vietnamese: 1.234.567,8)."""
    if value is None:
        return "–"
    number = float(value)
    if decimals is None:
        decimals = 0 if number.is_integer() else 1
    return _number_text(round(number, decimals), decimals)


def _number_text(number: float, decimals: int) -> str:
    """`number_format(number, decimals, force_grouping=True)` for a float, without Django's general path (a page
    writes hundreds of numbers): the same text (tests/test_board.py compares them), the same separators."""
    lang = get_language()
    grouping = get_format("NUMBER_GROUPING", lang, use_l10n=True)
    if type(grouping) is not int or grouping <= 0 or not -1e15 < number < 1e15:
        return number_format(number, decimals, force_grouping=True)
    text = str(number)  # no exponent below 1e15 once rounded to at most 2 decimals
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    int_part, _dot, dec_part = text.partition(".")
    if len(int_part) > grouping:
        sep = get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)
        head = len(int_part) % grouping or grouping
        int_part = sep.join(
            [int_part[:head], *(int_part[i : i + grouping] for i in range(head, len(int_part), grouping))]
        )
    if decimals:
        dec_part = (dec_part[:decimals] + "0" * decimals)[:decimals]
        return sign + int_part + get_format("DECIMAL_SEPARATOR", lang, use_l10n=True) + dec_part
    return sign + int_part


def table_rows(table: Table) -> tuple[list[str], list[list]]:
    """Headers and rows of a dashboard table for export (the same values the page shows)."""
    if table.name == "spaces":
        headers = [_("Learning space"), _("Learners"), _("Sessions held"), _("Learning hours")]
        rows = [[r.label, r.text("learners"), r.population, r.text("hours")] for r in table.rows]
        return headers, rows
    headers = [
        dimension_label(table.dim),
        _("Learners"),
        _("Population"),
        _("Participation rate (%)"),
        _("Learning hours"),
    ]
    rows = [
        [r.label, r.text("learners"), r.population, "" if r.rate is None else r.rate, r.text("hours")]
        for r in table.rows + ([table.total] if table.total else [])
    ]
    return headers, rows


def ranking_rows(board: Dashboard) -> tuple[list[str], list[list]]:
    headers = [
        _("Where / breakdown"),
        _("Group"),
        _("Learners"),
        _("Population"),
        _("Participation rate (%)"),
        _("Gap to the city (points)"),
        _("Parity index"),
    ]
    return headers, [
        [r.label, r.group, r.learners, r.population, r.rate, r.gap, r.parity] for r in board.ranking
    ]
