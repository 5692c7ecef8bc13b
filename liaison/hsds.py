"""Open Referral: the directory in the Human Services Data Specification (HSDS) 3.0.

What is exported, as HSDS objects:

- organization: each support organisation, each police force, and (for reporting
  routes that belong to no single force) the directory itself;
- service: each organisation's service, each reporting route, and each liaison
  officer (a service of their force, with the officer as its contact);
- location + address: organisations with an address; service_at_location links them;
- phone: on organisations, services and contacts (the Open Referral UK profile
  leaves phones off services and contacts; a directory of contact routes needs them);
- schedule: opening hours and when a route is available, as text;
- service_area: the boroughs a service covers, or "National";
- taxonomy, taxonomy_term, attribute: the services vocabulary (schema.SERVICES),
  how urgent a reporting route is, and how anonymous;
- assured_date: the record's last_verified.

Both forms are built from one set of flat tables: the tabular form (one CSV per
object and datapackage.json) and the nested JSON form (services with everything
they link to, like the HSDS API's /services/{id}). Every id is a UUIDv5 of the
record's kind and id, so it stays the same from build to build.
"""
from __future__ import annotations

import uuid

import orjson

from . import schema as S
from .export import compact, to_csv, to_json
from .urls import absolute

# Fixed for ever: changing it would change every exported id.
NAMESPACE = uuid.UUID("dc726c16-88e7-48c0-ab34-b5869b572c8f")
HSDS_VERSION = "3.0"
FOLDER = "data/openreferral"
COUNTRY = "GB"

