"""Public figures computed at most once every few seconds per process, and never older than the freshness promise.

Public pages (the city home's key figures, the public dashboard, the indicator pages) are the same for every
anonymous visitor, and under load the same figure was being computed many times a second. `recent()` keeps a
computed value for `PUBLIC_FIGURES_MAX_AGE` seconds (3 by default). When it is older, one request recomputes it
while the others, in the same process, are given the previous value, but only while that value is younger than
`FRESHNESS_SECONDS` (5): the promise that a new attendance record shows in every figure within 5 seconds holds.
Staff views with exact numbers never use it: they use `live()`, which keeps a value only until the next write
committed to the database (core.changes). The values are per process (local memory), so nothing is shared that
could leak between cities: the key always carries the city.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings

from . import changes

T = TypeVar("T")

FRESHNESS_SECONDS = 5.0
_MAX_ENTRIES = 512

_values: dict[Hashable, tuple[float, Any]] = {}
_computing: set[Hashable] = set()
_lock = threading.Lock()
# Live values (`live`): the least recently used go first; a staff dashboard is about 100 KB, a row a few hundred bytes.
_LIVE_ENTRIES = 256
_live: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()


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


def live(key: Hashable, compute: Callable[[], T]) -> T:
    """The value of `compute()`, computed in this process since the database's last committed write.

    For staff figures and lists, which stay live: the value is kept under the change stamp read before computing it
    (core.changes: renewed after every transaction that writes data), so the next write, by anyone in any process,
    makes the next request compute it again. `LIVE_VALUES_MAX_AGE` bounds its age for writes made outside the
    application (0 computes every time, as the tests do unless they test this)."""
    limit = float(getattr(settings, "LIVE_VALUES_MAX_AGE", 60.0))
    if limit <= 0 or changes.pending():  # inside a transaction that wrote: what it wrote, not what was kept
        return compute()
    stamp = changes.stamp()
    if stamp is None:
        return compute()
    full = (key, stamp)
    now = time.monotonic()
    with _lock:
        hit = _live.get(full)
        if hit is not None and now - hit[0] < limit:
            _live.move_to_end(full)
            return hit[1]
    started = time.monotonic()
    value = compute()
    with _lock:
        _live[full] = (started, value)
        while len(_live) > _LIVE_ENTRIES:
            _live.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _values.clear()
        _computing.clear()
        _live.clear()
