"""iCalendar (RFC 5545) feeds of upcoming events: one for the whole site, one per borough.

Written by hand: the format is small, and this keeps every byte under our control
so that identical data gives identical feeds. Times are written as UK local time
with the Europe/London time zone defined in the feed. DTSTAMP, which RFC 5545
requires, is the event's start in UTC: a value from the event's own data, so it
does not change from one build to the next.
"""
from __future__ import annotations

import datetime as dt

from .hsds import uid

TIME_ZONE = "Europe/London"
PRODUCT = "-//LGBT+ liaison directory generator//EN"
# Europe/London since 1996: BST from the last Sunday of March, GMT from the last Sunday of October.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TIME_ZONE}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape(text):
    """TEXT values: backslash, semicolon, comma and line breaks are escaped."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def fold(line):
    """Lines longer than 75 octets continue on the next line after a space, never mid-character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with a space
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def local(moment):
    return moment.astimezone(moment.tzinfo).strftime("%Y%m%dT%H%M%S")


def utc(moment):
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def description(event):
    parts = [event["description"].strip()] if event["description"] else []
    if event["officers"]:
        parts.append("Who will be there: " + ", ".join(o["full_name"] for o in event["officers"]) + ".")
    if event["accessibility"]:
        parts.append(f"Accessibility: {event['accessibility']}")
    parts.append("Not for emergencies: call 999.")
    return "\n\n".join(parts)


def location(event):
    address = event["address"]
    parts = [event["venue"]] + ([address["street"], address["town"], address["postcode"]] if address else [])
    return ", ".join(parts)


def event_lines(event, base_url):
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid('event', event['id'])}",
        f"DTSTAMP:{utc(event['start'])}",
        f"DTSTART;TZID={TIME_ZONE}:{local(event['start'])}",
        f"DTEND;TZID={TIME_ZONE}:{local(event['end'])}",
        f"SUMMARY:{escape(event['title'])}",
        f"LOCATION:{escape(location(event))}",
        f"DESCRIPTION:{escape(description(event))}",
    ]
    if base_url:
        lines.append(f"URL:{base_url}{event['url']}")
    lines.append("END:VEVENT")
    return lines


def feed(events, name, base_url):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{escape(name)}", f"X-WR-TIMEZONE:{TIME_ZONE}", *VTIMEZONE]
    for event in events:
        lines += event_lines(event, base_url)
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")


def files(ctx):
    """The calendar feeds: an output of the build (outputs.py)."""
    return calendar_files(ctx)


def calendar_files(ctx):
    """events.ics for the whole site and boroughs/<id>/events.ics for each borough: upcoming events only."""
    base = ctx.site["base_url"]
    files = {"events.ics": feed(ctx.events, f"Events: {ctx.site['title']}", base)}
    for borough in ctx.boroughs:
        files[borough["calendar"]] = feed(borough["events"], f"Events in {borough['name']}: {ctx.site['title']}", base)
    return files
