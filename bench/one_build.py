#!/usr/bin/env python3
"""One build, as `python build.py build --source SOURCE --out OUT` runs it, with its figures
printed as JSON on the last line. bench/run.py runs this in a fresh process for every build.

It imports what build.py imports and leaves the same way (cli.exit_now), so the time from
starting this process to its end is the time the command takes."""
import json
import resource
import sys
import time
from pathlib import Path

from liaison.cli import exit_now
from liaison.pipeline import build


def own_peak_mb():
    """This process's own peak resident memory. ru_maxrss would be the larger of it and the peak
    of the process that started this one: Linux carries that across exec (exec_mmap() in
    fs/exec.c), and subprocess starts this one with vfork, sharing bench/run.py's memory."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(source, out):
    cpu = time.process_time()
    result = build(Path(source), Path(out))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "seconds": result.seconds, "timings": result.timings, "pages": result.pages, "files": result.files,
        "written": result.written, "unchanged": result.unchanged,
        "cpu": time.process_time() - cpu + children.ru_utime + children.ru_stime,
        "peak_mb": own_peak_mb(), "peak_worker_mb": children.ru_maxrss / 1024,
    }))
    return 0


if __name__ == "__main__":
    exit_now(main(sys.argv[1], sys.argv[2]))
