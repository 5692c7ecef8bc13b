"""Events: validated like every other file, shown while upcoming, published as iCalendar feeds."""
from __future__ import annotations

import datetime as dt
import textwrap
from zoneinfo import ZoneInfo

import pytest

from conftest import TODAY
from liaison.pipeline import build, check

icalendar = pytest.importorskip("icalendar", reason="the icalendar package checks the feeds: pip install -e '.[test]'")

LONDON = ZoneInfo("Europe/London")

EVENTS = """\
    - id: northtown-stall
      title: Stall at the market
      start: 2026-12-05 14:00
      end: 2026-12-05 16:00
      borough: northtown
      venue: Market Hall
      address: {street: 2 Market Street, town: Northtown, postcode: NT1 1AA}
      description: Come and **talk** to us.
      officers: [alex-example]
      accessibility: Step-free access.
    - id: summer-talk
      title: Summer talk, with questions; all welcome
      start: 2027-07-01T10:00:00
      end: 2027-07-01 11:30
      borough: southtown
      venue: Library
    - id: old-talk
      title: An old talk
      start: 2026-10-01 18:00
      end: 2026-10-01 19:00
      borough: northtown
      venue: Town Hall
      officers: [alex-example]
    - id: today-surgery
      title: A surgery that ended this morning
      start: 2026-12-02 09:00
      end: 2026-12-02 10:00
      borough: northtown
      venue: Police station front office
    """


def problems_for(make_project, events):
    root = make_project({"events.yaml": events})
    _, problems = check(root)
    return [str(p) for p in problems]


@pytest.fixture
def site(make_project, tmp_path):
    root = make_project({"events.yaml": EVENTS})
    out = tmp_path / "out"
    build(root, out, base_url="https://example.org/lgbt/", today=TODAY)
    return out


def read(out, path):
    return (out / path).read_text(encoding="utf-8")


# --- validation -------------------------------------------------------------------------

def test_events_yaml_is_optional(make_project):
    assert problems_for(make_project, None) == []


def test_an_events_yaml_holding_only_comments_is_fine(make_project):
    assert problems_for(make_project, "# No events planned yet.\n") == []


def test_unknown_borough_and_officer_point_at_the_value_with_a_hint(make_project):
    events = textwrap.dedent("""\
        - id: stall
          title: Stall
          start: 2026-12-05 14:00
          end: 2026-12-05 16:00
          borough: northtwon
          venue: Hall
          officers: [alex-example, alex-exampel]
        """)
    assert problems_for(make_project, events) == [
        "events.yaml:5:12: unknown borough 'northtwon' (did you mean 'northtown'?)",
        "events.yaml:7:28: unknown officer 'alex-exampel' (did you mean 'alex-example'?)",
    ]


def test_end_before_start(make_project):
    events = textwrap.dedent("""\
        - id: stall
          title: Stall
          start: 2026-12-05 14:00
          end: 2026-12-05 13:00
          borough: northtown
          venue: Hall
        """)
    assert problems_for(make_project, events) == [
        "events.yaml:4:8: event 'stall' ends before it starts (it starts 2026-12-05 14:00: check the date and time of 'end')"]


def test_end_at_the_moment_it_starts(make_project):
    events = textwrap.dedent("""\
        - id: stall
          title: Stall
          start: 2026-12-05 14:00
          end: 2026-12-05T14:00:00
          borough: northtown
          venue: Hall
        """)
    assert problems_for(make_project, events) == [
        "events.yaml:4:8: event 'stall' ends at the moment it starts (it starts 2026-12-05 14:00: check the date and time of 'end')"]


def test_bad_dates(make_project):
    events = textwrap.dedent("""\
        - id: stall
          title: Stall
          start: 2026-13-05 14:00
          end: 2026-02-30T10:00:00
          borough: northtown
          venue: Hall
        - id: talk
          title: Talk
          start: 2026-12-05
          end: next tuesday
          borough: northtown
          venue: Hall
        """)
    assert problems_for(make_project, events) == [
        "events.yaml:3:10: 'start' must be a date and time written as year-month-day hours:minutes, "
        "not '2026-13-05 14:00' (e.g. 2026-12-05 14:00)",
        "events.yaml:4:8: 'end' must be a date and time written as year-month-day hours:minutes, "
        "not '2026-02-30T10:00:00' (e.g. 2026-12-05 14:00)",
        "events.yaml:9:10: 'start' needs a time as well as a date (e.g. 2026-12-05 14:00)",
        "events.yaml:10:8: 'end' must be a date and time written as year-month-day hours:minutes, "
        "not 'next tuesday' (e.g. 2026-12-05 14:00)",
    ]


def test_missing_fields_and_unknown_fields(make_project):
    events = textwrap.dedent("""\
        - id: stall
          title: Stall
          start: 2026-12-05 14:00
          borough: northtown
          venu: Hall
        """)
    assert problems_for(make_project, events) == [
        "events.yaml:1:3: missing required field 'end' in event 'stall' (add a line 'end: ...')",
        "events.yaml:1:3: missing required field 'venue' in event 'stall' (add a line 'venue: ...')",
        "events.yaml:5:3: unknown field 'venu' in event 'stall' (did you mean 'venue'?)",
    ]


def test_an_impossible_date_elsewhere_is_reported_not_a_crash(make_project):
    root = make_project({"officers.yaml": """\
        - id: alex-example
          name: Alex Example
          role: full-time
          boroughs: [northtown]
          last_verified: 2026-02-30
        """})
    _, problems = check(root)
    assert [str(p) for p in problems] == [
        "officers.yaml:5:18: 'last_verified' is not a date that exists: '2026-02-30' (check the day and the month)"]


