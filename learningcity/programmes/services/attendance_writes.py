"""The one way attendance is written: `attendance_writes(city_id)` around every write of a city's attendance.

Attendance drives figures that other apps keep in the database (analytics: the participation summary and the
rollups, by triggers inside the writing transaction). Those figures hold city-wide rows (people by area, sex, age
band...), so two transactions writing attendance of one city touch the same rows; taken in different orders by
different statements they deadlock on PostgreSQL (found by the load test: two roster saves; a learner merge or
erasure against a roster save the same way). So every writer of a city's attendance, or of the rows those
triggers follow (a learner's people dimensions, an erasure, a merge, a session's date, minutes or space), writes
inside this block, which

- opens the transaction (or joins the caller's, without a savepoint),
- takes the city's attendance lock first: a PostgreSQL advisory transaction lock (ATTENDANCE_LOCK, city id),
  held until the transaction ends, so writers of one city run one after the other and writers of different
  cities never wait for each other (SQLite runs writers one at a time already: nothing to take there),
- with `bulk=True` (many INSERTs into attendance, nothing else), enters the `bulk_insert(connection)` hooks that
  other apps offer in an `attendance_hooks` module (`core.registry`): analytics adds such a block's rows to its
  summary with one aggregated upsert on SQLite instead of one per row;
- with `bulk="memberships"` (many INSERTs into memberships, nothing else), enters their `bulk_memberships(connection)`
  hooks the same way: analytics adds the block's memberships to its member rollups once on SQLite (PostgreSQL's
  statement-level triggers do it for each statement: write the rows in one).

Programmes thereby imports nothing from analytics; analytics plugs in through its hook and its triggers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Literal

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from learningcity.core import changes
from learningcity.core.registry import app_modules

# The first key of the advisory lock; the second is the city's id. Unchanged from analytics' FIGURES_LOCK, which
# every attendance writer took before, so a live system with old and new processes side by side keeps one lock.
ATTENDANCE_LOCK = 7351


def attendance_lock(city_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Take the attendance lock of these cities (in id order) until the transaction ends (PostgreSQL only)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        # Outside a transaction the lock would be gone before the write it should cover.
        raise transaction.TransactionManagementError("The attendance lock needs a transaction.")
    with connection.cursor() as cursor:
        for city_id in sorted(set(city_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ATTENDANCE_LOCK, city_id])


@contextmanager
def attendance_writes(
    city_id: int | Iterable[int],
    *,
    bulk: bool | Literal["memberships"] = False,
    using: str = DEFAULT_DB_ALIAS,
) -> Iterator[None]:
    """Write attendance of this city (or cities) inside this block; see the module's docstring."""
    city_ids = [int(city_id)] if isinstance(city_id, int) else [int(c) for c in city_id]
    connection = connections[using]
    with transaction.atomic(using=using, savepoint=False):
        attendance_lock(city_ids, using=using)
        changes.wrote(
            using
        )  # the bulk paths write through the driver's own cursor, which core.changes cannot see
        if not bulk:
            yield
            return
        name = "bulk_memberships" if bulk == "memberships" else "bulk_insert"
        with ExitStack() as hooks:
            for module in app_modules("attendance_hooks"):
                hook = getattr(module, name, None)
                if hook is not None:
                    hooks.enter_context(hook(connection))
            yield
