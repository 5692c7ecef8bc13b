"""The build, as a checklist: load, validate, withhold, context, outputs, publish.

Everything is loaded, checked and resolved before anything is written; every
output is a function of the resolved context (outputs.py); publishing writes a
new copy of the site and swaps it in in one step (write.py), so a mistake or a
kill anywhere leaves the previous site untouched. How each stage is done sooner
(several processes, reuse between preview rebuilds, writing only what changed)
is the engine's business: engine.Engine is the plain reference, fast.FastEngine
the default, and they give the same bytes (tests/test_engine.py).
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import astuple, dataclass, field
from pathlib import Path

from .errors import WARNING, DataError, Problem, errors_in, sort_problems
from .load import load
from .privacy import redact
from .render import asset_files
from .urls import check_base_url
from .validate import validate
from .write import check_output_dir, remove_leftovers


STAGES = ("load", "validate", "withhold", "context", "outputs", "publish")  # as build() runs them


def build(source: Path, out: Path, base_url: str | None = None, today=None, strict=False, engine=None,
          cancel=None) -> BuildResult:
    """Check the data exactly as `check` does, then build it into out. Writes nothing if the check fails.

    engine: how the stages are done (default: fast.FastEngine());
    cancel: a threading.Event; set, it stops the build between two stages, before it publishes."""
    source, out, today = Path(source), Path(out), today or dt.date.today()
    engine = engine if engine is not None else default_engine()
    steps = Steps(cancel)
    prepare_output(source, out, base_url)
    key = engine.fingerprint(source, base_url, today)
    if (previous := engine.unchanged(out, key)) is not None:
        return previous.checked(strict, steps)
    loaded = steps.run("load", engine.load, source)
    data, problems = steps.run("validate", validated, engine, loaded, today, strict)
    del loaded  # read by nothing after validation: the rest of the build is lighter without it
    withheld = steps.run("withhold", redact, data)
    ctx = steps.run("context", engine.context, data, base_url, today, source)
    files = steps.run("outputs", engine.outputs, ctx)
    copies = asset_files(source, exclude=withheld)
    stats = steps.run("publish", engine.publish, out, files, copies, manifest_header(ctx, key, problems))
    return BuildResult.of(ctx, stats, problems, steps, deferred=engine.deferred)


def default_engine():
    from .fast import FastEngine
    return FastEngine()


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


def prepare_output(source, out, base_url):
    """Refuse a base_url or an output folder that cannot be used; finish an interrupted swap."""
    if base_url is not None:
        check_base_url(base_url)
    check_output_dir(out, source)
    remove_leftovers(out)  # a build killed while swapping: the previous site comes back first


def validated(engine, loaded, today, strict):
    """The engine's validation, with the loading problems, stopping the build on any error."""
    data, problems = engine.validate(loaded, today)
    problems = sort_problems(loaded.problems + problems)
    if fails(problems, strict):
        raise DataError(problems, strict=strict)
    return data, problems


def manifest_header(ctx, key, problems):
    """What the manifest keeps of this build, for the next one's no-change check."""
    counts = dict(pages=len(ctx.pages), boroughs=len(ctx.boroughs), officers=len(ctx.officers),
                  organisations=len(ctx.organisations))
    return {"inputs": key, "counts": counts, "warnings": [list(astuple(p)) for p in problems]}


class Superseded(Exception):
    """The build was cancelled between two stages (the preview's files changed again)."""


class Steps:
    """Runs the stages one at a time, timing each for the summary, and stops between two when
    cancel (a threading.Event, or anything with is_set()) is set."""

    def __init__(self, cancel=None):
        self.cancel = cancel
        self.start = time.perf_counter()
        self.laps = {}

    def run(self, name, stage, *args):
        if self.cancel is not None and self.cancel.is_set():
            raise Superseded()
        began = time.perf_counter()
        result = stage(*args)
        self.laps[name] = time.perf_counter() - began
        return result

    def total(self):
        return time.perf_counter() - self.start


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
    unchanged: bool = False  # nothing had changed since the last build: nothing was rendered
    deferred: bool = False  # a preview's pages-first build: the open data and contact cards are the last build's
    changed: int = 0  # files that differ from the previous site (new, gone or changed)

    @classmethod
    def of(cls, ctx, stats, problems, steps, deferred=False):
        return cls(pages=len(ctx.pages), boroughs=len(ctx.boroughs), officers=len(ctx.officers),
                   organisations=len(ctx.organisations), files=stats.files, written=stats.written,
                   changed=stats.changed, seconds=steps.total(), warnings=problems, timings=steps.laps,
                   deferred=deferred)

    def checked(self, strict, steps):
        """An unchanged build's result: its warnings still fail a strict build."""
        if fails(self.warnings, strict):
            raise DataError(self.warnings, strict=strict)
        self.seconds, self.timings = steps.total(), steps.laps
        return self

    def summary(self):
        return (f"Built {plural(self.pages, 'page')} ({plural(self.boroughs, 'borough')}, "
                f"{plural(self.officers, 'officer')}, {plural(self.organisations, 'organisation')}) "
                f"in {self.seconds:.2f} s; {self.written} of {plural(self.files, 'file')} written")


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def previous_result(header, files):
    """The BuildResult a manifest's header describes, or None if it cannot be read."""
    try:
        warnings = [Problem(*fields) for fields in header["warnings"]]
        return BuildResult(**header["counts"], files=files, written=0, warnings=warnings, unchanged=True)
    except (KeyError, TypeError):
        return None
