"""The fast engine: the site engine.Engine makes, byte for byte, sooner. All the build's speed
work is behind this one class:

- a build whose inputs have not changed since the last one stops at once (a fingerprint of
  every input is kept in the manifest);
- the Markdown is converted in a second process while this one checks the data;
- a big build renders its pages, makes its open data and writes them in several processes
  (parallel.py, render.render_into);
- the preview's rebuilds reuse what did not change (incremental.BuildCache: parsed files,
  checked records, rendered pages) and, with pages_first, publish the pages before the open
  data and contact cards that go with them, into the preview's own folder only;
- publishing writes only the files whose content changed (spare.py).
"""
from __future__ import annotations

import datetime as dt

from . import parallel
from .engine import Engine
from .errors import DataError, errors_in
from .export import download_files
from .hsds import hsds_files
from .inputs import input_key
from .load import load
from .markup import render_all
from .memo import Memo
from .outputs import SMALL, produce
from .pipeline import Superseded, previous_result
from .privacy import redact
from .render import asset_files, render, render_into
from .schema import DATA_FILES
from .validate import validate
from .spare import SiteWriter, update_site, verify
from .write import Manifest, digest

PREFETCH_FROM = 1000  # Markdown texts; with fewer, starting a process costs more than it saves


class FastEngine(Engine):
    """cache: the preview's BuildCache, kept between its rebuilds;
    pages_first: with a cache, publish the pages now and the open data, contact cards,
        calendars and poster codes as the last build made them (the result says `deferred`;
        the preview's next build, straight away, brings them up to date);
    cancel: the build's cancel event, also looked at within the open data, the longest stage
        of a preview rebuild at national scale;
    ready_to_publish(): asked just before publishing; False abandons the build (the preview
        waits there for the files to be calm)."""

    def __init__(self, cache=None, pages_first=False, cancel=None, ready_to_publish=None):
        self.cache, self.pages_first, self.cancel = cache, pages_first, cancel
        self.memo = cache.memo if cache is not None else Memo()
        self.ready_to_publish = ready_to_publish
        self.deferred = False
        self.digests = {}

    def fingerprint(self, source, base_url, today):
        return input_key(source, base_url, today, self.memo.code_fingerprint())

    def unchanged(self, out, key):
        header = Manifest.read_header(out) if out.is_dir() else None
        if header is None or header.get("inputs") != key:
            return None  # the usual answer in the preview, told without reading every entry
        manifest = Manifest.read(out)
        if manifest is None or manifest.header.get("inputs") != key or not verify(out, manifest):
            return None
        return previous_result(manifest.header, len(manifest.entries))

    def load(self, source):
        return load(source, self.cache)

    def validate(self, loaded, today):
        waiting = prefetch(loaded, self.memo) if self.cache is None else None
        try:
            return validate(loaded, today, self.cache, prefetched=waiting, memo=self.memo)
        finally:
            if waiting is not None:
                waiting()  # never leave the process behind, even when validation failed

    def outputs(self, ctx):
        """A big build's outputs are made as they are published (InProcesses)."""
        if self.cache is None and big(ctx.records):
            return InProcesses(ctx)
        return self.in_this_process(ctx)

    def publish(self, out, files, copies, header):
        if self.ready_to_publish is not None and not self.ready_to_publish():
            raise Superseded()
        if isinstance(files, InProcesses):
            return files.render_and_write(out, copies, header)
        if self.deferred:
            header = {**header, "inputs": None}  # never taken for a complete build of these inputs
        return update_site(out, files, copies, header=header, digests=self.digests)

    def in_this_process(self, ctx):
        """A small build's outputs, or the preview's (reusing what did not change)."""
        cache = self.cache
        if cache is not None:
            forget_pages_if_assets_changed(cache, ctx.source)
        # Never publish the last build's files if what is private has changed since.
        self.deferred = bool(self.pages_first and cache is not None and cache.open_data is not None
                             and cache.private == ctx.records.private)
        if self.deferred:
            open_data, others = cache.open_data, cache.others
        else:
            open_data, others = self.open_data(ctx), produce(ctx, SMALL)
            if cache is not None:
                keep_besides_pages(cache, open_data, others, ctx.records.private)
        files, problems = render(ctx, ctx.source, cache)
        if problems:
            raise DataError(problems)
        files.update(others)
        files.update(open_data)
        self.digests = {**files.digests, **(cache.digests if cache is not None else {})}
        return files

    def open_data(self, ctx):
        """outputs.OPEN_DATA, stopping between two files if the build is cancelled meanwhile."""
        return {**download_files(ctx.records, self.still_wanted), **hsds_files(ctx, self.still_wanted)}

    def still_wanted(self):
        if self.cancel is not None and self.cancel.is_set():
            raise Superseded()


