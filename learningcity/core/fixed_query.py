"""Queries of a fixed shape compiled once per process and run again with new values (issue 17).

The queries every signed-in request runs before its own work (the city from the URL, the session, an API token and
its owner) cost about 0.2 ms of CPU each through the ORM on the reference machine, of which the database's part is
0.02 ms: the rest is Django building and compiling the same SQL on every request (a quarter to a third of a staff
page's CPU). A `FixedQuery` builds its queryset once per database alias with marker values, keeps the SQL, the
position of each marker among the parameters, the column converters and the model's field names (all Django's
own), and afterwards only executes the SQL with the request's values and builds the model as the ORM would
(`Model.from_db`), with the current thread's connection.

Only plain single-model querysets (no `select_related`, annotations or `extra()`) or their `values_list()` rows
(`FixedRows`), and only values that reach the SQL unchanged (text and integers; compare dates and times in Python
after the fetch): the compile checks both and raises, so a misuse fails the first time it runs, in the tests.
`core/tests/test_fixed_query.py` holds the rows equal to the ORM's on both engines.

`kept=True` also keeps the converted rows in the process until the next committed write (`core.freshness.live`,
keyed by the change stamp of core.changes, which each request reads once): on PostgreSQL each round trip a page
saves is about a tenth of its throughput. The city, the session, the signed-in person, her roles and an API token
are kept (signing out deletes the session's row: a write like any other). Each call still builds new model
objects, with their own lists and dicts. `core/tests/test_kept_rows.py` holds every change to access counting at
the next request.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesListIterable

from .freshness import live

M = TypeVar("M", bound=Model)

__all__ = ["FixedQuery", "FixedRows"]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (position among the parameters, index of the argument)
    converters: tuple[tuple[int, tuple, Any], ...]  # (column, converters, expression)
    attnames: tuple[str, ...]
    model: type[Model] | None  # None: rows of values (FixedRows)


def _own(value: Any) -> Any:
    return copy.deepcopy(value) if isinstance(value, (list, dict)) else value


def _marker(kind: type, index: int) -> Any:
    if kind is int:
        return -7_300_000_000_000 - index  # an id no table holds, recognisable among the parameters
    return f"\x00fixed-query-marker-{index}\x00"


class FixedQuery(Generic[M]):
    """`FixedQuery(lambda slug: City.objects.filter(slug=slug, is_public=True), str)`; `.first("son-la")`."""

    _rows = False

    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: type, kept: bool = False) -> None:
        if any(kind not in (str, int) for kind in kinds):
            raise TypeError("FixedQuery takes str and int values only")
        self._build = build
        self._kinds = kinds
        # kept: the rows are kept in the process until the next committed write (core.freshness.live)
        self._kept = kept
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        markers = [_marker(kind, i) for i, kind in enumerate(self._kinds)]
        queryset = self._build(*markers).using(alias)
        query = queryset.query
        rows = self._rows
        if rows != (queryset._iterable_class is ValuesListIterable):  # type: ignore[attr-defined]
            raise ValueError("FixedQuery runs model querysets; FixedRows runs values_list() querysets")
        if query.select_related or query.annotations or query.extra:
            raise ValueError("FixedQuery runs plain model querysets only")
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        klass_info = compiler.klass_info
        if not rows and (
            not klass_info or klass_info.get("related_klass_infos") or compiler.annotation_col_map
        ):
            raise ValueError("FixedQuery runs plain model querysets only")
        slots = []
        for index, marker in enumerate(markers):
            found = [
                pos for pos, value in enumerate(params) if value == marker and type(value) is type(marker)
            ]
            if len(found) != 1:
                raise ValueError(f"value {index} must reach the SQL once and unchanged (found {len(found)})")
            slots.append((found[0], index))
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = tuple(
            (pos, tuple(convs), expression)
            for pos, (convs, expression) in compiler.get_converters(fields).items()
        )
        if rows:
            return _Compiled(sql, tuple(params), tuple(slots), converters, (), None)
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        if (start, end) != (0, len(fields)):
            raise ValueError("FixedQuery runs plain model querysets only")
        attnames = tuple(column[0].target.attname for column in compiler.select[start:end])
        return _Compiled(sql, tuple(params), tuple(slots), converters, attnames, klass_info["model"])

    def _run(self, values: tuple, using: str) -> tuple[_Compiled, tuple[tuple, ...]]:
        if len(values) != len(self._kinds):
            raise TypeError(f"expected {len(self._kinds)} values, got {len(values)}")
        for value, kind in zip(values, self._kinds, strict=True):
            if type(value) is not kind:
                raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(using) or self._compile(using)
                self._compiled[using] = compiled
        if self._kept:
            key = ("core.fixed_query", id(self), using, values)
            return compiled, live(key, lambda: self._fetch(compiled, values, using))
        return compiled, self._fetch(compiled, values, using)

    @staticmethod
    def _fetch(compiled: _Compiled, values: tuple, using: str) -> tuple[tuple, ...]:
        params = list(compiled.params)
        for pos, index in compiled.slots:
            params[pos] = values[index]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        out = []
        for raw in fetched:
            row = list(raw)
            for pos, convs, expression in compiled.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            out.append(tuple(row))
        return tuple(out)

    def all(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[M]:
        compiled, rows = self._run(values, using)
        model = compiled.model
        assert model is not None
        if self._kept:
            # Rows shared with other requests: each model gets its own lists and dicts (JSON fields).
            rows = tuple(tuple(_own(value) for value in row) for row in rows)
        return [cast("M", model.from_db(using, compiled.attnames, row)) for row in rows]

    def first(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> M | None:
        """The first row in the queryset's own order, or None (give the queryset an order, or a unique filter)."""
        rows = self.all(*values, using=using)
        return rows[0] if rows else None


class FixedRows(FixedQuery):
    """The same for a `values_list()` queryset (joins allowed, as in its fields): `.tuples(*values)` gives its rows
    as tuples, converted as the ORM converts them."""

    _rows = True

    def tuples(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        return list(self._run(values, using)[1])

    def all(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list:
        raise TypeError("FixedRows gives tuples: use .tuples()")
