"""Stage 2: check the loaded data against the schema and resolve nothing yet.

Every problem is collected (never the first only) with the position of the
value that is wrong. The result is plain, typed records for the context stage.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import schema as S
from .errors import ERROR, INFO, WARNING, Problem
from .load import MarkedDict, MarkedList
from .markup import MAX_BUILD_WORK, MAX_CHARACTERS, MAX_WORK, MarkdownError
from .memo import Memo

SLUG_RE = re.compile(S.PATTERNS[S.SLUG])
EMAIL_RE = re.compile(S.PATTERNS[S.EMAIL])
POSTCODE_DISTRICT_RE = re.compile(S.PATTERNS[S.POSTCODE_DISTRICT])
POSTCODE_RE = re.compile(S.PATTERNS[S.POSTCODE])
# A last_verified date this many days ahead of today is taken as a mistake
# (one day is allowed for time zones).
FUTURE_GRACE_DAYS = 1
# Page addresses the generator uses itself: a content page may not take them.
RESERVED_SLUGS = {"boroughs", "officers", "organisations", "report", "assets", "data", "postcodes", "events", "posters",
                  "open-data", "contacts", "404"}
# Times in the data are UK times unless they say otherwise.
LOCAL_TIME = ZoneInfo("Europe/London")
HAS_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d")


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
    events: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    # The fields never published, by kind of record (schema.Record.name): those the
    # schema marks private and those site.yaml's private_fields adds.
    private: dict = field(default_factory=dict)


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
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                raise Invalid(f"'{f.name}' is not a date that exists: '{value.strip()}'", "check the day and the month") from None
    raise Invalid(f"'{f.name}' must be a date written as year-month-day, not {type_name(value)}", "e.g. 2026-11-02")


def as_datetime(value, f):
    """A date and time, as an aware datetime; times without a zone are UK times."""
    if isinstance(value, str) and HAS_TIME_RE.match(value.strip()):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass  # e.g. 2026-12-32 14:00 or 25:00: reported below
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise Invalid(f"'{f.name}' needs a time as well as a date", f"e.g. {value.isoformat()} 14:00")
    if not isinstance(value, dt.datetime):
        raise Invalid(f"'{f.name}' must be a date and time written as year-month-day hours:minutes, not {type_name(value)}",
                      "e.g. 2026-12-05 14:00")
    if value.tzinfo is None:
        return value.replace(tzinfo=LOCAL_TIME)
    return value.astimezone(LOCAL_TIME)


def as_bool(value, f):
    if not isinstance(value, bool):
        raise Invalid(f"'{f.name}' must be true or false, not {type_name(value)}")
    return value


def as_int(value, f):
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"'{f.name}' must be a whole number, not {type_name(value)}")
    if f.minimum is not None and value < f.minimum:
        raise Invalid(f"'{f.name}' must be {f.minimum} or more, not {value}")
    return value


URL_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
URL_SCHEME_HINTS = {
    "mailto": "put an email address in an 'email' field instead",
    "tel": "put a phone number in a 'phone' field instead",
}


def as_url(value, f, note):
    text = as_text(value, f)
    match = URL_SCHEME_RE.match(text)
    scheme = match.group(1).lower() if match else ""
    if scheme not in ("http", "https"):
        if scheme and not text[len(scheme) + 1:].isdigit():  # not 'example.org:8080'
            hint = URL_SCHEME_HINTS.get(scheme, "copy the address from the browser's address bar, starting with https://")
            raise Invalid(f"'{f.name}' must be a web address starting with https://, not a '{scheme}:' address", hint)
        raise Invalid(f"'{f.name}' must start with https://, not '{text}'", f"write 'https://{text.lstrip('/')}'")
    try:
        parts = urlsplit(text)
        parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        raise Invalid(f"'{f.name}' is not a complete web address: '{text}'", "copy the address from the browser's address bar") from None
    if not parts.netloc or not parts.hostname or not text.isprintable() or any(c.isspace() for c in text) \
            or not text.lower().startswith(f"{scheme}://"):
        raise Invalid(f"'{f.name}' is not a complete web address: '{text}'", "copy the address from the browser's address bar")
    if scheme == "http":
        note(f"'{f.name}' uses http, which is not secure", "use the https:// address if the site has one", WARNING)
    return text


def as_postcode_district(value, f):
    text = as_text(value, f)
    compact = text.replace(" ", "").upper()
    if POSTCODE_DISTRICT_RE.match(text):
        return text.upper()
    if POSTCODE_RE.match(compact):
        outward = compact[:-3]
        raise Invalid(f"'{text}' is a full postcode, not a postcode district", f"write only its first half, '{outward}'")
    raise Invalid(f"'{text}' is not a UK postcode district",
                  "a postcode district is the first half of a postcode: one or two letters, then one or two digits, e.g. HA1 or NW10")


def as_postcode(value, f):
    text = as_text(value, f)
    compact = text.replace(" ", "").upper()
    if not POSTCODE_RE.match(compact):
        raise Invalid(f"'{text}' is not a UK postcode", "write the full postcode, e.g. N1 9DN")
    return f"{compact[:-3]} {compact[-3:]}"


def as_email(value, f):
    text = as_text(value, f)
    if not EMAIL_RE.match(text):
        raise Invalid(f"'{text}' is not an email address", "it should look like name@example.org")
    return text


def as_phone(value, f, parse):
    """parse: Memo.phone, phones.parse_phone remembered."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # 101 and 999 arrive from YAML as numbers
    try:
        return parse(as_text(value, f))
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
    S.TEXT: as_text, S.MARKDOWN: as_text, S.SLUG: as_slug, S.DATE: as_date, S.DATETIME: as_datetime, S.BOOL: as_bool,
    S.INT: as_int, S.EMAIL: as_email, S.CHOICE: as_choice, S.ASSET: as_asset,
    S.POSTCODE: as_postcode, S.POSTCODE_DISTRICT: as_postcode_district,
}
ITEM_KINDS = S.ITEM_KINDS


