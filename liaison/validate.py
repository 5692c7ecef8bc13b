"""Stage 2: check the loaded data against the schema and resolve nothing yet.

Every problem is collected (never the first only) with the position of the
value that is wrong. The result is plain, typed records for the context stage.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import schema as S
from .errors import ERROR, WARNING, Problem
from .load import MarkedDict, MarkedList
from .phones import parse_phone

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
# Page addresses the generator uses itself: a content page may not take them.
RESERVED_SLUGS = {"boroughs", "officers", "organisations", "report", "assets", "data", "postcodes", "events", "posters", "404"}


class Invalid(Exception):
    def __init__(self, message, hint=""):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class Data:
    """Validated records, each a dict with its public and private fields and '_at' (path, line, col)."""

    site: dict = field(default_factory=dict)
    forces: list = field(default_factory=list)
    boroughs: list = field(default_factory=list)
    officers: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    routes: list = field(default_factory=list)
    pages: list = field(default_factory=list)


def closest(word, options):
    match = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else ""


def type_name(value):
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if value is None:
        return "empty"
    return f"'{value}'"


def as_text(value, f):
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        hint = "put quotes around it" if isinstance(value, bool) else ""
        raise Invalid(f"'{f.name}' must be text, not {type_name(value)}", hint)
    text = str(value).strip()
    if not text:
        raise Invalid(f"'{f.name}' is empty", "write something or delete the line")
    return text


def as_slug(value, f):
    text = as_text(value, f)
    if not SLUG_RE.match(text):
        suggestion = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        hint = f"use lowercase letters, digits and hyphens, e.g. '{suggestion}'" if suggestion else "use lowercase letters, digits and hyphens"
        raise Invalid(f"'{text}' is not a valid id", hint)
    return text


def as_date(value, f):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(f"'{f.name}' must be a date written as year-month-day, not {type_name(value)}", "e.g. 2026-11-02")


def as_bool(value, f):
    if not isinstance(value, bool):
        raise Invalid(f"'{f.name}' must be true or false, not {type_name(value)}")
    return value


def as_int(value, f):
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"'{f.name}' must be a whole number, not {type_name(value)}")
    return value


def as_url(value, f, note):
    text = as_text(value, f)
    parts = urlsplit(text)
    if parts.scheme == "http" and parts.netloc:
        note(f"'{f.name}' uses http, which is not secure", "use the https:// address if the site has one", WARNING)
        return text
    if parts.scheme != "https" or not parts.netloc or " " in text:
        raise Invalid(f"'{f.name}' must be a web address starting with https://, not '{text}'")
    return text


def as_email(value, f):
    text = as_text(value, f)
    if not EMAIL_RE.match(text):
        raise Invalid(f"'{text}' is not an email address", "it should look like name@example.org")
    return text


def as_phone(value, f):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # 101 and 999 arrive from YAML as numbers
    try:
        return parse_phone(as_text(value, f))
    except ValueError as error:
        raise Invalid(str(error), "write a UK number such as 020 7946 0123, or a short number such as 101") from None


def as_choice(value, f):
    text = as_text(value, f)
    if text not in f.choices:
        raise Invalid(f"'{f.name}' must be one of {', '.join(f.choices)}, not '{text}'", closest(text, f.choices))
    return text


def as_asset(value, f):
    text = as_text(value, f)
    parts = text.replace("\\", "/").split("/")
    if text.startswith(("/", "\\")) or ".." in parts or ":" in text:
        raise Invalid(f"'{f.name}' must be a path inside assets/, not '{text}'", "e.g. photos/alex-morgan.jpg")
    return "/".join(p for p in parts if p not in ("", "."))


SCALAR_CHECKERS = {
    S.TEXT: as_text, S.MARKDOWN: as_text, S.SLUG: as_slug, S.DATE: as_date, S.BOOL: as_bool,
    S.INT: as_int, S.EMAIL: as_email, S.PHONE: as_phone, S.CHOICE: as_choice, S.ASSET: as_asset,
}
ITEM_KINDS = {S.SLUGS: S.SLUG, S.TEXTS: S.TEXT, S.CHOICES: S.CHOICE}


class Checker:
    """Checks records of one file, collecting problems with their positions."""

    def __init__(self, path, memo=None):
        self.path = path
        self.problems = []
        self.memo = memo  # the preview's cache of checked records, or None

    def add(self, pos, message, hint="", severity=ERROR):
        self.problems.append(Problem(self.path, pos[0], pos[1], message, hint, severity))

    def record(self, schema, data, pos, label=""):
        """Check one mapping against a Record schema. Returns a clean dict or None."""
        if not isinstance(data, MarkedDict):
            self.add(pos, f"each {schema.name} must be a set of fields (name: value), not {type_name(data)}")
            return None
        label = label or self.label(schema, data)
        clean = {"_at": (self.path, *data.pos), "_raw": data}
        for key in data:
            if key not in schema.by_name:
                self.add(data.where_key(key), f"unknown field '{key}' in {label}", closest(key, schema.by_name))
        for f in schema.fields:
            if data.get(f.name) is None:
                if f.required:
                    self.add(data.pos, f"missing required field '{f.name}' in {label}", f"add a line '{f.name}: ...'")
                clean[f.name] = f.default
                continue
            clean[f.name] = self.value(f, data[f.name], data.where(f.name))
        return clean

    @staticmethod
    def label(schema, data):
        ident = data.get("id")
        return f"{schema.name} '{ident}'" if isinstance(ident, str) and ident else f"this {schema.name}"

    def value(self, f, value, pos):
        def note(message, hint="", severity=ERROR):
            self.add(pos, message, hint, severity)
        try:
            if f.kind == S.URL:
                return as_url(value, f, note)
            if f.kind in SCALAR_CHECKERS:
                return SCALAR_CHECKERS[f.kind](value, f)
            if f.kind in ITEM_KINDS:
                return self.items(f, value, pos)
            if f.kind == S.ADDRESS:
                return self.record(f.record, value, pos, label="the address")
            if f.kind == S.RECORDS:
                return self.records(f.record, value, pos)
        except Invalid as error:
            note(error.message, error.hint)
        return None

    def items(self, f, value, pos):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = MarkedList([value])  # a single value where a list was wanted: accept it
            value.pos, value.item_pos = pos, [pos]
        if not isinstance(value, MarkedList):
            raise Invalid(f"'{f.name}' must be a list, not {type_name(value)}", f"write it as [a, b] or one '- item' per line")
        check = SCALAR_CHECKERS[ITEM_KINDS[f.kind]]
        clean = []
        for index, item in enumerate(value):
            try:
                clean.append(check(item, f))
            except Invalid as error:
                self.add(value.where(index), error.message, error.hint)
        return tuple(clean)

    def records(self, schema, data, pos):
        if not isinstance(data, MarkedList):
            self.add(pos, f"this file must be a list of {schema.name}s, each starting with '- id:'"
                     if data is not None else f"there are no {schema.name}s here")
            return []
        records = [self.remembered(schema, item, data.where(i)) for i, item in enumerate(data)]
        records = [r for r in records if r is not None]
        self.unique_ids(schema, records)
        return records

    def remembered(self, schema, item, pos):
        """record(), or what it gave last build for this very item (the preview's cache: an
        item whose text did not change is the same object; see load.parse_cached)."""
        if self.memo is None:
            return self.record(schema, item, pos)
        key = (self.path, schema.name, id(item), pos)
        known = self.memo.previous.get(key)
        if known is None or known[0] is not item:
            checker = Checker(self.path)
            known = (item, checker.record(schema, item, pos), checker.problems)
        self.memo.current[key] = known
        self.problems += known[2]
        return known[1]

    def unique_ids(self, schema, records):
        seen = {}
        for record in records:
            ident = record.get("id")
            if ident in seen:
                self.add(record["_at"][1:], f"duplicate {schema.name} id '{ident}'",
                         f"it is already used at line {seen[ident]}")
            elif ident:
                seen[ident] = record["_at"][1]


def check_file(schema, doc, memo=None):
    checker = Checker(doc.path, memo)
    if schema.is_list:
        return checker.records(schema, doc.data, (1, 1)), checker.problems
    return checker.record(schema, doc.data, (1, 1), label=doc.path), checker.problems


def check_pages(pages):
    problems, clean_pages = [], []
    for doc in pages:
        if doc.failed:
            continue  # already reported by the loader
        checker = Checker(doc.path)
        page = checker.record(S.PAGE, doc.data, (2, 1), label="the front matter")
        if not SLUG_RE.match(doc.slug) or doc.slug in RESERVED_SLUGS:
            hint = "that address is used by the site itself" if doc.slug in RESERVED_SLUGS else "use lowercase letters, digits and hyphens, e.g. staying-safe.md"
            checker.add((1, 1), f"'{doc.slug}' cannot be a page address", hint)
        elif page is not None:
            clean_pages.append({**page, "slug": doc.slug, "body": doc.body})
        problems += checker.problems
    return clean_pages, problems


def pos_of(record, key, index=None):
    """Where a field (or one item of a list field) of a validated record was written."""
    raw = record["_raw"]
    value = raw.get(key)
    if index is not None and isinstance(value, MarkedList):
        return value.where(index)
    return raw.where(key)


class References:
    """Checks that every id a record mentions exists, once all files are read."""

    def __init__(self, data, root):
        self.data, self.root = data, root
        self.problems = []
        self.force_ids = {f["id"] for f in data.forces}
        self.borough_ids = {b["id"] for b in data.boroughs}

    def add(self, record, key, message, hint="", severity=ERROR, index=None):
        path = record["_at"][0]
        line, col = pos_of(record, key, index)
        self.problems.append(Problem(path, line, col, message, hint, severity))

    def known(self, record, key, ids, what):
        values = record.get(key)
        for index, value in enumerate(values if isinstance(values, tuple) else (values,)):
            if value is not None and value not in ids:
                self.add(record, key, f"unknown {what} '{value}'", closest(value, ids),
                         index=index if isinstance(values, tuple) else None)

    def check(self):
        for borough in self.data.boroughs:
            self.known(borough, "force", self.force_ids, "force")
            self.known(borough, "neighbours", self.borough_ids, "borough")
        self.mutual_neighbours()
        for officer in self.data.officers:
            self.known(officer, "boroughs", self.borough_ids, "borough")
            if not officer["boroughs"] and officer["_raw"].get("boroughs") is None:
                pass  # already reported as a missing required field
            elif not officer["boroughs"]:
                self.add(officer, "boroughs", f"officer '{officer['id']}' covers no borough", "list at least one borough id")
            self.photo_exists(officer)
        for org in self.data.organisations:
            self.known(org, "boroughs", self.borough_ids, "borough")
            self.organisation_area(org)
        for route in self.data.routes:
            self.known(route, "forces", self.force_ids, "force")
        return self.problems

    def mutual_neighbours(self):
        neighbours = {b["id"]: set(b["neighbours"] or ()) for b in self.data.boroughs}
        for borough in self.data.boroughs:
            for index, other in enumerate(borough["neighbours"] or ()):
                if other in neighbours and borough["id"] not in neighbours[other]:
                    self.add(borough, "neighbours", f"'{other}' does not list '{borough['id']}' as a neighbour",
                             f"add {borough['id']} to the neighbours of {other}", WARNING, index)

    def organisation_area(self, org):
        if org["national"] and org["boroughs"]:
            self.add(org, "boroughs", f"organisation '{org['id']}' is national and also lists boroughs",
                     "delete the boroughs, or delete 'national: true'")
        elif not org["national"] and not org["boroughs"]:
            self.add(org, "id", f"organisation '{org['id']}' has no area",
                     "add 'boroughs: [...]' or 'national: true'")

    def photo_exists(self, officer):
        photo = officer.get("photo")
        if photo and not (self.root / "assets" / photo).is_file():
            self.add(officer, "photo", f"photo 'assets/{photo}' does not exist", "check the file name and that the photo is in assets/")




class Memo:
    """Checked records kept between the preview's rebuilds (incremental.BuildCache.checked)."""

    def __init__(self, previous):
        self.previous, self.current = previous, {}


def validate(source, cache=None):
    """Check everything. Returns (Data, problems); Data is usable only when there are no errors.

    cache: the preview's BuildCache, to skip checking records again that did not change."""
    problems, clean = [], {}
    memo = Memo(cache.checked) if cache is not None else None
    for schema in S.DATA_FILES:
        doc = source.files[schema.file]
        if doc.failed:
            clean[schema.file] = {} if not schema.is_list else []
            continue
        clean[schema.file], found = check_file(schema, doc, memo)
        problems += found
    if cache is not None:
        cache.checked = memo.current
    site = clean["site.yaml"] or {}
    data = Data(site=site, forces=site.get("forces") or [], boroughs=clean["boroughs.yaml"],
                officers=clean["officers.yaml"], organisations=clean["organisations.yaml"],
                routes=clean["reporting.yaml"])
    data.pages, found = check_pages(source.pages)
    problems += found
    problems += References(data, source.root).check()
    return data, problems
