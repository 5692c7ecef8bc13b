"""Open data: the directory's records as JSON and CSV downloads under data/.

Which fields are published comes from schema.Record.public_fields and nowhere
else, so a private field (officers' notes) can never reach a download. Output
is deterministic: records sorted by id, keys sorted, no timestamps.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import orjson

from . import schema as S
from .phones import Phone

LIST_SEPARATOR = "; "  # joins the items of a list in one CSV cell

# (base file name, schema, title, what it holds); the records are the schema's attribute of validate.Data
DOWNLOADS = (
    ("officers", S.OFFICER, "Liaison officers",
     "The LGBT+ liaison officers, the boroughs they cover and how to contact them."),
    ("boroughs", S.BOROUGH, "Boroughs and districts",
     "The areas people search by, with their police force, postcode districts and neighbours."),
    ("organisations", S.ORGANISATION, "Support organisations",
     "Support organisations and third-party reporting centres, with the services they offer and where."),
    ("reporting", S.ROUTE, "Ways to report a hate crime",
     "Every way to report a hate crime or get help after one, from 999 to anonymous reporting."),
    ("forces", S.FORCE, "Police forces",
     "The police forces that cover the boroughs: boroughs and reporting routes name a force by its id."),
)

KIND_NAMES = {
    S.TEXT: "text", S.MARKDOWN: "text (Markdown)", S.SLUG: "id", S.SLUGS: "list of ids", S.TEXTS: "list of text",
    S.DATE: "date (YYYY-MM-DD)", S.DATETIME: "date and time (ISO 8601, with UTC offset)", S.BOOL: "true or false",
    S.INT: "whole number", S.URL: "web address", S.EMAIL: "email address", S.PHONE: "phone number",
    S.CHOICE: "one of a list", S.CHOICES: "list of choices", S.ADDRESS: "address", S.RECORDS: "list of records",
    S.ASSET: "file path under assets/", S.POSTCODE: "postcode", S.POSTCODE_DISTRICT: "postcode district",
    S.POSTCODE_DISTRICTS: "list of postcode districts",
}


def json_value(value, f):
    """A validated value as plain JSON: lists, strings, numbers, true/false or null."""
    if value is None:
        return None
    if f.kind in (S.SLUGS, S.TEXTS, S.CHOICES):
        return list(value)
    if f.kind == S.ADDRESS:
        return published(value, f.record)
    if f.kind == S.RECORDS:
        return [published(item, f.record) for item in value]
    if isinstance(value, Phone):
        return value.display
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def published(record, schema):
    """The public fields of one validated record, ready for JSON. Private fields are never read."""
    return {f.name: json_value(record.get(f.name), f) for f in schema.public_fields}


def csv_columns(schema):
    """CSV column names: one per public field; an address becomes address_street, address_town..."""
    columns = []
    for f in schema.public_fields:
        if f.kind == S.ADDRESS:
            columns += [f"{f.name}_{sub.name}" for sub in f.record.public_fields]
        elif f.kind != S.RECORDS:
            columns.append(f.name)
    return columns


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def csv_row(item, schema):
    row = {}
    for f in schema.public_fields:
        if f.kind == S.ADDRESS:
            for sub in f.record.public_fields:
                row[f"{f.name}_{sub.name}"] = csv_cell((item[f.name] or {}).get(sub.name))
        elif f.kind != S.RECORDS:
            row[f.name] = csv_cell(item[f.name])
    return row


_json_compact = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def compact(value) -> bytes:
    """value as compact UTF-8 JSON with sorted keys, the same bytes as the json module's.

    orjson makes it in a fifth of the time: half a second of a national build.
    What orjson refuses (an integer beyond 64 bits) goes to the json module."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return _json_compact(value).encode("utf-8")


def to_json(value):
    """JSON with one record per line: the outer list (or the lists of an outer object)
    spread over lines, each record compact.

    Readable and easy to diff. Each record is encoded as it goes, so the text
    is never held twice."""
    out = io.BytesIO()
    for piece in _pieces(value, 0):
        out.write(piece)
    out.write(b"\n")
    return out.getvalue()


def _pieces(value, depth):
    if depth < 2 and isinstance(value, list) and value:
        pad = b"  " * (depth + 1)
        for index, item in enumerate(value):
            yield (b"[\n" if index == 0 else b",\n") + pad
            yield from _pieces(item, 2)
        yield b"\n" + b"  " * depth + b"]"
    elif depth < 1 and isinstance(value, dict) and value:
        for index, key in enumerate(sorted(value)):
            yield (b"{\n" if index == 0 else b",\n") + b"  " + compact(key) + b":"
            yield from _pieces(value[key], 1)
        yield b"\n}"
    else:
        yield compact(value)


def to_csv(columns, rows):
    """RFC 4180 CSV in UTF-8: a header row, CRLF line ends, quotes only where needed.

    Only the named columns are written: a key not among them never reaches the file.
    The same bytes as the csv module's writer, made by joining each row and quoting
    only the rows that need it: the csv module took ten times as long, a third of
    the Open Referral export's time. A cell that is not text goes to the csv module."""
    try:
        lines = [_csv_line(columns)]
        lines += [_csv_line([row.get(name, "") for name in columns]) for row in rows]
    except TypeError:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([[row.get(name, "") for name in columns] for row in rows])
        return out.getvalue().encode("utf-8")
    lines.append("")
    return "\r\n".join(lines).encode("utf-8")


def _csv_line(cells):
    line = ",".join(cells)
    if line.count(",") == len(cells) - 1 and '"' not in line and "\n" not in line and "\r" not in line:
        return line if line or len(cells) != 1 else '""'  # the csv module quotes a lone empty cell
    return ",".join([_csv_quoted(cell) for cell in cells])


def _csv_quoted(cell):
    if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def files(ctx):
    """The downloads: an output of the build (outputs.py)."""
    return download_files(ctx.records)


def download_files(data, between=lambda: None):
    """{'data/officers.json': bytes, 'data/officers.csv': bytes, ...}; between() is called
    between the files (the preview stops here if a file changed)."""
    files = {}
    for name, schema, _title, _doc in DOWNLOADS:
        between()
        items = sorted((published(r, schema) for r in getattr(data, schema.attribute)), key=lambda r: r["id"])
        files[f"data/{name}.json"] = to_json(items)
        files[f"data/{name}.csv"] = to_csv(csv_columns(schema), [csv_row(item, schema) for item in items])
    return files


def describe_field(f, prefix=""):
    if f.kind == S.ADDRESS:
        return [describe_field(sub, f"{f.name}.")[0] for sub in f.record.public_fields]
    doc = f.doc
    if f.choices:
        doc += f" One of: {', '.join(f.choices)}."
    return [{"name": prefix + f.name, "kind": KIND_NAMES[f.kind], "doc": doc, "required": f.required}]


def describe_downloads():
    """What each download holds, for the open data page: generated from the schema."""
    described = []
    for name, schema, title, doc in DOWNLOADS:
        fields = [d for f in schema.public_fields if f.kind != S.RECORDS for d in describe_field(f)]
        described.append({"name": name, "title": title, "doc": doc, "json": f"data/{name}.json",
                          "csv": f"data/{name}.csv", "fields": fields})
    return described
