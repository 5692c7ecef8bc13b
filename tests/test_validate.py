"""One small invalid project per kind of mistake, each with its exact message, file, line and column.

Every case writes the minimal project of conftest.py with one file changed and
asserts the complete list of problems `check` reports (info lines included
only where a case is about them), so a case also proves that one mistake is
reported once, without knock-on noise.
"""
from __future__ import annotations

import textwrap

import pytest

from conftest import MINIMAL, TODAY
from liaison.errors import INFO
from liaison.pipeline import check


def edit(name, old, new):
    """MINIMAL's file `name` with `old` replaced by `new` (old must occur exactly once)."""
    text = textwrap.dedent(MINIMAL[name])
    assert text.count(old) == 1, f"{old!r} must occur once in {name}"
    return {name: text.replace(old, new)}


def problems_in(make_project, files, info=False, today=TODAY):
    root = make_project(files)
    _, problems = check(root, today=today)
    return [str(p) for p in problems if info or p.severity != INFO]


def test_the_minimal_project_has_no_problem(make_project):
    assert problems_in(make_project, {}, info=True) == []


CASES = {
    # --- YAML syntax, at the line that is actually wrong -------------------------------------------
    "unclosed list": (
        edit("officers.yaml", "boroughs: [northtown]", "boroughs: [northtown"),
        ["officers.yaml:6:13: YAML syntax error: this list is not closed (add ']' at its end, and check for a missing comma)"]),
    "unclosed quote": (
        edit("officers.yaml", "name: Alex Example", 'name: "Alex Example'),
        ["officers.yaml:2:9: YAML syntax error: this quoted text is not closed (add the closing quote at its end)"]),
    "tab": (
        edit("officers.yaml", "  rank: PC", "\trank: PC"),
        ["officers.yaml:3:1: YAML syntax error: a tab character is not allowed here (indent with spaces, not tabs)"]),
    "missing colon": (
        edit("officers.yaml", "  rank: PC", "  rank PC"),
        ["officers.yaml:3:3: YAML syntax error: this line needs a colon after the field name "
         "(write the field name, a colon and a space, then the value, e.g. 'name: Alex')"]),
    "colon inside a value": (
        edit("reporting.yaml", "hours: 24 hours a day\n  last_verified: 2026-11-01\n- id: call-101",
             "hours: Open: 24 hours a day\n  last_verified: 2026-11-01\n- id: call-101"),
        ["reporting.yaml:9:14: YAML syntax error: there is a ': ' where it is not expected "
         "(check the indentation, or put quotes around a value that contains ': ')"]),
    "bad indentation": (
        edit("officers.yaml", "  pronouns: they/them", " pronouns: they/them"),
        ["officers.yaml:4:2: YAML syntax error: this line is not indented like the lines around it "
         "(indent every field of a record by the same number of spaces; a new record starts with '- ')"]),
    "text after a quoted value": (
        edit("officers.yaml", "name: Alex Example", 'name: "Alex" Example'),
        ["officers.yaml:2:16: YAML syntax error: there is more text after this value "
         "(a value that starts with a quote or a bracket must be quoted as a whole, e.g. name: '\"Sam\" Taylor')"]),
    "duplicate key": (
        edit("officers.yaml", "  rank: PC\n", "  rank: PC\n  rank: Sergeant\n"),
        ["officers.yaml:4:3: 'rank' appears twice in this record (delete one of them: only the last would be used)"]),
    # --- types, required fields, unknown keys --------------------------------------------------------
    "text where a list is wanted": (
        edit("officers.yaml", "name: Alex Example", "name: [Alex, Example]"),
        ["officers.yaml:2:9: 'name' must be text, not a list"]),
    "yes/no field": (
        edit("organisations.yaml", "national: true", "national: maybe"),
        ["organisations.yaml:5:13: 'national' must be true or false, not 'maybe'"]),
    "list field given a set of fields": (
        edit("officers.yaml", "languages: [English, Welsh]", "languages: {first: English}"),
        ["officers.yaml:9:14: 'languages' must be a list, not a set of fields (write it as [a, b] or one '- item' per line)"]),
    "choice": (
        edit("officers.yaml", "role: full-time", "role: fulltime"),
        ["officers.yaml:5:9: 'role' must be one of full-time, volunteer, not 'fulltime' (did you mean 'full-time'?)"]),
    "whole number": (
        edit("site.yaml", "review_after_days: 180", "review_after_days: six months"),
        ["site.yaml:5:20: 'review_after_days' must be a whole number, not 'six months'"]),
    "number too small": (
        edit("site.yaml", "review_after_days: 180", "review_after_days: 0"),
        ["site.yaml:5:20: 'review_after_days' must be 1 or more, not 0"]),
    "missing required field": (
        edit("officers.yaml", "  role: full-time\n", ""),
        ["officers.yaml:1:3: missing required field 'role' in officer 'alex-example' (add a line 'role: ...')"]),
    "empty required field": (
        edit("officers.yaml", "name: Alex Example", "name:"),
        ["officers.yaml:1:3: missing required field 'name' in officer 'alex-example' (add a line 'name: ...')"]),
    "unknown key": (
        edit("officers.yaml", "email: alex", "emial: alex"),
        ["officers.yaml:7:3: unknown field 'emial' in officer 'alex-example' (did you mean 'email'?)"]),
    "unknown key without a close match": (
        edit("officers.yaml", "pronouns: they/them", "twitter: alex"),
        ["officers.yaml:4:3: unknown field 'twitter' in officer 'alex-example'"]),
    "not a list of records": (
        {"officers.yaml": "id: alex-example\nname: Alex Example\n"},
        ["officers.yaml:1:1: this file must be a list of officers, each starting with '- id:'"]),
    # --- ids ------------------------------------------------------------------------------------------
    "duplicate id": (
        edit("organisations.yaml", "- id: local-centre", "- id: helpline-example"),
        ["organisations.yaml:9:7: duplicate organisation id 'helpline-example' "
         "(it is already used at line 1: give each organisation its own id)"]),
    "id that is not a slug": (
        edit("officers.yaml", "id: alex-example", "id: Alex Example"),
        ["officers.yaml:1:7: 'Alex Example' is not a valid id (use lowercase letters, digits and hyphens, e.g. 'alex-example')"]),
    # --- references -----------------------------------------------------------------------------------
    "unknown borough": (
        edit("officers.yaml", "boroughs: [northtown]", "boroughs: [nortown]"),
        ["boroughs.yaml:1:7: warning: borough 'northtown' has no officer (add it to an officer's boroughs, "
         "or add 'no_officer: true' to the borough if that is known)",
         "officers.yaml:6:14: unknown borough 'nortown' (did you mean 'northtown'?)"]),
    "unknown force": (
        edit("boroughs.yaml", "force: test-police\n  postcode_districts: [NT1", "force: test-polise\n  postcode_districts: [NT1"),
        ["boroughs.yaml:3:10: unknown force 'test-polise' (did you mean 'test-police'?)"]),
    "unknown force of a route": (
        edit("reporting.yaml", "forces: [test-police]", "forces: [other-police]"),
        ["reporting.yaml:20:12: unknown force 'other-police' (did you mean 'test-police'?)"]),
    "unknown neighbour": (
        edit("boroughs.yaml", "neighbours: [southtown]", "neighbours: [southtown, westtown]"),
        ["boroughs.yaml:5:27: unknown borough 'westtown' (did you mean 'southtown'?)"]),
    "neighbours that are not mutual": (
        edit("boroughs.yaml", "neighbours: [northtown]", "neighbours: []"),
        ["boroughs.yaml:5:16: warning: 'southtown' does not list 'northtown' as a neighbour "
         "(add northtown to the neighbours of southtown)"]),
    # --- contact details ------------------------------------------------------------------------------
    "email": (
        edit("officers.yaml", "email: alex.example@example.org", "email: alex.example@example"),
        ["officers.yaml:7:10: 'alex.example@example' is not an email address (it should look like name@example.org)"]),
    "http": (
        edit("organisations.yaml", "website: https://helpline", "website: http://helpline"),
        ["organisations.yaml:7:12: warning: 'website' uses http, which is not secure (use the https:// address if the site has one)"]),
    "javascript: address": (
        edit("organisations.yaml", "website: https://helpline.example.org", "website: javascript:alert(1)"),
        ["organisations.yaml:7:12: 'website' must be a web address starting with https://, not a 'javascript:' address "
         "(copy the address from the browser's address bar, starting with https://)"]),
    "data: address": (
        edit("organisations.yaml", "website: https://helpline.example.org", "website: 'data:text/html,<b>hi</b>'"),
        ["organisations.yaml:7:12: 'website' must be a web address starting with https://, not a 'data:' address "
         "(copy the address from the browser's address bar, starting with https://)"]),
    "mailto: address": (
        edit("organisations.yaml", "website: https://helpline.example.org", "website: mailto:help@example.org"),
        ["organisations.yaml:7:12: 'website' must be a web address starting with https://, not a 'mailto:' address "
         "(put an email address in an 'email' field instead)"]),
    "address without https://": (
        edit("site.yaml", "exit_url: https://www.bbc.co.uk/weather", "exit_url: www.bbc.co.uk/weather"),
        ["site.yaml:4:11: 'exit_url' must start with https://, not 'www.bbc.co.uk/weather' (write 'https://www.bbc.co.uk/weather')"]),
    "phone": (
        edit("officers.yaml", "phone: 020 7946 0001", "phone: 020 7946 000"),
        ["officers.yaml:8:10: '020 7946 000' is not a valid UK phone number "
         "(write a UK number such as 020 7946 0123, or a short number such as 101)"]),
    "not a phone number at all": (
        edit("officers.yaml", "phone: 020 7946 0001", "phone: ask at the desk"),
        ["officers.yaml:8:10: 'ask at the desk' is not a phone number "
         "(write a UK number such as 020 7946 0123, or a short number such as 101)"]),
    "short number that is not allowed": (
        edit("reporting.yaml", 'phone: "999"', 'phone: "998"'),
        ["reporting.yaml:6:10: '998' is not a valid UK phone number "
         "(write a UK number such as 020 7946 0123, or a short number such as 101)"]),
    # --- dates and freshness --------------------------------------------------------------------------
    "date": (
        edit("officers.yaml", "last_verified: 2026-11-01", "last_verified: 2026-13-01"),
        ["officers.yaml:11:18: 'last_verified' is not a date that exists: '2026-13-01' (check the day and the month)"]),
    "date written the British way": (
        edit("officers.yaml", "last_verified: 2026-11-01", "last_verified: 01/11/2026"),
        ["officers.yaml:11:18: 'last_verified' must be a date written as year-month-day, not '01/11/2026' (e.g. 2026-11-02)"]),
    "date in the future": (
        edit("officers.yaml", "last_verified: 2026-11-01", "last_verified: 2062-11-01"),
        ["officers.yaml:11:18: 'last_verified' is in the future: 2062-11-01 "
         "(write the date you last checked these details, as year-month-day)"]),
    "officer due for review": (
        edit("officers.yaml", "last_verified: 2026-11-01", "last_verified: 2026-06-04"),
        ["officers.yaml:11:18: warning: officer 'alex-example' is due for review: last verified 2026-06-04, 181 days ago "
         "(check the details are still right, then set last_verified to the date you checked them)"]),
    "organisation due for review": (
        edit("organisations.yaml", "third_party_reporting: true\n  address: {street: 1 High Street, town: Southtown, postcode: ST1 1AA}\n  last_verified: 2026-11-01",
             "third_party_reporting: true\n  address: {street: 1 High Street, town: Southtown, postcode: ST1 1AA}\n  last_verified: 2025-11-01"),
        ["organisations.yaml:16:18: warning: organisation 'local-centre' is due for review: last verified 2025-11-01, 396 days ago "
         "(check the details are still right, then set last_verified to the date you checked them)"]),
    "route due for review": (
        edit("reporting.yaml", "forces: [test-police]\n  last_verified: 2026-11-01", "forces: [test-police]\n  last_verified: 2024-11-01"),
        ["reporting.yaml:21:18: warning: reporting route 'call-101' is due for review: last verified 2024-11-01, 761 days ago "
         "(check the details are still right, then set last_verified to the date you checked them)"]),
    # --- postcodes ------------------------------------------------------------------------------------
    "postcode district": (
        edit("boroughs.yaml", "postcode_districts: [NT1, NT2]", "postcode_districts: [NT1, 2NT]"),
        ["boroughs.yaml:4:29: '2NT' is not a UK postcode district (a postcode district is the first half of a postcode: "
         "one or two letters, then one or two digits, e.g. HA1 or NW10)"]),
    "full postcode where a district is wanted": (
        edit("boroughs.yaml", "postcode_districts: [NT1, NT2]", "postcode_districts: [NT1, NT2 4AB]"),
        ["boroughs.yaml:4:29: 'NT2 4AB' is a full postcode, not a postcode district (write only its first half, 'NT2')"]),
    "district listed twice in one borough": (
        edit("boroughs.yaml", "postcode_districts: [NT1, NT2]", "postcode_districts: [NT1, NT2, NT1]"),
        ["boroughs.yaml:4:34: warning: postcode district NT1 is listed twice in borough 'northtown' (delete one of them)"]),
    "postcode of an address": (
        edit("organisations.yaml", "postcode: ST1 1AA", "postcode: ST1"),
        ["organisations.yaml:15:63: 'ST1' is not a UK postcode (write the full postcode, e.g. N1 9DN)"]),
    # --- coverage -------------------------------------------------------------------------------------
    "officer with no borough": (
        edit("officers.yaml", "boroughs: [northtown]", "boroughs: []"),
        ["boroughs.yaml:1:7: warning: borough 'northtown' has no officer (add it to an officer's boroughs, "
         "or add 'no_officer: true' to the borough if that is known)",
         "officers.yaml:6:13: officer 'alex-example' covers no borough (list at least one borough id)"]),
    "officer without a boroughs field": (
        edit("officers.yaml", "  boroughs: [northtown]\n", ""),
        ["boroughs.yaml:1:7: warning: borough 'northtown' has no officer (add it to an officer's boroughs, "
         "or add 'no_officer: true' to the borough if that is known)",
         "officers.yaml:1:3: missing required field 'boroughs' in officer 'alex-example' (add a line 'boroughs: ...')"]),
    "borough with no officer": (
        edit("boroughs.yaml", "  no_officer: true\n", ""),
        ["boroughs.yaml:6:7: warning: borough 'southtown' has no officer (add it to an officer's boroughs, "
         "or add 'no_officer: true' to the borough if that is known)"]),
    "borough marked as having no officer that has one": (
        edit("boroughs.yaml", "neighbours: [southtown]\n", "neighbours: [southtown]\n  no_officer: true\n"),
        ["boroughs.yaml:6:15: warning: borough 'northtown' is marked 'no_officer: true' but officer 'alex-example' covers it "
         "(delete the line 'no_officer: true')"]),
    "organisation with no area": (
        edit("organisations.yaml", "  boroughs: [southtown]\n", ""),
        ["organisations.yaml:9:7: organisation 'local-centre' has no area (add 'boroughs: [...]' or 'national: true')"]),
    "national organisation with boroughs": (
        edit("organisations.yaml", "  national: true\n", "  national: true\n  boroughs: [northtown]\n"),
        ["organisations.yaml:6:13: organisation 'helpline-example' is national and also lists boroughs "
         "(delete the boroughs, or delete 'national: true')"]),
    "photo that does not exist": (
        edit("officers.yaml", "  bio: Alex", "  photo: photos/alex.jpg\n  bio: Alex"),
        ["officers.yaml:10:10: photo 'assets/photos/alex.jpg' does not exist "
         "(check the file name and that the photo is in assets/)"]),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_each_mistake_gets_its_exact_message(make_project, files, expected):
    assert problems_in(make_project, files) == expected


def test_a_district_in_several_boroughs_is_info(make_project):
    files = edit("boroughs.yaml", "postcode_districts: [ST1]", "postcode_districts: [ST1, NT2]")
    assert problems_in(make_project, files, info=True) == [
        "boroughs.yaml:4:29: info: postcode district NT2 is in 2 boroughs: northtown, southtown "
        "(people who search for it will be asked to choose)"]


def test_short_numbers_are_allowed(make_project):
    files = edit("reporting.yaml", 'phone: "999"\n  textphone: "18000"', 'phone: "112"\n  textphone: "18001 101"\n  sms: 116 123')
    files["officers.yaml"] = textwrap.dedent(MINIMAL["officers.yaml"]).replace("phone: 020 7946 0001", "phone: 111")
    assert problems_in(make_project, files) == []


def test_a_day_short_of_review_after_days_is_not_due(make_project):
    files = edit("officers.yaml", "last_verified: 2026-11-01", "last_verified: 2026-06-05")  # 180 days before TODAY
    assert problems_in(make_project, files) == []


def test_a_file_that_cannot_be_read_causes_no_knock_on_problems(make_project):
    """With boroughs.yaml broken, officers' borough ids are not all reported as unknown."""
    files = edit("boroughs.yaml", "neighbours: [southtown]", "neighbours: [southtown")
    assert problems_in(make_project, files) == [
        "boroughs.yaml:5:15: YAML syntax error: this list is not closed (add ']' at its end, and check for a missing comma)"]


def test_an_invalid_id_is_not_reported_again_where_it_is_used(make_project):
    files = edit("boroughs.yaml", "- id: northtown", "- id: North_Town")
    files.update(edit("officers.yaml", "boroughs: [northtown]", "boroughs: [North_Town]"))
    problems = problems_in(make_project, files)
    assert "boroughs.yaml:1:7: 'North_Town' is not a valid id (use lowercase letters, digits and hyphens, e.g. 'north-town')" in problems
    assert not any("unknown borough 'North_Town'" in p for p in problems)


def test_several_problems_in_one_run_are_all_reported_in_order(make_project):
    files = edit("officers.yaml", "email: alex.example@example.org", "emial: alex.example@example.org")
    files["officers.yaml"] = files["officers.yaml"].replace("boroughs: [northtown]", "boroughs: [nortown]")
    files.update(edit("organisations.yaml", "website: https://helpline", "website: http://helpline"))
    files.update(edit("site.yaml", "review_after_days: 180", "review_after_days: -1"))
    files.update(edit("reporting.yaml", "anonymity: identified\n  hours: 24 hours a day\n  last_verified",
                      "anonymity: nameless\n  hours: 24 hours a day\n  last_verified"))
    assert problems_in(make_project, files) == [
        "boroughs.yaml:1:7: warning: borough 'northtown' has no officer (add it to an officer's boroughs, "
        "or add 'no_officer: true' to the borough if that is known)",
        "officers.yaml:6:14: unknown borough 'nortown' (did you mean 'northtown'?)",
        "officers.yaml:7:3: unknown field 'emial' in officer 'alex-example' (did you mean 'email'?)",
        "organisations.yaml:7:12: warning: 'website' uses http, which is not secure (use the https:// address if the site has one)",
        "reporting.yaml:8:14: 'anonymity' must be one of identified, confidential, anonymous, not 'nameless'",
        "site.yaml:5:20: 'review_after_days' must be 1 or more, not -1",
    ]


def test_review_after_days_comes_from_site_yaml(make_project):
    files = edit("site.yaml", "review_after_days: 180", "review_after_days: 10")
    problems = problems_in(make_project, files)
    assert problems == [
        "officers.yaml:11:18: warning: officer 'alex-example' is due for review: last verified 2026-11-01, 31 days ago "
        "(check the details are still right, then set last_verified to the date you checked them)",
        "organisations.yaml:8:18: warning: organisation 'helpline-example' is due for review: last verified 2026-11-01, 31 days ago "
        "(check the details are still right, then set last_verified to the date you checked them)",
        "organisations.yaml:16:18: warning: organisation 'local-centre' is due for review: last verified 2026-11-01, 31 days ago "
        "(check the details are still right, then set last_verified to the date you checked them)",
        "reporting.yaml:10:18: warning: reporting route 'call-999' is due for review: last verified 2026-11-01, 31 days ago "
        "(check the details are still right, then set last_verified to the date you checked them)",
        "reporting.yaml:21:18: warning: reporting route 'call-101' is due for review: last verified 2026-11-01, 31 days ago "
        "(check the details are still right, then set last_verified to the date you checked them)",
    ]


def test_no_knock_on_problems_from_a_wrong_forces_or_no_officer_field(make_project):
    files = edit("site.yaml", "forces:", "force:")
    files.update(edit("boroughs.yaml", "  no_officer: true\n", "  no_officer: sometimes\n"))
    assert problems_in(make_project, files) == [
        "boroughs.yaml:11:15: 'no_officer' must be true or false, not 'sometimes'",
        "site.yaml:1:1: missing required field 'forces' in site.yaml (add a line 'forces: ...')",
        "site.yaml:6:1: unknown field 'force' in site.yaml (did you mean 'forces'?)",
    ]

