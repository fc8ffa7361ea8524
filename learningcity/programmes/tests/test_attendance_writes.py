"""Every writer of a city's attendance (or of the rows its figures follow) takes the city's attendance lock before
its first such write, through the one write path (services.attendance_writes); bulk writers enter the hooks the
other apps offer (core.registry: `attendance_hooks`). The concurrency this prevents is shown on PostgreSQL in
test_attendance_concurrency.py and test_merge_erase_concurrency.py; this file names the writer that forgot."""

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningcity.analytics import attendance_hooks, triggers
from learningcity.core.services.accounts import api_token_create
from learningcity.programmes import services
from learningcity.programmes.models import Attendance
from learningcity.programmes.services import attendance_writes as writes
from learningcity.programmes.services.attendance_stage import insert_attendance_rows
from learningcity.programmes.services.imports import sheet_import

pytestmark = pytest.mark.django_db

# A write the figures follow: attendance and headcount rows, a learner's row (changed or deleted), the session's
# row (roster saves lock it after the city's lock). A new learner is not one: no figure follows its insert.
FIGURE_WRITE = re.compile(
    r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?programmes_(?:attendance|headcount)"?'
    r'|^\s*(?:UPDATE|DELETE FROM)\s+"?programmes_(?:learner|session)"?\s'
    r'|^\s*SELECT .* FROM "?programmes_session"? .*FOR UPDATE',
    re.IGNORECASE | re.DOTALL,
)


