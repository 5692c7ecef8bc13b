"""Data downloads: only published fields, in JSON and CSV, documented on the open data page."""
from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO, TODAY, ONE_EVENT
from liaison import schema as S
from liaison.export import DOWNLOADS, compact, csv_columns, csv_row, published, to_csv
from liaison.structured import to_script_json
from liaison.pipeline import build

MARKER = "PRIVATE-NOTE-MARKER"  # the minimal project's officer has it in notes

@pytest.fixture
def site(make_project, tmp_path):
    root = make_project({"events.yaml": ONE_EVENT})
    out = tmp_path / "out"
    build(root, out, base_url="https://example.org/lgbt/", today=TODAY)
    return out


def load_json(out, path):
    return json.loads((out / path).read_text(encoding="utf-8"))


def load_csv(out, path):
    data = (out / path).read_bytes()
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_every_download_exists_in_json_and_csv(site):
    for name, *_ in DOWNLOADS:
        assert isinstance(load_json(site, f"data/{name}.json"), list)
        assert (site / f"data/{name}.csv").read_bytes().startswith(b"id,")
    assert {p.name for p in (site / "data").iterdir() if p.is_file()} == {
        f"{name}.{ext}" for name, *_ in DOWNLOADS for ext in ("json", "csv")}


def test_officers_json_holds_exactly_the_public_fields(site):
    officers = load_json(site, "data/officers.json")
    assert officers == [{
        "id": "alex-example", "name": "Alex Example", "rank": "PC", "pronouns": "they/them", "role": "full-time",
        "boroughs": ["northtown"], "email": "alex.example@example.org", "phone": "020 7946 0001",
        "languages": ["English", "Welsh"], "photo": None, "photo_alt": None,
        "bio": "Alex has been a **liaison officer** since 2023.", "last_verified": "2026-11-01",
    }]
    assert set(officers[0]) == {f.name for f in S.OFFICER.public_fields}
    assert "notes" not in officers[0]


def test_json_downloads_put_one_record_on_each_line(site):
    lines = (site / "data/officers.json").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 3
    assert lines[1].startswith('  {"bio":"Alex has been a **liaison officer** since 2023.","boroughs":["northtown"],')
    assert json.loads(lines[1]) == load_json(site, "data/officers.json")[0]


def test_csv_columns_come_from_the_schema(site):
    rows = load_csv(site, "data/officers.csv")
    assert list(rows[0]) == [f.name for f in S.OFFICER.public_fields]
    assert "notes" not in rows[0]
    assert rows[0]["languages"] == "English; Welsh"
    organisations = {row["id"]: row for row in load_csv(site, "data/organisations.csv")}
    centre = organisations["local-centre"]
    assert (centre["address_street"], centre["address_town"], centre["address_postcode"]) == (
        "1 High Street", "Southtown", "ST1 1AA")
    assert centre["third_party_reporting"] == "true" and centre["national"] == "false"
    assert organisations["helpline-example"]["address_street"] == ""


def test_csv_is_rfc_4180(site):
    data = (site / "data/reporting.csv").read_bytes()
    assert data.count(b"\r\n") == 3 and b"\n" not in data.replace(b"\r\n", b"")


def test_json_and_csv_agree(site):
    for name, schema, *_ in DOWNLOADS:
        records = load_json(site, f"data/{name}.json")
        rows = load_csv(site, f"data/{name}.csv")
        assert [r["id"] for r in records] == [r["id"] for r in rows] == sorted(r["id"] for r in records)
        assert list(rows[0]) == csv_columns(schema)


def test_reporting_and_boroughs(site):
    routes = {r["id"]: r for r in load_json(site, "data/reporting.json")}
    assert routes["call-101"]["forces"] == ["test-police"]
    assert routes["call-999"]["phone"] == "999" and routes["call-999"]["textphone"] == "18000"
    boroughs = load_json(site, "data/boroughs.json")
    assert boroughs[0] == {"id": "northtown", "name": "Northtown", "force": "test-police",
                           "postcode_districts": ["NT1", "NT2"], "neighbours": ["southtown"], "no_officer": False}


