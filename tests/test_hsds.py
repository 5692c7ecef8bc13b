"""The Open Referral export validates against the HSDS 3.0 schemas, in both its forms.

The schemas are read from ../shared/hsds-3.0/ beside the repository, or from the folder
named by HSDS_SCHEMAS. Where neither exists, the schema tests are skipped and say why.
"""
from __future__ import annotations

import csv
import io
import json
import os
import uuid
from pathlib import Path

import pytest

from conftest import REPO, TODAY, ONE_EVENT
from liaison.hsds import NAMESPACE, TABLES
from liaison.pipeline import build

HSDS_DIR = Path(os.environ.get("HSDS_SCHEMAS") or REPO.parent / "shared" / "hsds-3.0")
FOLDER = "data/openreferral"
NESTED = {"services": "service", "organizations": "organization", "taxonomies": "taxonomy",
          "taxonomy_terms": "taxonomy_term"}

@pytest.fixture(scope="module")
def hsds():
    """Validators for HSDS objects, with $refs between the schema files resolved."""
    if not (HSDS_DIR / "service.json").is_file():
        pytest.skip(f"HSDS 3.0 schemas not found in {HSDS_DIR}: put them in ../shared/hsds-3.0/ "
                    "beside the repository, or set HSDS_SCHEMAS to their folder")
    jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]' for jsonschema")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    registry = Registry()
    for path in HSDS_DIR.glob("*.json"):
        if path.name not in ("datapackage.json", "openapi.json"):
            registry = registry.with_resource(path.name, Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012))
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER

    class Schemas:
        tabular = json.loads((HSDS_DIR / "compiled" / "tabular.json").read_text(encoding="utf-8"))
        datapackage = json.loads((HSDS_DIR / "datapackage.json").read_text(encoding="utf-8"))
        openapi = json.loads((HSDS_DIR / "openapi.json").read_text(encoding="utf-8"))

        @staticmethod
        def errors(obj, name):
            validator = jsonschema.Draft202012Validator({"$ref": f"{name}.json"}, registry=registry,
                                                        format_checker=checker)
            return [f"{name} {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(obj)]

        @classmethod
        def row_errors(cls, row, name):
            schema = cls.tabular["properties"][name]["items"]
            validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
            problems = [f"{name} row {row.get('id')}: {e.message}" for e in validator.iter_errors(row)]
            missing = [f for f in schema.get("tabular_required", ()) if f not in row]
            return problems + [f"{name} row {row.get('id')}: missing {f}" for f in missing]

    return Schemas


@pytest.fixture(scope="module", params=["minimal", "sample"])
def site(request, tmp_path_factory):
    """The minimal test project and the repository's own sample data, each built once."""
    out = tmp_path_factory.mktemp(request.param) / "out"
    if request.param == "sample":
        build(REPO, out, base_url="https://example.org/lgbt-liaison/", today=TODAY)
    else:
        from conftest import MINIMAL, write_project
        root = write_project(tmp_path_factory.mktemp("project"), {**MINIMAL, "events.yaml": ONE_EVENT})
        build(root, out, today=TODAY)
    return out


def load(out, name):
    return json.loads((out / FOLDER / name).read_text(encoding="utf-8"))


def read_table(out, path):
    text = (out / FOLDER / "tabular" / path).read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def typed(row, resource):
    """A CSV row as JSON values: empty cells left out, numbers as numbers (per the HSDS datapackage)."""
    types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
    return {k: (float(v) if types.get(k) in ("number", "integer") else v) for k, v in row.items() if v != ""}


def test_every_nested_object_validates(site, hsds):
    counted = 0
    for file, name in NESTED.items():
        page = load(site, f"{file}.json")
        assert page["total_items"] == page["size"] == len(page["contents"]) > 0
        for item in page["contents"]:
            assert hsds.errors(item, name) == []
            counted += 1
    assert counted > 20


def test_pages_have_the_shape_of_the_hsds_api(site, hsds):
    page_schema = hsds.openapi["components"]["schemas"]["Page"]
    import jsonschema
    for file in NESTED:
        jsonschema.validate(load(site, f"{file}.json"), page_schema)


def test_every_table_row_validates(site, hsds):
    resources = {r["name"]: r for r in hsds.datapackage["resources"]}
    for name, (path, columns) in TABLES.items():
        rows = read_table(site, path)
        for row in rows:
            assert hsds.row_errors(typed(row, resources[name]), name) == []


def test_our_datapackage_matches_the_hsds_one(site, hsds):
    ours = load(site, "tabular/datapackage.json")
    theirs = {r["name"]: r for r in hsds.datapackage["resources"]}
    assert ours["profile"] == "tabular-data-package"
    for resource in ours["resources"]:
        official = theirs[resource["name"]]
        assert resource["path"] == official["path"]
        official_fields = {f["name"]: f for f in official["schema"]["fields"]}
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert names == [n for n in official_fields if n in names], f"{resource['name']}: columns out of HSDS order"
        for field in resource["schema"]["fields"]:
            assert field["type"] == official_fields[field["name"]]["type"]
            assert field.get("format") == official_fields[field["name"]].get("format")
        required = [n for n, f in official_fields.items() if f["constraints"].get("required")]
        assert set(required) <= set(names), f"{resource['name']} lacks a required column"
        header = (site / FOLDER / "tabular" / resource["path"]).read_bytes().split(b"\r\n")[0].decode()
        assert header.split(",") == names


def test_foreign_keys_point_at_rows_that_exist(site):
    package = load(site, "tabular/datapackage.json")
    tables = {r["name"]: read_table(site, r["path"]) for r in package["resources"]}
    ids = {name: {row["id"] for row in rows} for name, rows in tables.items()}
    for resource in package["resources"]:
        assert len(ids[resource["name"]]) == len(tables[resource["name"]]), "ids must be unique"
        for key in resource["schema"].get("foreignKeys", ()):
            target = key["reference"]["resource"]
            for row in tables[resource["name"]]:
                value = row[key["fields"]]
                assert value == "" or value in ids[target], f"{resource['name']}.{key['fields']} -> {target}"


def test_nested_and_tabular_forms_hold_the_same_records(site):
    assert {s["id"] for s in load(site, "services.json")["contents"]} == {r["id"] for r in read_table(site, "services.csv")}
    assert {o["id"] for o in load(site, "organizations.json")["contents"]} == {
        r["id"] for r in read_table(site, "organizations.csv")}


def services_by_name(out):
    return {s["name"]: s for s in load(out, "services.json")["contents"]}


def test_ids_are_uuidv5_of_the_record_id_and_stable(site, tmp_path):
    orgs = {o["name"]: o for o in load(site, "organizations.json")["contents"]}
    if "Helpline Example" in orgs:
        assert orgs["Helpline Example"]["id"] == str(uuid.uuid5(NAMESPACE, "organization/helpline-example"))
    else:
        assert orgs["Galop"]["id"] == str(uuid.uuid5(NAMESPACE, "organization/galop"))


def test_ids_do_not_change_between_builds(make_project, tmp_path):
    root = make_project()
    build(root, tmp_path / "a", today=TODAY)
    build(root, tmp_path / "b", base_url="https://example.org/", today=TODAY)
    for name in ("services.csv", "organizations.csv", "phones.csv", "service_areas.csv"):
        assert [r["id"] for r in read_table(tmp_path / "a", name)] == [r["id"] for r in read_table(tmp_path / "b", name)]


def test_what_a_support_organisation_becomes(make_project, tmp_path):
    out = tmp_path / "out"
    build(make_project(), out, base_url="https://example.org/", today=TODAY)
    services = services_by_name(out)
    helpline = services["Helpline Example"]
    assert helpline["assured_date"] == "2026-11-01"
    assert helpline["status"] == "active"
    assert [p["number"] for p in helpline["phones"]] == ["0800 999 5428"]
    assert [a["name"] for a in helpline["service_areas"]] == ["National"]
    assert [a["taxonomy_term"]["code"] for a in helpline["attributes"]] == ["helpline"]
    assert helpline["organization"]["uri"] == "https://example.org/organisations/helpline-example/"
    centre = services["Local Centre"]
    [area] = centre["service_areas"]
    assert (area["name"], area["description"], area["uri"]) == (
        "Southtown", "Postcode districts: ST1.", "https://example.org/boroughs/southtown/")
    assert [a["taxonomy_term"]["code"] for a in centre["attributes"]] == ["hate-crime-support", "third-party-reporting-centre"]
    [at] = centre["service_at_locations"]
    [address] = at["location"]["addresses"]
    assert address == {"id": address["id"], "location_id": at["location_id"], "address_1": "1 High Street",
                       "city": "Southtown", "state_province": "Southtown", "postal_code": "ST1 1AA", "country": "GB",
                       "address_type": "physical"}


def test_reporting_routes_and_officers_become_services_with_phones(make_project, tmp_path):
    out = tmp_path / "out"
    build(make_project(), out, today=TODAY)
    services = services_by_name(out)
    call_999 = services["Call 999"]
    assert [(p["number"], p["type"]) for p in call_999["phones"]] == [("999", "voice"), ("18000", "textphone")]
    assert [s["description"] for s in call_999["schedules"]] == ["24 hours a day"]
    assert [a["name"] for a in call_999["service_areas"]] == ["National"]
    assert call_999["organization"]["name"] == "Test Directory"  # no single force runs it
    assert sorted(a["taxonomy_term"]["code"] for a in call_999["attributes"]) == ["emergency", "identified"]
    call_101 = services["Call 101"]
    assert call_101["organization"]["name"] == "Test Police"
    assert [a["name"] for a in call_101["service_areas"]] == ["Northtown", "Southtown"]
    officer = services["LGBT+ liaison officer for Northtown: PC Alex Example"]
    assert officer["assured_date"] == "2026-11-01"
    assert officer["organization"]["name"] == "Test Police"
    [contact] = officer["contacts"]
    assert (contact["name"], contact["email"]) == ("PC Alex Example", "alex.example@example.org")
    assert [p["number"] for p in contact["phones"]] == [p["number"] for p in officer["phones"]] == ["020 7946 0001"]


def test_taxonomy_is_the_services_vocabulary(make_project, tmp_path):
    from liaison.schema import SERVICES

    out = tmp_path / "out"
    build(make_project(), out, today=TODAY)
    terms = load(out, "taxonomy_terms.json")["contents"]
    services = [t["code"] for t in terms if t["taxonomy"] == "LGBT+ liaison directory: services"]
    assert services == list(SERVICES)
    assert all(t["taxonomy_detail"]["id"] == t["taxonomy_id"] for t in terms)


def test_the_export_writes_the_nested_files_every_table_and_the_datapackage(site):
    folder = site / "data/openreferral"
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert written == {"services.json", "organizations.json", "taxonomies.json", "taxonomy_terms.json",
                       "tabular/datapackage.json", *(f"tabular/{path}" for path, _ in TABLES.values())}
