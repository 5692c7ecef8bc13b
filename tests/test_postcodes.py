"""postcodes.py: the table of postcode districts and their boroughs, written as a script the browser reads."""
from __future__ import annotations

from conftest import TODAY
from liaison import postcodes
from liaison.context import build_context
from liaison.load import load
from liaison.postcodes import areas, district_index, lookup_script, normalise_district, sort_key
from liaison.validate import validate

ALPHA = {"id": "alpha", "name": "alpha", "postcode_districts": ["HA1", "ha1", "N1"]}
BETA = {"id": "beta", "name": "Beta", "postcode_districts": ["HA1", "NW1"]}
QUIET = {"id": "quiet", "name": "Quiet", "postcode_districts": None}


def context_of(root, base_url=None):
    data, problems = validate(load(root), TODAY)
    assert problems == []
    return build_context(data, base_url, TODAY, root)


def test_a_district_is_upper_case_without_spaces():
    assert [normalise_district(text) for text in ["ha1 ", " n 1", "ec1a\t", "SW1A"]] == ["HA1", "N1", "EC1A", "SW1A"]


def test_districts_sort_by_area_then_number_then_letter():
    codes = ["HA10", "W1A", "HA2", "EC2A", "HA1", "EC1M", "NW1", "N1", "EC1A", "W10", "W2"]
    assert sorted(codes, key=sort_key) == ["EC1A", "EC1M", "EC2A", "HA1", "HA2", "HA10", "N1", "NW1",
                                           "W1A", "W2", "W10"]


def test_a_code_that_is_not_a_district_sorts_by_its_text():
    assert sort_key("BFPO1234") == ("BFPO1234", 0, "")


def test_districts_are_normalised_and_in_natural_order():
    boroughs = [{"id": "a", "name": "Alpha", "postcode_districts": ["ha10", " ha2", "HA1", "EC1A"]},
                {"id": "b", "name": "Beta", "postcode_districts": ["HA1", "EC1M"]}]
    index = district_index(boroughs)
    assert list(index) == ["EC1A", "EC1M", "HA1", "HA2", "HA10"]
    assert [b["id"] for b in index["HA1"]] == ["a", "b"]
    assert sort_key("W1A") < sort_key("W2") < sort_key("W10")


def test_a_borough_is_listed_once_for_a_district_and_boroughs_by_name_whatever_the_case():
    index = district_index([BETA, QUIET, ALPHA])
    assert {code: [b["id"] for b in boroughs] for code, boroughs in index.items()} == {
        "HA1": ["alpha", "beta"], "N1": ["alpha"], "NW1": ["beta"]}


def test_districts_are_grouped_by_their_postcode_area():
    index = district_index([ALPHA, BETA])
    assert areas(index) == [
        {"area": "HA", "districts": [{"code": "HA1", "boroughs": [ALPHA, BETA]}]},
        {"area": "N", "districts": [{"code": "N1", "boroughs": [ALPHA]}]},
        {"area": "NW", "districts": [{"code": "NW1", "boroughs": [BETA]}]},
    ]


def test_the_script_sets_one_global_with_names_by_id_and_districts_in_order():
    index = district_index([BETA, ALPHA, {"id": "mon", "name": "Ynys Môn", "postcode_districts": ["LL65"]}])
    assert lookup_script(index) == (
        b"/* Postcode districts and the boroughs they lie in, made from boroughs.yaml. */\n"
        b'window.liaisonPostcodes={"names":{"alpha":"alpha","beta":"Beta","mon":"Ynys M\\u00f4n"},'
        b'"districts":{"HA1":["alpha","beta"],"LL65":["mon"],"N1":["alpha"],"NW1":["beta"]}};\n')


def test_files_are_the_lookup_script_of_the_fixture_project(make_project):
    assert postcodes.files(context_of(make_project())) == {"postcodes/districts.js": (
        b"/* Postcode districts and the boroughs they lie in, made from boroughs.yaml. */\n"
        b'window.liaisonPostcodes={"names":{"northtown":"Northtown","southtown":"Southtown"},'
        b'"districts":{"NT1":["northtown"],"NT2":["northtown"],"ST1":["southtown"]}};\n')}