def test_a_private_field_never_reaches_any_output_byte(site):
    """Every file the build wrote, pages, downloads, Open Referral, feeds, QR codes, is searched."""
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 40
    leaks = [str(p.relative_to(site)) for p in files if MARKER.encode() in p.read_bytes()]
    assert leaks == []


def test_private_fields_are_left_out_at_any_depth():
    """The downloads read Record.public_fields and nothing else, in nested records too."""
    inner = S.Record("place", (S.Field("street", S.TEXT, "Street."), S.Field("door_code", S.TEXT, "Secret.", private=True)),
                     is_list=False)
    outer = S.Record("thing", (S.Field("id", S.SLUG, "Id."), S.Field("where", S.ADDRESS, "Where.", record=inner),
                               S.Field("notes", S.TEXT, "Secret.", private=True)))
    record = {"id": "a", "where": {"street": "1 High Street", "door_code": "1234", "_at": ("x", 1, 1)}, "notes": "n"}
    assert published(record, outer) == {"id": "a", "where": {"street": "1 High Street"}}
    assert csv_columns(outer) == ["id", "where_street"]
    assert csv_row(published(record, outer), outer) == {"id": "a", "where_street": "1 High Street"}


def test_open_data_page_documents_every_published_field(site):
    page = (site / "open-data/index.html").read_text(encoding="utf-8")
    for name, schema, *_ in DOWNLOADS:
        assert f'href="../data/{name}.json"' in page and f'href="../data/{name}.csv"' in page
        for f in schema.public_fields:
            if f.kind != S.RECORDS:
                assert f"<code>{f.name}" in page
    assert "<code>notes</code>" not in page
    assert "<code>address.street</code>" in page
    assert 'href="../data/openreferral/services.json"' in page
    assert 'href="../data/openreferral/tabular/datapackage.json"' in page


def test_open_data_page_is_linked_from_the_footer(site):
    assert '<a href="open-data/">Open data</a>' in (site / "index.html").read_text(encoding="utf-8")


def test_identical_data_gives_identical_bytes(make_project, tmp_path):
    root = make_project({"events.yaml": ONE_EVENT})
    out = tmp_path / "out"
    build(root, out, base_url="https://example.org/", today=TODAY)
    first = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = build(root, out, base_url="https://example.org/", today=TODAY)
    assert result.written == 0
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == first


def test_the_sample_data_exports(tmp_path):
    out = tmp_path / "out"
    build(REPO, out, today=TODAY)
    officers = load_json(out, "data/officers.json")
    assert len(officers) == len(load_csv(out, "data/officers.csv")) > 10
    assert all("notes" not in o for o in officers)
    assert not any(b"On leave from 14 to 31 December" in p.read_bytes() for p in out.rglob("*") if p.is_file())


# Any JSON the exports could hold: text with every kind of character, integers up
# to 64 bits and beyond (which orjson refuses), and lists and objects of those.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_compact_json_is_the_json_modules_byte_for_byte(value):
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        expected = expected.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: refused by both
        with pytest.raises(UnicodeEncodeError):
            compact(value)
        return
    assert compact(value) == expected


@given(JSON_VALUES)
def test_schema_org_json_is_the_json_modules_with_markup_escaped(value):
    try:
        expected = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:
        return
    made = to_script_json(value)
    assert made == expected.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    assert json.loads(made) == value


CELLS = st.text(alphabet=st.sampled_from(['a', 'é', ' ', ',', '"', '\n', '\r', ';', "'", '\t']), max_size=6)


@given(st.integers(min_value=0, max_value=4).flatmap(
    lambda width: st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=4)))
def test_csv_is_the_csv_modules_byte_for_byte(rows):
    columns = [f"c{index}" for index in range(len(rows[0]) if rows else 2)]
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    made = to_csv(columns, [dict(zip(columns, row)) for row in rows])
    assert made == expected.getvalue().encode("utf-8")


def test_csv_cells_that_are_not_text_are_written_as_the_csv_module_writes_them():
    assert to_csv(["a", "b"], [{"a": 1, "b": None}, {"a": "x,y"}]) == b'a,b\r\n1,\r\n"x,y",\r\n'
