"""Stage 4: resolve every reference and URL into the context every output is made from.

Rendering is a pure function of what this stage returns: templates never look
anything up. It starts from redacted data (privacy.redact): private fields,
such as officers' notes and those site.yaml's private_fields names, are empty
here, and only public fields (schema.Record.public_fields) are copied.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import schema as S
from .export import describe_downloads
from .hsds import describe_openreferral
from .markup import render_markdown
from .memo import Memo
from .postcodes import areas, district_index
from .structured import DESCRIBED
from .urls import absolute, normalise_base_url
from .vcard import borough_card_path, officer_card_path
from .privacy import redact

URGENCY_ORDER = {u: i for i, u in enumerate(S.URGENCIES)}
ROLE_LABELS = {"full-time": "Full-time liaison officer", "volunteer": "Volunteer liaison officer"}
URGENCY_LABELS = S.URGENCY_LABELS
ANONYMITY_LABELS = S.ANONYMITY_LABELS


@dataclass
class Page:
    path: str  # address inside the site, see urls.py
    template: str
    title: str
    description: str = ""
    vars: dict = field(default_factory=dict)
    in_sitemap: bool = True
    # schema.org data for search engines (structured.DESCRIBED), made only when the page is
    # rendered: a preview rebuild renders a few pages and reuses the rest.
    described: str | None = None  # which record of vars it describes: "officer" or "borough"
    site: dict | None = None  # the site's settings, which that data reads

    @property
    def json_ld(self):
        return DESCRIBED[self.described][0](self.vars[self.described], self.site) if self.described else ""

    def json_ld_sources(self):
        """The records json_ld reads (in Python, not through the template), for the preview."""
        return DESCRIBED[self.described][1](self.vars[self.described]) if self.described else []


@dataclass
class Context:
    site: dict
    pages: list
    forces: list
    boroughs: list
    officers: list
    organisations: list
    routes: list
    events: list = field(default_factory=list)  # upcoming only, soonest first
    records: object = None  # the validated data, private fields withheld: what the data downloads publish as written
    source: Path | None = None  # the project folder: its templates/ and assets/ over the defaults


def public(record, schema):
    """Copy the public fields of a validated record; private ones are left behind."""
    return {f.name: record.get(f.name) for f in schema.public_fields}


def officer_view(record, markdown=render_markdown):
    view = public(record, S.OFFICER)
    view.update(
        url=f"officers/{record['id']}/",
        full_name=" ".join(filter(None, (record.get("rank"), record["name"]))),
        role_label=ROLE_LABELS[record["role"]],
        bio_html=markdown(record["bio"]) if record.get("bio") else "",
        photo_path=f"assets/{record['photo']}" if record.get("photo") else "",
        vcard_url=officer_card_path(record),
    )
    return view


def organisation_view(record, markdown=render_markdown):
    view = public(record, S.ORGANISATION)
    view.update(
        url=f"organisations/{record['id']}/",
        description_html=markdown(record["description"]),
        service_labels=[S.SERVICE_LABELS[s] for s in record["services"]],
    )
    return view


def route_view(record, markdown=render_markdown):
    view = public(record, S.ROUTE)
    label, explanation = ANONYMITY_LABELS[record["anonymity"]]
    view.update(
        how_html=markdown(record["how"]),
        anonymity_label=label,
        anonymity_text=explanation,
        urgency_label=URGENCY_LABELS[record["urgency"]],
    )
    return view


def clock_time(moment):
    """GOV.UK style: 9am, 2:30pm, midday, midnight."""
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def day_name(moment):
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def event_when(start, end):
    """'Saturday 5 December 2026, 2pm to 4pm', or across days with both dates."""
    if start.date() == end.date():
        return f"{day_name(start)}, {clock_time(start)} to {clock_time(end)}"
    return f"{day_name(start)}, {clock_time(start)} to {day_name(end)}, {clock_time(end)}"


def event_view(record, markdown=render_markdown):
    view = public(record, S.EVENT)
    view.update(
        url=f"events/#{record['id']}",
        when=event_when(record["start"], record["end"]),
        description_html=markdown(record["description"]) if record.get("description") else "",
    )
    return view


def upcoming(events, today):
    """Events that have not yet ended (an event today stays listed all day), soonest first."""
    return sorted((e for e in events if e["end"].date() >= today), key=lambda e: (e["start"], e["id"]))


def by_name(items):
    return sorted(items, key=lambda item: item["name"].casefold())


def officers_first_full_time(officers):
    return sorted(officers, key=lambda o: (o["role"] != "full-time", o["name"].casefold()))


def routes_in_order(routes):
    return sorted(routes, key=lambda r: URGENCY_ORDER[r["urgency"]])


def link_records(forces, boroughs, officers, organisations, routes, events=()):
    """Replace ids with the records they name, in both directions."""
    force_by_id = {f["id"]: f for f in forces}
    borough_by_id = {b["id"]: b for b in boroughs}
    for force in forces:
        force.update(boroughs=[], routes=[])
    for borough in boroughs:
        borough["force"] = force_by_id[borough["force"]]
        borough["force"]["boroughs"].append(borough)
        borough["neighbours"] = by_name(borough_by_id[n] for n in borough["neighbours"] or ())
        borough.update(officers=[], organisations=[], reporting_centres=[], events=[])
    officer_by_id = {o["id"]: o for o in officers}
    for officer in officers:
        officer["events"] = []
        # An officer's force, worked out once for every output (pages, contact cards, schema.org,
        # Open Referral): the force of the first area listed for them.
        officer["force"] = borough_by_id[officer["boroughs"][0]]["force"] if officer["boroughs"] else None
        officer["boroughs"] = by_name(borough_by_id[b] for b in officer["boroughs"])
        for borough in officer["boroughs"]:
            borough["officers"].append(officer)
    for org in organisations:
        org["boroughs"] = by_name(borough_by_id[b] for b in org["boroughs"] or ())
        for borough in org["boroughs"]:
            borough["reporting_centres" if org["third_party_reporting"] else "organisations"].append(org)
    for route in routes_in_order(routes):
        for force in [force_by_id[f] for f in route["forces"]] if route["forces"] else forces:
            force["routes"].append(route)
    for event in events:  # already in order
        event["borough"] = borough_by_id[event["borough"]]
        event["borough"]["events"].append(event)
        event["officers"] = [officer_by_id[o] for o in event["officers"]]
        for officer in event["officers"]:
            officer["events"].append(event)
    return borough_by_id


def finish_boroughs(boroughs):
    for borough in boroughs:
        borough["officers"] = officers_first_full_time(borough["officers"])
        borough["organisations"] = by_name(borough["organisations"])
        borough["reporting_centres"] = by_name(borough["reporting_centres"])
        borough["neighbour_officers"] = neighbour_officers(borough)
        borough["url"] = f"boroughs/{borough['id']}/"
        borough["calendar"] = f"boroughs/{borough['id']}/events.ics"
        borough["poster"] = f"posters/{borough['id']}/"
        borough["vcard_url"] = borough_card_path(borough)


def neighbour_officers(borough):
    """For a borough with no officer: the officers of the boroughs next to it."""
    if borough["officers"]:
        return []
    seen, found = set(), []
    for neighbour in borough["neighbours"]:
        for officer in neighbour["officers"]:
            if officer["id"] not in seen:
                seen.add(officer["id"])
                found.append(officer)
    return officers_first_full_time(found)


def services_index(organisations):
    """Organisations grouped by service, in the vocabulary's order."""
    groups = []
    for service in S.SERVICES:
        members = by_name(o for o in organisations if service in o["services"])
        if members:
            groups.append({"id": service, "label": S.SERVICE_LABELS[service], "organisations": members})
    return groups


