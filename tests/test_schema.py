"""The one definition of every data file's fields: which are Markdown, which public, which may be made private."""
from __future__ import annotations

import re

import pytest

from liaison import schema as S


def names(fields):
    return [f.name for f in fields]


def test_the_data_files_are_read_in_this_order_and_only_events_may_be_left_out():
    assert [(r.file, r.is_list, r.optional) for r in S.DATA_FILES] == [
        ("site.yaml", False, False), ("boroughs.yaml", True, False), ("officers.yaml", True, False),
        ("organisations.yaml", True, False), ("reporting.yaml", True, False), ("events.yaml", True, True)]


def test_a_record_finds_each_field_by_name():
    assert S.OFFICER.by_name["phone"] is S.OFFICER.fields[7]
    assert list(S.FORCE.by_name) == ["id", "name", "website", "non_emergency", "online_report_url"]


def test_the_markdown_fields_are_the_ones_pages_show_as_html():
    assert [(r.name, r.markdown_fields) for r in S.DATA_FILES] == [
        ("site", ()), ("borough", ()), ("officer", ("bio",)), ("organisation", ("description",)),
        ("reporting route", ("how",)), ("event", ("description",))]


def test_every_field_but_officers_notes_and_the_private_fields_setting_is_public_unless_declared_private():
    assert names(S.OFFICER.public_fields) == ["id", "name", "rank", "pronouns", "role", "boroughs", "email", "phone",
                                              "languages", "photo", "photo_alt", "bio", "last_verified"]
    hidden = {r.name: [f.name for f in r.fields if f not in r.public_fields]
              for r in (*S.DATA_FILES, S.FORCE, S.ADDRESS_RECORD, S.PAGE)}
    assert {name: fields for name, fields in hidden.items() if fields} == {"site": ["private_fields"], "officer": ["notes"]}


@pytest.mark.parametrize("record, field, may", [
    (S.OFFICER, "phone", True),
    (S.OFFICER, "photo", True),
    (S.OFFICER, "name", False),  # required
    (S.OFFICER, "boroughs", False),  # required
    (S.ORGANISATION, "national", False),  # the site needs it
    (S.BOROUGH, "neighbours", False),
    (S.FORCE, "non_emergency", False),
    (S.FORCE, "online_report_url", True),
])
def test_only_optional_details_the_site_can_do_without_may_be_private(record, field, may):
    assert record.by_name[field].may_be_private is may


def test_a_borough_has_nothing_that_may_be_private():
    assert [f.name for f in S.BOROUGH.fields if f.may_be_private] == []


def test_a_choice_field_offers_the_vocabulary_and_every_service_has_a_label():
    assert S.OFFICER.by_name["role"].choices == ("full-time", "volunteer")
    assert S.ORGANISATION.by_name["services"].choices == S.SERVICES
    assert list(S.SERVICE_LABELS) == list(S.SERVICES)
    assert list(S.URGENCY_LABELS) == list(S.URGENCIES) and list(S.ANONYMITY_LABELS) == list(S.ANONYMITY)


def test_fields_are_frozen_and_compared_by_value():
    field = S.Field("phone", S.PHONE, "A work phone number.")
    assert field == S.OFFICER.by_name["phone"]
    with pytest.raises(AttributeError):
        field.private = True


@pytest.mark.parametrize("kind", sorted(S.PATTERNS))
def test_every_pattern_is_anchored_and_uses_only_syntax_javascript_shares(kind):
    pattern = S.PATTERNS[kind]
    assert pattern.startswith("^") and pattern.endswith("$")
    assert set(re.findall(r"\(\?(.)", pattern)) <= {":", "!"}  # no flags, no named groups, no lookbehind
    re.compile(pattern)


def test_the_phone_pattern_editors_get_allows_digits_spaces_brackets_and_hyphens_after_a_digit_or_plus():
    pattern = re.compile(S.PATTERNS[S.PHONE])
    good = ["101", "020 7946 0018", "+44 (0)20 7946 0018", "0800-999-5428", "18001 101"]
    bad = ["", "ask at the desk", "+", "020 7946 0018 ext 2", "-101", "020.7946.0018"]
    assert [g for g in good if not pattern.match(g)] == []
    assert [b for b in bad if pattern.match(b)] == []
