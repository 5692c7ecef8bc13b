"""The pages: every page of the resolved context rendered to bytes with Jinja2 (an output, outputs.py).

A template mistake becomes a Problem pointing at the template's file and line,
like any data mistake. pages() and render() render in memory; the fast engine's
big builds use render_into() instead, where each rendering process puts the
pages it renders straight into the publish stage's spare tree (see fast.py).
Pages are rendered in several processes when there are enough of them
(parallel.py), and the preview server reuses unchanged pages (incremental.py).
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import jinja2
import jinja2.ext
import jinja2.nodes
import markupsafe

from . import parallel
from .errors import DataError, Problem
from .incremental import BuildCache, CachedPage, Reads, Records
from .parallel import in_processes, in_processes_queued, workers
from .postcodes import SCRIPT_PATH as POSTCODE_SCRIPT
from .schema import RECORD_SETS
from .security import META_CSP
from .urls import absolute, output_file, up_to_root
from .write import digest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = PACKAGE_ROOT / "templates"
DEFAULT_ASSETS = PACKAGE_ROOT / "assets"


# Written out rather than strftime's %B, which is slower and follows the process's locale.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(value):
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def month_year(value):
    return f"{MONTHS[value.month - 1]} {value.year}"


_rendering = threading.local()  # .start and .site: for the page render_page() renders in this thread


def url(target):
    """Link from the page being rendered to another path inside the site.

    Not a pass_context function (Jinja2 derives a new Context for each such
    call made in a loop, and macros imported without context could not use
    it): render_page() says which page is being rendered instead, and what
    its links start with."""
    start = _rendering.start
    if start is None:  # the 404 page of a site with a base URL: it is served at any depth
        return absolute(_rendering.site["base_url"], target)
    return start + target or "./"


@jinja2.pass_context  # so that Jinja2 never works out a constant link once, when it compiles the template
def url_filter(context, target):
    """{{ 'report/'|url }}: url() as a filter, which a template calls directly."""
    return url(target)


def link_start(page, site):
    """What url() puts before each link from this page: None for an absolute link."""
    return None if page.path == "404.html" and site["base_url"] else up_to_root(page.path)


class Environment(jinja2.Environment):
    """Jinja2, with `record.field` looked up as a key first.

    The context is made of plain dicts. Jinja2 tries getattr() before the key,
    so every `officer.name` raised and caught an AttributeError: about a third
    of the rendering time. The result is the same unless a record has a key
    named like a dict method (items, keys...), which no schema field is.

    While the preview's page cache is on, `reads` notes every record a page
    reads (see incremental.py).

    A template, once loaded, is kept in a plain dict: each page asks for three
    (its own, the one it extends, the macros it imports), and Jinja2's own
    cache, a locked LRU list, cost 4 % of a page. Templates never change under
    an environment (environment() makes a new one when a file changes).
    """

    reads = None  # a Reads while the preview's page cache notes what a page reads
    tracking = False  # whether it does, for this environment's pages
    shared = None  # (context, tracking, {name: value}): see shared_variables()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loaded = {}

    def get_template(self, name, parent=None, globals=None):  # noqa: A002 - Jinja2's name
        if globals is not None or type(name) is not str:
            return super().get_template(name, parent, globals)
        template = self.loaded.get(name)
        if template is None:
            template = self.loaded[name] = super().get_template(name, parent, globals)
        return template

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            reads = self.reads
            if reads is not None:
                reads.note(obj)
            try:
                value = obj[attribute]
            except KeyError:
                pass
            else:
                if reads is not None and type(value) in (list, tuple):
                    reads.note_items(value)
                return value
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        value = super().getitem(obj, argument)
        reads = self.reads
        if reads is not None and type(obj) is dict:
            reads.note(obj)
            if type(value) in (list, tuple):
                reads.note_items(value)
        return value


class FragmentCache(jinja2.ext.Extension):
    """{% cache key, ... %}...{% endcache %}: the part between is rendered once per key in a build.

    For a card that appears on many pages (an officer is listed on the page of every
    area they cover and of the areas next to those): keyed on everything the card
    depends on, which for a macro, imported without context, is its arguments and the
    link depth (url('')). Emptied for every build (prepared()). It works the same in
    the preview: while the preview notes what each page reads, a part keeps what it
    read when it was made, and every page that reuses it counts those reads as its
    own. After Jinja2's documented example extension, without its outside cache store."""

    tags = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(fragments={})  # {key: (Markup, Reads or None)}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        fetch = self.call_method("_fragment", [jinja2.nodes.Tuple(key, "load")])
        return jinja2.nodes.CallBlock(fetch, [], [], body).set_lineno(lineno)

    def _fragment(self, key, caller):
        env, made = self.environment, self.environment.fragments.get(key)
        if made is None:
            made = env.fragments[key] = self._made(caller)
        elif env.reads is not None:
            env.reads.add(made[1])
        return made[0]

    def _made(self, caller):
        """(the part's HTML, what it read: a Reads, or None when no page's reads are noted)."""
        env, page_reads = self.environment, self.environment.reads
        if page_reads is None:
            return caller(), None
        env.reads = Reads()
        try:
            html = caller()
        finally:
            part_reads, env.reads = env.reads, page_reads
        page_reads.add(part_reads)
        return html, part_reads