def site_settings(data, base_url, today):
    settings = public(data.site, S.SITE)
    settings.pop("forces", None)
    settings["base_url"] = normalise_base_url(base_url if base_url is not None else settings.get("base_url"))
    settings["built_on"] = today
    settings["nav"] = [{"title": p["title"], "url": f"{p['slug']}/"} for p in
                       sorted(data.pages, key=lambda p: (p["nav_order"], p["title"].casefold()))]
    return settings


def make_pages(ctx, content_pages, markdown=render_markdown):
    pages = [Page("", "home.html", ctx.site["title"], ctx.site["description"])]
    pages.append(Page("report/", "report.html", "Report a hate crime",
                      "Every way to report a hate crime or get support, from emergencies to anonymous reporting."))
    pages.append(Page("organisations/", "organisations.html", "Support organisations",
                      "Organisations that support LGBT+ people, grouped by what they offer."))
    pages += [Page(b["url"], "borough.html", f"LGBT+ liaison officers in {b['name']}",
                   f"Who to contact in {b['name']} about LGBT+ hate crime, and other ways to get support.", {"borough": b},
                   described="borough", site=ctx.site)
              for b in ctx.boroughs]
    pages += [Page(o["url"], "officer.html", o["full_name"],
                   f"How to contact {o['full_name']}, {o['role_label'].lower()}.", {"officer": o},
                   described="officer", site=ctx.site)
              for o in ctx.officers]
    pages += [Page(o["url"], "organisation.html", o["name"], f"How to contact {o['name']}.", {"organisation": o})
              for o in ctx.organisations]
    pages += [Page(f"{p['slug']}/", "page.html", p["title"], p["description"],
                   {"content_html": markdown(p["body"])}) for p in content_pages]
    pages.append(Page("events/", "events.html", "Events",
                      "Where to meet LGBT+ liaison officers: stalls, talks and drop-in surgeries near you."))
    pages += poster_pages(ctx)
    pages.append(Page("open-data/", "open_data.html", "Open data",
                      "Download the directory's data as JSON, CSV and Open Referral (HSDS 3.0).",
                      {"downloads": describe_downloads(), "openreferral": describe_openreferral()}))
    pages.append(Page("postcodes/", "postcodes.html", "Postcode districts",
                      "Every postcode district in the directory and the borough or district it lies in.",
                      {"areas": areas(ctx.site["postcode_index"])}))
    pages.append(Page("404.html", "404.html", "Page not found", "", in_sitemap=False))
    return pages


