"""The build, as a checklist: load, validate, context, render, write.

Everything is resolved and rendered in memory before anything is written, so
a mistake anywhere stops the build with the previous site untouched.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .context import build_context
from .errors import WARNING, DataError, errors_in, sort_problems
from .export import download_files
from .hsds import hsds_files
from .load import load
from .privacy import redact
from .render import asset_files, render
from .urls import check_base_url
from .validate import validate
from .write import check_output_dir, recover_interrupted, write_site


@dataclass
class BuildResult:
    pages: int = 0
    boroughs: int = 0
    officers: int = 0
    organisations: int = 0
    files: int = 0
    written: int = 0
    seconds: float = 0.0
    warnings: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    def summary(self):
        return (f"Built {plural(self.pages, 'page')} ({plural(self.boroughs, 'borough')}, "
                f"{plural(self.officers, 'officer')}, {plural(self.organisations, 'organisation')}) "
                f"in {self.seconds:.2f} s; {self.written} of {plural(self.files, 'file')} written")


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


class Stopwatch:
    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.laps = {}

    def lap(self, name):
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now

    def total(self):
        return time.perf_counter() - self.start


def check(source: Path, today=None):
    """Load and validate only. Returns (data, every problem sorted by file and line).

    today: the day records' freshness is judged on (default: the real today).
    """
    loaded = load(Path(source))
    data, problems = validate(loaded, today)
    return data, sort_problems(loaded.problems + problems)


def fails(problems, strict=False):
    """Whether these problems stop a build or fail a check: errors, and with strict also warnings."""
    return bool(errors_in(problems)) or (strict and any(p.severity == WARNING for p in problems))


def build(source: Path, out: Path, base_url: str | None = None, today=None, strict=False) -> BuildResult:
    """Check the data exactly as `check` does, then build. Writes nothing if the check fails."""
    source, out = Path(source), Path(out)
    if base_url is not None:
        check_base_url(base_url)
    check_output_dir(out, source)
    recover_interrupted(out)  # a build killed while swapping: the previous site comes back first
    clock = Stopwatch()
    loaded = load(source)
    clock.lap("load")
    data, problems = validate(loaded, today)
    problems = sort_problems(loaded.problems + problems)
    if fails(problems, strict):
        raise DataError(problems, strict=strict)
    clock.lap("validate")
    withheld = redact(data)  # from here on, private fields are gone
    ctx = build_context(data, base_url, today)
    clock.lap("context")
    files, template_problems = render(ctx, source)
    if template_problems:
        raise DataError(template_problems)
    clock.lap("render")
    files.update(download_files(data))
    files.update(hsds_files(data, ctx.site))
    clock.lap("open data")
    stats = write_site(out, files, asset_files(source, exclude=withheld))
    clock.lap("write")
    return BuildResult(pages=len(ctx.pages), boroughs=len(ctx.boroughs), officers=len(ctx.officers),
                       organisations=len(ctx.organisations), files=stats.files, written=stats.written,
                       seconds=clock.total(), warnings=problems, timings=clock.laps)
