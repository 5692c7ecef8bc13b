"""The build, as a checklist: check, load, validate, context, render, write.

Everything is loaded, checked and resolved before anything is written, and
pages are written only into the spare copy of the site, which replaces the
published one in a single step at the very end (write.py): a mistake anywhere
stops the build with the previous site untouched. "check" first compares a
fingerprint of every input with the last build's, and stops there when nothing
changed. Big builds render and write in several processes (render_and_write);
the preview server's rebuilds reuse what did not change (incremental.py).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import astuple, dataclass, field
from pathlib import Path

from .context import build_context, site_settings
from . import parallel
from .errors import WARNING, DataError, Problem, errors_in, sort_problems
from .export import download_files, download_paths
from .hsds import hsds_files, hsds_paths
from .inputs import input_key
from .load import load
from .markup import not_rendered, remember as remember_markdown, render_all
from .privacy import redact
from .render import asset_files, render, render_into, site_files
from .urls import check_base_url, output_file
from .validate import validate
from .write import Manifest, SiteWriter, check_output_dir, digest, remove_leftovers, verify, write_site


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
    deferred: bool = False  # a pages-first build: the open data and contact cards are the last build's
    changed: int = 0  # files that differ from the previous site (new, gone or changed)

    def summary(self):
        return (f"Built {plural(self.pages, 'page')} ({plural(self.boroughs, 'borough')}, "
                f"{plural(self.officers, 'officer')}, {plural(self.organisations, 'organisation')}) "
                f"in {self.seconds:.2f} s; {self.written} of {plural(self.files, 'file')} written")


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


LAST_BEFORE_WRITING = "render"  # the stage after which a preview build writes the site


class Stopwatch:
    def __init__(self, superseded=None):
        self.start = self.last = time.perf_counter()
        self.laps = {}
        self.superseded = superseded

    def lap(self, name):
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now
        if self.superseded is not None and name != "write" and self.superseded(name == LAST_BEFORE_WRITING):
            raise Superseded()

    def still_wanted(self):
        """Within a long stage: stop if the preview's files have changed meanwhile."""
        if self.superseded is not None and self.superseded(False):
            raise Superseded()

    def total(self):
        return time.perf_counter() - self.start


def check(source: Path, today=None):
    """Load and validate only. Returns (data, every problem sorted by file and line).

    today: the day records' freshness is judged on (default: the real today).
    """
    loaded = load(Path(source))
    data, problems = validate(loaded, today)
    return data, sort_problems(loaded.problems + problems)


class Superseded(Exception):
    """The preview's files changed again while it was building: this build is abandoned."""


def fails(problems, strict=False):
    """Whether these problems stop a build or fail a check: errors, and with strict also warnings."""
    return bool(errors_in(problems)) or (strict and any(p.severity == WARNING for p in problems))


def build(source: Path, out: Path, base_url: str | None = None, today=None, strict=False, cache=None,
          superseded=None, pages_first=False) -> BuildResult:
    """Check the data exactly as `check` does, then build. Writes nothing if the check fails.

    cache: a BuildCache kept between the preview server's rebuilds;
    superseded(last): asked after each stage before anything is written, last=True
        just before writing; True abandons the build (see serve.py);
    pages_first: with a cache, publish the pages now and the open data, contact
    cards, calendars and poster codes as the last build made them: about half
    the time of a preview rebuild. The result says `deferred`; the build after
    it (the preview server's next, straight away) brings them up to date."""
    source, out = Path(source), Path(out)
    if base_url is not None:
        check_base_url(base_url)
    check_output_dir(out, source)
    remove_leftovers(out)  # a build killed while swapping: the previous site comes back first
    return _build(source, out, base_url, today, strict, cache, superseded, pages_first)


