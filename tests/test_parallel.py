"""Work shared between forked processes: every item done exactly once, results all returned."""
from __future__ import annotations

import gc
import os
import threading

import pytest

from liaison import parallel

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


@pytest.fixture
def as_if_single_threaded(monkeypatch):
    """For the tests of the forked path: the test process runs other threads (Playwright's, the
    browser tests' server), and the generator never forks a process that runs threads."""
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


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


def test_a_helper_is_ready_only_once_its_work_is_done(monkeypatch, as_if_single_threaded):
    import time

    monkeypatch.setenv("LIAISON_WORKERS", "2")
    go_read, go_write = os.pipe()
    helper = parallel.Helper(lambda: os.read(go_read, 5) + b" done")
    time.sleep(0.2)
    assert not helper.ready()  # still waiting to be told to go
    os.write(go_write, b"go on")
    deadline = time.monotonic() + 30
    while not helper.ready() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert helper.ready()
    assert helper.result() == b"go on done"
    os.close(go_read), os.close(go_write)


def test_a_crash_in_a_worker_is_reported():
    def work(chunks):
        for chunk in chunks:
            if 7 in chunk:
                raise ValueError("item seven")
        return None

    with pytest.raises((RuntimeError, ValueError), match="item seven"):
        parallel.in_processes_queued(work, list(range(20)), 2, size=1)


def built_with_prefetch(monkeypatch, source, out, prefetch_from):
    from conftest import TODAY
    from liaison import fast, pipeline
    monkeypatch.setattr(fast, "PREFETCH_FROM", prefetch_from)
    monkeypatch.setenv("LIAISON_WORKERS", "2")
    pipeline.build(source, out, today=TODAY)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_markdown_converted_in_another_process_gives_the_same_site(monkeypatch, tmp_path, as_if_single_threaded):
    from conftest import REPO
    from liaison import fast
    received = []
    keep = fast.prefetch

    def watched(loaded, memo):
        waiting = keep(loaded, memo)
        if waiting is None:
            return None

        def wait():
            before = len(memo.html)
            waiting()
            received.append(len(memo.html) - before)
        return wait
    monkeypatch.setattr(fast, "prefetch", watched)
    elsewhere = built_with_prefetch(monkeypatch, REPO, tmp_path / "elsewhere", prefetch_from=1)
    assert received and received[0] > 20  # the sample's bios, descriptions and pages came from the other process
    here = built_with_prefetch(monkeypatch, REPO, tmp_path / "here", prefetch_from=10**9)
    assert elsewhere == here


def test_markdown_that_cannot_be_converted_is_reported_the_same_from_another_process(
        monkeypatch, tmp_path, make_project, as_if_single_threaded):
    from liaison.errors import DataError
    from test_markdown_limits import officers_with_bio
    root = make_project({"officers.yaml": officers_with_bio("- " * 2000 + "x")})
    with pytest.raises(DataError) as failure:
        built_with_prefetch(monkeypatch, root, tmp_path / "out", prefetch_from=1)
    assert [str(p) for p in failure.value.problems] == [
        "officers.yaml:10:8: 'bio' cannot be turned into a web page: its lists or quotes are nested too deeply "
        "(put fewer lists or quotes inside each other)"]


def test_a_process_that_runs_threads_never_forks(monkeypatch):
    """The preview server runs threads: a fork would copy only the forking one, and a lock
    another thread held at that moment would stay held in the copy for ever."""
    monkeypatch.delenv("LIAISON_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert threading.active_count() > 1
        assert parallel.workers() == 1
        assert parallel.in_processes(lambda share: os.getpid(), list(range(8)), parallel.workers()) == [os.getpid()]
    finally:
        stop.set()
        thread.join()


def test_a_process_without_threads_uses_every_core(monkeypatch, as_if_single_threaded):
    monkeypatch.delenv("LIAISON_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    assert parallel.workers() == 2


def test_a_build_leaves_the_garbage_collector_as_it_found_it(make_project, tmp_path):
    from liaison.pipeline import build

    build(make_project(), tmp_path / "site")
    assert gc.isenabled() and gc.get_freeze_count() == 0
