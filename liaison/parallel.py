"""Work shared with forked copies of this process, to use every core.

A forked copy shares everything already in memory (the context, the compiled
templates) without pickling it; only results come back, through a pipe. On
systems without fork (Windows), and in a process that runs threads (the preview
server), everything runs in this process: a fork copies only the thread that made
it, so a lock another thread held at that moment stays held in the copy for ever.
"""
from __future__ import annotations

import os
import pickle
import select
import threading
import traceback

# Below this many pages, starting a second process costs more than it saves.
PARALLEL_FROM = 600


def workers():
    if not hasattr(os, "fork") or os.environ.get("LIAISON_WORKERS") == "1" or threading.active_count() > 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, int(os.environ.get("LIAISON_WORKERS") or 8)))


def _child(work, share, pipe):
    """In a forked process: do the work, send the result up the pipe, and leave without cleaning up."""
    try:
        try:
            payload = ("ok", work(share))
        except BaseException:  # noqa: BLE001 - reported by the parent
            payload = ("crash", traceback.format_exc())
        with os.fdopen(pipe, "wb") as stream:
            pickle.dump(payload, stream, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)


def _fork(work, share):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(work, share, write_end)
    os.close(write_end)
    return pid, read_end


def _collect(pid, read_end):
    try:
        with os.fdopen(read_end, "rb") as stream:
            status, result = pickle.load(stream)
    except EOFError:
        status, result = "crash", "the process stopped without a result"
    finally:
        os.waitpid(pid, 0)
    if status != "ok":
        raise RuntimeError(f"work in a second process failed:\n{result}")
    return result


def in_processes(work, items, count):
    """[work(share) for each share], the shares dealt out in turn, run in count processes:
    this one and count - 1 forked copies of it.

    The copies share everything already in memory (the context, the compiled
    templates) without pickling it; only what work() returns comes back.
    Dealing pages out in turn gives each process a similar mix of heavy and
    light pages."""
    if count <= 1:
        return [work(items)]
    children = []
    try:
        for index in range(1, count):
            children.append(_fork(work, items[index::count]))
        results = [work(items[0::count])]
    finally:
        results_of_children = [_collect(pid, pipe) for pid, pipe in children]
    return results + results_of_children



# Chunks are numbered in a pipe that every process reads; the numbers must fit in
# its buffer (64 KiB on Linux, 4 KiB at the least POSIX allows) before anyone reads.
MAX_CHUNKS = 1000


def in_processes_queued(work, items, count, size=32):
    """[work(chunks) for each process]: count processes (this one and count - 1 forked
    copies) share the items, each taking the next chunk of `size` items when it
    is ready for more, so a slow item does not leave the other processes idle.

    work gets an iterator over the chunks its process takes. Reads of a few bytes
    from a pipe are atomic, so each chunk number is read by exactly one process."""
    size = max(size, -(-len(items) // MAX_CHUNKS))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    if count <= 1:
        return [work(iter(chunks))]
    read_end, write_end = os.pipe()
    os.write(write_end, b"".join(index.to_bytes(2, "little") for index in range(len(chunks))))
    os.close(write_end)

    def taken():
        while len(number := os.read(read_end, 2)) == 2:
            yield chunks[int.from_bytes(number, "little")]

    children = []
    try:
        for _ in range(1, count):
            children.append(_fork(lambda _: work(taken()), None))
        results = [work(taken())]
    finally:
        results_of_children = [_collect(pid, pipe) for pid, pipe in children]
        os.close(read_end)
    return results + results_of_children


class Helper:
    """work() running in a forked copy while this process goes on; result() waits for it."""

    def __init__(self, work):
        self.pid, self.pipe = _fork(lambda _: work(), None) if workers() > 1 else (None, None)
        self.work = work
        self.done = False

    def ready(self):
        """True once result() would not wait for the work: it is done, and its result on the way."""
        return self.done or self.pid is None or bool(select.select([self.pipe], [], [], 0)[0])

    def result(self):
        if not self.done:
            self.value = self.work() if self.pid is None else _collect(self.pid, self.pipe)
            self.done = True
        return self.value