def _build(source, out, base_url, today, strict, cache, superseded, pages_first=False):
    clock = Stopwatch(superseded)
    today = today or dt.date.today()
    key = input_key(source, base_url, today)
    previous = unchanged_since(out, key)
    clock.lap("check")
    if previous is not None:
        if fails(previous["warnings"], strict):
            raise DataError(previous["warnings"], strict=strict)
        return BuildResult(**previous, seconds=clock.total(), timings=clock.laps, unchanged=True)
    loaded = load(source, cache)
    clock.lap("load")
    data, problems = validated(loaded, today, strict, cache)
    del loaded  # the parsed YAML, with every value's place: not needed again, and tens of MB at national scale
    clock.lap("validate")
    withheld = redact(data)  # from here on, private fields are gone
    if cache is None and big(data):
        header, stats = build_in_processes(data, withheld, source, out, base_url, today, key, problems, clock)
        deferred = False
    else:
        header, stats, deferred = build_in_this_process(data, withheld, source, out, base_url, today, key, problems,
                                                        clock, cache, pages_first)
    return BuildResult(**header["counts"], files=stats.files, written=stats.written, changed=stats.changed,
                       seconds=clock.total(), warnings=problems, timings=clock.laps, deferred=deferred)


def build_in_processes(data, withheld, source, out, base_url, today, key, problems, clock):
    """A big build: a second process makes the open data (which does not need the context)
    while this one resolves the context; then every core renders and writes."""
    site = site_settings(data, base_url, today)
    exports = parallel.Helper(lambda: open_data_files(data, site))
    with collected(exports):
        ctx = build_context(data, base_url, today)
        clock.lap("context")
        header = build_header(ctx, key, problems)
        return header, render_and_write(ctx, exports, source, out, header, clock, withheld)


def build_in_this_process(data, withheld, source, out, base_url, today, key, problems, clock, cache, pages_first):
    """A small build, or the preview's: returns (manifest header, write stats, deferred)."""
    ctx = build_context(data, base_url, today)
    clock.lap("context")
    header = build_header(ctx, key, problems)
    # Never publish the last build's files if what is private has changed since.
    deferred = (pages_first and cache is not None and cache.open_data is not None
                and cache.private == data.private)
    if deferred:
        header["inputs"] = None  # never taken for a complete build of these inputs
        open_data, others = cache.open_data, cache.others
    else:
        open_data, others = open_data_files(data, ctx.site, clock.still_wanted), site_files(ctx)
        if cache is not None:
            keep_besides_pages(cache, open_data, others, data.private)
    clock.lap("open data")
    return header, render_then_write(ctx, source, out, header, clock, cache, open_data, others, withheld), deferred


def big(data):
    """Whether to build in several processes: a site of PARALLEL_FROM pages or more, judged
    before its pages are listed (each officer, area and organisation has one)."""
    pages = len(data.officers) + len(data.boroughs) + len(data.organisations)
    return pages >= parallel.PARALLEL_FROM and parallel.workers() > 1


def build_header(ctx, key, problems):
    """What the manifest keeps of this build, for the next one's no-change check."""
    counts = dict(pages=len(ctx.pages), boroughs=len(ctx.boroughs), officers=len(ctx.officers),
                  organisations=len(ctx.organisations))
    return {"inputs": key, "counts": counts, "warnings": [list(astuple(p)) for p in problems]}


@contextlib.contextmanager
def collected(helper):
    """Never leave a helper process behind, even when the build stops on an error."""
    try:
        yield helper
    finally:
        with contextlib.suppress(Exception):
            helper.result()


def validated(loaded, today, strict, cache):
    """validate(), with the Markdown converted meanwhile in a second process (a build from
    nothing only: the preview has it cached)."""
    waiting = prefetch(loaded) if cache is None else None
    try:
        data, problems = validate(loaded, today, cache, prefetched=waiting)
    finally:
        if waiting is not None:
            waiting()  # never leave the process behind, even when validation failed
    problems = sort_problems(loaded.problems + problems)
    if fails(problems, strict):
        raise DataError(problems, strict=strict)
    return data, problems


def render_then_write(ctx, source, out, header, clock, cache, open_data, others, withheld):
    """Render every page in memory (reusing the preview's cache), then write what changed."""
    copies = asset_files(source, exclude=withheld)
    if cache is not None:
        stamp = tuple((rel, p.stat().st_size, p.stat().st_mtime_ns) for rel, p in copies.items())
        if stamp != cache.assets:  # no template reads an asset today; if one ever does
            cache.pages.clear()
            cache.assets = stamp
    files, template_problems = render(ctx, source, cache, others)
    if template_problems:
        raise DataError(template_problems)
    clock.lap("render")
    files.update(open_data)
    known = {**files.digests, **(cache.digests if cache is not None else {})}
    stats = write_site(out, files, copies, header=header, digests=known)
    clock.lap("write")
    return stats


