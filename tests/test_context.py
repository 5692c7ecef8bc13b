"""Stage 3: validated data resolved into the Context every output renders from, ids replaced by records."""
from __future__ import annotations

import datetime as dt
import json
import textwrap
from types import SimpleNamespace

import pytest

from conftest import MINIMAL, ONE_EVENT, TODAY
from liaison.context import (build_context, checked_between, event_when, link_records, neighbour_officers,
                             officer_view, organisation_view, route_view, services_index, site_settings, upcoming)
from liaison.errors import errors_in
from liaison.load import load
from liaison.structured import officer_json_ld
from liaison.validate import validate

BASE_URL = "https://example.org/lgbt/"

VOLUNTEER = """\
- id: aaron-volunteer
  name: Aaron Volunteer
  role: volunteer
  boroughs: [northtown]
  last_verified: 2026-10-15
"""

PAST_EVENT = """\
- id: old-talk
  title: An old talk
  start: 2026-10-01 18:00
  end: 2026-10-01 19:00
  borough: northtown
  venue: Town Hall
  officers: [alex-example]
"""

CALL_999, CALL_101 = textwrap.dedent(MINIMAL["reporting.yaml"]).split("- id: call-101")
REPORTING_BACKWARDS = "- id: call-101" + CALL_101 + CALL_999


def context_of(root, base_url=None):
    data, problems = validate(load(root), TODAY)
    assert errors_in(problems) == []
    return build_context(data, base_url, TODAY, source=root)


def ids(records):
    return [r["id"] for r in records]


@pytest.fixture
def ctx(make_project):
    """The minimal project with a volunteer, an upcoming and a past event."""
    return context_of(make_project({
        "officers.yaml": textwrap.dedent(MINIMAL["officers.yaml"]) + VOLUNTEER,
        "events.yaml": textwrap.dedent(ONE_EVENT) + PAST_EVENT,
    }), BASE_URL)


# --- one record at a time ----------------------------------------------------------------

def test_an_officer_view_adds_what_the_pages_show_and_leaves_private_notes_behind():
    view = officer_view({"id": "alex", "name": "Alex Example", "rank": "PC", "role": "full-time",
                         "bio": "A *liaison* officer.", "photo": "photos/alex.jpg", "notes": "PRIVATE"})
    assert {k: view[k] for k in ("url", "full_name", "role_label", "bio_html", "photo_path", "vcard_url")} == {
        "url": "officers/alex/", "full_name": "PC Alex Example", "role_label": "Full-time liaison officer",
        "bio_html": "<p>A <em>liaison</em> officer.</p>", "photo_path": "assets/photos/alex.jpg",
        "vcard_url": "contacts/officers/alex.vcf"}
    assert "notes" not in view


def test_an_officer_without_rank_bio_or_photo_gets_their_name_and_empty_strings():
    view = officer_view({"id": "sam", "name": "Sam Taylor", "role": "volunteer"})
    assert (view["full_name"], view["role_label"], view["bio_html"], view["photo_path"]) == (
        "Sam Taylor", "Volunteer liaison officer", "", "")


def test_an_organisation_view_has_its_url_its_description_as_html_and_its_service_labels():
    view = organisation_view({"id": "centre", "name": "Centre", "description": "Help **now**.",
                              "services": ("youth", "helpline")})
    assert (view["url"], view["description_html"], view["service_labels"]) == (
        "organisations/centre/", "<p>Help <strong>now</strong>.</p>", ["Young people", "Helplines"])


def test_a_route_view_explains_its_urgency_and_anonymity():
    view = route_view({"id": "online", "urgency": "support", "anonymity": "anonymous", "how": "Fill in the form."})
    assert {k: view[k] for k in ("how_html", "anonymity_label", "anonymity_text", "urgency_label")} == {
        "how_html": "<p>Fill in the form.</p>", "anonymity_label": "Anonymous",
        "anonymity_text": "You do not have to give your name or any details about yourself.",
        "urgency_label": "Support and other ways to report"}


# --- events ------------------------------------------------------------------------------

@pytest.mark.parametrize("start, end, when", [
    ("2026-12-05 14:00", "2026-12-05 16:00", "Saturday 5 December 2026, 2pm to 4pm"),
    ("2026-12-05 09:30", "2026-12-05 12:00", "Saturday 5 December 2026, 9:30am to midday"),
    ("2026-12-05 00:30", "2026-12-05 12:15", "Saturday 5 December 2026, 12:30am to 12:15pm"),
    ("2026-12-31 20:00", "2027-01-01 00:00", "Thursday 31 December 2026, 8pm to Friday 1 January 2027, midnight"),
])
def test_when_an_event_is_is_written_the_gov_uk_way(start, end, when):
    assert event_when(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)) == when


