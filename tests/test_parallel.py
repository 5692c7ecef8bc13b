"""Work shared between forked processes: every item done exactly once, results all returned."""
from __future__ import annotations

import os

import pytest

from liaison import parallel

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


def test_queued_work_gives_every_item_to_exactly_one_process():
    def work(chunks):
        return os.getpid(), [item for chunk in chunks for item in chunk]

    results = parallel.in_processes_queued(work, list(range(2000)), 3, size=5)
    assert len(results) == 3 and len({pid for pid, _ in results}) == 3
    assert sorted(item for _, items in results for item in items) == list(range(2000))


def test_a_slow_item_does_not_hold_up_the_rest():
    import time

    def work(chunks):
        done = []
        for chunk in chunks:
            if 0 in chunk:
                time.sleep(1)  # the first chunk is slow: the other process takes everything else
            done += chunk
        return done

    first, second = parallel.in_processes_queued(work, list(range(100)), 2, size=1)
    assert (first, second) == ([0], list(range(1, 100))) or (second, first) == ([0], list(range(1, 100)))


def test_more_items_than_chunk_numbers_fit_are_chunked_bigger():
    results = parallel.in_processes_queued(lambda chunks: [len(c) for c in chunks], list(range(50_000)), 2, size=1)
    sizes = [size for result in results for size in result]
    assert sum(sizes) == 50_000 and len(sizes) <= parallel.MAX_CHUNKS


def test_a_crash_in_a_worker_is_reported():
    def work(chunks):
        for chunk in chunks:
            if 7 in chunk:
                raise ValueError("item seven")
        return None

    with pytest.raises((RuntimeError, ValueError), match="item seven"):
        parallel.in_processes_queued(work, list(range(20)), 2, size=1)