class ContainedLoader(jinja2.FileSystemLoader):
    """Loads templates only from inside their folders: a link pointing elsewhere is not read.

    A template linked to a file outside (the data, ~/.ssh, /proc/self/environ)
    would otherwise publish that file.
    """

    def __init__(self, searchpath):
        super().__init__(searchpath)
        self.roots = [Path(path).resolve() for path in self.searchpath]

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not any(Path(filename).resolve().is_relative_to(root) for root in self.roots):
            raise jinja2.TemplateSyntaxError(
                "this template is a link to a place outside the templates folder, so it is not read", 1, template)
        return source, filename, uptodate


def template_folders(source_root):
    """The project's templates/, if really inside the project, then the defaults."""
    own = source_root / "templates"
    inside = own.is_dir() and own.resolve().is_relative_to(Path(source_root).resolve())
    return [str(own)] * inside + [str(DEFAULT_TEMPLATES)]


def make_environment(source_root):
    env = Environment(
        loader=ContainedLoader(template_folders(source_root)),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # environment() below makes a new one when a template changes
        extensions=[FragmentCache],
    )
    env.filters["long_date"] = long_date
    env.filters["month_year"] = month_year
    env.globals["url"] = url
    env.filters["url"] = url_filter
    env.globals["csp"] = markupsafe.Markup(META_CSP)  # quotes in it need no escaping in an attribute
    env.globals["postcode_script"] = POSTCODE_SCRIPT
    return env


def template_files(source_root):
    """(path, content) of every template that can be used, to notice a change."""
    found = []
    for folder in template_folders(Path(source_root)):
        root = Path(folder)
        real_root = root.resolve()
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if not path.resolve().is_relative_to(real_root):
                    continue  # never read (ContainedLoader): a link to /dev/zero must not hang the preview
                try:
                    found.append((str(path), path.read_bytes()))
                except OSError:
                    continue  # a folder, or gone since
    return tuple(found)


def environment(source_root, cache=None):
    """A new environment for source_root; with the preview's cache, the last one, until a
    template file changes: compiling the templates takes longer than rendering a few
    hundred pages, so a preview rebuild should not start over each time."""
    if cache is None:
        return make_environment(source_root)
    files = template_files(source_root)
    if cache.environment is None or cache.templates != files:
        cache.environment, cache.templates = make_environment(source_root), files
        cache.pages.clear()  # rendered with the old templates: nothing can be reused
    return cache.environment