class Checker:
    """Checks records of one file, collecting problems with their positions."""

    def __init__(self, path, memo, checked=None):
        self.path = path
        self.problems = []
        self.checked = checked  # the preview's CheckedRecords, or None
        self.memo = memo
        self.checkers = {**SCALAR_CHECKERS, S.PHONE: partial(as_phone, parse=memo.phone)}

    def add(self, pos, message, hint="", severity=ERROR):
        self.problems.append(Problem(self.path, pos[0], pos[1], message, hint, severity))

    def record(self, schema, data, pos, label=""):
        """Check one mapping against a Record schema. Returns a clean dict or None."""
        if not isinstance(data, MarkedDict):
            what = f"each {schema.name}" if schema.is_list else (label or f"the {schema.name}")
            self.add(pos, f"{what} must be a set of fields (name: value), not {type_name(data)}")
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
                # A default is written like data (non_emergency: "101"), so it is checked like data.
                clean[f.name] = self.checkers[f.kind](f.default, f) if f.default is not None and f.kind in self.checkers else f.default
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
            if f.kind in self.checkers:
                return self.checkers[f.kind](value, f)
            if f.kind in ITEM_KINDS:
                return self.items(f, value, pos)
            if f.kind == S.ADDRESS:
                return self.record(f.record, value, pos, label="the address")
            if f.kind == S.RECORDS:
                return self.records(f.record, value, pos)
            if f.kind == S.PRIVATE_FIELDS:
                return self.private_fields(f, value)
        except Invalid as error:
            note(error.message, error.hint)
        return None

    def items(self, f, value, pos):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = MarkedList.of_one(value, pos)  # a single value where a list was wanted: accept it
        if not isinstance(value, MarkedList):
            raise Invalid(f"'{f.name}' must be a list, not {type_name(value)}", "write it as [a, b] or one '- item' per line")
        check = self.checkers[ITEM_KINDS[f.kind]]
        clean = []
        for index, item in enumerate(value):
            try:
                clean.append(check(item, f))
            except Invalid as error:
                self.add(value.where(index), error.message, error.hint)
        return tuple(clean)

    def private_fields(self, f, value):
        """site.yaml's private_fields: {file name: [field, ...]}. Returns {file name: frozenset}."""
        if not isinstance(value, MarkedDict):
            raise Invalid(f"'{f.name}' must list fields under the name of their file, not {type_name(value)}",
                          "e.g. 'officers: [phone, email]' on the next line, indented")
        clean = {}
        for key, names in value.items():
            schema = S.PRIVATE_FIELD_RECORDS.get(key)
            if schema is None:
                self.add(value.where_key(key), f"'{key}' in private_fields is not one of {', '.join(S.PRIVATE_FIELD_RECORDS)}",
                         closest(key, S.PRIVATE_FIELD_RECORDS))
                continue
            if names is None:
                names = MarkedList()
            elif not isinstance(names, MarkedList):
                names = MarkedList.of_one(names, value.where(key))  # a single field where a list was wanted
            chosen = set()
            for index, name in enumerate(names):
                at = names.where(index)
                field_ = schema.by_name.get(name) if isinstance(name, str) else None
                if field_ is None:
                    self.add(at, f"unknown field {type_name(name)} in {key}", closest(name, schema.by_name)
                             or f"the fields of {key} are {', '.join(schema.by_name)}")
                elif not field_.may_be_private:
                    self.add(at, f"'{name}' cannot be private: the site needs it to show each {schema.name}",
                             "only optional details such as a phone number or email address can be private")
                else:
                    chosen.add(name)
            clean[key] = frozenset(chosen)
        return clean

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
        if self.checked is None:
            return self.record(schema, item, pos)
        key = (self.path, schema.name, id(item), pos)
        known = self.checked.previous.get(key)
        if known is None or known[0] is not item:
            checker = Checker(self.path, self.memo)
            known = (item, checker.record(schema, item, pos), checker.problems)
        self.checked.current[key] = known
        self.problems += known[2]
        # A copy: privacy.redact() empties fields of the records it is given, and the
        # kept one must stay whole (with its _raw) for the next rebuild's checks.
        return dict(known[1]) if known[1] is not None else None

    def unique_ids(self, schema, records):
        seen = {}
        for record in records:
            ident = record.get("id")
            if ident in seen:
                self.add(record["_raw"].where("id"), f"duplicate {schema.name} id '{ident}'",
                         f"it is already used at line {seen[ident]}: give each {schema.name} its own id")
            elif ident:
                seen[ident] = record["_raw"].where("id")[0]


