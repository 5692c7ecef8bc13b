"""redact: every private field of validated data emptied in place, before anything is published."""
from __future__ import annotations

import copy
import datetime as dt
import textwrap

from conftest import MINIMAL, TODAY
from liaison.context import build_context
from liaison.load import load
from liaison.privacy import redact
from liaison.validate import Data, validate

PRIVATE = """\
private_fields:
  officers: [phone, languages]
  forces: [online_report_url]
  reporting: [textphone]
"""


def validated(make_project, files=None):
    data, problems = validate(load(make_project(files)), TODAY)
    assert problems == []
    return data


def with_private_fields(make_project):
    return validated(make_project, {"site.yaml": textwrap.dedent(MINIMAL["site.yaml"]) + PRIVATE})


def test_the_fields_site_yaml_declares_private_are_emptied_and_the_rest_kept(make_project):
    data = with_private_fields(make_project)
    redact(data)
    officer = data.officers[0]
    assert (officer["phone"], officer["languages"], officer["notes"]) == (None, None, None)
    assert (officer["name"], officer["email"]) == ("Alex Example", "alex.example@example.org")
    assert (data.forces[0]["online_report_url"], data.forces[0]["website"]) == (None, "https://police.example.org")
    assert [r["textphone"] for r in data.routes] == [None, None]
    assert str(data.routes[0]["phone"]) == "999"


def test_the_private_fields_setting_itself_and_every_copy_of_the_raw_yaml_are_withheld(make_project):
    data = with_private_fields(make_project)
    redact(data)
    assert data.site["private_fields"] is None
    assert "_raw" not in data.site and all("_raw" not in page for page in data.pages)


def test_without_a_declaration_only_officers_notes_are_private(make_project):
    data = validated(make_project)
    before = copy.deepcopy(data.officers[0])
    redact(data)
    assert {k: v for k, v in before.items() if data.officers[0].get(k) != v} == {
        "notes": "PRIVATE-NOTE-MARKER", "_raw": before["_raw"]}


def photos(private):
    return Data(site={"title": "T"}, officers=[{"id": "alex", "photo": "photos/alex.jpg", "notes": "n"},
                                               {"id": "sam", "photo": None}],
                private={"officer": frozenset(private)})


def test_redact_names_the_photos_only_private_fields_show_so_they_are_not_copied_either():
    data = photos({"notes", "photo"})
    assert redact(data) == {"assets/photos/alex.jpg"}
    assert data.officers[0]["photo"] is None


def test_a_public_photo_is_kept_and_not_withheld():
    data = photos({"notes"})
    assert redact(data) == set()
    assert (data.officers[0]["photo"], data.officers[0]["notes"]) == ("photos/alex.jpg", None)


def test_redacting_twice_changes_nothing_more(make_project):
    data = with_private_fields(make_project)
    redact(data)
    once = copy.deepcopy(data)
    redact(data)
    assert data == once


def test_redacted_data_keeps_no_copy_of_the_raw_yaml(make_project):
    data, problems = validate(load(make_project()), TODAY)
    assert problems == []
    redact(data)
    assert data.officers[0]["notes"] is None
    assert all("_raw" not in record for record in data.officers + data.boroughs + data.organisations + data.routes + data.forces)
    ctx = build_context(data, today=dt.date(2026, 11, 21))
    assert "private_fields" not in ctx.site or ctx.site["private_fields"] is None
    assert "notes" not in ctx.officers[0]
