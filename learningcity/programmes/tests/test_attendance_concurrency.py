"""Two saves of one roster at the same time (two leaders, or a phone resending on a weak link) both succeed,
one after the other, and leave exactly one attendance per person: no duplicate-key error, no lost tick.
Found by the load test (bench/bench_load.py), where concurrent saves of one session answered 500 on PostgreSQL."""

import os
import threading

import pytest
from django.db import connection, connections

from learningcity.programmes.models import Attendance
from learningcity.programmes.services.attendance import attendance_set

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite: the test database is in memory (shared cache), whose table locks a file database in WAL mode "
    "with IMMEDIATE transactions (production) does not have; there writers already run one at a time",
)
def test_concurrent_saves_of_one_roster(people, session, members):
    admin = people["city_admin"]
    ids = [m.pk for m in members]
    barrier = threading.Barrier(4)
    errors = []

    def save():
        try:
            barrier.wait(5)
            attendance_set(actor=admin, session=session, learner_ids=ids)
        except Exception as exc:  # any failure is the finding
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(Attendance.objects.filter(session=session).values_list("learner_id", flat=True)) == sorted(
        ids
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite: the in-memory test database has table locks that production's file database does not",
)
def test_concurrent_saves_of_sessions_sharing_people_do_not_deadlock(people, club, space, members):
    """Rosters of two sessions with the same people saved at once, ticking and unticking: the rollups' city-wide
    rows were locked in opposite orders by the two transactions (deadlock, found by the load test)."""
    from .factories import SessionFactory

    admin = people["city_admin"]
    sessions = [SessionFactory(programme=club, space=space) for _ in range(2)]
    ids = [m.pk for m in members]
    rounds = [ids, ids[:1], ids[1:], ids]
    errors = []
    barrier = threading.Barrier(4)

    def save(session, order):
        try:
            barrier.wait(5)
            for roster in order:
                attendance_set(actor=admin, session=session, learner_ids=roster)
        except Exception as exc:  # any failure is the finding
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(sessions[i % 2], rounds if i < 2 else rounds[::-1]))
        for i in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    from django.core.management import call_command

    from learningcity.analytics.tests.test_rebuild import snapshot

    before = snapshot()
    call_command("analytics_rebuild", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert snapshot() == before  # the figures are exact after all those concurrent writes