def checked_between(records):
    """The oldest and newest last_verified of what a poster shows: a date from the data, not the
    build, so a poster's bytes change only when its details do."""
    dates = sorted(r["last_verified"] for r in records if r.get("last_verified"))
    return {"first": dates[0], "last": dates[-1]} if dates else None


def poster_pages(ctx):
    """An A4 poster per borough and one for third-party reporting centres, each with a QR code
    linking to its page on the published site (only when base_url is known)."""
    base = ctx.site["base_url"]
    pages = [Page("posters/", "posters.html", "Posters",
                  "Printable A4 posters for each borough, for venues and events.")]
    for borough in ctx.boroughs:
        shown = borough["officers"] + borough["force"]["routes"] + borough["reporting_centres"]
        pages.append(Page(borough["poster"], "poster.html", f"Poster: LGBT+ liaison officers in {borough['name']}",
                          f"A printable A4 poster for {borough['name']}.",
                          {"borough": borough, "qr_url": absolute(base, borough["url"]) if base else "",
                           "checked": checked_between(shown)},
                          in_sitemap=False))
    centres = by_name(o for o in ctx.organisations if o["third_party_reporting"])
    pages.append(Page("posters/reporting-centres/", "poster_centres.html", "Poster: third-party reporting centres",
                      "A printable A4 poster listing hate crime third-party reporting centres.",
                      {"centres": centres, "qr_url": absolute(base, "report/") if base else "",
                       "checked": checked_between(centres)},
                      in_sitemap=False))
    return pages


def build_context(data, base_url=None, today=None, source=None, memo=None):
    """Resolve the validated data into everything every output needs.

    memo: the engine's Memo, holding the HTML validation made of each Markdown text."""
    today = today or dt.date.today()
    markdown = (memo if memo is not None else Memo()).markdown
    redact(data)  # already done by the pipeline; cheap, and keeps any other caller safe
    forces = [public(f, S.FORCE) for f in data.forces]
    boroughs = [public(b, S.BOROUGH) for b in data.boroughs]
    officers = [officer_view(o, markdown) for o in data.officers]
    organisations = [organisation_view(o, markdown) for o in data.organisations]
    routes = [route_view(r, markdown) for r in data.routes]
    events = upcoming([event_view(e, markdown) for e in data.events], today)
    link_records(forces, boroughs, officers, organisations, routes, events)
    finish_boroughs(boroughs)
    for force in forces:
        force["boroughs"] = by_name(force["boroughs"])
    ctx = Context(site_settings(data, base_url, today), [], forces, by_name(boroughs),
                  by_name(officers), by_name(organisations), routes_in_order(routes), events, data,
                  Path(source) if source is not None else None)
    ctx.site["services"] = services_index(organisations)
    ctx.site["national_organisations"] = by_name(o for o in organisations if o["national"])
    ctx.site["postcode_index"] = district_index(ctx.boroughs)
    ctx.pages = make_pages(ctx, data.pages, markdown)
    return ctx
