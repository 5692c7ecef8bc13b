"""The JSON Schemas editors use: published, up to date, valid, and in agreement with the sample data."""
from __future__ import annotations

import datetime as dt
import json
import re

import jsonschema
import pytest
import yaml

from conftest import REPO
from liaison import schema as S
from liaison.jsonschemas import SCHEMA_DIR, generate, schema_file_name, stale_schemas, write_schemas

SCHEMAS = {record.file: schema_file_name(record) for record in S.DATA_FILES}


def test_published_schemas_are_up_to_date_with_the_definitions():
    stale = stale_schemas(REPO)
    assert stale == [], (f"{', '.join(stale)} in {SCHEMA_DIR}/ no longer match liaison/schema.py: "
                         "run `python build.py schemas` and commit the result")


def test_schemas_command_writes_and_checks(tmp_path, run_cli):
    code, _, err = run_cli("schemas", "--source", tmp_path, "--check")
    assert code == 1 and "officers.schema.json is out of date" in err
    code, out, _ = run_cli("schemas", "--source", tmp_path)
    assert code == 0 and out.startswith("Wrote 6 JSON Schemas")
    assert sorted(p.name for p in (tmp_path / SCHEMA_DIR).iterdir()) == sorted(SCHEMAS.values())
    assert run_cli("schemas", "--source", tmp_path, "--check")[0] == 0
    assert write_schemas(tmp_path) == list(generate())  # writing again changes nothing


@pytest.mark.parametrize("data_file, schema_file", SCHEMAS.items())
def test_each_schema_is_valid_draft_07(data_file, schema_file):
    schema = json.loads((REPO / SCHEMA_DIR / schema_file).read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


def as_json(value):
    """YAML data as an editor's YAML 1.2 parser sees it: dates are text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def load_json(path):
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def validator(data_file):
    schema = json.loads((REPO / SCHEMA_DIR / SCHEMAS[data_file]).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("data_file", SCHEMAS)
def test_sample_data_matches_its_schema(data_file):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(data_file).iter_errors(load_json(REPO / data_file))]
    assert errors == []


@pytest.mark.parametrize("data_file", SCHEMAS)
def test_each_sample_file_names_its_schema_on_its_first_line(data_file):
    first_line = (REPO / data_file).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == f"# yaml-language-server: $schema={SCHEMA_DIR}/{SCHEMAS[data_file]}"
    assert (REPO / SCHEMA_DIR / SCHEMAS[data_file]).is_file()


@pytest.mark.parametrize("data_file, path, value, expected", [
    ("officers.yaml", (0, "emial"), "x@example.org", "Additional properties are not allowed ('emial' was unexpected)"),
    ("officers.yaml", (0, "id"), "Sam Taylor", "does not match"),
    ("officers.yaml", (0, "role"), "fulltime", "is not one of ['full-time', 'volunteer']"),
    ("officers.yaml", (0, "email"), "sam@", "does not match"),
    ("officers.yaml", (0, "last_verified"), "21/11/2026", "does not match"),
    ("organisations.yaml", (0, "website"), "javascript:alert(1)", "does not match"),
    ("organisations.yaml", (0, "national"), "yes", "is not of type 'boolean'"),
    ("boroughs.yaml", (0, "postcode_districts", 0), "HA1 1AA", "does not match"),
    ("site.yaml", ("review_after_days",), 0, "is less than the minimum of 1"),
])
def test_schemas_catch_the_mistakes_check_catches(data_file, path, value, expected):
    data = load_json(REPO / data_file)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    messages = [e.message for e in validator(data_file).iter_errors(data)]
    assert any(expected in m for m in messages), messages


def test_a_missing_required_field_is_caught():
    data = load_json(REPO / "officers.yaml")
    del data[0]["role"]
    assert [e.message for e in validator("officers.yaml").iter_errors(data)] == ["'role' is a required property"]


@pytest.mark.parametrize("kind, good, bad", [
    (S.SLUG, ["harrow", "st-albans", "n1"], ["Harrow", "st_albans", "-a", "a-", "a--b", ""]),
    (S.POSTCODE_DISTRICT, ["HA1", "NW10", "W1T", "EC1A", "E1W", "SW1A", "n1"], ["HA1 1AA", "1HA", "QA1", "H4X", "HAA1", "EC1Z"]),
    (S.POSTCODE, ["N1 9DN", "SW1A 1AA", "sg63jf", "EC1A 1BB"], ["N1 9D", "N1", "N1 9CN", "ZZ1 1AA"]),
    (S.EMAIL, ["help@galop.org.uk", "a.b+c@example.org"], ["help@galop", "@galop.org.uk", "a b@example.org"]),
    (S.URL, ["https://galop.org.uk", "http://example.org/a?b#c"], ["javascript:alert(1)", "www.example.org", "https://"]),
    (S.DATE, ["2026-11-21"], ["21/11/2026", "2026-1-2"]),
    (S.ASSET, ["photos/alex.jpg", "a.png"], ["/etc/passwd", "../secret.jpg", "photos/../../x", "C:\\x.jpg"]),
])
def test_patterns_mean_what_they_say(kind, good, bad):
    pattern = re.compile(S.PATTERNS[kind])
    assert [g for g in good if not pattern.match(g)] == []
    assert [b for b in bad if pattern.match(b)] == []
