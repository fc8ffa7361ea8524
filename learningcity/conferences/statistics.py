"""The figures of an event: confirmed delegates by country, delegation, sex and role, check-ins at the door and
attendance per session; as tables, as SVG bar charts drawn on the server (`core.charts`) and as CSV or XLSX
(`core.cells`).

What may leave the organisers' hands (the public figures page and every export) has its small numbers
suppressed by `core.suppression`: a count under 5 is shown as "<5", and in a breakdown whose total is shown
(the delegates by sex add up to all the delegates) a second cell is hidden with it, so nobody subtracts back
to a small group. The organisers' own page shows the exact counts. A constant number of queries whatever the
size of the event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from learningcity.core.charts import Bar, bar_chart
from learningcity.core.suppression import display, one_way_lines, suppress

from .models import CheckIn, Event, Registration, RegistrationStatus, Sex

TOTAL = "__total__"


@dataclass
class FigureRow:
    key: str  # the stored value (a country code, a sex code, a session id...)
    label: str  # what a reader sees
    value: int | None  # None when suppressed
    text: str  # the count, or "<5"


@dataclass
class Figure:
    measure: str  # country, delegation, sex, role, attendance
    title: str
    rows: list[FigureRow]

    @property
    def chart(self) -> str:
        return bar_chart(self.title, [Bar(r.label, r.value, r.text) for r in self.rows])


@dataclass
class EventFigures:
    exact: bool
    delegates: int | None
    delegates_text: str
    checked_in: int | None
    checked_in_text: str
    figures: list[Figure]


def _breakdown(
    measure: str,
    title: str,
    counts: dict[str, int],
    labels: dict[str, str],
    total: int | None,
    *,
    exact: bool,
) -> Figure:
    """One breakdown; suppressed (with its total as the line's total when given) unless exact."""
    keys = sorted(counts, key=lambda k: (-counts[k], labels.get(k, k)))
    if exact:
        rows = [FigureRow(k, labels.get(k, k), counts[k], str(counts[k])) for k in keys]
        return Figure(measure, title, rows)
    values: dict[Any, int | None] = dict(counts)
    lines = []
    if total is not None:
        values[TOTAL] = total
        lines = one_way_lines(TOTAL, keys)
    result = suppress(values, lines)
    rows = [
        FigureRow(k, labels.get(k, k), _shown(counts[k], hidden), display(counts[k], hidden))
        for k in keys
        for hidden in [result.is_suppressed(k)]
    ]
    return Figure(measure, title, rows)


def _shown(count: int, hidden: bool) -> int | None:
    return None if hidden else count


def _counts(queryset, key: str) -> dict[str, int]:
    return {str(r[key] or ""): r["n"] for r in queryset.values(key).annotate(n=Count("id")).order_by(key)}


def event_figures(event: Event, *, exact: bool) -> EventFigures:
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    total = confirmed.count()
    door = confirmed.filter(checked_in_at__isnull=False).count()
    by_country = _counts(confirmed, "country")
    by_delegation = _counts(confirmed, "delegation__name")
    by_sex = _counts(confirmed, "sex")
    by_role = _counts(confirmed, "role")
    attendance = {
        str(r["session_id"]): (r["session__title"], r["n"])
        for r in CheckIn.objects.filter(event=event, session__isnull=False)
        .values("session_id", "session__title")
        .annotate(n=Count("id"))
    }
    sexes = {str(k): str(v) for k, v in Sex.choices}
    figures = [
        _breakdown("country", _("Delegates by country"), by_country, {}, total, exact=exact),
        _breakdown(
            "delegation",
            _("Delegates by delegation"),
            by_delegation,
            {"": _("Registered on their own")},
            total,
            exact=exact,
        ),
        _breakdown("sex", _("Delegates by sex"), by_sex, sexes, total, exact=exact),
        _breakdown("role", _("Delegates by role"), by_role, {"": _("Role not given")}, total, exact=exact),
        # A delegate attends several sessions: the sessions do not add up to a shown total.
        _breakdown(
            "attendance",
            _("Attendance per session (checked in)"),
            {k: n for k, (_title, n) in attendance.items()},
            {k: title for k, (title, _n) in attendance.items()},
            None,
            exact=exact,
        ),
    ]
    head = suppress({"total": total, "door": door})
    total_hidden = not exact and head.is_suppressed("total")
    door_hidden = not exact and head.is_suppressed("door")
    return EventFigures(
        exact=exact,
        delegates=_shown(total, total_hidden),
        delegates_text=display(total, total_hidden),
        checked_in=_shown(door, door_hidden),
        checked_in_text=display(door, door_hidden),
        figures=figures,
    )


def figure_rows(figures: EventFigures) -> list[list[Any]]:
    """The rows of the CSV and XLSX exports: measure, key, label, count (a number, or "<5")."""
    rows: list[list[Any]] = [["measure", "key", "label", "count"]]
    for key, label, value, text in (
        ("total", _("Confirmed delegates"), figures.delegates, figures.delegates_text),
        ("door", _("Checked in at the door"), figures.checked_in, figures.checked_in_text),
    ):
        rows.append(
            ["delegates" if key == "total" else "checked_in", key, label, text if value is None else value]
        )
    for figure in figures.figures:
        for r in figure.rows:
            rows.append([figure.measure, r.key, r.label, r.value if r.value is not None else r.text])
    return rows