def check_file(schema, doc, memo, checked=None):
    checker = Checker(doc.path, memo, checked)
    if schema.optional and doc.data is None:
        return [], []  # an optional file left out, or holding only comments
    if schema.is_list:
        return checker.records(schema, doc.data, (1, 1)), checker.problems
    return checker.record(schema, doc.data, (1, 1), label=doc.path), checker.problems


def check_pages(pages, memo):
    problems, clean_pages = [], []
    for doc in pages:
        if doc.failed:
            continue  # already reported by the loader
        checker = Checker(doc.path, memo)
        page = checker.record(S.PAGE, doc.data, (2, 1), label="the front matter")
        if not SLUG_RE.match(doc.slug) or doc.slug in RESERVED_SLUGS:
            hint = "that address is used by the site itself" if doc.slug in RESERVED_SLUGS else "use lowercase letters, digits and hyphens, e.g. staying-safe.md"
            checker.add((1, 1), f"'{doc.slug}' cannot be a page address", hint)
        elif page is not None:
            clean_pages.append({**page, "slug": doc.slug, "body": doc.body, "body_line": doc.body_line})
        problems += checker.problems
    return clean_pages, problems


def pos_of(record, key, index=None):
    """Where a field (or one item of a list field) of a validated record was written."""
    raw = record["_raw"]
    value = raw.get(key)
    if index is not None and isinstance(value, MarkedList):
        return value.where(index)
    return raw.where(key)


