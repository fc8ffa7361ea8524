"""Reporting periods: a year ("2025"), a quarter ("2025-Q2"), a month ("2025-03") or the rolling 12 months ending
with a month ("R12-2025-06" = July 2024 to June 2025)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ROLLING = re.compile(r"^R12-(\d{4})-(\d{2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # year, quarter, month, rolling12
    start: dt.date
    end: dt.date

    @property
    def population_year(self) -> int:
        """Denominators come from the population of the year the period ends in."""
        return self.end.year

    @property
    def age_year(self) -> int:
        return self.end.year

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == "rolling12":
            return _("12 months to %(month)s") % {"month": self.end.strftime("%m/%Y")}
        if self.kind == "quarter":
            return _("Quarter %(q)s %(year)s") % {
                "q": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == "month":
            return self.start.strftime("%m/%Y")
        return str(self.start.year)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int) -> None:
    if not 1900 <= year <= 2100:
        raise DomainError(_("The year must lie between 1900 and 2100."), field="period")


def period_parse(code: str | None, *, today: dt.date | None = None, default: str = "year") -> Period:
    """Parse a period code; an empty code is the current year (or the rolling 12 months to last month)."""
    today = today or dt.date.today()
    code = (code or "").strip()
    if not code:
        if default == "rolling12":
            last = today.replace(day=1) - dt.timedelta(days=1)
            code = f"R12-{last.year}-{last.month:02d}"
        else:
            code = str(today.year)
    if m := _YEAR.match(code):
        year = int(m.group(1))
        _check_year(year)
        return Period(code, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    if m := _QUARTER.match(code):
        year, q = int(m.group(1)), int(m.group(2))
        _check_year(year)
        return Period(f"{year}-Q{q}", "quarter", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
    if m := _MONTH.match(code):
        year, month = int(m.group(1)), int(m.group(2))
        _check_year(year)
        if not 1 <= month <= 12:
            raise DomainError(_("The month must lie between 01 and 12."), field="period")
        return Period(code, "month", dt.date(year, month, 1), _month_end(year, month))
    if m := _ROLLING.match(code):
        year, month = int(m.group(1)), int(m.group(2))
        _check_year(year)
        if not 1 <= month <= 12:
            raise DomainError(_("The month must lie between 01 and 12."), field="period")
        end = _month_end(year, month)
        start_year, start_month = (year, month + 1) if month < 12 else (year + 1, 1)
        start = dt.date(start_year - 1, start_month, 1)
        return Period(f"R12-{year}-{month:02d}", "rolling12", start, end)
    raise DomainError(
        _("Unknown period “%(code)s”: use 2025, 2025-Q2, 2025-03 or R12-2025-06.") % {"code": code[:40]},
        field="period",
    )


def period_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """A short list for the period menu: rolling 12 months, this and last years, and this year's quarters."""
    today = today or dt.date.today()
    out = []
    rolling = period_parse("", today=today, default="rolling12")
    out.append((rolling.code, rolling.label))
    for year in (today.year, today.year - 1, today.year - 2):
        out.append((str(year), str(year)))
    for q in range(1, (today.month - 1) // 3 + 2):
        p = period_parse(f"{today.year}-Q{q}")
        out.append((p.code, p.label))
    return out
