import datetime as dt
import zoneinfo

import pytest

from ..services import schedule as s
from ..services import stewards


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; these tests create many accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english(request):
    """Messages are asserted in English (the source language); the browser stories run in Vietnamese."""
    from django.utils import translation

    if "page" in request.fixturenames:
        yield
        return
    client = request.getfixturevalue("client")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


BKK = zoneinfo.ZoneInfo("Asia/Bangkok")


def at(day: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(2024, 10, day, hh, mm, tzinfo=BKK)


@pytest.fixture
def admin(people):
    return people["city_admin"]


@pytest.fixture
def event(city, admin):
    return s.event_create(
        actor=admin,
        city=city,
        slug="asean3-test",
        title_vi="Hội nghị ASEAN+3",
        title_en="ASEAN+3 conference",
        starts_on=dt.date(2024, 10, 29),
        ends_on=dt.date(2024, 10, 30),
        time_zone="Asia/Bangkok",
        capacity=3,
    )


@pytest.fixture
def steward(event, admin, people):
    """The viewer, named a steward of the event by its organiser."""
    stewards.steward_name(actor=admin, event=event, username=people["viewer"].username)
    return people["viewer"]


@pytest.fixture
def setup(event, admin):
    venue = s.venue_create(actor=admin, event=event, name="Centre")
    hall = s.room_create(actor=admin, venue=venue, name="Hall", capacity=200)
    room_a = s.room_create(actor=admin, venue=venue, name="Room A", capacity=40)
    ana = s.speaker_create(actor=admin, event=event, name="Ana", name_native="อนา")
    bo = s.speaker_create(actor=admin, event=event, name="Bo")
    opening = s.session_save(
        actor=admin,
        event=event,
        title="Opening",
        kind="plenary",
        room=hall,
        starts_at=at(29, 9),
        ends_at=at(29, 10),
        speakers=[ana],
        languages=["en"],
        interpretation=["vi", "th"],
    )
    return {"hall": hall, "room_a": room_a, "ana": ana, "bo": bo, "opening": opening}