# The columns of each table we fill, in the order of the HSDS 3.0 tabular schema, with
# their Table Schema type and format. Every field HSDS requires is here.
UUID = ("string", "uuid")
TEXT = ("string", None)
TABLES = {
    "organization": ("organizations.csv", {
        "id": UUID, "name": TEXT, "description": TEXT, "email": ("string", "email"),
        "website": ("string", "uri"), "uri": ("string", "uri")}),
    "service": ("services.csv", {
        "id": UUID, "organization_id": UUID, "name": TEXT, "description": TEXT, "url": ("string", "uri"),
        "email": ("string", "email"), "status": TEXT, "application_process": TEXT, "assured_date": ("date", None)}),
    "service_at_location": ("service_at_location.csv", {"id": UUID, "service_id": UUID, "location_id": UUID}),
    "location": ("locations.csv", {"id": UUID, "location_type": TEXT, "organization_id": UUID, "name": TEXT}),
    "phone": ("phones.csv", {
        "id": UUID, "service_id": UUID, "organization_id": UUID, "contact_id": UUID,
        "number": TEXT, "type": TEXT, "description": TEXT}),
    "contact": ("contacts.csv", {
        "id": UUID, "organization_id": UUID, "service_id": UUID, "name": TEXT, "title": TEXT,
        "email": ("string", "email")}),
    "address": ("addresses.csv", {
        "id": UUID, "location_id": UUID, "address_1": TEXT, "city": TEXT, "state_province": TEXT,
        "postal_code": TEXT, "country": TEXT, "address_type": TEXT}),
    "schedule": ("schedules.csv", {"id": UUID, "service_id": UUID, "description": TEXT}),
    "service_area": ("service_areas.csv", {"id": UUID, "service_id": UUID, "name": TEXT, "description": TEXT, "uri": TEXT}),
    "taxonomy_term": ("taxonomy_terms.csv", {
        "id": UUID, "code": TEXT, "name": TEXT, "description": TEXT, "taxonomy": TEXT, "taxonomy_id": UUID,
        "term_uri": ("string", "uri")}),
    "attribute": ("attributes.csv", {
        "id": UUID, "link_id": UUID, "taxonomy_term_id": UUID, "link_type": TEXT, "link_entity": TEXT}),
    "taxonomy": ("taxonomies.csv", {"id": UUID, "name": TEXT, "description": TEXT, "uri": ("string", "uri")}),
}
REQUIRED = {
    "organization": ("id", "name", "description"), "service": ("id", "organization_id", "name", "status"),
    "service_at_location": ("id", "service_id", "location_id"), "location": ("id", "location_type"),
    "phone": ("id", "number"), "contact": ("id",), "schedule": ("id",), "service_area": ("id",),
    "address": ("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
    "taxonomy_term": ("id", "name", "description"), "taxonomy": ("id", "name", "description"),
    "attribute": ("id", "link_id", "taxonomy_term_id", "link_entity"),
}
FOREIGN_KEYS = {  # column: table it points at
    "organization_id": "organization", "service_id": "service", "location_id": "location",
    "contact_id": "contact", "taxonomy_id": "taxonomy", "taxonomy_term_id": "taxonomy_term",
}

TAXONOMIES = {
    "services": ("LGBT+ liaison directory: services",
                 "What support organisations offer, in the directory's own vocabulary.",
                 {code: (label, f"{label}: organisations offering this to LGBT+ people.")
                  for code, label in S.SERVICE_LABELS.items()}),
    "reporting": ("LGBT+ liaison directory: hate crime reporting",
                  "How urgent a way to report a hate crime is, and third-party reporting centres.",
                  {**{code: (S.URGENCY_LABELS[code], description) for code, description in (
                      ("emergency", "For danger now or a crime happening now: call 999."),
                      ("non-emergency", "For reporting something that has already happened."),
                      ("support", "Support after a hate crime, and other ways to report it."))},
                   "third-party-reporting-centre": (
                       "Third-party reporting centre",
                       "An organisation that can take a hate crime report and pass it to the police, with consent.")}),
    "anonymity": ("LGBT+ liaison directory: anonymity",
                  "Whether you must give your name when you use a way to report.",
                  {code: label for code, label in S.ANONYMITY_LABELS.items()}),
}


def uid(*parts):
    """A stable UUID for one record: the same kind and id give the same UUID in every build."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


class Tables:
    """The export as flat HSDS tables: {object name: [row, ...]}, rows in a stable order."""

    def __init__(self, site):
        self.base = site["base_url"]
        self.site = site
        self.rows = {name: [] for name in TABLES}

    def add(self, table, **row):
        row = {k: v for k, v in row.items() if v is not None}
        self.rows[table].append(row)
        return row["id"]

    def page(self, path):
        return absolute(self.base, path) if self.base else None

    def phone(self, phone, kind, description=None, **owner):
        if phone:
            key = "/".join(f"{k}={v}" for k, v in sorted(owner.items()))
            self.add("phone", id=uid("phone", key, kind, phone.tel), number=phone.display, type=kind,
                     description=description, **owner)

    def schedule(self, service_id, text):
        if text:
            self.add("schedule", id=uid("schedule", service_id), service_id=service_id, description=text)

    def areas(self, service_id, boroughs, national=False):
        if national:
            self.add("service_area", id=uid("service_area", service_id, "national"), service_id=service_id,
                     name="National", description="Anywhere in the country.")
        for borough in boroughs:
            districts = ", ".join(borough["postcode_districts"] or ())
            self.add("service_area", id=uid("service_area", service_id, borough["id"]), service_id=service_id,
                     name=borough["name"], description=f"Postcode districts: {districts}." if districts else None,
                     uri=self.page(f"boroughs/{borough['id']}/"))

    def classify(self, service_id, taxonomy, code):
        self.add("attribute", id=uid("attribute", service_id, taxonomy, code), link_id=service_id,
                 taxonomy_term_id=uid("taxonomy_term", taxonomy, code), link_type="classification",
                 link_entity="service")


def add_taxonomies(tables):
    for key, (name, description, terms) in TAXONOMIES.items():
        taxonomy_id = tables.add("taxonomy", id=uid("taxonomy", key), name=name, description=description,
                                 uri=tables.page("open-data/"))
        for code, (label, explanation) in terms.items():
            term_uri = tables.page(f"organisations/#{code}") if key == "services" else None
            tables.add("taxonomy_term", id=uid("taxonomy_term", key, code), code=code, name=label,
                       description=explanation, taxonomy=name, taxonomy_id=taxonomy_id, term_uri=term_uri)


def county(org, address):
    """HSDS requires state_province: the county if given, else the only borough, else the town."""
    if address.get("county"):
        return address["county"]
    boroughs = org["boroughs"]
    return boroughs[0]["name"] if len(boroughs) == 1 else address["town"]


def add_organisations(tables, organisations):
    for org in sorted(organisations, key=lambda o: o["id"]):
        org_id = tables.add("organization", id=uid("organization", org["id"]), name=org["name"],
                            description=org["description"].strip(), email=org["email"], website=org["website"],
                            uri=tables.page(f"organisations/{org['id']}/"))
        service_id = tables.add("service", id=uid("service", org["id"]), organization_id=org_id, name=org["name"],
                                description=org["description"].strip(), url=org["website"], email=org["email"],
                                status="active", assured_date=org["last_verified"].isoformat())
        tables.phone(org["phone"], "voice", organization_id=org_id, service_id=service_id)
        tables.schedule(service_id, org["opening_hours"])
        tables.areas(service_id, org["boroughs"], org["national"])
        for code in org["services"]:
            tables.classify(service_id, "services", code)
        if org["third_party_reporting"]:
            tables.classify(service_id, "reporting", "third-party-reporting-centre")
        address = org["address"]
        if address:
            location_id = tables.add("location", id=uid("location", org["id"]), location_type="physical",
                                     organization_id=org_id, name=org["name"])
            tables.add("address", id=uid("address", org["id"]), location_id=location_id, address_1=address["street"],
                       city=address["town"], state_province=county(org, address),
                       postal_code=address["postcode"],
                       country=COUNTRY, address_type="physical")
            tables.add("service_at_location", id=uid("service_at_location", org["id"]), service_id=service_id,
                       location_id=location_id)


def add_forces(tables, forces):
    for force in forces:
        names = ", ".join(b["name"] for b in force["boroughs"])
        org_id = tables.add("organization", id=uid("organization", "force", force["id"]), name=force["name"],
                            description=f"Police force. Its areas in this directory: {names}." if names else "Police force.",
                            website=force["website"])
        tables.phone(force["non_emergency"], "voice", "Non-emergency number", organization_id=org_id)


def add_officers(tables, officers):
    """Each liaison officer as a service of their force, with the officer as its contact."""
    for officer in sorted(officers, key=lambda o: o["id"]):
        boroughs, full_name = officer["boroughs"], officer["full_name"]
        org_id = uid("organization", "force", officer["force"]["id"])
        areas = ", ".join(b["name"] for b in boroughs)
        service_id = tables.add(
            "service", id=uid("service", "officer", officer["id"]), organization_id=org_id,
            name=f"LGBT+ liaison officer for {areas}: {full_name}",
            description=("LGBT+ liaison officers help people who have faced hate because of who they are or who "
                         f"they love. {full_name} is a {officer['role']} liaison officer for {areas}."),
            url=tables.page(officer["url"]), email=officer["email"], status="active",
            application_process="Contact the officer by phone or email, or call 101 and ask for them. "
                                "Not for emergencies: call 999.",
            assured_date=officer["last_verified"].isoformat())
        contact_id = tables.add("contact", id=uid("contact", officer["id"]), organization_id=org_id, service_id=service_id,
                                name=full_name, title=f"LGBT+ liaison officer ({officer['role']})", email=officer["email"])
        tables.phone(officer["phone"], "voice", service_id=service_id, contact_id=contact_id)
        tables.areas(service_id, boroughs)
        tables.classify(service_id, "services", "hate-crime-support")


def add_routes(tables, routes, forces):
    force_by_id = {force["id"]: force for force in forces}
    directory_id = None
    for route in sorted(routes, key=lambda r: r["id"]):
        forces = list(route["forces"] or ())
        if len(forces) == 1:
            org_id = uid("organization", "force", forces[0])
        else:
            if directory_id is None:
                directory_id = tables.add(
                    "organization", id=uid("organization", "directory"), name=tables.site["title"],
                    description=(f"{tables.site['description']} Ways to report that are not run by one police "
                                 "force are listed under this directory."),
                    website=tables.base or None, uri=tables.base or None)
            org_id = directory_id
        service_id = tables.add("service", id=uid("service", "route", route["id"]), organization_id=org_id,
                                name=route["name"], description=route["when_to_use"], url=route["url"], status="active",
                                application_process=route["how"].strip(), assured_date=route["last_verified"].isoformat())
        tables.phone(route["phone"], "voice", service_id=service_id)
        tables.phone(route["textphone"], "textphone", "Text relay", service_id=service_id)
        tables.phone(route["sms"], "text", service_id=service_id)
        tables.schedule(service_id, route["hours"])
        tables.areas(service_id, [b for f in forces for b in force_by_id[f]["boroughs"]], national=not forces)
        tables.classify(service_id, "reporting", route["urgency"])
        tables.classify(service_id, "anonymity", route["anonymity"])


def build_tables(ctx):
    """The tables, from the resolved context: an officer's force, full name and areas as
    every other output has them."""
    tables = Tables(ctx.site)
    add_taxonomies(tables)
    add_forces(tables, ctx.forces)
    add_organisations(tables, ctx.organisations)
    add_officers(tables, ctx.officers)
    add_routes(tables, ctx.routes, ctx.forces)
    return tables.rows


# --- the nested JSON form ---------------------------------------------------------------

# A record with none of some kind gets this shared empty tuple, written as [] like an empty
# list, which the garbage collector never tracks: empty lists (36,000 at 10,000 officers) made
# it walk the whole build's memory once more in the process making the open data.
NONE = ()


def children(rows, key):
    """The rows that point at each id through key. The rows themselves, not copies: nothing
    changes them once made, and a row nested in two places is written out the same in both."""
    index = {}
    for row in rows:
        if key in row:
            index.setdefault(row[key], []).append(row)
    return index


def encoded(record):
    """record as the compact JSON it will be written as (to_json writes it as it is), made as
    soon as the record is: the nested copies of every service are never all in memory at once,
    for the garbage collector to walk again and again (99,000 objects at 10,000 officers)."""
    return orjson.Fragment(compact(record))


def each(items, make):
    """[make(item) for each item], or NONE for none."""
    return [make(item) for item in items] if items else NONE


def nest(rows):
    """Services with everything they link to, and organisations with theirs, as HSDS objects
    (each already encoded as JSON)."""
    taxonomy_by_id = {t["id"]: t for t in rows["taxonomy"]}
    terms = {t["id"]: {**t, "taxonomy_detail": taxonomy_by_id[t["taxonomy_id"]]} for t in rows["taxonomy_term"]}
    addresses = children(rows["address"], "location_id")
    locations = {loc["id"]: {**loc, "addresses": addresses.get(loc["id"], NONE)} for loc in rows["location"]}
    phones_of = {key: children(rows["phone"], key) for key in ("service_id", "organization_id", "contact_id")}
    contacts = [{**c, "phones": phones_of["contact_id"].get(c["id"], NONE)} for c in rows["contact"]]
    # Indexes, not scans: a national directory has thousands of services and contacts.
    locations_of = children(locations.values(), "organization_id")
    contacts_of = {key: children(contacts, key) for key in ("organization_id", "service_id")}
    organisations = {}
    for org in rows["organization"]:
        organisations[org["id"]] = {
            **org, "phones": phones_of["organization_id"].get(org["id"], NONE),
            "locations": locations_of.get(org["id"], NONE),
            "contacts": contacts_of["organization_id"].get(org["id"], NONE),
        }
    schedules = children(rows["schedule"], "service_id")
    areas = children(rows["service_area"], "service_id")
    attributes = children(rows["attribute"], "link_id")
    at_locations = children(rows["service_at_location"], "service_id")
    services = []
    for service in rows["service"]:
        key = service["id"]
        organisation = {k: v for k, v in organisations[service["organization_id"]].items()
                        if not isinstance(v, (list, tuple))}
        services.append(encoded({
            **service,
            "organization": organisation,
            "phones": phones_of["service_id"].get(key, NONE),
            "schedules": schedules.get(key, NONE),
            "service_areas": areas.get(key, NONE),
            "service_at_locations": each(at_locations.get(key), lambda sal: {**sal, "location": locations[sal["location_id"]]}),
            "contacts": contacts_of["service_id"].get(key, NONE),
            "attributes": each(attributes.get(key), lambda a: {**a, "taxonomy_term": terms[a["taxonomy_term_id"]]}),
        }))
    return {
        "services": services,
        "organizations": [encoded(org) for org in organisations.values()],
        "taxonomies": rows["taxonomy"],
        "taxonomy_terms": list(terms.values()),
    }


def page_of(items):
    """One page holding every item, in the shape of the HSDS API's paginated lists."""
    return {"total_items": len(items), "total_pages": 1, "page_number": 1, "size": len(items),
            "first_page": True, "last_page": True, "empty": not items, "contents": items}


# --- the tabular form -----------------------------------------------------------------

def datapackage(site):
    resources = []
    for table, (path, columns) in TABLES.items():
        fields = []
        for name, (kind, fmt) in columns.items():
            field = {"name": name, "type": kind, "constraints": {"required": name in REQUIRED[table]}}
            if fmt:
                field["format"] = fmt
            fields.append(field)
        foreign = [{"fields": name, "reference": {"resource": FOREIGN_KEYS[name], "fields": "id"}}
                   for name in columns if name in FOREIGN_KEYS]
        schema = {"primaryKey": "id", "fields": fields}
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append({"name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    package = {"name": "lgbt-liaison-directory-hsds", "title": f"{site['title']}: Open Referral (HSDS {HSDS_VERSION})",
               "description": site["description"], "profile": "tabular-data-package", "version": HSDS_VERSION,
               "resources": resources}
    if site["base_url"]:
        package["homepage"] = absolute(site["base_url"], "open-data/")
    return package


def files(ctx):
    """The Open Referral export: an output of the build (outputs.py)."""
    return hsds_files(ctx)


def hsds_files(ctx, between=lambda: None):
    """{path: bytes} for the nested JSON form and the tabular form.

    between() is called between the steps (the preview stops here if a file changed)."""
    rows = build_tables(ctx)
    between()
    files = {}
    for name, items in nest(rows).items():
        between()
        files[f"{FOLDER}/{name}.json"] = to_json(page_of(items))
    between()
    for table, (path, columns) in TABLES.items():
        files[f"{FOLDER}/tabular/{path}"] = to_csv(list(columns), rows[table])
    files[f"{FOLDER}/tabular/datapackage.json"] = to_json(datapackage(ctx.site))
    return files


def describe_openreferral():
    """The Open Referral files, for the open data page."""
    nested = [("services.json", "Every service with its organisation, phones, opening hours, areas, locations, "
                                "contacts and taxonomy terms nested inside it."),
              ("organizations.json", "Every organisation with its phones, locations and contacts."),
              ("taxonomies.json", "The vocabularies services are classified by."),
              ("taxonomy_terms.json", "Each term of those vocabularies.")]
    return {
        "nested": [{"path": f"{FOLDER}/{name}", "name": name, "doc": doc} for name, doc in nested],
        "tabular": [{"path": f"{FOLDER}/tabular/{path}", "name": path, "object": table}
                    for table, (path, _columns) in TABLES.items()],
        "datapackage": f"{FOLDER}/tabular/datapackage.json",
        "taxonomies": [{"id": key, "name": name, "description": description,
                        "terms": [{"code": code, "name": label} for code, (label, _) in terms.items()]}
                       for key, (name, description, terms) in TAXONOMIES.items()],
    }