def template_problem(error, fallback_name):
    """Where in which template an error happened, as a Problem."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(f"templates/{error.name or fallback_name}", error.lineno or 1, 1, f"template error: {error.message}")
    line, name = 1, fallback_name
    tb = sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            name, line = Path(filename).name, tb.tb_lineno
        tb = tb.tb_next
    return Problem(f"templates/{name}", line, 1, f"template error: {error}")


def render_page(env, ctx, page):
    _rendering.start, _rendering.site = link_start(page, ctx.site), ctx.site
    template = env.get_template(page.template)
    return template.render({**shared_variables(env, ctx), "page": page, **page.vars}).encode("utf-8")


def shared_variables(env, ctx):
    """The records every page can use, put together once for each context. While the preview
    notes what each page reads, each list of records says when a page uses it (NotedList)."""
    made = env.shared
    if made is None or made[0] is not ctx or made[1] is not env.tracking:
        lists = {schema.attribute: getattr(ctx, schema.attribute) for schema in RECORD_SETS}
        if env.tracking:
            lists = {name: NotedList(env, name, records) for name, records in lists.items()}
        made = env.shared = (ctx, env.tracking, {"site": ctx.site, **lists})
    return made[2]


class NotedList(list):
    """A list of records that tells the preview's page cache (incremental.py) which page used
    it: a page that loops over every officer depends on every officer."""

    def __init__(self, env, name, records):
        super().__init__(records)
        self.env, self.name = env, name

    def noted(self):
        if self.env.reads is not None:
            self.env.reads.names.add(self.name)

    def __iter__(self):
        self.noted()
        return super().__iter__()

    def __len__(self):
        self.noted()
        return super().__len__()

    def __getitem__(self, index):
        self.noted()
        return super().__getitem__(index)


class Rendered(dict):
    """{output path: bytes}, with .digests {output path: write.digest(bytes)} where known."""

    digests: dict


def render_pages(env, ctx, pages, track=False, sink=None):
    """Render some pages. Returns ([(path, bytes, digest, reads or None)], problems).

    With a sink, each page is handed to sink(path, bytes, digest) as soon as it
    is rendered, and not kept."""
    done, problems = [], []
    for page in pages:
        env.reads = Reads() if track else None
        try:
            content = render_page(env, ctx, page)
        except Exception as error:  # noqa: BLE001 - any mistake in a template is reported, never a traceback
            problem = template_problem(error, page.template)
            if problem not in problems:
                problems.append(problem)
            continue
        finally:
            reads, env.reads = env.reads, None
        if reads is not None:
            reads.note_items(page.json_ld_sources())
        if sink is None:
            done.append((output_file(page.path), content, digest(content), reads))
        else:
            sink(output_file(page.path), content, digest(content))
    return done, problems


def prepared(source_root, track, cache=None):
    env = environment(source_root, cache)
    env.tracking = track
    env.fragments = {}  # a new build: no part made for the last one is reused
    return env


def compile_all(env, ctx):
    for name in {page.template for page in ctx.pages}:
        try:
            env.get_template(name)  # compile once, before any fork, so no process compiles again
        except Exception:  # noqa: BLE001 - reported when the page is rendered
            pass


def pages(ctx):
    """Every page, from the project's templates over the defaults: an output of the build (outputs.py)."""
    files, problems = render(ctx, ctx.source)
    if problems:
        raise DataError(problems)
    return dict(files)


# Templates whose pages list the same records' cards ({% cache %} in _macros.html): an
# officer is listed on the page of each area they cover, and of the areas next to those.
SHARED_CARDS = {"borough.html"}


