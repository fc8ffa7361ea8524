"""The released schedule in the formats conference apps read: JSON, iCalendar (RFC 5545) and frab XML
(the <schedule><conference/><day><room><event/> format of frab, read by Giggity, ConfClerk, the CCC apps, ...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from django.urls import reverse
from django.utils import timezone

from .models import Material
from .selectors import Schedule, Slot


def material_json(material: Material, base_url: str = "") -> dict[str, Any]:
    """A public material as conference apps read it: its kind, title and address (absolute with base_url)."""
    if material.link:
        url = material.link
    else:
        event = material.event
        url = base_url + reverse(
            "conference_material",
            kwargs={"city_slug": event.city.slug, "event_slug": event.slug, "material_id": material.pk},
        )
    return {"kind": material.kind, "title": material.title, "url": url}


def slot_json(slot: Slot, materials: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    return {
        "id": slot.id,
        "title": slot.title,
        "kind": slot.kind,
        "abstract": slot.abstract,
        "room": {"id": slot.room.get("id"), "name": slot.room.get("name")},
        "track": slot.track["name_en"] or slot.track["name_vi"] if slot.track else None,
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "languages": slot.languages,
        "interpretation": slot.interpretation,
        "capacity": slot.capacity,
        "speakers": [
            {"id": p["id"], "name": p["name"], "name_native": p.get("name_native", "")} for p in slot.speakers
        ],
        "materials": list(materials),
    }


def schedule_json(
    schedule: Schedule, materials: dict[int | None, list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    event = schedule.event
    materials = materials or {}
    return {
        "event": event.slug,
        "title": event.title,
        "version": schedule.version,
        "released_at": schedule.released_at.isoformat() if schedule.released_at else None,
        "time_zone": event.time_zone,
        "rooms": [{"id": r["id"], "name": r["name"], "capacity": r["capacity"]} for r in schedule.rooms],
        "sessions": [slot_json(s, materials.get(s.id, [])) for s in schedule.slots],
    }


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode()) > 74:
            out.append(current)
            current = " " + ch
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def schedule_ics(schedule: Schedule, slots: Iterable[Slot] | None = None, name: str = "") -> str:
    event = schedule.event
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Learning City//Conferences//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name or event.title)}",
        f"X-WR-TIMEZONE:{event.time_zone}",
    ]
    for s in schedule.slots if slots is None else slots:
        lines += [
            "BEGIN:VEVENT",
            f"UID:conference-{event.slug}-session-{s.id}@learningcity",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(s.start)}",
            f"DTEND:{_utc(s.end)}",
            f"SUMMARY:{_escape(s.title)}",
            f"LOCATION:{_escape(s.room.get('name', ''))}",
            f"SEQUENCE:{schedule.version}",
        ]
        people = ", ".join(p["name"] for p in s.speakers)
        description = "\n".join(x for x in [people, s.abstract] if x)
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _duration(start: dt.datetime, end: dt.datetime) -> str:
    minutes = int((end - start).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schedule_frab_xml(
    schedule: Schedule, base_url: str = "", materials: dict[int | None, list[dict[str, Any]]] | None = None
) -> bytes:
    """frab XML; the public materials of a session are its <links> (recordings and other links) and its
    <attachments> (files)."""
    event = schedule.event
    materials = materials or {}
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name="learningcity")
    ET.SubElement(root, "version").text = str(schedule.version)
    conf = ET.SubElement(root, "conference")
    ET.SubElement(conf, "acronym").text = event.slug
    ET.SubElement(conf, "title").text = event.title
    ET.SubElement(conf, "start").text = event.starts_on.isoformat()
    ET.SubElement(conf, "end").text = event.ends_on.isoformat()
    ET.SubElement(conf, "days").text = str((event.ends_on - event.starts_on).days + 1)
    ET.SubElement(conf, "timeslot_duration").text = "00:05"
    ET.SubElement(conf, "time_zone_name").text = event.time_zone
    if base_url:
        ET.SubElement(conf, "base_url").text = base_url
    room_names = [r["name"] for r in schedule.rooms]
    for index, day in enumerate(schedule.days(), start=1):
        slots = [s for _t, group in day.times for s in group]
        day_el = ET.SubElement(
            root,
            "day",
            index=str(index),
            date=day.date.isoformat(),
            start=min(s.start for s in slots).isoformat(),
            end=max(s.end for s in slots).isoformat(),
        )
        for room_name in room_names:
            in_room = [s for s in slots if s.room.get("name") == room_name]
            if not in_room:
                continue
            room_el = ET.SubElement(day_el, "room", name=room_name)
            for s in in_room:
                ev = ET.SubElement(room_el, "event", id=str(s.id), guid=_guid(event.slug, s.id))
                ET.SubElement(ev, "date").text = s.start.isoformat()
                ET.SubElement(ev, "start").text = s.start.strftime("%H:%M")
                ET.SubElement(ev, "duration").text = _duration(s.start, s.end)
                ET.SubElement(ev, "room").text = room_name
                ET.SubElement(ev, "slug").text = f"{event.slug}-{s.id}"
                ET.SubElement(ev, "title").text = s.title
                ET.SubElement(ev, "subtitle").text = ""
                ET.SubElement(ev, "track").text = (
                    (s.track["name_en"] or s.track["name_vi"]) if s.track else ""
                )
                ET.SubElement(ev, "type").text = s.kind
                ET.SubElement(ev, "language").text = s.languages[0] if s.languages else ""
                ET.SubElement(ev, "abstract").text = s.abstract
                ET.SubElement(ev, "description").text = ""
                persons = ET.SubElement(ev, "persons")
                for p in s.speakers:
                    ET.SubElement(persons, "person", id=str(p["id"])).text = p["name"]
                links, attachments = ET.SubElement(ev, "links"), ET.SubElement(ev, "attachments")
                for m in materials.get(s.id, []):
                    parent, tag = (attachments, "attachment") if m["file"] else (links, "link")
                    ET.SubElement(parent, tag, href=m["url"]).text = m["title"]
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


def _guid(event_slug: str, session_id: int) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"learningcity:{event_slug}:{session_id}"))


def public_materials_json(event, base_url: str = "") -> dict[int | None, list[dict[str, Any]]]:
    """The event's public materials as JSON by session id (with "file": whether it is a file of ours)."""
    from .selectors import public_materials_by_session

    return {
        session_id: [{**material_json(m, base_url), "file": bool(m.file)} for m in items]
        for session_id, items in public_materials_by_session(event).items()
    }
