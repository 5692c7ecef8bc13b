"""schema.org JSON-LD for search engines: a Person for each officer, a GovernmentOrganization for each force."""
from __future__ import annotations

import json
import re

from golden import BASE_URL, PROJECT, SITE, TODAY
from liaison.context import build_context
from liaison.load import load
from liaison.phones import Phone
from liaison.structured import borough_json_ld, officer_json_ld, person_ld, to_script_json
from liaison.validate import validate

TEST_POLICE = {"id": "test-police", "name": "Test Police", "website": "https://police.example.org",
               "non_emergency": Phone("101", "101")}
WEST_POLICE = {"id": "west-police", "name": "West Police", "website": "https://west.example.org",
               "non_emergency": Phone("101", "101")}
NORTHTOWN = {"name": "Northtown", "force": TEST_POLICE}
WESTTOWN = {"name": "Westtown", "force": WEST_POLICE}


def volunteer(boroughs):
    """An officer as the context gives it, with the force of the first area listed."""
    return {"name": "Sam Taylor", "role": "volunteer", "boroughs": boroughs, "url": "officers/sam-taylor/",
            "force": boroughs[0]["force"] if boroughs else None}


def golden_json_ld(path):
    html = (SITE / path).read_text(encoding="utf-8")
    return re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)


def golden_context():
    data, _ = validate(load(PROJECT), TODAY)
    return build_context(data, BASE_URL, TODAY)


def test_the_golden_sites_officer_and_borough_pages_carry_exactly_this_json_ld():
    ctx = golden_context()
    assert officer_json_ld(ctx.officers[0], ctx.site) == golden_json_ld("officers/alex-example/index.html")
    for borough in ctx.boroughs:
        assert borough_json_ld(borough, ctx.site) == golden_json_ld(f"boroughs/{borough['id']}/index.html")


def test_an_officer_is_a_person_working_for_their_force_with_every_way_to_contact_them():
    ctx = golden_context()
    assert json.loads(officer_json_ld(ctx.officers[0], ctx.site)) == {"@context": "https://schema.org", "@graph": [
        {"@type": "GovernmentOrganization", "@id": "https://police.example.org", "name": "Test Police",
         "url": "https://police.example.org", "telephone": "101"},
        {"@type": "Person", "name": "Alex Example", "jobTitle": "LGBT+ Liaison Officer",
         "contactPoint": {"@type": "ContactPoint", "contactType": "LGBT+ liaison", "areaServed": ["Northtown"],
                          "telephone": "+442079460001", "email": "alex.example@example.org",
                          "availableLanguage": ["English", "Welsh"]},
         "honorificPrefix": "PC", "worksFor": {"@id": "https://police.example.org"},
         "url": "https://example.org/lgbt-liaison/officers/alex-example/"}]}


def test_an_officer_without_phone_email_or_rank_gives_their_forces_number_and_no_url_without_a_base_url():
    assert person_ld(volunteer([NORTHTOWN]), {"base_url": ""}) == {
        "@type": "Person", "name": "Sam Taylor", "jobTitle": "Volunteer LGBT+ Liaison Officer",
        "contactPoint": {"@type": "ContactPoint", "contactType": "LGBT+ liaison", "areaServed": ["Northtown"],
                         "telephone": "101"},
        "worksFor": {"@id": "https://police.example.org"}}


def test_an_officer_with_no_borough_has_no_force_and_no_number():
    assert person_ld(volunteer([]), {}) == {
        "@type": "Person", "name": "Sam Taylor", "jobTitle": "Volunteer LGBT+ Liaison Officer",
        "contactPoint": {"@type": "ContactPoint", "contactType": "LGBT+ liaison", "areaServed": []}}


def test_an_officer_of_two_forces_names_each_force_once():
    officer = volunteer([NORTHTOWN, WESTTOWN, {"name": "Easttown", "force": TEST_POLICE}])
    graph = json.loads(officer_json_ld(officer, {}))["@graph"]
    assert [(node["@type"], node.get("@id")) for node in graph] == [
        ("GovernmentOrganization", "https://police.example.org"), ("GovernmentOrganization", "https://west.example.org"),
        ("Person", None)]


def test_a_borough_without_an_officer_lists_its_neighbours_officers_and_their_other_force():
    borough = {"name": "Southtown", "force": TEST_POLICE, "officers": [], "neighbour_officers": [volunteer([WESTTOWN])]}
    graph = json.loads(borough_json_ld(borough, {"base_url": "https://example.org/"}))["@graph"]
    assert graph[:2] == [
        {"@type": "GovernmentOrganization", "@id": "https://police.example.org", "name": "Test Police",
         "url": "https://police.example.org", "telephone": "101", "areaServed": "Southtown"},
        {"@type": "GovernmentOrganization", "@id": "https://west.example.org", "name": "West Police",
         "url": "https://west.example.org", "telephone": "101"}]
    assert [(p["name"], p["worksFor"], p["url"]) for p in graph[2:]] == [
        ("Sam Taylor", {"@id": "https://west.example.org"}, "https://example.org/officers/sam-taylor/")]


def test_script_json_is_compact_keeps_other_scripts_letters_and_escapes_what_could_close_the_element():
    assert to_script_json({"name": "Zoë <b>&</b>", "n": [1, None, True]}) == (
        '{"name":"Zoë \\u003cb\\u003e\\u0026\\u003c/b\\u003e","n":[1,null,true]}')


def test_a_number_too_big_for_64_bits_is_written_out_the_same_way():
    assert to_script_json({"n": 2 ** 64, "t": "é<"}) == '{"n":18446744073709551616,"t":"é\\u003c"}'