def keep_besides_pages(cache, open_data, others, private):
    """Keep the files besides the pages for the preview's next pages-first build, with their digests."""
    cache.open_data, cache.others, cache.private = open_data, others, private
    cache.digests = {path: digest(content) for path, content in {**open_data, **others}.items()}


def open_data_files(data, site, between=lambda: None):
    return {**download_files(data, between), **hsds_files(data, site, between)}


def render_and_write(ctx, exports, source, out, header, clock, withheld):
    """A big build: the rendering processes write what they make as they go
    (render.render_into), so "render" includes writing every page and contact
    card, and waiting for the open data (exports: a parallel.Helper); "write"
    is the rest."""
    copies = asset_files(source, exclude=withheld)
    extra = site_files(ctx)
    with SiteWriter(out) as writer:
        pages = [output_file(page.path) for page in ctx.pages]
        writer.prepare([*pages, *extra, *download_paths(), *hsds_paths(), *copies], all_folders=False)
        template_problems = render_into(ctx, source, writer, files=extra, later=exports)
        if template_problems:
            raise DataError(template_problems)
        clock.lap("render")
        for rel, path in copies.items():
            writer.copy(rel, path)
        stats = writer.finish(header)
    clock.lap("write")
    return stats


PREFETCH_FROM = 1000  # Markdown texts; with fewer, starting a process costs more than it saves


def prefetch(loaded):
    """Start converting, in a second process, the Markdown validation will check.

    At national scale that is over half a second of work (0.01 ms a plain text,
    0.5 ms one that uses Markdown syntax), done while this process checks
    everything else. Returns a function that waits for it and keeps the HTML
    where render_markdown() looks first; or None when there is too little to gain."""
    texts = not_rendered(markdown_texts(loaded))
    if len(texts) < PREFETCH_FROM or parallel.workers() < 2:
        return None
    helper = parallel.Helper(lambda: render_all(texts))
    return lambda: remember_markdown(helper.result())


def markdown_texts(loaded):
    """The Markdown the context stage will render, as validation will leave it (stripped)."""
    fields = {"officers.yaml": "bio", "organisations.yaml": "description", "reporting.yaml": "how"}
    texts = [doc.body for doc in loaded.pages if isinstance(doc.body, str)]
    for name, field_name in fields.items():
        data = loaded.files[name].data
        for record in data if isinstance(data, list) else ():
            value = record.get(field_name) if isinstance(record, dict) else None
            if isinstance(value, str):
                texts.append(value.strip())
    return texts


def unchanged_since(out: Path, key: str):
    """The last build's figures if it was made from exactly these inputs and is untouched since."""
    manifest = Manifest.read(out) if out.is_dir() else None
    if manifest is None or manifest.header.get("inputs") != key or not verify(out, manifest):
        return None
    try:
        warnings = [Problem(*fields) for fields in manifest.header["warnings"]]
        return dict(**manifest.header["counts"], files=len(manifest.entries), written=0, warnings=warnings)
    except (KeyError, TypeError):
        return None


def warm(source: Path, base_url: str | None, cache, today=None) -> None:
    """Fill the preview's cache without writing anything, so the first edit is as quick as the next."""
    loaded = load(Path(source), cache)
    today = today or dt.date.today()
    data, problems = validate(loaded, today, cache)
    if errors_in(loaded.problems + problems):
        return
    withheld = redact(data)  # never render a private field, not even into the cache
    ctx = build_context(data, base_url, today)
    cache.assets = tuple((rel, p.stat().st_size, p.stat().st_mtime_ns)
                         for rel, p in asset_files(Path(source), exclude=withheld).items())
    keep_besides_pages(cache, open_data_files(data, ctx.site), site_files(ctx), data.private)
    render(ctx, Path(source), cache, cache.others)
