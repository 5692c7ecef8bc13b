"""schema.org JSON-LD for search engines: a Person for each officer, a
GovernmentOrganization for each force.

The JSON is written into a <script type="application/ld+json"> element, which
browsers never run (so the Content-Security-Policy does not block it). '<',
'>' and '&' are escaped so no text can close the element early.
"""
from __future__ import annotations

import json

import orjson

CONTEXT = "https://schema.org"


def to_script_json(data):
    try:  # orjson: the same text as the json module's, in a fifth of the time
        text = orjson.dumps(data).decode("utf-8")
    except orjson.JSONEncodeError:  # an integer beyond 64 bits
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def force_ld(force, area=None):
    org = {"@type": "GovernmentOrganization", "@id": force["website"], "name": force["name"],
           "url": force["website"], "telephone": force["non_emergency"].tel}
    if area:
        org["areaServed"] = area
    return org


def job_title(officer):
    return ("Volunteer " if officer["role"] == "volunteer" else "") + "LGBT+ Liaison Officer"


def person_ld(officer, site):
    force = officer["force"]
    contact = {"@type": "ContactPoint", "contactType": "LGBT+ liaison",
               "areaServed": [b["name"] for b in officer["boroughs"]]}
    if officer.get("phone"):
        contact["telephone"] = officer["phone"].tel
    elif force:
        contact["telephone"] = force["non_emergency"].tel
    if officer.get("email"):
        contact["email"] = officer["email"]
    if officer.get("languages"):
        contact["availableLanguage"] = list(officer["languages"])
    person = {"@type": "Person", "name": officer["name"], "jobTitle": job_title(officer), "contactPoint": contact}
    if officer.get("rank"):
        person["honorificPrefix"] = officer["rank"]
    if force:
        person["worksFor"] = {"@id": force["website"]}
    if site.get("base_url"):
        person["url"] = site["base_url"] + officer["url"]
    return person


def forces_of(officers):
    seen = {}
    for officer in officers:
        for borough in officer["boroughs"]:
            seen.setdefault(borough["force"]["id"], borough["force"])
    return list(seen.values())


def shown_officers(borough):
    return borough["officers"] or borough["neighbour_officers"]


def officer_sources(officer):
    """Every record officer_json_ld() reads: the preview renders the page again when one changes."""
    return [officer, *officer["boroughs"], *forces_of([officer])]


def borough_sources(borough):
    """Every record borough_json_ld() reads."""
    officers = shown_officers(borough)
    return [borough, borough["force"], *officers, *(b for o in officers for b in o["boroughs"]), *forces_of(officers)]


def officer_json_ld(officer, site):
    graph = [force_ld(f) for f in forces_of([officer])] + [person_ld(officer, site)]
    return to_script_json({"@context": CONTEXT, "@graph": graph})


def borough_json_ld(borough, site):
    force = borough["force"]
    officers = shown_officers(borough)
    forces = [force_ld(force, borough["name"])]
    forces += [force_ld(f) for f in forces_of(officers) if f["id"] != force["id"]]
    graph = forces + [person_ld(o, site) for o in officers]
    return to_script_json({"@context": CONTEXT, "@graph": graph})


# The pages that carry schema.org data, by the record of their vars they describe:
# (the data, every record it reads).
DESCRIBED = {"officer": (officer_json_ld, officer_sources), "borough": (borough_json_ld, borough_sources)}
