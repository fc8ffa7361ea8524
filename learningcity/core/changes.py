"""The stamp of committed writes: a value written anew after every transaction that wrote data (issue 17).

Staff figures stay live: a coordinator who records attendance sees it on the staff dashboard at the next page. That
page costs about 15 ms of CPU to compute and render, so under load it held a node to about a hundred requests a
second. `core.freshness.live()` keeps a computed value in the process for as long as this stamp is unchanged.

How writes are seen. Every connection Django opens runs its statements through `_watch` (an execute wrapper, set
up by `install` when the connection is created). A statement that writes data (INSERT, UPDATE, DELETE, REPLACE,
TRUNCATE, COPY, a WITH that writes; in any table but the bookkeeping ones in `IGNORED`) marks its transaction;
when the transaction commits (`on_commit`, or at once in autocommit) `_renew` writes a new random value into the
stamp's single row, in a statement of its own. Writes made through the driver's own cursor (`core.bulk.insert_rows`, the
attendance stage) call `wrote()` themselves. A rolled back transaction renews nothing.

Why it is safe. Data is committed before its stamp is renewed, and a request reads the stamp before the data: one
that reads the new stamp reads the new data; one that read the old stamp may keep what it computed under the old
stamp, which no request that reads the new stamp asks for. The stamp is renewed inside the writing request, so its
author's next page shows the write. It is random, not counted, so a database emptied or restored never gives back a
value that named other data. Writes made outside the application (psql by hand) are not seen:
`LIVE_VALUES_MAX_AGE` bounds how long a value is kept anyway.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

TABLE = "core_changestamp"
# Bookkeeping that nothing kept reads: sign-in attempts, rate limits, the audit trail, the queue of background tasks
# (their work is watched like any other), the stamp itself. Sessions are not in it: they are kept (core.sessions).
IGNORED = frozenset(
    {
        TABLE,
        "django_admin_log",
        "core_ratelimitcounter",
        "core_auditentry",
        "axes_accessattempt",
        "axes_accesslog",
        "axes_accessfailurelog",
        "axes_accessattemptexpiration",
        "django_tasks_database_dbtaskresult",
    }
)

# Statements that write no data: reads, transaction control, settings, and DDL (schema, not figures: migrations, a
# test database's creation, a search index's triggers).
_READS = frozenset(
    {
        "SELECT",
        "SAVEPOINT",
        "RELEASE",
        "ROLLBACK",
        "PRAGMA",
        "SET",
        "SHOW",
        "BEGIN",
        "COMMIT",
        "EXPLAIN",
        "VALUES",
    }
    | {"CREATE", "DROP", "ALTER", "ANALYZE", "VACUUM", "REINDEX"}
)
_FIRST_WORD = re.compile(r"\s*(\w+)")
_WRITTEN = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM"
    r"|TRUNCATE(?:\s+TABLE)?(?:\s+ONLY)?)\s+\"?([\w.]+)\"?",
    re.IGNORECASE,
)
_WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.IGNORECASE)
_RENEW = (
    'INSERT INTO core_changestamp (id, "value") VALUES (1, %s) '
    'ON CONFLICT (id) DO UPDATE SET "value" = excluded."value"'
)
_READ = 'SELECT "value" FROM core_changestamp WHERE id = 1'

_renewers: dict[str, Callable[[], None]] = {}
_request = threading.local()  # the stamp this request read (see `stamp`)
_ready: set[str] = set()  # aliases whose database has the stamp's table (not yet while it is being migrated)


def written_table(sql) -> str | None:
    """The table a statement writes, "" when it writes data somewhere that cannot be told (COPY, a WITH ...
    INSERT, anything unknown), None when it writes no data."""
    if not isinstance(sql, str):
        return ""
    first = _FIRST_WORD.match(sql)
    head = first.group(1).upper() if first else ""
    if head in _READS:
        return None
    if head == "WITH":
        return "" if _WRITE_WORD.search(sql) else None
    match = _WRITTEN.match(sql)
    if match is None:
        return ""
    return match.group(1).lower().removeprefix("main.")


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None and table not in IGNORED and not table.startswith("temp."):
        alias = context["connection"].alias
        if alias in connections.settings:  # not Django's own connection without a database (test setup)
            wrote(alias)
    return result


def install(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """`connection_created` receiver: watch this connection's statements (once per connection object)."""
    if _watch not in connection.execute_wrappers:
        # First, so that Django's `execute_wrapper()` context, which pops the last one, never takes it away.
        connection.execute_wrappers.insert(0, _watch)


def wrote(using: str = DEFAULT_DB_ALIAS) -> None:
    """This connection's current transaction wrote data: renew the stamp once it commits (now, in autocommit)."""
    connection = connections[using]
    renew = _renewers.get(using)
    if renew is None:
        renew = _renewers[using] = lambda: _renew(using)
    if connection.in_atomic_block:
        if not pending(using):  # once per transaction
            connection.on_commit(renew, robust=True)
    else:
        _renew(using)


def _renew(using: str) -> None:
    if using not in _ready:  # a database being migrated: nothing reads the stamp before its table exists
        if TABLE not in connections[using].introspection.table_names():
            return
        _ready.add(using)
    _request.__dict__.pop("stamp", None)  # this thread's next read sees its own write
    try:
        with connections[using].cursor() as cursor:
            cursor.execute(_RENEW, [secrets.randbits(62)])
    except Exception:
        # The write itself has committed: what is kept is then at most LIVE_VALUES_MAX_AGE old.
        logger.exception("could not renew the change stamp")


def stamp(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The current stamp (None before the first write the database has seen): read once per request (between
    Django's request signals, `request_started`), and again after this thread renews it."""
    memo = _request.__dict__
    if memo.get("open") and using == DEFAULT_DB_ALIAS:
        if "stamp" not in memo:
            memo["stamp"] = _read(using)
        return memo["stamp"]
    return _read(using)


def pending(using: str = DEFAULT_DB_ALIAS) -> bool:
    """This thread's transaction wrote data not yet committed: a kept value would not show it."""
    connection = connections[using]
    renew = _renewers.get(using)
    return bool(connection.in_atomic_block and renew and any(h[1] is renew for h in connection.run_on_commit))


def _read(using: str) -> int | None:
    with connections[using].cursor() as cursor:
        cursor.execute(_READ)
        row = cursor.fetchone()
    return row[0] if row else None


def request_started(sender=None, **kwargs) -> None:
    """`request_started` receiver: this request reads the stamp once, when it first needs it."""
    _request.__dict__.clear()
    _request.open = True


def request_finished(sender=None, **kwargs) -> None:
    _request.__dict__.clear()
