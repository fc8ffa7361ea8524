"""300 people register for the event and book a workshop of 40 places in the same minute (30 threads on
PostgreSQL): exactly 40 are confirmed, the other 260 wait in the order they came, nobody gets an error; a
cancellation moves the first of the waiting list up."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from learningcity.core.tests.factories import UserFactory

from ..models import Registration, SessionBooking
from ..services import registration as reg
from ..services import schedule as s

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite: the in-memory test database has table locks that production's file database does not; "
    "there writers already run one at a time",
)
def test_three_hundred_people_rush_a_workshop_of_forty(city, people):
    admin = people["city_admin"]
    event = s.event_create(
        actor=admin,
        city=city,
        slug="rush",
        title_vi="Rush",
        starts_on=dt.date(2030, 5, 1),
        ends_on=dt.date(2030, 5, 1),
    )
    venue = s.venue_create(actor=admin, event=event, name="Centre")
    room = s.room_create(actor=admin, venue=venue, name="Workshop room", capacity=40)
    workshop = s.session_save(
        actor=admin, event=event, title="Workshop", kind="workshop", room=room, capacity=40
    )
    users = [UserFactory(username=f"rush{i}") for i in range(300)]
    barrier = threading.Barrier(30)
    errors: list[str] = []

    def rush(index: int) -> None:
        try:
            if index < 30:
                barrier.wait(10)
            user = users[index]
            registration = reg.registration_create(
                actor=user, event=event, full_name=f"Person {index}", country="VN"
            )
            reg.session_book(actor=user, registration=registration, session=workshop)
        except Exception as exc:  # any failure is the finding
            errors.append(repr(exc))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(rush, range(300)))
    assert errors == []
    assert Registration.objects.filter(event=event, status="confirmed").count() == 300
    bookings = list(SessionBooking.objects.filter(session=workshop).order_by("queue"))
    assert len(bookings) == 300
    assert [b.queue for b in bookings] == list(range(1, 301))  # one place in the queue each, no gap
    assert [b.status for b in bookings] == ["confirmed"] * 40 + ["waitlisted"] * 260  # in the order they came
    first_waiting = bookings[40]
    reg.booking_cancel(actor=bookings[0].registration.user, booking=bookings[0])
    first_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed"
    assert SessionBooking.objects.filter(session=workshop, status="confirmed").count() == 40
