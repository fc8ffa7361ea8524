"""iCalendar (RFC 5545) feeds: per programme, per space and for the whole city."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.utils import timezone

from .models import Session, SessionStatus


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode()) > 74:
            out.append(current)
            current = " " + ch
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def _utc(day: dt.date, time: dt.time, tz: zoneinfo.ZoneInfo) -> str:
    return dt.datetime.combine(day, time, tzinfo=tz).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(*, city, name: str, sessions: Iterable[Session], host: str = "learningcity") -> str:
    tz = zoneinfo.ZoneInfo(city.time_zone)
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Learning City//Programmes//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        f"X-WR-TIMEZONE:{city.time_zone}",
    ]
    for s in sessions:
        summary = s.programme.title
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{s.pk}@{city.slug}.{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(s.date, s.start_time, tz)}",
            f"DTEND:{_utc(s.date, s.end_time, tz)}",
            f"SUMMARY:{_escape(summary)}",
        ]
        if s.space_id and s.space:
            lines.append(f"LOCATION:{_escape(s.space.name)}")
        description = " ".join(x for x in [s.facilitator, s.note] if x)
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        lines.append("STATUS:CANCELLED" if s.status == SessionStatus.CANCELLED else "STATUS:CONFIRMED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