def event(id, start, end):
    return {"id": id, "start": dt.datetime.fromisoformat(start), "end": dt.datetime.fromisoformat(end)}


def test_upcoming_events_are_soonest_first_and_one_that_ended_this_morning_is_kept():
    events = [event("later", "2026-12-09 10:00", "2026-12-09 11:00"),
              event("b-same-time", "2026-12-05 10:00", "2026-12-05 11:00"),
              event("yesterday", "2026-12-01 10:00", "2026-12-01 11:00"),
              event("a-same-time", "2026-12-05 10:00", "2026-12-05 12:00"),
              event("this-morning", "2026-12-02 08:00", "2026-12-02 09:00")]
    assert ids(upcoming(events, TODAY)) == ["this-morning", "a-same-time", "b-same-time", "later"]


# --- linking -----------------------------------------------------------------------------

def world():
    """(forces, boroughs, officers, organisations, routes, events) with ids where records will go."""
    forces = [{"id": "f1"}, {"id": "f2"}]
    boroughs = [{"id": "b1", "name": "Beta", "force": "f1", "neighbours": ("b2",)},
                {"id": "b2", "name": "Alpha", "force": "f1", "neighbours": ()},
                {"id": "b3", "name": "Gamma", "force": "f2", "neighbours": None}]
    officers = [{"id": "o1", "name": "Zoe", "boroughs": ("b1", "b2")}]
    organisations = [{"id": "centre", "boroughs": ("b1",), "third_party_reporting": True},
                     {"id": "group", "boroughs": ("b1", "b3"), "third_party_reporting": False},
                     {"id": "national", "boroughs": (), "third_party_reporting": False}]
    routes = [{"id": "support", "urgency": "support", "forces": ()},
              {"id": "f2-only", "urgency": "non-emergency", "forces": ("f2",)},
              {"id": "999", "urgency": "emergency", "forces": ()}]
    events = [{"id": "stall", "borough": "b2", "officers": ("o1",)}]
    return forces, boroughs, officers, organisations, routes, events


def test_linking_puts_boroughs_and_officers_in_each_other_sorted_by_name():
    forces, boroughs, officers, organisations, routes, events = world()
    by_id = link_records(forces, boroughs, officers, organisations, routes, events)
    assert by_id == {"b1": boroughs[0], "b2": boroughs[1], "b3": boroughs[2]}
    assert boroughs[0]["force"] is forces[0] and ids(forces[0]["boroughs"]) == ["b1", "b2"]
    assert ids(boroughs[0]["neighbours"]) == ["b2"] and boroughs[2]["neighbours"] == []
    assert ids(officers[0]["boroughs"]) == ["b2", "b1"]  # Alpha, Beta
    assert boroughs[0]["officers"] == boroughs[1]["officers"] == [officers[0]]


def test_linking_files_a_reporting_centre_apart_from_other_organisations():
    forces, boroughs, officers, organisations, routes, events = world()
    link_records(forces, boroughs, officers, organisations, routes, events)
    assert [ids(boroughs[0][key]) for key in ("reporting_centres", "organisations")] == [["centre"], ["group"]]
    assert ids(boroughs[2]["organisations"]) == ["group"] and organisations[2]["boroughs"] == []


def test_a_route_for_every_force_goes_to_each_and_routes_are_in_urgency_order():
    forces, boroughs, officers, organisations, routes, events = world()
    link_records(forces, boroughs, officers, organisations, routes, events)
    assert [ids(force["routes"]) for force in forces] == [["999", "support"], ["999", "f2-only", "support"]]


def test_an_event_links_its_borough_and_officers_both_ways():
    forces, boroughs, officers, organisations, routes, events = world()
    link_records(forces, boroughs, officers, organisations, routes, events)
    assert events[0]["borough"] is boroughs[1] and events[0]["officers"] == [officers[0]]
    assert boroughs[1]["events"] == officers[0]["events"] == [events[0]]
    assert boroughs[0]["events"] == []


def test_a_borough_with_officers_suggests_no_neighbours_officers():
    alex = {"id": "alex", "name": "Alex", "role": "full-time"}
    assert neighbour_officers({"officers": [alex], "neighbours": [{"officers": [{"id": "sam"}]}]}) == []


def test_a_borough_without_an_officer_suggests_each_neighbours_officer_once_full_time_first():
    ann = {"id": "ann", "name": "Ann", "role": "volunteer"}
    zed = {"id": "zed", "name": "Zed", "role": "full-time"}
    bob = {"id": "bob", "name": "bob", "role": "full-time"}
    borough = {"officers": [], "neighbours": [{"officers": [ann, zed]}, {"officers": [bob, ann]}]}
    assert ids(neighbour_officers(borough)) == ["bob", "zed", "ann"]


