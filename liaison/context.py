"""Stage 3: resolve every reference and URL into the context templates render.

Rendering is a pure function of what this stage returns: templates never look
anything up. It starts from redacted data (privacy.redact): private fields,
such as officers' notes and those site.yaml's private_fields names, are empty
here, and only public fields (schema.Record.public_fields) are copied.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import schema as S
from .markup import render_markdown
from .privacy import redact
from .urls import normalise_base_url

URGENCY_ORDER = {u: i for i, u in enumerate(S.URGENCIES)}
ROLE_LABELS = {"full-time": "Full-time liaison officer", "volunteer": "Volunteer liaison officer"}
URGENCY_LABELS = {"emergency": "Emergency", "non-emergency": "Not an emergency", "support": "Support and other ways to report"}
ANONYMITY_LABELS = {
    "identified": ("You give your name", "The police will ask who you are so they can investigate and keep you informed."),
    "confidential": ("Confidential", "Your details are kept private; you choose what is passed on, and to whom."),
    "anonymous": ("Anonymous", "You do not have to give your name or any details about yourself."),
}


@dataclass
class Page:
    path: str  # address inside the site, see urls.py
    template: str
    title: str
    description: str = ""
    vars: dict = field(default_factory=dict)
    in_sitemap: bool = True


@dataclass
class Context:
    site: dict
    pages: list
    forces: list
    boroughs: list
    officers: list
    organisations: list
    routes: list


def public(record, schema):
    """Copy the public fields of a validated record; private ones are left behind."""
    return {f.name: record.get(f.name) for f in schema.public_fields}


def officer_view(record):
    view = public(record, S.OFFICER)
    view.update(
        url=f"officers/{record['id']}/",
        full_name=" ".join(filter(None, (record.get("rank"), record["name"]))),
        role_label=ROLE_LABELS[record["role"]],
        bio_html=render_markdown(record["bio"]) if record.get("bio") else "",
        photo_path=f"assets/{record['photo']}" if record.get("photo") else "",
    )
    return view


def organisation_view(record):
    view = public(record, S.ORGANISATION)
    view.update(
        url=f"organisations/{record['id']}/",
        description_html=render_markdown(record["description"]),
        service_labels=[S.SERVICE_LABELS[s] for s in record["services"]],
    )
    return view


def route_view(record):
    view = public(record, S.ROUTE)
    label, explanation = ANONYMITY_LABELS[record["anonymity"]]
    view.update(
        how_html=render_markdown(record["how"]),
        anonymity_label=label,
        anonymity_text=explanation,
        urgency_label=URGENCY_LABELS[record["urgency"]],
    )
    return view


def by_name(items):
    return sorted(items, key=lambda item: item["name"].casefold())


def officers_first_full_time(officers):
    return sorted(officers, key=lambda o: (o["role"] != "full-time", o["name"].casefold()))


def routes_in_order(routes):
    return sorted(routes, key=lambda r: URGENCY_ORDER[r["urgency"]])


def link_records(forces, boroughs, officers, organisations, routes):
    """Replace ids with the records they name, in both directions."""
    force_by_id = {f["id"]: f for f in forces}
    borough_by_id = {b["id"]: b for b in boroughs}
    for force in forces:
        force.update(boroughs=[], routes=[])
    for borough in boroughs:
        borough["force"] = force_by_id[borough["force"]]
        borough["force"]["boroughs"].append(borough)
        borough["neighbours"] = by_name(borough_by_id[n] for n in borough["neighbours"] or ())
        borough.update(officers=[], organisations=[], reporting_centres=[])
    for officer in officers:
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
    return borough_by_id


def finish_boroughs(boroughs):
    for borough in boroughs:
        borough["officers"] = officers_first_full_time(borough["officers"])
        borough["organisations"] = by_name(borough["organisations"])
        borough["reporting_centres"] = by_name(borough["reporting_centres"])
        borough["neighbour_officers"] = neighbour_officers(borough)
        borough["url"] = f"boroughs/{borough['id']}/"


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


def make_pages(ctx, content_pages):
    pages = [Page("", "home.html", ctx.site["title"], ctx.site["description"])]
    pages.append(Page("report/", "report.html", "Report a hate crime",
                      "Every way to report a hate crime or get support, from emergencies to anonymous reporting."))
    pages.append(Page("organisations/", "organisations.html", "Support organisations",
                      "Organisations that support LGBT+ people, grouped by what they offer."))
    pages += [Page(b["url"], "borough.html", f"LGBT+ liaison officers in {b['name']}",
                   f"Who to contact in {b['name']} about LGBT+ hate crime, and other ways to get support.", {"borough": b})
              for b in ctx.boroughs]
    pages += [Page(o["url"], "officer.html", o["full_name"],
                   f"How to contact {o['full_name']}, {o['role_label'].lower()}.", {"officer": o})
              for o in ctx.officers]
    pages += [Page(o["url"], "organisation.html", o["name"], f"How to contact {o['name']}.", {"organisation": o})
              for o in ctx.organisations]
    pages += [Page(f"{p['slug']}/", "page.html", p["title"], p["description"],
                   {"content_html": render_markdown(p["body"])}) for p in content_pages]
    pages.append(Page("404.html", "404.html", "Page not found", "", in_sitemap=False))
    return pages


def build_context(data, base_url=None, today=None):
    """Resolve the validated data into everything the templates need."""
    today = today or dt.date.today()
    redact(data)  # already done by the pipeline; cheap, and keeps any other caller safe
    forces = [public(f, S.FORCE) for f in data.forces]
    boroughs = [public(b, S.BOROUGH) for b in data.boroughs]
    officers = [officer_view(o) for o in data.officers]
    organisations = [organisation_view(o) for o in data.organisations]
    routes = [route_view(r) for r in data.routes]
    link_records(forces, boroughs, officers, organisations, routes)
    finish_boroughs(boroughs)
    for force in forces:
        force["boroughs"] = by_name(force["boroughs"])
    ctx = Context(site_settings(data, base_url, today), [], forces, by_name(boroughs),
                  by_name(officers), by_name(organisations), routes_in_order(routes))
    ctx.site["services"] = services_index(organisations)
    ctx.site["national_organisations"] = by_name(o for o in organisations if o["national"])
    ctx.pages = make_pages(ctx, data.pages)
    return ctx
