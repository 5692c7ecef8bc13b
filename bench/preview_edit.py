#!/usr/bin/env python3
"""Time the preview's rebuilds after one-line edits, as `build.py serve` does them, in one process.

    python bench/preview_edit.py SOURCE OUT [EDITS]

Builds SOURCE into OUT with the preview's cache, then changes one officer's phone number
EDITS times (default 6) and times each rebuild: the pages-first build after which the
preview reloads the page (the save-to-reload time, less the watcher's polling), then the
complete build that follows it. Prints the median of each, in seconds, as JSON. Works with
the generator before its build became a checklist (bench/compare.py runs it against older
revisions), so it uses whichever API the generator on the path has.
"""
import inspect
import json
import re
import statistics
import sys
import time
from pathlib import Path

from liaison import pipeline
from liaison.incremental import BuildCache


def preview_build(source, out, cache, pages_first=False):
    if "engine" not in inspect.signature(pipeline.build).parameters:  # before the seam: the cache went to build()
        return pipeline.build(source, out, cache=cache, pages_first=pages_first)
    from liaison.fast import FastEngine
    return pipeline.build(source, out, engine=FastEngine(cache, pages_first=pages_first))


def main(source, out, edits=6):
    cache = BuildCache()
    preview_build(source, out, cache)
    officers = source / "officers.yaml"
    text = officers.read_text(encoding="utf-8")
    phones = re.findall(r'phone: "([^"]+)"', text)
    first, rest = [], []
    for number in phones[:edits]:
        changed = number[:-1] + str((int(number[-1]) + 1) % 10)
        text = text.replace(f'phone: "{number}"', f'phone: "{changed}"', 1)
        officers.write_text(text, encoding="utf-8")
        began = time.perf_counter()
        preview_build(source, out, cache, pages_first=True)
        first.append(time.perf_counter() - began)
        began = time.perf_counter()
        preview_build(source, out, cache)
        rest.append(time.perf_counter() - began)
    print(json.dumps({"pages_first": statistics.median(first), "complete": statistics.median(rest)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), *map(int, sys.argv[3:]))