def render_into(ctx, source_root, writer, makers=()):
    """Render every page and put it straight into the writer's spare tree, in several processes.

    For big builds: writing a file costs the kernel about as much as rendering
    it costs Python, and each process writing what it makes keeps both cores
    busy. makers (functions returning {path: bytes}: the open data, the contact
    cards and the like) come first in the queue, each made and written by the
    process that takes it while the others render; each process takes the
    next piece of work when it is ready, so no core waits while another
    finishes the rest. Returns the template problems; with any, the build
    stops before the tree is swapped in, so the published site is untouched
    (the spare tree, left without a manifest, is written again next time)."""
    env = prepared(source_root, track=False)
    compile_all(env, ctx)
    parent = os.getpid()
    # The makers first, the longest pieces of work; then the area pages in one chunk, so that one
    # process renders each card they share once; then the other pages in small chunks, which
    # even out the end.
    sharing = [page for page in ctx.pages if page.template in SHARED_CARDS]
    others = [page for page in ctx.pages if page.template not in SHARED_CARDS]
    units = [*makers, *([sharing] if sharing else []), *_batches(others, 16)]

    def work(chunks):
        problems = []
        for unit in (unit for chunk in chunks for unit in chunk):
            if callable(unit):
                for path, content in unit().items():
                    writer.put(path, content)
            else:
                found = render_pages(env, ctx, unit, sink=writer.put)[1]
                problems += [p for p in found if p not in problems]
                if unit is sharing:
                    env.fragments.clear()  # no other page lists the cards: 15 MB at national scale
        entries, stats = writer.done_here()
        return problems, (entries if os.getpid() != parent else None), stats

    problems = []
    for found, entries, stats in in_processes_queued(work, units, workers(), size=1):
        if entries is not None:
            writer.merge(entries, stats)
        problems += [p for p in found if p not in problems]
    return problems


def _batches(items, size):
    return [items[start:start + size] for start in range(0, len(items), size)]


def render(ctx, source_root, cache: BuildCache | None = None):
    """Render every page. Returns (Rendered {output path: bytes}, problems).

    With a cache (the preview server's), pages whose records have not changed
    since the last build are taken from it instead (see incremental.py)."""
    track = cache is not None
    env = prepared(source_root, track, cache)
    compile_all(env, ctx)
    todo, by_path = ctx.pages, {}
    if track:
        todo, by_path, records = reusable(ctx, cache)
    count = workers() if len(todo) >= parallel.PARALLEL_FROM else 1
    parts = in_processes(lambda pages: render_pages(env, ctx, pages, track), todo, count)
    problems = []
    for done, found in parts:
        by_path.update((path, (content, hashed)) for path, content, hashed, _ in done)
        problems += [p for p in found if p not in problems]
    if track and not problems:
        remember(ctx, cache, records, parts, by_path)
    files = Rendered()
    files.digests = {}
    for page in ctx.pages:  # in page order, whichever process rendered it
        path = output_file(page.path)
        if path in by_path:
            files[path], files.digests[path] = by_path[path]
    return files, problems


def reusable(ctx, cache):
    """The pages to render, and the ones the cache still holds ({path: (bytes, digest)})."""
    records = Records(ctx)
    todo, kept = [], {}
    for page in ctx.pages:
        path = output_file(page.path)
        entry = cache.pages.get(path)
        if entry is not None and entry.key == records.page_key(page) and records.still(entry.depends):
            kept[path] = (entry.content, entry.digest)
        else:
            todo.append(page)
    cache.reused, cache.rendered = len(kept), len(todo)
    return todo, kept, records


def remember(ctx, cache, records, parts, by_path):
    rendered = {path: reads for done, _ in parts for path, _, _, reads in done}
    pages = {}
    for page in ctx.pages:
        path = output_file(page.path)
        if path in rendered:
            reads = rendered[path]
            content, hashed = by_path[path]
            pages[path] = CachedPage(records.page_key(page), records.depends(reads.ids, reads.names), content, hashed)
        elif path in cache.pages:
            pages[path] = cache.pages[path]
    cache.pages = pages


def asset_files(source_root, exclude=()):
    """Every file under assets/ to copy: the project's own, over the defaults.

    ``exclude`` names files not to publish, e.g. 'assets/photos/x.jpg' when
    officers' photos are private.
    """
    found = {}
    for root in (DEFAULT_ASSETS, source_root / "assets"):
        if root.is_dir() and not root.is_symlink():
            real_root = root.resolve()
            for path in sorted(root.rglob("*")):
                # A link pointing outside assets/ must not smuggle other files into the site.
                if path.is_file() and not path.name.startswith(".") and path.resolve().is_relative_to(real_root):
                    found["assets/" + path.relative_to(root).as_posix()] = path
    for name in exclude:
        found.pop(name, None)
    return found
