"""Opening hours as people write them: "Mo-Fr 08:00-20:00; Sa,Su 08:00-11:00" (a small subset of the
OpenStreetMap opening_hours syntax), with parsing, formatting and "is it open at this moment?"."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learningcity.core.errors import DomainError

DAYS = ["mo", "tu", "we", "th", "fr", "sa", "su"]
# "24:00" is stored as 23:59 (a time of day cannot be 24:00) and means open until midnight, its last minute too.
END_OF_DAY = dt.time(23, 59)
DAY_NAMES = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]
# Vietnamese day names people type: T2..T7, CN.
_VI_DAYS = {"t2": "mo", "t3": "tu", "t4": "we", "t5": "th", "t6": "fr", "t7": "sa", "cn": "su"}
_RANGE = re.compile(r"^(\d{1,2})[:hH.](\d{2})\s*[-–]\s*(\d{1,2})[:hH.](\d{2})$")

Week = list[list[tuple[dt.time, dt.time]]]  # 7 days, each a sorted list of (opens, closes)


def _day(token: str) -> int:
    token = _VI_DAYS.get(token.lower(), token.lower())
    if token not in DAYS:
        raise DomainError(
            _("Unknown day “%(day)s”: use Mo Tu We Th Fr Sa Su.") % {"day": token}, field="hours"
        )
    return DAYS.index(token)


def parse_ranges(text: str) -> list[tuple[dt.time, dt.time]]:
    """ "08:00-11:00, 14:00-17:00" -> [(08:00, 11:00), (14:00, 17:00)]; "" or "off" -> []."""
    text = (text or "").strip()
    if not text or text.lower() in {"off", "closed", "nghỉ", "nghi"}:
        return []
    ranges = []
    for part in text.split(","):
        match = _RANGE.match(part.strip())
        if not match:
            raise DomainError(
                _("“%(text)s” is not a time range such as 08:00-20:00.") % {"text": part.strip()[:40]},
                field="hours",
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise DomainError(
                _("“%(text)s” is not a valid time.") % {"text": part.strip()[:40]}, field="hours"
            )
        opens = dt.time(h1, m1)
        closes = END_OF_DAY if h2 == 24 else dt.time(h2, m2)
        if closes <= opens:
            raise DomainError(
                _("In “%(text)s” the closing time must come after the opening time.")
                % {"text": part.strip()[:40]},
                field="hours",
            )
        ranges.append((opens, closes))
    ranges.sort()
    for (_o1, c1), (o2, _c2) in itertools.pairwise(ranges):
        if o2 < c1:
            raise DomainError(_("The opening times overlap."), field="hours")
    return ranges


def parse(text: str) -> Week:
    """Parse "Mo-Fr 08:00-20:00; Sa,Su 08:00-11:00" into a week. Raises DomainError with a clear message."""
    week: Week = [[] for _ in DAYS]
    text = (text or "").strip()
    if not text:
        return week
    for rule in [r.strip() for r in text.split(";") if r.strip()]:
        head, _sep, rest = rule.partition(" ")
        days: list[int] = []
        for chunk in head.split(","):
            if "-" in chunk:
                start, _d, end = chunk.partition("-")
                a, b = _day(start), _day(end)
                days += list(range(a, b + 1)) if a <= b else list(range(a, 7)) + list(range(0, b + 1))
            else:
                days.append(_day(chunk))
        ranges = parse_ranges(rest)
        for day in days:
            week[day] = ranges
    return week


def _fmt_ranges(ranges) -> str:
    if not ranges:
        return "off"
    return ",".join(f"{o:%H:%M}-{'24:00' if c == END_OF_DAY else c.strftime('%H:%M')}" for o, c in ranges)


def format_week(week: Week) -> str:
    """The canonical text of a week: consecutive days with the same hours grouped ("Mo-Fr 08:00-20:00")."""
    rules: list[str] = []
    day = 0
    while day < 7:
        end = day
        while end + 1 < 7 and week[end + 1] == week[day]:
            end += 1
        if week[day]:
            span = (
                DAYS[day].capitalize() if end == day else f"{DAYS[day].capitalize()}-{DAYS[end].capitalize()}"
            )
            rules.append(f"{span} {_fmt_ranges(week[day])}")
        day = end + 1
    return "; ".join(rules)


def normalize_hours(text: str) -> str:
    return format_week(parse(text))


def day_text(ranges) -> str:
    return ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in ranges)


def is_open(week: Week, exceptions, moment: dt.datetime) -> bool:
    """Open at this local moment? Exceptions (objects with date_from, date_to, closed, opens, closes) win."""
    day, now = moment.date(), moment.time()
    for exc in exceptions:
        if exc.date_from <= day <= exc.date_to:
            if exc.closed:
                return False
            return _within(exc.opens, exc.closes, now)
    return any(_within(o, c, now) for o, c in week[moment.weekday()])


def _within(opens: dt.time, closes: dt.time, now: dt.time) -> bool:
    return opens <= now and (now < closes or closes == END_OF_DAY)
