"""Learner merges and erasures of a city while its rosters are being saved: no deadlock, no lost write, and the
figures the database keeps equal a rebuild afterwards.

A merge or an erasure changes attendance and the learners the rollups follow, so it touches the city-wide rollup
rows a roster save touches too. Before programmes' one attendance write path (services.attendance_writes), the
roster saves took the city's lock and the merge and the erasure did not: their statements and the rosters' took
those rows in different orders and PostgreSQL broke the cycle with "deadlock detected" (or a roster ticked a
person the merge was deleting, and one of the two failed on the foreign key)."""

import datetime as dt
import os
import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from learningcity.analytics.tests.summary import summary
from learningcity.analytics.tests.test_rollup import snapshot
from learningcity.programmes.models import Attendance, Learner
from learningcity.programmes.services.attendance import attendance_set
from learningcity.programmes.services.learners import learner_erase, learner_merge

from .factories import LearnerFactory, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROSTER_THREADS = 3
ROSTER_SAVES = 40  # per roster thread
PAIRS = 8  # duplicates merged, then people erased, by the fourth thread
TODAY = dt.date.today()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite: the in-memory test database has table locks that production's file database (WAL, IMMEDIATE "
    "transactions) does not; there writers already run one at a time, so nothing can deadlock",
)
def test_merges_and_erasures_beside_roster_saves_neither_deadlock_nor_skew_the_figures(
    people, club, space, areas
):
    admin = people["city_admin"]
    rng = random.Random(15)
    homes = [areas["me_ban"], areas["to_hieu"], areas["chieng_coi"]]

    def person(i: int, tag: str) -> Learner:
        learner = LearnerFactory(
            city=club.city,
            full_name=f"Người {tag} {i}",
            sex="FM"[i % 2],
            birth_year=1950 + 15 * (i % 4),
            area=homes[i % 3],
            ethnicity=["03", "01", "08"][i % 3],
        )
        MembershipFactory(programme=club, learner=learner, joined_on=dt.date(2020, 1, 1))
        return learner

    # People of many rollup cells (sex, age band, area, ethnicity), in sessions of several months.
    regulars = [person(i, "thường") for i in range(12)]
    keeps = [person(i, "giữ") for i in range(PAIRS)]
    duplicates = [person(i + 1, "trùng") for i in range(PAIRS)]  # another cell than the record kept
    erased = [person(i, "xoá") for i in range(PAIRS)]
    sessions = [
        SessionFactory(programme=club, space=space, date=TODAY - dt.timedelta(days=1 + 31 * k))
        for k in range(6)
    ]
    everyone = regulars + keeps + duplicates + erased
    for s in sessions:
        attendance_set(actor=admin, session=s, learner_ids=[p.pk for p in everyone if rng.random() < 0.6])

    errors: list[str] = []
    done: list[str] = []  # what succeeded (list.append is atomic under the GIL)
    barrier = threading.Barrier(ROSTER_THREADS + 1)

    def rosters(seed: int) -> None:
        mine = random.Random(seed)
        try:
            barrier.wait(10)
            for _ in range(ROSTER_SAVES):
                people_now = [p.pk for p in everyone if mine.random() < 0.5]
                try:
                    attendance_set(actor=admin, session=mine.choice(sessions), learner_ids=people_now)
                    done.append("save")
                except Exception as exc:  # any failure is the finding
                    errors.append(f"roster save: {exc!r}")
        finally:
            connections.close_all()

    def merges_and_erasures() -> None:
        try:
            barrier.wait(10)
            for keep, duplicate, gone in zip(keeps, duplicates, erased, strict=True):
                try:
                    learner_merge(actor=admin, keep=keep, duplicate=duplicate)
                    done.append("merge")
                except Exception as exc:
                    errors.append(f"merge: {exc!r}")
                try:
                    learner_erase(actor=admin, learner=gone)
                    done.append("erasure")
                except Exception as exc:
                    errors.append(f"erasure: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=rosters, args=(seed,)) for seed in range(ROSTER_THREADS)]
    threads.append(threading.Thread(target=merges_and_erasures))
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads), "a writer is still waiting"

    assert not [e for e in errors if "deadlock detected" in e], errors
    assert errors == []
    assert sorted(set(done)) == ["erasure", "merge", "save"]
    assert [done.count(w) for w in ("merge", "erasure", "save")] == [
        PAIRS,
        PAIRS,
        ROSTER_THREADS * ROSTER_SAVES,
    ]
    gone_ids = [p.pk for p in duplicates + erased]
    assert not Learner.objects.filter(pk__in=gone_ids).exists()
    assert not Attendance.objects.filter(learner_id__in=gone_ids).exists()
    # The figures kept during all those concurrent writes equal a rebuild from attendance (counted rows: a
    # removal leaves a row at zero that a rebuild does not make).
    kept = summary(), snapshot(club.city)
    assert kept[0]
    assert all(kept[1])
    call_command("analytics_rebuild", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (summary(), snapshot(club.city)) == kept
