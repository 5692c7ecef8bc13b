"""What a preview rebuild can reuse from the build before it.

The preview server rebuilds after every save, in the same process. Most of
the site is the same as a second ago, so it keeps:

- the parsed YAML of each file, by its exact text (load.py);
- each rendered page, with the records the page read while it was rendered.

A page is rendered again only if one of those records, or the page itself,
or the templates, changed. Which records a page read is observed, not
declared: every `record.field` (and `record['field']`, and the filters that
look fields up) goes through Environment.getattr/getitem in render.py, which
note the record while a page is being rendered; so does every top-level name a
template uses (forces, officers...), which makes every record in it count.
A record's fingerprint covers its own fields, with the records it points to
(an officer's boroughs, a borough's officers) named by kind and id, so a new
officer in a borough changes the borough's fingerprint.

This holds as long as templates reach data only through the context, which
is how the generator is built (context.py: "templates never look anything
up"). A template helper that read files or other records by itself would
escape it; tests/test_incremental.py compares preview rebuilds with builds
from nothing after every kind of edit. `build.py build` never uses this: a
build in a new process always renders every page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .memo import Memo
from .schema import RECORD_SETS

RECORD_LISTS = tuple(schema.attribute for schema in RECORD_SETS)
SITE = ("site", "")


@dataclass
class CachedPage:
    key: tuple  # what the page is: template, address, title, its own variables
    depends: tuple  # ((record key, fingerprint), ...) of every record it read
    content: bytes
    digest: str


@dataclass
class BuildCache:
    """Kept by the preview server between rebuilds; see the module's docstring."""

    parsed: dict = field(default_factory=dict)  # (path, line offset) -> (text, data, problems)
    items: dict = field(default_factory=dict)  # list file -> {(first line, item text): parsed item}
    checked: dict = field(default_factory=dict)  # validated records, see validate.CheckedRecords
    pages: dict = field(default_factory=dict)  # output path -> CachedPage
    environment: object = None  # the Jinja2 environment the pages were rendered with
    templates: tuple = ()  # render.template_files() it was made from
    memo: Memo = field(default_factory=Memo)  # the engine's: Markdown, phone numbers, the code's fingerprint
    assets: tuple = ()  # (path, size, mtime) of the assets the pages were rendered beside
    # The last complete build's open data and other files besides the pages, which a
    # pages-first rebuild publishes again as they were (see fast.FastEngine).
    open_data: dict | None = None
    others: dict | None = None
    private: dict | None = None  # the private fields they were made without
    digests: dict = field(default_factory=dict)  # write.digest() of each of them
    reused: int = 0  # pages taken from the cache by the last build
    rendered: int = 0


class Records:
    """Stable names and fingerprints for every record of a context, and who owns each nested dict."""

    def __init__(self, ctx):
        self.key_of = {}  # id(record dict) -> (kind, id)
        self.owner = {}  # id(any dict or list reachable from a record) -> (kind, id) of its record
        self.lists = {}  # top-level name -> tuple of record keys
        self.keep_alive = []  # the objects whose ids are used above, so no id is reused
        self.links = {}  # id(record dict) -> its shape where another record links to it
        for kind in RECORD_LISTS:
            records = getattr(ctx, kind)
            self.lists[kind] = tuple((kind, r["id"]) for r in records)
            for record in records:
                key = self.key_of[id(record)] = (kind, record["id"])
                self.links[id(record)] = ("->", key)
        self.key_of[id(ctx.site)] = SITE
        self.links[id(ctx.site)] = ("->", SITE)
        self.lists["site"] = (SITE,)
        self.fingerprint = {}
        for kind in RECORD_LISTS:
            for record in getattr(ctx, kind):
                self.add(record)
        self.add(ctx.site)

    def add(self, record):
        key = self.key_of[id(record)]
        self.owner[id(record)] = key
        shape = self._shape
        values = [value if type(value) is str or value is None else shape(value, key)
                  for value in record.values()]  # most fields are text: no call for them
        self.fingerprint[key] = hash((tuple(record), tuple(values)))  # lives only in this process, like the cache

    def _shape(self, value, owner):
        """A hashable copy of value with every record inside it replaced by its key,
        noting which record owns each container."""
        kind = type(value)
        if kind is str or value is None:
            return value
        if kind is dict and id(value) in self.links:  # another record: named, not copied
            return self.links[id(value)]
        if isinstance(value, dict):
            self.owner[id(value)] = owner
            self.keep_alive.append(value)
            return tuple([(name, self._shape(item, owner)) for name, item in value.items()])
        if isinstance(value, (list, tuple)):
            self.owner[id(value)] = owner
            self.keep_alive.append(value)
            links, shape = self.links, self._shape
            return tuple([links[id(item)] if id(item) in links else shape(item, owner) for item in value])
        if kind is int or kind is float or kind is bool:
            return f"{kind.__name__}:{value!r}"  # hash(1) == hash(True) and hash(-1) == hash(-2)
        try:
            hash(value)
            return value  # dates, phone numbers, Markup
        except TypeError:
            return repr(value)

    def depends(self, read_ids, names):
        """The (record key, fingerprint) pairs a page depends on, from what it read."""
        keys = {SITE}
        for ident in read_ids:
            key = self.key_of.get(ident) or self.owner.get(ident)
            if key is not None:
                keys.add(key)
        for name in names:
            keys.update(self.lists.get(name, ()))
        return tuple(sorted((key, self.fingerprint[key]) for key in keys))

    def still(self, depends):
        """True if every record still has the fingerprint it had."""
        return all(self.fingerprint.get(key) == fingerprint for key, fingerprint in depends)

    def page_key(self, page):
        """What identifies a page apart from the records it reads."""
        own = tuple(sorted((name, self._plain(value)) for name, value in page.vars.items()))
        return (page.template, page.path, page.title, page.description, page.in_sitemap, own)

    def _plain(self, value):
        """value with every record in it, at any depth, named by its key (records link to each other)."""
        key = self.key_of.get(id(value))
        if key is not None:
            return key
        if isinstance(value, dict):
            return ("dict",) + tuple(sorted((k, self._plain(v)) for k, v in value.items()))
        if isinstance(value, (list, tuple)):
            return ("list",) + tuple(self._plain(v) for v in value)
        return repr(value)


class Reads:
    """Filled by Environment.getattr/getitem and the lists of records (render.NotedList) while
    one page renders; a {% cache %} part reused from another page adds what it read there."""

    def __init__(self):
        self.ids = set()
        self.names = set()

    def note(self, value):
        self.ids.add(id(value))

    def add(self, other):
        self.ids |= other.ids
        self.names |= other.names

    def note_items(self, values):
        for value in values:
            if type(value) is dict:
                self.ids.add(id(value))
