"""JSON Schemas for editors, generated from the field definitions in schema.py.

VS Code's YAML extension (and any editor using yaml-language-server) reads the
`# yaml-language-server: $schema=schemas/....schema.json` line at the top of
each data file and then completes field names, shows each field's
description, and underlines mistakes as they are typed. The schemas are
derived from the same definitions `build.py check` validates against, so they
cannot drift apart: tests/test_jsonschemas.py fails if the files in schemas/
are not what `python build.py schemas` would write now.

The schemas are JSON Schema draft-07, the newest draft every version of the
YAML extension supports. They are a helpful first line only: `build.py check`
remains the judge (it also checks references between files, phone numbers
and freshness, which a schema cannot).
"""
from __future__ import annotations

import json
from pathlib import Path

from . import schema as S

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = "schemas"

# Shown by the editor when a value does not match a kind's pattern.
PATTERN_MESSAGES = {
    S.SLUG: "Use lowercase letters, digits and hyphens only, e.g. sam-taylor.",
    S.EMAIL: "This is not an email address: it should look like name@example.org.",
    S.DATE: "Write the date as year-month-day, e.g. 2026-11-02.",
    S.URL: "Write the full web address, starting with https://",
    S.PHONE: "Write a UK phone number such as 020 7946 0123, or a short number such as 101.",
    S.POSTCODE: "Write a full UK postcode, e.g. N1 9DN.",
    S.POSTCODE_DISTRICT: "Write the first half of a postcode only, e.g. HA1 or NW10.",
    S.ASSET: "Write a path inside assets/, e.g. photos/alex-morgan.jpg.",
}
# List kinds and the kind of each of their items.
ITEM_KINDS = S.ITEM_KINDS


def schema_file_name(record):
    """officers.yaml -> officers.schema.json"""
    return record.file.rsplit(".", 1)[0] + ".schema.json"


def scalar_schema(kind, f):
    """The schema of one value of a scalar kind."""
    if kind == S.BOOL:
        return {"type": "boolean"}
    if kind == S.INT:
        out = {"type": "integer"}
        if f.minimum is not None:
            out["minimum"] = f.minimum
        return out
    if kind == S.CHOICE:
        return {"type": "string", "enum": list(f.choices)}
    if kind == S.PHONE:
        # Short numbers such as 101 or 999 may be written without quotes.
        return {"type": ["string", "integer"], "pattern": S.PATTERNS[S.PHONE],
                "patternErrorMessage": PATTERN_MESSAGES[S.PHONE]}
    out = {"type": "string", "minLength": 1}
    if kind in S.PATTERNS:
        out["pattern"] = S.PATTERNS[kind]
        out["patternErrorMessage"] = PATTERN_MESSAGES[kind]
    if kind == S.DATE:
        out["format"] = "date"
    return out


def field_schema(f):
    if f.kind in ITEM_KINDS:
        # check also accepts a single value where a list is expected; the editor asks for the
        # list, which is how every sample file writes it and gives clearer messages than anyOf.
        out = {"type": "array", "items": scalar_schema(ITEM_KINDS[f.kind], f)}
    elif f.kind == S.ADDRESS:
        out = record_schema(f.record)
    elif f.kind == S.RECORDS:
        out = {"type": "array", "items": record_schema(f.record)}
    else:
        out = scalar_schema(f.kind, f)
    described = {"title": f.name, "description": f.doc}
    default = json_default(f.default)
    if default is not None:
        described["default"] = default
    return {**described, **out}


def json_default(value):
    if value is None or value == ():
        return None
    return list(value) if isinstance(value, tuple) else value


def record_schema(record):
    out = {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in record.fields},
        "additionalProperties": False,
    }
    required = [f.name for f in record.fields if f.required]
    if required:
        out["required"] = required
    if record.doc:
        out["description"] = record.doc
    if record.is_list:
        out["defaultSnippets"] = [{"label": f"New {record.name}",
                                   "description": f"A {record.name} with every required field",
                                   "body": snippet_body(record)}]
    return out


def snippet_body(record):
    """A new record with its required fields, for the editor to insert with placeholders."""
    body = {}
    for number, f in enumerate((f for f in record.fields if f.required), start=1):
        if f.kind == S.CHOICE:
            body[f.name] = f"${{{number}:{f.choices[0]}}}"
        elif f.kind in ITEM_KINDS:
            body[f.name] = [f"${number}"]
        else:
            body[f.name] = f"${number}"
    return body


def file_schema(record):
    out = {
        "$schema": DRAFT,
        "title": record.file,
        "description": f"{record.doc} Checked in full by `python build.py check`.",
    }
    if record.is_list:
        out.update(type="array", items=record_schema(record))
    else:
        body = record_schema(record)
        body.pop("description", None)
        out.update(body)
    return out


def generate():
    """{file name: JSON text} for every data file, exactly as written to schemas/."""
    return {schema_file_name(record): json.dumps(file_schema(record), indent=2, ensure_ascii=False) + "\n"
            for record in S.DATA_FILES}


def write_schemas(root: Path):
    folder = Path(root) / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    for name, text in generate().items():
        (folder / name).write_text(text, encoding="utf-8")
    return list(generate())


def stale_schemas(root: Path):
    """The names of the schema files that are missing or differ from what would be generated."""
    folder = Path(root) / SCHEMA_DIR
    stale = []
    for name, text in generate().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