def label(schema, record):
    """How a message names a validated record: "officer 'sam-taylor'", or "this officer" if its id is wrong."""
    return Checker.label(schema, record["_raw"])


def raw_ids(records):
    """The ids written in records, valid or not, so one bad id is not reported again at every mention."""
    return {r["_raw"].get("id") for r in records if isinstance(r["_raw"].get("id"), str)}


class References:
    """Checks what needs every file at once: references, coverage and freshness."""

    def __init__(self, data, root, failed=(), today=None):
        self.data, self.root = data, root
        self.today = today or dt.date.today()
        self.problems = []
        # Ids in a file that could not be read are unknown, not missing: check nothing against them.
        forces_unreadable = "site.yaml" in failed or not isinstance(data.site.get("_raw", {}).get("forces"), MarkedList)
        self.force_ids = None if forces_unreadable else raw_ids(data.forces)
        self.borough_ids = None if "boroughs.yaml" in failed else raw_ids(data.boroughs)
        self.officers_failed = "officers.yaml" in failed
        self.officer_ids = None if self.officers_failed else raw_ids(data.officers)

    def add(self, record, key, message, hint="", severity=ERROR, index=None):
        path = record["_at"][0]
        line, col = pos_of(record, key, index)
        self.problems.append(Problem(path, line, col, message, hint, severity))

    def known(self, record, key, ids, what):
        if ids is None:
            return
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
        self.postcode_districts()
        for officer in self.data.officers:
            self.known(officer, "boroughs", self.borough_ids, "borough")
            if not officer["boroughs"] and officer["_raw"].get("boroughs") is None:
                pass  # already reported as a missing required field
            elif not officer["boroughs"]:
                self.add(officer, "boroughs", f"{label(S.OFFICER, officer)} covers no borough", "list at least one borough id")
            self.photo_exists(officer)
        self.borough_coverage()
        for org in self.data.organisations:
            self.known(org, "boroughs", self.borough_ids, "borough")
            self.organisation_area(org)
        for route in self.data.routes:
            self.known(route, "forces", self.force_ids, "force")
        for event in self.data.events:
            self.known(event, "borough", self.borough_ids, "borough")
            self.known(event, "officers", self.officer_ids, "officer")
            self.event_times(event)
        self.freshness()
        return self.problems

    def event_times(self, event):
        start, end = event["start"], event["end"]
        if start is None or end is None or end > start:
            return
        when = "before it starts" if end < start else "at the moment it starts"
        self.add(event, "end", f"event '{event['id']}' ends {when}",
                 f"it starts {start:%Y-%m-%d %H:%M}: check the date and time of 'end'")

    def mutual_neighbours(self):
        neighbours = {b["id"]: set(b["neighbours"] or ()) for b in self.data.boroughs}
        for borough in self.data.boroughs:
            if not borough["id"]:
                continue  # its id is wrong: already reported
            for index, other in enumerate(borough["neighbours"] or ()):
                if other == borough["id"]:
                    self.add(borough, "neighbours", f"borough '{other}' lists itself as a neighbour", "delete it from its own neighbours", index=index)
                elif other in neighbours and borough["id"] not in neighbours[other]:
                    self.add(borough, "neighbours", f"'{other}' does not list '{borough['id']}' as a neighbour",
                             f"add {borough['id']} to the neighbours of {other}", WARNING, index)

    def postcode_districts(self):
        """A district in several boroughs is normal (the search asks people to choose): say so once, as info."""
        claims = {}  # district -> [(borough, index)]
        for borough in self.data.boroughs:
            if not borough["id"]:
                continue  # its id is wrong: already reported
            seen = set()
            for index, district in enumerate(borough["postcode_districts"] or ()):
                if district in seen:
                    self.add(borough, "postcode_districts", f"postcode district {district} is listed twice in {label(S.BOROUGH, borough)}",
                             "delete one of them", WARNING, index)
                    continue
                seen.add(district)
                claims.setdefault(district, []).append((borough, index))
        for district, places in claims.items():
            if len(places) > 1:
                borough, index = places[0]
                names = ", ".join(b["id"] for b, _ in places)
                self.add(borough, "postcode_districts", f"postcode district {district} is in {len(places)} boroughs: {names}",
                         "people who search for it will be asked to choose", INFO, index)

    def borough_coverage(self):
        if self.officers_failed:
            return
        covered = {}
        for officer in self.data.officers:
            for borough_id in officer["boroughs"] or ():
                covered.setdefault(borough_id, []).append(label(S.OFFICER, officer))
        for borough in self.data.boroughs:
            if not borough["id"] or (borough["no_officer"] is None and borough["_raw"].get("no_officer") is not None):
                continue  # its id or no_officer is wrong: already reported
            officers = covered.get(borough["id"])
            if borough["no_officer"] and officers:
                self.add(borough, "no_officer", f"borough '{borough['id']}' is marked 'no_officer: true' but {officers[0]} covers it",
                         "delete the line 'no_officer: true'", WARNING)
            elif not borough["no_officer"] and not officers:
                self.add(borough, "id", f"borough '{borough['id']}' has no officer",
                         "add it to an officer's boroughs, or add 'no_officer: true' to the borough if that is known", WARNING)

    def freshness(self):
        """Records whose last_verified is older than review_after_days are due for review."""
        days = review_after_days(self.data)
        for schema, record, verified, age in verified_ages(self.data, self.today):
            if age < -FUTURE_GRACE_DAYS:
                self.add(record, "last_verified", f"'last_verified' is in the future: {verified.isoformat()}",
                         "write the date you last checked these details, as year-month-day")
            elif age > days:
                self.add(record, "last_verified",
                         f"{label(schema, record)} is due for review: last verified {verified.isoformat()}, {age} days ago",
                         "check the details are still right, then set last_verified to the date you checked them", WARNING)

    def organisation_area(self, org):
        if org["national"] is None and org["_raw"].get("national") is not None:
            return  # 'national' itself is wrong: already reported
        if org["national"] and org["boroughs"]:
            self.add(org, "boroughs", f"{label(S.ORGANISATION, org)} is national and also lists boroughs",
                     "delete the boroughs, or delete 'national: true'")
        elif not org["national"] and not org["boroughs"]:
            self.add(org, "id", f"{label(S.ORGANISATION, org)} has no area",
                     "add 'boroughs: [...]' or 'national: true'")

    def photo_exists(self, officer):
        photo = officer.get("photo")
        if not photo:
            return
        assets = self.root / "assets"
        if not (assets / photo).is_file():
            self.add(officer, "photo", f"photo 'assets/{photo}' does not exist", "check the file name and that the photo is in assets/")
        elif assets.is_symlink() or not (assets / photo).resolve().is_relative_to(assets.resolve()):
            # The site copies only what is really inside assets/ (render.asset_files).
            self.add(officer, "photo", f"photo 'assets/{photo}' is a link to a file outside assets/",
                     "put the photo itself in assets/ instead of a link")