def _api(client, method: str, path: str, user, city, data):
    _, raw = api_token_create(actor=user, user=user, city=city, name="t")
    response = getattr(client, method)(
        f"/api/v1/cities/{city.slug}{path}",
        data=data,
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200, response.content
    return response


def _sheet(w) -> None:
    text = "code,programme,date\r\n" + "".join(
        f"{m.code},{w.club.code},{w.other_session.date:%d/%m/%Y}\r\n" for m in w.members
    )
    result = sheet_import(actor=w.admin, city=w.city, stream=io.BytesIO(text.encode()))
    assert result.attendance_added == len(w.members)


def _rows(w) -> None:
    s = w.other_session
    rows = [
        (w.city.pk, s.pk, m.pk, s.programme_id, s.space_id, m.area_id, s.date, s.minutes) for m in w.members
    ]
    assert insert_attendance_rows(rows) == len(rows)


WRITERS: dict[str, Callable] = {
    "roster tick": lambda w: services.attendance_mark(
        actor=w.admin, session=w.other_session, learner=w.members[0]
    ),
    "roster untick": lambda w: services.attendance_mark(
        actor=w.admin, session=w.session, learner=w.members[0], present=False
    ),
    "roster set": lambda w: services.attendance_set(
        actor=w.admin, session=w.session, learner_ids=[w.members[0].pk]
    ),
    "API tick": lambda w: _api(
        w.client,
        "post",
        f"/sessions/{w.other_session.pk}/attendance",
        w.admin,
        w.city,
        {"learner_id": w.members[0].pk},
    ),
    "API roster": lambda w: _api(
        w.client,
        "put",
        f"/sessions/{w.session.pk}/attendance",
        w.admin,
        w.city,
        {"learner_ids": [w.members[1].pk]},
    ),
    "headcount": lambda w: services.headcount_record(
        actor=w.admin, session=w.session, counts=[{"sex": "F", "age_band": "25-64", "count": 4}]
    ),
    "import": _sheet,
    "demo rows": _rows,
    "merge": lambda w: services.learner_merge(actor=w.admin, keep=w.members[0], duplicate=w.members[1]),
    "erasure": lambda w: services.learner_erase(actor=w.admin, learner=w.members[2]),
    "learner edit": lambda w: services.learner_update(actor=w.admin, learner=w.members[0], sex="M"),
    "session change": lambda w: services.session_update(
        actor=w.admin, session=w.session, date=w.session.date - dt.timedelta(days=40)
    ),
    "session cancel": lambda w: services.session_cancel(actor=w.admin, session=w.session),
    "newcomer": lambda w: services.newcomer_add(actor=w.admin, session=w.session, full_name="Lò Văn Mới"),
}
RAW_WRITERS = {"import", "demo rows"}  # they insert through a raw cursor, which the query log does not see


class World:
    def __init__(self, **kw):
        self.__dict__.update(kw)


@pytest.fixture
def w(client, city, people, club, space, session, members):
    from .factories import SessionFactory

    other = SessionFactory(programme=club, space=space, date=session.date - dt.timedelta(days=7))
    world = World(
        client=client, city=city, admin=people["city_admin"], club=club, session=session, other_session=other
    )
    world.members = members
    services.attendance_set(actor=world.admin, session=session, learner_ids=[m.pk for m in members])
    return world


@pytest.fixture
def taken(monkeypatch):
    """The attendance locks taken (cities, and how many queries had run by then), and the queries run."""
    record: dict = {"locks": [], "queries": None}
    real = writes.attendance_lock

    def spy(city_ids, *, using="default"):
        record["locks"].append((sorted(set(city_ids)), len(record["queries"].captured_queries)))
        return real(city_ids, using=using)

    monkeypatch.setattr(writes, "attendance_lock", spy)
    return record


@pytest.mark.parametrize("writer", list(WRITERS))
def test_each_writer_takes_the_city_lock_before_its_first_write(w, taken, writer):
    attendance_before = Attendance.objects.count()
    with CaptureQueriesContext(connection) as queries:
        taken["queries"] = queries
        WRITERS[writer](w)
    assert taken["locks"], f"{writer} wrote without the city's attendance lock"
    assert {c for cities, _ in taken["locks"] for c in cities} == {w.city.pk}
    first_lock = taken["locks"][0][1]
    if connection.vendor == "postgresql":  # the lock is the database's, with the key analytics always used
        assert f"pg_advisory_xact_lock({writes.ATTENDANCE_LOCK}, {w.city.pk})" in queries[first_lock]["sql"]
    sql = [q["sql"] for q in queries.captured_queries]
    figure_writes = [i for i, q in enumerate(sql) if FIGURE_WRITE.search(q)]
    if writer in RAW_WRITERS:
        assert Attendance.objects.count() > attendance_before
    else:
        assert figure_writes, f"{writer} wrote nothing the figures follow: the test no longer tests it"
    early = [sql[i] for i in figure_writes if i < first_lock]
    assert early == [], f"{writer} wrote before taking the lock"


def test_bulk_writes_enter_the_apps_hooks_after_the_lock(w, taken, monkeypatch):
    entered = []
    real = attendance_hooks.bulk_insert

    def spy(conn):
        entered.append((conn.alias, len(taken["locks"])))
        return real(conn)

    monkeypatch.setattr(attendance_hooks, "bulk_insert", spy)
    with CaptureQueriesContext(connection) as queries:
        taken["queries"] = queries
        _rows(w)
    assert entered == [("default", 1)]  # once, with the city's lock already taken
    # Not for a roster save: its one-row statements keep their triggers.
    with CaptureQueriesContext(connection) as queries:
        taken["queries"] = queries
        services.attendance_set(actor=w.admin, session=w.session, learner_ids=[])
    assert len(entered) == 1


def test_analytics_figures_lock_is_the_attendance_lock(city):
    assert triggers.FIGURES_LOCK == writes.ATTENDANCE_LOCK
    with CaptureQueriesContext(connection) as queries:
        triggers.lock_city_figures(city.pk)
    if connection.vendor == "postgresql":
        assert [q["sql"] for q in queries] == [
            f"SELECT pg_advisory_xact_lock({writes.ATTENDANCE_LOCK}, {city.pk})"
        ]
    else:
        assert len(queries) == 0  # SQLite runs one writer at a time: nothing to take
