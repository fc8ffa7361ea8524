"""Fast inserts of many plain rows: executemany on SQLite (looped in C, in-process), COPY on PostgreSQL (one round
trip for all the rows).

The ORM's bulk_create builds a model instance and prepares every value of every row; for tens of thousands of
simple rows (ids, numbers, dates) that costs more than the database does. The callers adapt their values
themselves (`db_datetime`) and write through `insert_rows` (a model's table) or `write_rows` (any table, such as
a temporary stage).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import connection, models

from . import changes


def write_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows of already-adapted values into `table` (quoted or a plain name) for the named columns."""
    if not rows:
        return
    names = ", ".join(columns)
    connection.ensure_connection()
    raw = connection.connection.cursor()  # type: ignore[union-attr]  # the driver's own: COPY is psycopg's
    try:
        if connection.vendor == "sqlite":
            placeholders = ", ".join(["?"] * len(columns))
            raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608
        else:
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    finally:
        raw.close()


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows given as tuples of already-adapted values for the named columns (attnames) of a model."""
    data = list(rows)
    table = connection.ops.quote_name(model._meta.db_table)
    write_rows(table, [connection.ops.quote_name(_column(model, c)) for c in columns], data)
    if data:
        changes.wrote(connection.alias)  # the driver's own cursor: Django's statement watch does not see it
    return len(data)


def db_datetime(value) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _column(model: type[models.Model], attname: str) -> str:
    field = cast(models.Field, model._meta.get_field(attname.removesuffix("_id")))
    return str(field.column)
