"""Fast inserts of many plain rows (assignments, results): executemany on SQLite, COPY on PostgreSQL.

The ORM's bulk_create builds a model instance and prepares every value of every row; for 30,000 assignments that
costs more than the database does. The rows written here are simple (ids, numbers, one timestamp), so they are
adapted by the caller and inserted directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import connection, models


def _column(model: type[models.Model], attname: str) -> str:
    field = cast(models.Field, model._meta.get_field(attname.removesuffix("_id")))
    return str(field.column)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows given as tuples of already-adapted values for the named columns (attnames)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(_column(model, c)) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    data = list(rows)
    if not data:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # in-process: executemany is the fastest way
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", data)  # noqa: S608
            return len(data)
        # PostgreSQL: COPY, one round trip for all the rows.
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
    return len(data)


def db_datetime(value) -> Any:
    return connection.ops.adapt_datetimefield_value(value)
