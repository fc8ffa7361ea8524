"""Analytics' hooks into programmes' attendance writes (`programmes.services.attendance_writes`, found by
`core.registry.app_modules("attendance_hooks")`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import members, triggers


@contextmanager
def bulk_insert(connection) -> Iterator[None]:
    """Many attendance INSERTs: the summary follows with one aggregated upsert (triggers.bulk_insert)."""
    with triggers.bulk_insert(connection):
        yield


@contextmanager
def bulk_memberships(connection) -> Iterator[None]:
    """Many membership INSERTs: the member rollups follow with one aggregated upsert each (members.bulk_insert)."""
    with members.bulk_insert(connection):
        yield