def review_after_days(data):
    return data.site.get("review_after_days") or S.SITE.by_name["review_after_days"].default


class CheckedRecords:
    """Checked records kept between the preview's rebuilds (incremental.BuildCache.checked)."""

    def __init__(self, previous):
        self.previous, self.current = previous, {}


def verified_ages(data, today):
    """(schema, record, last_verified, days since) for every record that has a valid last_verified."""
    for schema, records in ((S.OFFICER, data.officers), (S.ORGANISATION, data.organisations), (S.ROUTE, data.routes)):
        for record in records:
            verified = record.get("last_verified")
            if verified is not None:
                yield schema, record, verified, (today - verified).days


def due_for_review(data, today):
    """The records due for review on a day: (schema, record, days since last verified)."""
    days = review_after_days(data)
    return [(schema, record, age) for schema, record, _, age in verified_ages(data, today) if age > days]


def validate(source, today=None, cache=None, prefetched=None, memo=None):
    """Check everything. Returns (Data, problems); Data is usable only when there are no errors.

    today: the day freshness is judged on (default: the real today), so tests can fix it.
    cache: the preview's BuildCache, to skip checking records again that did not change.
    prefetched: waits for the Markdown another process is converting meanwhile
    (fast.prefetch), before the Markdown is checked.
    memo: the engine's Memo, where each Markdown text's HTML is kept for the context.
    """
    problems, clean = [], {}
    memo = memo if memo is not None else Memo()
    checked = CheckedRecords(cache.checked) if cache is not None else None
    for schema in S.DATA_FILES:
        doc = source.files[schema.file]
        if doc.failed:
            clean[schema.file] = {} if not schema.is_list else []
            continue
        clean[schema.file], found = check_file(schema, doc, memo, checked)
        problems += found
    if cache is not None:
        cache.checked = checked.current
    site = clean["site.yaml"] or {}
    data = Data(site=site, forces=site.get("forces") or [], boroughs=clean["boroughs.yaml"],
                officers=clean["officers.yaml"], organisations=clean["organisations.yaml"],
                routes=clean["reporting.yaml"], events=clean["events.yaml"])
    data.pages, found = check_pages(source.pages, memo)
    problems += found
    # A file that could not be read, or is not the list (or set of fields) it should be, says
    # nothing about which ids exist: checking references against it would only add noise.
    failed = {schema.file for schema in S.DATA_FILES if source.files[schema.file].failed
              or not isinstance(source.files[schema.file].data, MarkedList if schema.is_list else MarkedDict)}
    problems += References(data, source.root, failed, today).check()
    if prefetched is not None:
        prefetched()
    problems += check_markdown(data, memo)
    data.private = private_fields(site)
    return data, problems


