"""`build.py changes --since REF`: what a pull request changes, in plain English.

The data files as they were at a git revision (read with `git show`) and as
they are in the working tree are loaded and validated exactly as the build
does, then compared record by record, by id. The result is Markdown for a
reviewer: who was added or removed, which boroughs gained or lost an officer,
which contact details changed from what to what, and which records have
become due for review.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from . import schema as S
from .errors import UserError, errors_in
from .load import Document, Source, parse_yaml
from .phones import Phone
from .validate import due_for_review, validate

# Sections for the three kinds of record compared field by field, in this order.
KINDS = (
    (S.OFFICER, "Officers"),  # followed by "Borough coverage"
    (S.BOROUGH, "Boroughs"),
    (S.ORGANISATION, "Organisations"),
    (S.ROUTE, "Reporting routes"),
    (S.FORCE, "Police forces"),
)
# Text written in Markdown: a change is named, not quoted (the diff shows it).
LONG_KINDS = (S.MARKDOWN,)


def git(source, *args):
    """Run git in the source folder (no shell). Returns stdout; raises UserError with git's reason."""
    try:
        result = subprocess.run(["git", *args], cwd=source, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UserError("git is not installed, so there is no history to compare with") from None
    if result.returncode != 0:
        raise GitFailed(result.stderr.strip())
    return result.stdout


class GitFailed(Exception):
    pass


def resolve_ref(source, ref):
    """Check that source is in a git repository and ref names a commit. Returns the commit's date."""
    try:
        git(source, "rev-parse", "--is-inside-work-tree")
    except GitFailed:
        raise UserError(f"{Path(source).resolve()} is not in a git repository, so there is nothing to compare with") from None
    try:
        commit = git(source, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").strip()
    except GitFailed:
        commit = ""
    if not commit:
        raise UserError(f"unknown git revision '{ref}': use a branch, tag or commit id, e.g. main or origin/main")
    when = git(source, "log", "-1", "--format=%cI", commit).strip()
    return commit, dt.date.fromisoformat(when[:10])


def old_source(source, commit):
    """The data files as they were at a commit, loaded like the working tree's."""
    loaded = Source(Path(source))
    for record in S.DATA_FILES:
        try:
            text = git(source, "show", f"{commit}:./{record.file}")
        except GitFailed:
            loaded.files[record.file] = Document(record.file, failed=True)  # not there yet
            continue
        data, problems = parse_yaml(text, record.file)
        loaded.files[record.file] = Document(record.file, data, failed=data is None and bool(problems))
        loaded.problems += problems
    return loaded


def load_working_tree(source):
    from .load import load  # the same loader the build uses

    loaded = load(Path(source))
    loaded.pages = []  # pages are not compared
    return loaded


# ---- how values read in Markdown -------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def md(text):
    """Plain text made safe to show in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def code(text):
    text = " ".join(str(text).split())
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def listing(names):
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


class Names:
    """Turns ids into names, from either revision."""

    def __init__(self, *datas):
        self.boroughs, self.forces, self.officers = {}, {}, {}
        for data in datas:
            self.boroughs.update({b["id"]: b["name"] for b in data.boroughs if b["id"] and b["name"]})
            self.forces.update({f["id"]: f["name"] for f in data.forces if f["id"] and f["name"]})
            self.officers.update({o["id"]: o["name"] for o in data.officers if o["id"] and o["name"]})

    def borough(self, ident):
        return self.boroughs.get(ident, ident)

    def force(self, ident):
        return self.forces.get(ident, ident)


def shown(f, value, names):
    """A field's value as a reviewer reads it."""
    if value is None or value == ():
        return "(none)"
    if isinstance(value, Phone):
        return value.display
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        if f.name in ("boroughs", "neighbours"):
            return ", ".join(names.borough(v) for v in value)
        if f.name == "forces":
            return ", ".join(names.force(v) for v in value)
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(str(value.get(sub.name)) for sub in f.record.fields if value.get(sub.name))
    return str(value)


def comparable(f, value):
    if isinstance(value, Phone):
        return value.tel
    if isinstance(value, tuple) and f.kind in (S.SLUGS, S.CHOICES, S.POSTCODE_DISTRICTS):
        return tuple(sorted(value))  # order does not matter to the public
    if isinstance(value, dict):
        return tuple((k, v) for k, v in value.items() if not k.startswith("_"))
    return value


# ---- comparison -------------------------------------------------------------------------------


def by_id(records):
    return {r["_raw"].get("id"): r for r in records if isinstance(r["_raw"].get("id"), str)}


def field_changes(schema, old, new, names):
    """'- email: `a` → `b`' lines for the public fields that differ."""
    lines = []
    for f in schema.public_fields:
        if f.kind == S.RECORDS:
            continue
        before, after = old.get(f.name), new.get(f.name)
        if comparable(f, before) == comparable(f, after):
            continue
        label = f.name.replace("_", " ")
        if f.kind in LONG_KINDS and before and after:
            lines.append(f"  - {label} changed")
        else:
            lines.append(f"  - {label}: {code(shown(f, before, names))} → {code(shown(f, after, names))}")
    return lines


def title(record):
    name = record.get("name") or record["_raw"].get("name") or record["_raw"].get("id")
    return f"**{md(name)}** ({code(record['_raw'].get('id'))})"


def describe(schema, record, names):
    """A few words about a record that was added or removed."""
    if schema is S.OFFICER:
        areas = listing(md(names.borough(b)) for b in record.get("boroughs") or ())
        return f", {record['role']}, covering {areas}" if record.get("role") and areas else ""
    if schema is S.ORGANISATION:
        if record.get("national"):
            return ", national"
        areas = listing(md(names.borough(b)) for b in record.get("boroughs") or ())
        return f", serving {areas}" if areas else ""
    if schema is S.ROUTE and record.get("urgency"):
        return f", {record['urgency']}"
    return ""


def compare_records(schema, old_records, new_records, names):
    old, new = by_id(old_records), by_id(new_records)
    lines = []
    for ident, record in new.items():
        if ident not in old:
            lines.append(f"- Added {title(record)}{describe(schema, record, names)}")
    for ident, record in old.items():
        if ident not in new:
            lines.append(f"- Removed {title(record)}{describe(schema, record, names)}")
    for ident, record in new.items():
        if ident in old:
            changed = field_changes(schema, old[ident], record, names)
            if changed:
                lines.append(f"- Changed {title(record)}:")
                lines += changed
    return lines


def coverage(data):
    """borough id -> sorted officer names covering it."""
    covered = {}
    for officer in data.officers:
        for borough in officer.get("boroughs") or ():
            covered.setdefault(borough, set()).add(officer.get("name") or officer["_raw"].get("id"))
    return {b: sorted(names) for b, names in covered.items()}


def coverage_changes(old, new, names):
    before, after = coverage(old), coverage(new)
    old_ids = {b["id"] for b in old.boroughs}
    lines = []
    for borough in sorted(new.boroughs, key=lambda b: str(b.get("name") or b["id"]).casefold()):
        ident = borough["id"]
        was, now = before.get(ident, []), after.get(ident, [])
        name = f"**{md(names.borough(ident))}**"
        if ident not in old_ids:
            lines.append(f"- {name} (new) is covered by {listing(md(n) for n in now)}" if now
                         else f"- {name} (new) has no officer")
        elif was and not now:
            lines.append(f"- {name} now has no officer (until now: {listing(md(n) for n in was)})")
        elif now and not was:
            lines.append(f"- {name} now has an officer: {listing(md(n) for n in now)}")
        elif was != now:
            gained = [n for n in now if n not in was]
            lost = [n for n in was if n not in now]
            parts = []
            if gained:
                parts.append(f"{listing(md(n) for n in gained)} now {'cover' if len(gained) > 1 else 'covers'} it")
            if lost:
                parts.append(f"{listing(md(n) for n in lost)} no longer {'do' if len(lost) > 1 else 'does'}")
            lines.append(f"- {name}: {'; '.join(parts)}")
    return lines


def site_changes(old, new, names):
    if not old.site or not new.site:
        return []
    return field_changes(S.SITE, old.site, new.site, names)


def newly_due(old, new, ref_date, today):
    was_due = {(schema.file, record["_raw"].get("id")) for schema, record, _ in due_for_review(old, ref_date)}
    lines = []
    for schema, record, age in due_for_review(new, today):
        if (schema.file, record["_raw"].get("id")) in was_due:
            continue
        path, line, _ = record["_at"]
        lines.append(f"- {title(record)}, {schema.name} in `{path}` line {line}: last verified "
                     f"{record['last_verified'].isoformat()}, {age} days ago")
    return lines


def changes_since(source, ref, today=None):
    """A Markdown summary of how the data in the working tree differs from the data at ref."""
    today = today or dt.date.today()
    commit, ref_date = resolve_ref(source, ref)
    before, after = old_source(source, commit), load_working_tree(source)
    old, _ = validate(before, ref_date)
    new, problems = validate(after, today)
    names = Names(old, new)

    if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", ref):
        ref = ref[:12]  # a commit id, as CI passes it: the short form is enough to find it
    out = [f"## Changes to the directory since {code(ref)}", ""]
    errors = errors_in(after.problems + problems)
    if errors:
        out += [f"**The data has {len(errors)} error{'s' * (len(errors) != 1)}**: run `python build.py check` "
                "to see them. This summary may be incomplete until they are fixed.", ""]
    unreadable = []
    for record in S.DATA_FILES:
        if after.files[record.file].failed:
            unreadable.append(f"- `{record.file}` cannot be read now, so its changes are not listed.")
        elif before.files[record.file].failed and _existed(source, commit, record.file):
            unreadable.append(f"- `{record.file}` could not be read at {code(ref)}, so everything in it is listed as added.")
    if unreadable:
        out += unreadable + [""]

    sections = []
    for schema, heading in KINDS:
        attr = schema.attribute
        file = S.SITE.file if schema is S.FORCE else schema.file
        if after.files[file].failed:
            continue
        sections.append((heading, compare_records(schema, getattr(old, attr), getattr(new, attr), names)))
        if schema is S.OFFICER and not after.files[S.BOROUGH.file].failed:
            sections.append(("Borough coverage", coverage_changes(old, new, names)))
    if not after.files[S.SITE.file].failed:
        sections.append(("Site settings", [line.replace("  - ", "- ", 1) for line in site_changes(old, new, names)]))
    sections.append(("Newly due for review", newly_due(old, new, ref_date, today)))

    found = False
    for heading, lines in sections:
        if lines:
            found = True
            out += [f"### {heading}", "", *lines, ""]
    if not found:
        out += [f"No changes to the directory's data since {code(ref)}.", ""]
    return "\n".join(out)


def _existed(source, commit, name):
    try:
        git(source, "cat-file", "-e", f"{commit}:./{name}")
        return True
    except GitFailed:
        return False