def test_organisations_are_grouped_by_service_in_the_vocabularys_order():
    organisations = [{"name": "Youth Club", "services": ("youth", "social-group")},
                     {"name": "Helpline", "services": ("helpline",)},
                     {"name": "a Youth Line", "services": ("youth", "helpline")}]
    assert [(g["id"], g["label"], [o["name"] for o in g["organisations"]]) for g in services_index(organisations)] == [
        ("helpline", "Helplines", ["a Youth Line", "Helpline"]),
        ("youth", "Young people", ["a Youth Line", "Youth Club"]),
        ("social-group", "Social groups", ["Youth Club"]),
    ]


# --- the site and its pages --------------------------------------------------------------

def settings_data(base_url):
    site = {"title": "T", "description": "D", "base_url": base_url, "forces": [{"id": "f"}],
            "private_fields": {"officers": {"phone"}}}
    pages = [{"title": "zebra", "slug": "zebra", "nav_order": 5}, {"title": "Help", "slug": "help", "nav_order": 5},
             {"title": "About", "slug": "about", "nav_order": 9}]
    return SimpleNamespace(site=site, pages=pages)


def test_the_sites_settings_have_the_footer_navigation_in_order_and_no_forces_or_private_fields():
    settings = site_settings(settings_data(None), None, TODAY)
    assert settings["nav"] == [{"title": "Help", "url": "help/"}, {"title": "zebra", "url": "zebra/"},
                               {"title": "About", "url": "about/"}]
    assert settings["built_on"] == TODAY
    assert "forces" not in settings and "private_fields" not in settings


@pytest.mark.parametrize("in_site, given, base_url", [
    (None, None, ""),
    ("https://example.org/dir", None, "https://example.org/dir/"),
    ("https://example.org/dir/", "https://other.example/x", "https://other.example/x/"),
])
def test_the_base_url_given_wins_over_site_yaml_and_ends_with_a_slash(in_site, given, base_url):
    assert site_settings(settings_data(in_site), given, TODAY)["base_url"] == base_url


def test_the_pages_of_the_minimal_project_in_the_order_they_are_made(make_project):
    pages = context_of(make_project()).pages
    assert [(p.path, p.template, p.in_sitemap) for p in pages] == [
        ("", "home.html", True),
        ("report/", "report.html", True),
        ("organisations/", "organisations.html", True),
        ("boroughs/northtown/", "borough.html", True),
        ("boroughs/southtown/", "borough.html", True),
        ("officers/alex-example/", "officer.html", True),
        ("organisations/helpline-example/", "organisation.html", True),
        ("organisations/local-centre/", "organisation.html", True),
        ("about/", "page.html", True),
        ("events/", "events.html", True),
        ("posters/", "posters.html", True),
        ("posters/northtown/", "poster.html", False),
        ("posters/southtown/", "poster.html", False),
        ("posters/reporting-centres/", "poster_centres.html", False),
        ("open-data/", "open_data.html", True),
        ("postcodes/", "postcodes.html", True),
        ("404.html", "404.html", False),
    ]


def test_an_officers_page_has_their_title_description_and_json_ld(make_project):
    ctx = context_of(make_project())
    page = next(p for p in ctx.pages if p.template == "officer.html")
    assert (page.title, page.description) == ("PC Alex Example", "How to contact PC Alex Example, full-time liaison officer.")
    assert page.json_ld == officer_json_ld(ctx.officers[0], ctx.site)
    assert ctx.pages[0].json_ld == ""


def test_a_content_page_is_rendered_from_markdown(make_project):
    page = next(p for p in context_of(make_project()).pages if p.path == "about/")
    assert (page.title, page.description, page.vars) == ("About", "About the officers.", {
        "content_html": '<h2>Who they are</h2>\n<p>Officers who <a href="../report/" rel="noopener noreferrer">help</a>.</p>'})


def test_a_poster_says_when_what_it_shows_was_checked_and_links_to_the_published_page(ctx):
    poster = next(p for p in ctx.pages if p.path == "posters/northtown/")
    assert (poster.vars["qr_url"], poster.vars["checked"]) == (
        "https://example.org/lgbt/boroughs/northtown/", {"first": dt.date(2026, 10, 15), "last": dt.date(2026, 11, 1)})


def test_a_poster_has_no_qr_code_without_a_base_url(make_project):
    poster = next(p for p in context_of(make_project()).pages if p.path == "posters/reporting-centres/")
    assert poster.vars["qr_url"] == "" and ids(poster.vars["centres"]) == ["local-centre"]


