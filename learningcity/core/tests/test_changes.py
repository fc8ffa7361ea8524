"""core.changes: the stamp renewed after every committed write, never inside the transaction or after a rollback."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from learningcity.core import changes
from learningcity.core.bulk import db_datetime, insert_rows
from learningcity.core.models import AuditEntry, City, PopulationCount


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('SELECT "core_city"."id" FROM "core_city"', None),
        ("  select 1", None),
        ('SELECT * FROM "core_city" FOR UPDATE', None),
        ('SAVEPOINT "s1"', None),
        ("PRAGMA foreign_keys = ON", None),
        ('INSERT INTO "programmes_attendance" ("city_id") VALUES (%s)', "programmes_attendance"),
        ("INSERT OR IGNORE INTO analytics_summary (a) VALUES (1)", "analytics_summary"),
        ('UPDATE "core_populationcount" SET "count" = %s', "core_populationcount"),
        ("update or replace core_area set name = 'x'", "core_area"),
        ('DELETE FROM "programmes_learner" WHERE id = 1', "programmes_learner"),
        ("REPLACE INTO core_area (id) VALUES (1)", "core_area"),
        ('TRUNCATE "core_city", "core_area" RESTART IDENTITY CASCADE', "core_city"),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', "django_session"),
        ("INSERT INTO temp.lc_stage (a) VALUES (1)", "temp.lc_stage"),
        ("INSERT INTO main.core_area (id) VALUES (1)", "core_area"),
        ("WITH x AS (SELECT 1) SELECT * FROM x", None),
        ("WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved", ""),
        ("CREATE INDEX i ON core_area (name)", None),
        ('DROP DATABASE "test_lc"', None),
        ("COPY programmes_attendance (a) FROM STDIN", ""),
    ],
)
def test_statements_are_told_apart(sql, table):
    assert changes.written_table(sql) == table


pytestmark_db = pytest.mark.django_db(transaction=True)


@pytestmark_db
def test_a_write_in_autocommit_renews_the_stamp_and_a_read_does_not(city):
    before = changes.stamp()
    assert before is not None  # the city fixture's own writes renewed it
    list(City.objects.all())
    assert changes.stamp() == before
    City.objects.filter(pk=city.pk).update(is_public=False)
    assert changes.stamp() != before


@pytestmark_db
def test_a_transaction_renews_the_stamp_once_it_commits_and_a_rollback_never(city, areas):
    before = changes.stamp()
    with transaction.atomic():
        PopulationCount.objects.create(city=city, area=areas["to_1"], year=2025, count=10)
        assert changes.stamp() == before  # inside: nothing is renewed before the data is visible
        assert sum(func.__name__ == "<lambda>" for _s, func, _r in connection.run_on_commit) == 1
        PopulationCount.objects.create(city=city, area=areas["to_hieu"], year=2025, count=20)
        assert len(connection.run_on_commit) == 1  # once per transaction, however many statements
    committed = changes.stamp()
    assert committed != before

    def stopped():
        with transaction.atomic():
            PopulationCount.objects.filter(city=city).update(count=1)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        stopped()
    assert changes.stamp() == committed
    assert set(PopulationCount.objects.values_list("count", flat=True)) == {10, 20}


@pytestmark_db
def test_bookkeeping_writes_leave_the_stamp_alone(city):
    before = changes.stamp()
    AuditEntry.objects.create(city=city, action="create", object_type="x", object_id="1")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_ratelimitcounter (bucket, window_start, count) VALUES ('t', 0, 1)")
    assert changes.stamp() == before


@pytestmark_db
def test_rows_written_through_the_drivers_cursor_renew_it_too(city, areas):
    before = changes.stamp()
    now = db_datetime(timezone.now())
    insert_rows(
        PopulationCount,
        [
            "city_id",
            "area_id",
            "year",
            "count",
            "sex",
            "age_band",
            "ethnicity",
            "source",
            "created_at",
            "updated_at",
        ],
        [(city.pk, areas["to_1"].pk, 2026, 5, "", "", "", "", now, now)],
    )
    assert PopulationCount.objects.filter(year=2026).count() == 1
    assert changes.stamp() != before


@pytest.mark.django_db
def test_the_watch_is_set_once_and_outlives_a_wrapper_set_around_it():
    connection.ensure_connection()
    assert connection.execute_wrappers.count(changes._watch) == 1  # set when the connection was opened
    connection.execute_wrappers.remove(changes._watch)

    def other(execute, sql, params, many, context):
        return execute(sql, params, many, context)

    with connection.execute_wrapper(other):
        changes.install(None, connection)  # a connection opened inside another wrapper's block
    assert connection.execute_wrappers.count(changes._watch) == 1
    assert other not in connection.execute_wrappers
