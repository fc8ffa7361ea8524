"""The micro-cache of public figures: recomputed after max_age, stale values only while another thread computes
and only within the 5-second freshness promise, off when max_age is 0."""

import threading
import time
import types

import pytest

from learningcity.core import freshness


@pytest.fixture(autouse=True)
def _clean():
    freshness.clear()
    yield
    freshness.clear()


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_off_when_max_age_is_zero(settings):
    settings.PUBLIC_FIGURES_MAX_AGE = 0
    _calls, compute = counter()
    assert [freshness.recent("k", compute) for _ in range(3)] == [1, 2, 3]


def test_reused_within_max_age_and_recomputed_after(settings, monkeypatch):
    # The module's clock is set by hand: a busy machine's pause between two calls cannot age the value.
    clock = types.SimpleNamespace(now=1000.0)
    monkeypatch.setattr(freshness, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    settings.PUBLIC_FIGURES_MAX_AGE = 2
    _calls, compute = counter()
    assert freshness.recent("k", compute) == 1
    clock.now += 1.9
    assert freshness.recent("k", compute) == 1
    assert freshness.recent("other", compute) == 2  # keys are separate (the city is part of every key)
    clock.now += 0.2
    assert freshness.recent("k", compute) == 3


def test_stale_value_only_while_another_thread_computes(settings, monkeypatch):
    settings.PUBLIC_FIGURES_MAX_AGE = 0.1
    freshness.recent("k", lambda: "old")
    time.sleep(0.15)
    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(5)
        return "new"

    result = {}
    worker = threading.Thread(target=lambda: result.update(value=freshness.recent("k", slow)))
    worker.start()
    started.wait(5)
    # While the slow recompute runs, other requests get the previous value (it is younger than 5 s)...
    assert freshness.recent("k", lambda: "unused") == "old"
    # ...but never one older than the freshness promise: then they compute themselves.
    monkeypatch.setattr(freshness, "FRESHNESS_SECONDS", 0.1)
    assert freshness.recent("k", lambda: "own") == "own"
    release.set()
    worker.join(5)
    assert result["value"] == "new"


def test_an_error_is_not_cached(settings):
    settings.PUBLIC_FIGURES_MAX_AGE = 10

    def broken():
        raise ValueError("no data")

    with pytest.raises(ValueError, match="no data"):
        freshness.recent("k", broken)
    assert freshness.recent("k", lambda: 7) == 7
