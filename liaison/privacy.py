"""The privacy boundary between checking the data and publishing it.

Once the data is valid, ``redact`` empties every private field: officers'
notes, anything site.yaml's private_fields names, and the setting itself. It
also drops each record's copy of the raw YAML. Everything after it (context,
pages, exports, sitemap) sees only what may be published, so a new page or
export cannot leak a private field by mistake.
"""
from __future__ import annotations

from . import schema as S


def _records(data, schemas):
    """(schema, record) for every record of these kinds (schema.py's lists of them)."""
    for schema in schemas:
        for record in getattr(data, schema.attribute):
            yield schema, record


def _private(data, schema):
    always = frozenset(f.name for f in schema.fields if f.private)
    return always | data.private.get(schema.name, frozenset())


def redact(data):
    """Empty every private field of validated data, in place; idempotent.

    Returns the asset paths (e.g. 'assets/photos/x.jpg') that only private fields
    name: the files themselves must not be published either.
    """
    private_assets, public_assets = set(), set()
    for schema, record in _records(data, S.PRIVATE_FIELD_RECORDS.values()):
        hidden = _private(data, schema)
        for f in schema.fields:
            if f.kind == S.ASSET and record.get(f.name):
                (private_assets if f.name in hidden else public_assets).add(f"assets/{record[f.name]}")
            if f.name in hidden:
                record[f.name] = None
    for _schema, record in _records(data, S.RECORD_SETS):
        record.pop("_raw", None)
    for f in S.SITE.fields:
        if f.private:
            data.site[f.name] = None
    data.site.pop("_raw", None)
    for page in data.pages:
        page.pop("_raw", None)
    return private_assets - public_assets
