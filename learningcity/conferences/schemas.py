from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class EventOut(Schema):
    slug: str
    title: str
    title_vi: str
    title_en: str
    city: str
    network: str
    starts_on: dt.date
    ends_on: dt.date
    time_zone: str
    schedule_version: int
    url: str


class RoomOut(Schema):
    id: int
    name: str
    capacity: int


class EventDetailOut(EventOut):
    description: str
    rooms: list[RoomOut]
    registration_open: bool


class SpeakerOut(Schema):
    id: int
    name: str
    name_native: str


class RoomRef(Schema):
    id: int | None
    name: str | None


class MaterialOut(Schema):
    kind: str  # slides, recording, outcome
    title: str
    url: str  # the link, or the address of the file


class SessionOut(Schema):
    id: int
    title: str
    kind: str
    abstract: str
    room: RoomRef
    track: str | None
    start: str
    end: str
    languages: list[str]
    interpretation: list[str]
    capacity: int
    speakers: list[SpeakerOut]
    materials: list[MaterialOut] = Field(default_factory=list)  # public slides, recordings, outcome documents


class ScheduleOut(Schema):
    event: str
    title: str
    version: int
    released_at: str | None
    time_zone: str
    rooms: list[RoomOut]
    sessions: list[SessionOut]


class CheckInIn(Schema):
    code: str
    session_id: int | None = None


class CheckInOut(Schema):
    registration_id: int
    name: str
    name_native: str
    session_id: int | None
    at: dt.datetime
