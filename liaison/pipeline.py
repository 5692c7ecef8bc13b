"""The build, as a checklist: load, validate, context, render, write.

Everything is resolved and rendered in memory before anything is written, so
a mistake anywhere stops the build with the previous site untouched.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .context import build_context
from .errors import DataError, errors_in, sort_problems
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


def check(source: Path):
    """Load and validate only. Returns (data, every problem sorted by file and line)."""
    loaded = load(Path(source))
    data, problems = validate(loaded)
    return data, sort_problems(loaded.problems + problems)


def build(source: Path, out: Path, base_url: str | None = None, today=None) -> BuildResult:
    source, out = Path(source), Path(out)
    if base_url is not None:
        check_base_url(base_url)
    check_output_dir(out, source)
    recover_interrupted(out)  # a build killed while swapping: the previous site comes back first
    clock = Stopwatch()
    loaded = load(source)
    clock.lap("load")
    data, problems = validate(loaded)
    problems = sort_problems(loaded.problems + problems)
    if errors_in(problems):
        raise DataError(problems)
    clock.lap("validate")
    withheld = redact(data)  # from here on, private fields are gone
    ctx = build_context(data, base_url, today)
    clock.lap("context")
    files, template_problems = render(ctx, source)
    if template_problems:
        raise DataError(template_problems)
    clock.lap("render")
    stats = write_site(out, files, asset_files(source, exclude=withheld))
    clock.lap("write")
    return BuildResult(pages=len(ctx.pages), boroughs=len(ctx.boroughs), officers=len(ctx.officers),
                       organisations=len(ctx.organisations), files=stats.files, written=stats.written,
                       seconds=clock.total(), warnings=problems, timings=clock.laps)
