"""Public figures computed at most once every few seconds per process, and never older than the freshness promise.

Public pages (the city home's key figures, the public dashboard, the indicator pages) are the same for every
anonymous visitor, and under load the same figure was being computed many times a second. `recent()` keeps a
computed value for `PUBLIC_FIGURES_MAX_AGE` seconds (3 by default). When it is older, one request recomputes it
while the others, in the same process, are given the previous value, but only while that value is younger than
`FRESHNESS_SECONDS` (5): the promise that a new attendance record shows in every figure within 5 seconds holds.
Staff views with exact numbers never use it. The values are per process (local memory), so nothing is shared that
could leak between cities: the key always carries the city.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

FRESHNESS_SECONDS = 5.0
_MAX_ENTRIES = 512

_values: dict[Hashable, tuple[float, Any]] = {}
_computing: set[Hashable] = set()
_lock = threading.Lock()


def max_age() -> float:
    return float(getattr(settings, "PUBLIC_FIGURES_MAX_AGE", 3.0))


def recent(key: Hashable, compute: Callable[[], T]) -> T:
    """The value of `compute()`, read from the database at most `max_age()` seconds ago (see the module's note)."""
    limit = max_age()
    if limit <= 0:
        return compute()
    now = time.monotonic()
    with _lock:
        hit = _values.get(key)
        if hit is not None:
            age = now - hit[0]
            if age < limit:
                return hit[1]
            if age < FRESHNESS_SECONDS and key in _computing:
                return hit[1]  # another thread is recomputing it; this one is still within the promise
        _computing.add(key)
    started = time.monotonic()  # the age of a value counts from when its data was read
    try:
        value = compute()
    finally:
        with _lock:
            _computing.discard(key)
    with _lock:
        if len(_values) >= _MAX_ENTRIES:
            oldest = sorted(_values, key=lambda k: _values[k][0])[: _MAX_ENTRIES // 4]
            for k in oldest:
                _values.pop(k, None)
        current = _values.get(key)
        if current is None or current[0] <= started:  # a slower, older computation never replaces a newer one
            _values[key] = (started, value)
    return value


def clear() -> None:
    with _lock:
        _values.clear()
        _computing.clear()