def markdown_texts(data):
    """(path, (line, col), what it is, text) for every Markdown text in the data."""
    for schema in S.RECORD_SETS:
        for record in getattr(data, schema.attribute):
            for name in schema.markdown_fields:
                if record.get(name):
                    yield record["_at"][0], pos_of(record, name), f"'{name}'", record[name]
    for page in data.pages:
        yield page["_at"][0], (page["body_line"], 1), "this page", page["body"]


def check_markdown(data, memo):
    """Convert every Markdown text now, within limits, so one that cannot be is an error at its place."""
    problems, total = [], 0
    for path, (line, col), what, text in markdown_texts(data):
        def problem(message, hint):
            problems.append(Problem(path, line, col, message, hint))
        work = memo.markdown_work(text)
        if len(text) > MAX_CHARACTERS:
            problem(f"{what} is {len(text):,} characters long, more than {MAX_CHARACTERS:,}", "split it up, or shorten it")
        elif work > MAX_WORK:
            problem(f"{what} is too long or complex to turn into a web page safely",
                    "split long paragraphs with blank lines, and remove stray [, <, > or ` characters")
        elif (total := total + work) > MAX_BUILD_WORK:
            problem("the Markdown in the data adds up to more than one build can safely turn into web pages",
                    "shorten the longest texts")
            break
        else:
            try:
                memo.markdown(text)
            except MarkdownError as error:
                problem(f"{what} cannot be turned into a web page: {error}", "put fewer lists or quotes inside each other")
    return problems


def private_fields(site):
    """The fields never published, by kind of record: the schema's own and site.yaml's additions."""
    declared = site.get("private_fields") or {}
    return {schema.name: frozenset(f.name for f in schema.fields if f.private) | declared.get(key, frozenset())
            for key, schema in S.PRIVATE_FIELD_RECORDS.items()}