class InProcesses:
    """A big build's outputs, made as they are written: the rendering processes write what they
    make as they go, the open data included (render.render_into)."""

    def __init__(self, ctx):
        self.ctx = ctx

    def render_and_write(self, out, copies, header):
        ctx = self.ctx
        makers = (lambda: download_files(ctx.records), lambda: hsds_files(ctx), lambda: produce(ctx, SMALL))
        with SiteWriter(out) as writer:
            template_problems = render_into(ctx, ctx.source, writer, makers)
            if template_problems:
                raise DataError(template_problems)
            for rel, path in copies.items():
                writer.copy(rel, path)
            return writer.finish(header)


def big(data):
    """Whether to build in several processes: a site of PARALLEL_FROM pages or more, judged
    before its pages are listed (each officer, area and organisation has one)."""
    pages = len(data.officers) + len(data.boroughs) + len(data.organisations)
    return pages >= parallel.PARALLEL_FROM and parallel.workers() > 1


def forget_pages_if_assets_changed(cache, source):
    """No template reads an asset today; if one ever does, a changed asset renders every page again."""
    stamp = tuple((rel, p.stat().st_size, p.stat().st_mtime_ns) for rel, p in asset_files(source).items())
    if stamp != cache.assets:
        cache.pages.clear()
        cache.assets = stamp


def keep_besides_pages(cache, open_data, others, private):
    """Keep the files besides the pages for the preview's next pages-first build, with their digests."""
    cache.open_data, cache.others, cache.private = open_data, others, private
    cache.digests = {path: digest(content) for path, content in {**open_data, **others}.items()}


def prefetch(loaded, memo):
    """Start converting, in a second process, the Markdown validation will check.

    At national scale that is over half a second of work (0.01 ms a plain text,
    0.5 ms one that uses Markdown syntax), done while this process checks
    everything else. Returns a function that waits for it and keeps the HTML
    in memo, where validation and the context look first; or None when there
    is too little to gain."""
    texts = sorted({text for text in markdown_texts(loaded) if text not in memo.html})
    if len(texts) < PREFETCH_FROM or parallel.workers() < 2:
        return None
    helper = parallel.Helper(lambda: render_all(texts))
    return lambda: memo.html.update(helper.result())


def markdown_texts(loaded):
    """The Markdown the context stage will render, as validation will leave it (stripped):
    the content pages' bodies and every Markdown field of schema.py."""
    texts = [doc.body for doc in loaded.pages if isinstance(doc.body, str)]
    for schema in DATA_FILES:
        data = loaded.files[schema.file].data
        for record in data if schema.is_list and isinstance(data, list) else ():
            for name in schema.markdown_fields:
                value = record.get(name) if isinstance(record, dict) else None
                if isinstance(value, str):
                    texts.append(value.strip())
    return texts


def warm(source, base_url, cache, today=None):
    """Fill the preview's cache without writing anything, so the first edit is as quick as the next."""
    engine = FastEngine(cache)
    today = today or dt.date.today()
    loaded = engine.load(source)
    data, problems = engine.validate(loaded, today)
    if errors_in(loaded.problems + problems):
        return
    redact(data)  # never render a private field, not even into the cache
    engine.outputs(engine.context(data, base_url, today, source))