def test_checked_between_is_the_oldest_and_newest_date_and_none_without_dates():
    records = [{"last_verified": dt.date(2026, 5, 1)}, {}, {"last_verified": dt.date(2025, 1, 9)},
               {"last_verified": dt.date(2026, 2, 3)}]
    assert checked_between(records) == {"first": dt.date(2025, 1, 9), "last": dt.date(2026, 5, 1)}
    assert checked_between([{"last_verified": None}]) is None and checked_between([]) is None


# --- the whole context -------------------------------------------------------------------

def test_the_context_lists_everything_in_the_order_pages_show_it(ctx):
    assert ids(ctx.officers) == ["aaron-volunteer", "alex-example"]
    assert ids(ctx.boroughs[0]["officers"]) == ["alex-example", "aaron-volunteer"]  # full-time first
    assert ids(ctx.boroughs) == ["northtown", "southtown"]
    assert ids(ctx.organisations) == ["helpline-example", "local-centre"]
    assert ids(ctx.routes) == ["call-999", "call-101"]


def test_routes_are_in_urgency_order_whatever_order_they_are_written_in(make_project):
    root = make_project({"reporting.yaml": REPORTING_BACKWARDS})
    assert ids(context_of(root).routes) == ["call-999", "call-101"]


def test_only_upcoming_events_are_in_the_context_and_on_their_officers(ctx):
    assert [(e["id"], e["when"], e["url"]) for e in ctx.events] == [
        ("northtown-stall", "Saturday 5 December 2026, 2pm to 4pm", "events/#northtown-stall")]
    assert ids(ctx.officers[1]["events"]) == ["northtown-stall"]


def test_the_site_holds_its_services_national_organisations_and_postcode_districts(ctx):
    assert [g["id"] for g in ctx.site["services"]] == ["helpline", "hate-crime-support"]
    assert ids(ctx.site["national_organisations"]) == ["helpline-example"]
    assert {code: ids(b) for code, b in ctx.site["postcode_index"].items()} == {
        "NT1": ["northtown"], "NT2": ["northtown"], "ST1": ["southtown"]}
    assert (ctx.site["base_url"], ctx.site["built_on"]) == (BASE_URL, TODAY)


def test_a_borough_without_an_officer_gets_its_neighbours_officers_and_its_addresses(ctx):
    southtown = ctx.boroughs[1]
    assert ids(southtown["neighbour_officers"]) == ["alex-example", "aaron-volunteer"]
    assert [southtown[k] for k in ("url", "calendar", "poster", "vcard_url")] == [
        "boroughs/southtown/", "boroughs/southtown/events.ics", "posters/southtown/", "contacts/boroughs/southtown.vcf"]


def test_the_context_keeps_the_redacted_records_and_the_project_folder(make_project):
    root = make_project()
    data, _ = validate(load(root), TODAY)
    ctx = build_context(data, None, TODAY, source=str(root))
    assert ctx.records is data and ctx.source == root
    assert data.officers[0]["notes"] is None


TWO_FORCES = {
    "site.yaml": MINIMAL["site.yaml"].rstrip(" ") + """\
          - id: other-police
            name: Other Police
            website: https://other.example.org
            non_emergency: "101"
        """,
    "boroughs.yaml": MINIMAL["boroughs.yaml"].replace("""name: Southtown
          force: test-police""", """name: Southtown
          force: other-police"""),
    "officers.yaml": MINIMAL["officers.yaml"].replace("boroughs: [northtown]", "boroughs: [southtown, northtown]"),
}


def test_an_officer_of_two_forces_areas_belongs_to_the_first_area_listeds_force_in_every_output(make_project,
                                                                                                 tmp_path):
    """Worked out once in the context: the contact card, the schema.org data and the Open Referral
    export (made from the data) all name the same force, though the areas are shown by name."""
    from liaison.pipeline import build
    root = make_project(TWO_FORCES)
    officer = context_of(root).officers[0]
    assert [b["id"] for b in officer["boroughs"]] == ["northtown", "southtown"]  # by name
    assert officer["force"]["id"] == "other-police"  # southtown's: listed first
    build(root, tmp_path / "site", today=TODAY)
    card = (tmp_path / "site/contacts/officers/alex-example.vcf").read_text(encoding="utf-8")
    page = (tmp_path / "site/officers/alex-example/index.html").read_text(encoding="utf-8")
    services = json.loads((tmp_path / "site/data/openreferral/services.json").read_text(encoding="utf-8"))
    assert "ORG:Other Police" in card
    assert '"worksFor":{"@id":"https://other.example.org"}' in page
    officer_service = next(s for s in services["contents"] if "Alex Example" in s["name"])
    assert officer_service["organization"]["name"] == "Other Police"