# --- pages ------------------------------------------------------------------------------

def test_upcoming_events_are_listed_soonest_first_and_past_ones_hidden(site):
    page = read(site, "events/index.html")
    assert page.index("Stall at the market") < page.index("Summer talk")
    assert "An old talk" not in page
    assert "A surgery that ended this morning" in page  # the build day's events stay listed all day
    assert '<time datetime="2026-12-05T14:00:00+00:00">Saturday 5 December 2026, 2pm to 4pm</time>' in page
    assert '<time datetime="2027-07-01T10:00:00+01:00">Thursday 1 July 2027, 10am to 11:30am</time>' in page
    assert "<strong>talk</strong>" in page
    assert 'href="../events.ics"' in page


def test_borough_and_officer_pages_show_their_upcoming_events(site):
    northtown = read(site, "boroughs/northtown/index.html")
    assert "Stall at the market" in northtown and "Summer talk" not in northtown
    assert "An old talk" not in northtown
    assert 'href="../../boroughs/northtown/events.ics"' in northtown
    southtown = read(site, "boroughs/southtown/index.html")
    assert "Summer talk" in southtown and "Stall at the market" not in southtown
    officer = read(site, "officers/alex-example/index.html")
    assert "Where to meet Alex Example" in officer and "Stall at the market" in officer
    assert "An old talk" not in officer


def test_a_borough_without_events_says_so(make_project, tmp_path):
    out = tmp_path / "out"
    build(make_project(), out, today=TODAY)
    assert "No events are planned in Northtown at the moment." in read(out, "boroughs/northtown/index.html")
    assert "No events are planned at the moment." in read(out, "events/index.html")


def test_events_page_is_linked_from_every_page(site):
    assert '<a href="events/">Events</a>' in read(site, "index.html")
    assert '<a href="../../events/">Events</a>' in read(site, "boroughs/northtown/index.html")


# --- iCalendar --------------------------------------------------------------------------

def parse(out, path):
    data = (out / path).read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_site_feed_parses_and_holds_every_upcoming_event(site):
    calendar, events = parse(site, "events.ics")
    assert calendar["VERSION"] == "2.0"
    assert [str(e["SUMMARY"]) for e in events] == [
        "A surgery that ended this morning", "Stall at the market", "Summer talk, with questions; all welcome"]
    stall = events[1]
    assert stall.decoded("DTSTART") == dt.datetime(2026, 12, 5, 14, 0, tzinfo=LONDON)
    assert stall.decoded("DTEND") == dt.datetime(2026, 12, 5, 16, 0, tzinfo=LONDON)
    assert str(stall["LOCATION"]) == "Market Hall, 2 Market Street, Northtown, NT1 1AA"
    assert "Come and **talk** to us." in str(stall["DESCRIPTION"])
    assert "Who will be there: PC Alex Example." in str(stall["DESCRIPTION"])
    assert "Accessibility: Step-free access." in str(stall["DESCRIPTION"])
    assert str(stall["URL"]) == "https://example.org/lgbt/events/#northtown-stall"


def test_naive_times_are_uk_time_summer_and_winter(site):
    _, events = parse(site, "events.ics")
    summer = events[2]
    start = summer.decoded("DTSTART")
    assert start.astimezone(dt.timezone.utc) == dt.datetime(2027, 7, 1, 9, 0, tzinfo=dt.timezone.utc)  # BST
    winter = events[1].decoded("DTSTART")
    assert winter.astimezone(dt.timezone.utc) == dt.datetime(2026, 12, 5, 14, 0, tzinfo=dt.timezone.utc)  # GMT


def test_each_borough_has_its_own_feed(site):
    _, northtown = parse(site, "boroughs/northtown/events.ics")
    assert [str(e["SUMMARY"]) for e in northtown] == ["A surgery that ended this morning", "Stall at the market"]
    calendar, southtown = parse(site, "boroughs/southtown/events.ics")
    assert [str(e["SUMMARY"]) for e in southtown] == ["Summer talk, with questions; all welcome"]
    assert str(calendar["X-WR-CALNAME"]) == "Events in Southtown: Test Directory"


def test_an_empty_feed_is_still_a_valid_calendar(make_project, tmp_path):
    out = tmp_path / "out"
    build(make_project(), out, today=TODAY)
    calendar, events = parse(out, "boroughs/northtown/events.ics")
    assert events == []
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]  # RFC 5545 wants one component at least


def test_feeds_follow_rfc_5545_line_rules(site):
    data = (site / "events.ics").read_bytes()
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_uids_and_stamps_are_stable_between_builds(make_project, tmp_path):
    root = make_project({"events.yaml": EVENTS})
    build(root, tmp_path / "a", today=TODAY)
    build(root, tmp_path / "b", today=TODAY + dt.timedelta(days=1))
    _, first = parse(tmp_path / "a", "events.ics")
    _, second = parse(tmp_path / "b", "events.ics")
    by_uid = {str(e["UID"]): e.to_ical() for e in first}
    # A day later the morning's event is gone; the others are byte for byte the same.
    assert [e.to_ical() for e in second] == [by_uid[str(e["UID"])] for e in second]
    assert len(second) == 2


def test_past_events_leave_the_feeds(site):
    assert b"An old talk" not in (site / "events.ics").read_bytes()
    assert b"An old talk" not in (site / "boroughs/northtown/events.ics").read_bytes()
