"""Find-by-postcode: the table of postcode districts, built from boroughs.yaml.

The lookup runs in the visitor's browser: the table is written as a small
script (postcodes/districts.js) that sets a global, so it works from any
sub-path and from file://, and the postcode typed is never sent anywhere. The
same table makes the postcode districts page, where the form leads without
JavaScript.
"""
from __future__ import annotations

import json
import re

SCRIPT_PATH = "postcodes/districts.js"
PAGE_PATH = "postcodes/"
_DISTRICT = re.compile(r"^([A-Z]{1,2})(\d{1,2})([A-Z]?)$")


def normalise_district(text):
    """'ha1 ' -> 'HA1'."""
    return re.sub(r"\s+", "", str(text)).upper()


def sort_key(code):
    """Natural order: HA1, HA2, ..., HA9, HA10; EC1A before EC1M before EC2A."""
    match = _DISTRICT.match(code)
    if not match:
        return (code, 0, "")
    area, number, suffix = match.groups()
    return (area, int(number), suffix)


def district_index(boroughs):
    """{district: [borough, ...]} in natural order, each list sorted by borough name."""
    found = {}
    for borough in boroughs:
        for raw in borough.get("postcode_districts") or ():
            members = found.setdefault(normalise_district(raw), [])
            if borough not in members:
                members.append(borough)
    return {code: sorted(found[code], key=lambda b: b["name"].casefold())
            for code in sorted(found, key=sort_key)}


def area_of(code):
    match = _DISTRICT.match(code)
    return match.group(1) if match else code[:2]


def areas(index):
    """The districts grouped by postcode area (the letters: HA, N, NW...), for the districts page."""
    groups = []
    for code, boroughs in index.items():
        area = area_of(code)
        if not groups or groups[-1]["area"] != area:
            groups.append({"area": area, "districts": []})
        groups[-1]["districts"].append({"code": code, "boroughs": boroughs})
    return groups


def files(ctx):
    """The postcode lookup table the browser reads: an output of the build (outputs.py)."""
    return {SCRIPT_PATH: lookup_script(ctx.site["postcode_index"])}


def lookup_script(index):
    """The table as JavaScript: window.liaisonPostcodes = {names: {id: name}, districts: {HA1: [id]}}."""
    names = {}
    for boroughs in index.values():
        for borough in boroughs:
            names[borough["id"]] = borough["name"]
    table = {"names": dict(sorted(names.items())),
             "districts": {code: [b["id"] for b in boroughs] for code, boroughs in index.items()}}
    data = json.dumps(table, ensure_ascii=True, separators=(",", ":"), sort_keys=False)
    return (f"/* Postcode districts and the boroughs they lie in, made from boroughs.yaml. */\n"
            f"window.liaisonPostcodes={data};\n").encode("utf-8")
