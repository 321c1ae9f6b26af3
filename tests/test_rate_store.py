"""`memory://` counts like limits' MemoryStorage, never starts a thread, and sweeps expired counts itself."""
import threading

import pytest
from limits.storage import storage_from_string

from academy.core import ratestore
from academy.core.ratestore import SweptMemoryStorage


@pytest.fixture
def clock(monkeypatch):
    now = {"wall": 1_000_000.0, "monotonic": 500.0}
    monkeypatch.setattr("limits.storage.memory.time.time", lambda: now["wall"])
    monkeypatch.setattr(ratestore.time, "monotonic", lambda: now["monotonic"])
    return now


def test_memory_is_the_swept_store():
    assert isinstance(storage_from_string("memory://"), SweptMemoryStorage)


def test_it_counts_in_its_window_and_starts_again_after_it(clock):
    store = SweptMemoryStorage()
    assert [store.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    clock["wall"] += 61
    assert store.get("k") == 0 and store.incr("k", 60) == 1


def test_no_increment_starts_a_thread(clock, monkeypatch):
    store = SweptMemoryStorage()

    def no_thread(*args, **kwargs):
        raise AssertionError("a thread was started")

    monkeypatch.setattr(threading.Thread, "start", no_thread)
    for step in range(50):
        clock["monotonic"] += 0.1
        store.incr(f"k{step % 5}", 60)


def test_expired_counts_are_swept_at_most_once_a_second(clock):
    store = SweptMemoryStorage()
    for key in ("a", "b", "c"):
        store.incr(key, 10)
    clock["wall"] += 11  # all three expired
    clock["monotonic"] += 0.5
    store.incr("d", 10)
    assert set(store.expirations) == {"a", "b", "c", "d"}  # not swept yet: the last sweep is not a second old
    clock["monotonic"] += 0.6
    store.incr("d", 10)
    assert set(store.expirations) == {"d"} and store.get("d") == 2
