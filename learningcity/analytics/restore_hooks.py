"""The restore of a backup (ops.archive.restore) loads every table as it was archived, in one transaction. The
summary, the rollups, the tally and the member and dashboard tables are in the archive too, consistent with their
sources at the moment of the backup; their triggers must not count the attendance, learners, memberships and
sessions a second time while those load. So they are dropped for the load and installed again after it (inside
the restore's transaction: a failed restore rolls the drop back too)."""

from collections.abc import Iterator
from contextlib import contextmanager

from learningcity.analytics import dashboard_rollups, members, rollup, tally, triggers

# The tables kept by triggers (labels): they hold nothing their sources do not give, so rows left in them (a
# flush or a cascade may leave zero or orphan rows: docs/analytics.md) do not make a database "not empty".
DERIVED = (
    "analytics.participation",
    "analytics.learneryear",
    "analytics.peopleyear",
    "analytics.programmelearner",
    "analytics.programmeyear",
    "analytics.learnertally",
    "analytics.memberjoin",
    "analytics.membercame",
    "analytics.learnergroup",
    "analytics.groupyear",
    "analytics.sessionday",
    "analytics.sessionyear",
)


@contextmanager
def restore_load(connection) -> Iterator[None]:
    members.uninstall(connection)
    dashboard_rollups.uninstall(connection)
    rollup.uninstall(connection)
    tally.uninstall(connection)
    triggers.uninstall(connection)
    yield
    triggers.install(connection)
    rollup.install(connection)
    tally.install(connection)
    members.install(connection)
    dashboard_rollups.install(connection)
