"""calendar.py: iCalendar (RFC 5545) feeds of upcoming events, written byte for byte by hand."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from conftest import ONE_EVENT, TODAY
from liaison import calendar
from liaison.calendar import escape, event_lines, feed, fold
from liaison.context import build_context
from liaison.load import load
from liaison.validate import validate

LONDON = ZoneInfo("Europe/London")


def context_of(root, base_url=None):
    data, problems = validate(load(root), TODAY)
    assert problems == []
    return build_context(data, base_url, TODAY, root)


def head(name):
    """A feed's lines before its events: the calendar's properties and the Europe/London time zone."""
    return (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//LGBT+ liaison directory generator//EN\r\n"
            b"CALSCALE:GREGORIAN\r\nX-WR-CALNAME:" + name + b"\r\nX-WR-TIMEZONE:Europe/London\r\n"
            b"BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"
            b"BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\n"
            b"DTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
            b"BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n"
            b"DTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
            b"END:VTIMEZONE\r\n")


# ONE_EVENT in the fixture project, as tests/golden/site/events.ics holds it.
STALL = (b"BEGIN:VEVENT\r\nUID:7a2f4e0a-2d42-583c-bff3-8704c18b5314\r\nDTSTAMP:20261205T140000Z\r\n"
         b"DTSTART;TZID=Europe/London:20261205T140000\r\nDTEND;TZID=Europe/London:20261205T160000\r\n"
         b"SUMMARY:Stall at the market\r\nLOCATION:Market Hall\r\n"
         b"DESCRIPTION:Who will be there: PC Alex Example.\\n\\nNot for emergencies: cal\r\n l 999.\r\n"
         b"URL:https://example.org/lgbt-liaison/events/#northtown-stall\r\nEND:VEVENT\r\n")
END = b"END:VCALENDAR\r\n"


def summer_talk(**changes):
    """An event as the context gives it: times in UK time, officers and address resolved."""
    return {"id": "summer-talk", "title": "Summer talk, with questions; all welcome",
            "start": dt.datetime(2027, 7, 1, 10, 0, tzinfo=LONDON),
            "end": dt.datetime(2027, 7, 1, 11, 30, tzinfo=LONDON),
            "venue": "Library", "address": {"street": "2 Market Street", "town": "Northtown", "postcode": "NT1 1AA"},
            "description": "Come and **talk** to us.\n", "officers": [{"full_name": "PC Alex Example"}],
            "accessibility": "Step-free access.", "url": "events/#summer-talk", **changes}


# --- escape and fold ----------------------------------------------------------------------

def test_text_escapes_backslash_semicolon_comma_and_line_breaks():
    assert escape("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_a_line_of_75_octets_is_not_folded():
    assert fold("X" * 75) == "X" * 75


def test_a_long_line_is_folded_at_75_octets_then_74_after_the_leading_space():
    assert fold("a" * 200) == "a" * 75 + "\r\n " + "a" * 74 + "\r\n " + "a" * 51


def test_folding_never_splits_a_multibyte_character():
    # 8 + 2 * 40 = 88 octets: 33 two-octet characters fit after "SUMMARY:", a 34th would make 76.
    assert fold("SUMMARY:" + "é" * 40) == "SUMMARY:" + "é" * 33 + "\r\n " + "é" * 7


# --- events -------------------------------------------------------------------------------

def test_an_event_in_summer_is_written_in_uk_time_and_stamped_in_utc():
    assert event_lines(summer_talk(), "https://example.org/lgbt/") == [
        "BEGIN:VEVENT",
        "UID:c71e2e15-61a2-5ab0-abcb-f0bb14c8cd2d",
        "DTSTAMP:20270701T090000Z",
        "DTSTART;TZID=Europe/London:20270701T100000",
        "DTEND;TZID=Europe/London:20270701T113000",
        "SUMMARY:Summer talk\\, with questions\\; all welcome",
        "LOCATION:Library\\, 2 Market Street\\, Northtown\\, NT1 1AA",
        "DESCRIPTION:Come and **talk** to us.\\n\\nWho will be there: PC Alex Example.\\n\\n"
        "Accessibility: Step-free access.\\n\\nNot for emergencies: call 999.",
        "URL:https://example.org/lgbt/events/#summer-talk",
        "END:VEVENT",
    ]


def test_an_event_with_nothing_optional_says_only_where_and_not_for_emergencies():
    lines = event_lines(summer_talk(address=None, description=None, officers=[], accessibility=None), None)
    assert lines[6:] == ["LOCATION:Library", "DESCRIPTION:Not for emergencies: call 999.", "END:VEVENT"]


def test_without_a_base_url_an_event_has_no_url():
    assert not [line for line in event_lines(summer_talk(), "") if line.startswith("URL")]


# --- feeds --------------------------------------------------------------------------------

def test_a_feed_without_events_is_the_calendar_and_its_time_zone():
    assert feed([], "Events in Southtown, by the river", None) == head(b"Events in Southtown\\, by the river") + END


def test_a_feed_folds_its_long_lines():
    made = feed([summer_talk()], "Events", "https://example.org/lgbt/")
    assert made.startswith(head(b"Events") + b"BEGIN:VEVENT\r\n") and made.endswith(b"END:VEVENT\r\n" + END)
    assert (b"DESCRIPTION:Come and **talk** to us.\\n\\nWho will be there: PC Alex Example.\r\n"
            b" \\n\\nAccessibility: Step-free access.\\n\\nNot for emergencies: call 999.\r\n") in made


def test_files_are_the_site_feed_and_one_feed_per_borough(make_project):
    ctx = context_of(make_project({"events.yaml": ONE_EVENT}), "https://example.org/lgbt-liaison/")
    assert calendar.files(ctx) == {
        "events.ics": head(b"Events: Test Directory") + STALL + END,
        "boroughs/northtown/events.ics": head(b"Events in Northtown: Test Directory") + STALL + END,
        "boroughs/southtown/events.ics": head(b"Events in Southtown: Test Directory") + END,
    }
