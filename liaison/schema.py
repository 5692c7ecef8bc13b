"""The one definition of every data file's fields.

Validation, the context builder (which copies only public fields) and the
field reference in docs/data.md all read these definitions, so a field is
declared once and only here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

# Kinds of value a field may hold; validate.py has one checker per kind.
TEXT = "text"
MARKDOWN = "markdown"
SLUG = "slug"
SLUGS = "slugs"
TEXTS = "texts"
DATE = "date"
BOOL = "bool"
INT = "int"
URL = "url"
EMAIL = "email"
PHONE = "phone"
CHOICE = "choice"
CHOICES = "choices"
ADDRESS = "address"
RECORDS = "records"
ASSET = "asset"

SERVICES = (
    "helpline",
    "advocacy",
    "counselling",
    "domestic-abuse",
    "hate-crime-support",
    "sexual-violence",
    "youth",
    "trans-support",
    "social-group",
    "legal-advice",
    "housing",
    "health",
)
SERVICE_LABELS = {
    "helpline": "Helplines",
    "advocacy": "Advocacy",
    "counselling": "Counselling",
    "domestic-abuse": "Domestic abuse",
    "hate-crime-support": "Hate crime support",
    "sexual-violence": "Sexual violence",
    "youth": "Young people",
    "trans-support": "Trans and non-binary support",
    "social-group": "Social groups",
    "legal-advice": "Legal advice",
    "housing": "Housing",
    "health": "Health",
}
ROLES = ("full-time", "volunteer")
URGENCIES = ("emergency", "non-emergency", "support")
ANONYMITY = ("identified", "confidential", "anonymous")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    doc: str
    required: bool = False
    default: object = None
    choices: tuple = ()
    private: bool = False
    record: "Record | None" = None  # for RECORDS: the schema of each item


@dataclass(frozen=True)
class Record:
    """A kind of record: a data file (list of records or one mapping) or a nested list."""

    name: str  # how messages name one record, e.g. "officer"
    fields: tuple
    file: str = ""
    is_list: bool = True
    doc: str = ""
    by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @cached_property
    def public_fields(self):
        return tuple(f for f in self.fields if not f.private)


def _last_verified():
    return Field("last_verified", DATE, "The date someone last checked these details were right, e.g. 2026-11-02.", required=True)


def _id(what):
    return Field("id", SLUG, f"A short unique name for the {what}, used in its web address: lowercase letters, digits and hyphens.", required=True)


FORCE = Record(
    "force",
    (
        _id("police force"),
        Field("name", TEXT, "The force's full name.", required=True),
        Field("website", URL, "The force's website (https).", required=True),
        Field("non_emergency", PHONE, "The force's non-emergency number, usually 101.", default="101"),
        Field("online_report_url", URL, "The force's online form for reporting a hate crime."),
    ),
    doc="A police force whose boroughs are listed.",
)

SITE = Record(
    "site",
    (
        Field("title", TEXT, "The site's name, shown on every page.", required=True),
        Field("description", TEXT, "One sentence describing the site, for search engines and link previews.", required=True),
        Field("language", TEXT, "The language of the pages as a language tag.", default="en-GB"),
        Field("base_url", URL, "The address the site will be published at, e.g. https://example.org/lgbt/. Needed only for sitemap.xml and canonical links; internal links never use it."),
        Field("exit_url", URL, "Where the 'Exit this page' button goes: a neutral site.", default="https://www.bbc.co.uk/weather"),
        Field("review_after_days", INT, "How many days after last_verified a record is due for review.", default=180),
        Field("forces", RECORDS, "The police forces whose boroughs are listed.", required=True, record=FORCE),
    ),
    file="site.yaml",
    is_list=False,
    doc="Settings for the whole site, and the police forces it covers.",
)

BOROUGH = Record(
    "borough",
    (
        _id("borough"),
        Field("name", TEXT, "The borough's or district's name.", required=True),
        Field("force", SLUG, "The id of the police force that covers it (from site.yaml).", required=True),
        Field("postcode_districts", TEXTS, "The postcode districts (outward codes such as HA0, HA1) that lie wholly or partly in it.", default=()),
        Field("neighbours", SLUGS, "The ids of boroughs that share a boundary with it.", default=()),
    ),
    file="boroughs.yaml",
    doc="The areas people search by: London boroughs, district councils.",
)

OFFICER = Record(
    "officer",
    (
        _id("officer"),
        Field("name", TEXT, "The officer's name as it should be shown.", required=True),
        Field("rank", TEXT, "Rank or title, e.g. PC, Sergeant, PCSO."),
        Field("pronouns", TEXT, "e.g. she/her, he/him, they/them."),
        Field("role", CHOICE, "Whether liaison is their full-time job or a volunteer role beside other duties.", required=True, choices=ROLES),
        Field("boroughs", SLUGS, "The ids of the boroughs they cover.", required=True),
        Field("email", EMAIL, "A work email address."),
        Field("phone", PHONE, "A work phone number."),
        Field("languages", TEXTS, "Languages they can speak with the public.", default=()),
        Field("photo", ASSET, "A photo, as a path under assets/, e.g. photos/alex-morgan.jpg."),
        Field("photo_alt", TEXT, "A short description of the photo for people who cannot see it."),
        Field("bio", MARKDOWN, "A few sentences about them (Markdown)."),
        _last_verified(),
        Field("notes", TEXT, "Private notes for the people who keep the directory. Never published.", private=True),
    ),
    file="officers.yaml",
    doc="The LGBT+ liaison officers.",
)

ADDRESS_RECORD = Record(
    "address",
    (
        Field("street", TEXT, "Building and street.", required=True),
        Field("town", TEXT, "Town or city.", required=True),
        Field("postcode", TEXT, "Full postcode.", required=True),
    ),
    is_list=False,
)

ORGANISATION = Record(
    "organisation",
    (
        _id("organisation"),
        Field("name", TEXT, "The organisation's name.", required=True),
        Field("description", MARKDOWN, "What it does, in a sentence or three (Markdown).", required=True),
        Field("services", CHOICES, "What it offers, from the list of services below.", required=True, choices=SERVICES),
        Field("boroughs", SLUGS, "The ids of the boroughs it serves. Leave out when national is true.", default=()),
        Field("national", BOOL, "true when it serves everyone, wherever they live.", default=False),
        Field("third_party_reporting", BOOL, "true when it is a third-party hate crime reporting centre.", default=False),
        Field("phone", PHONE, "Public phone number."),
        Field("email", EMAIL, "Public email address."),
        Field("website", URL, "Website (https)."),
        Field("address", ADDRESS, "Where to find it: street, town and postcode.", record=ADDRESS_RECORD),
        Field("opening_hours", TEXT, "When it is open, in words, e.g. Monday to Friday, 10:00 to 17:00."),
        _last_verified(),
    ),
    file="organisations.yaml",
    doc="Support organisations and third-party reporting centres.",
)

ROUTE = Record(
    "reporting route",
    (
        _id("reporting route"),
        Field("name", TEXT, "The route's name, e.g. Call 999.", required=True),
        Field("urgency", CHOICE, "emergency, non-emergency or support: the page lists routes in that order.", required=True, choices=URGENCIES),
        Field("when_to_use", TEXT, "One sentence: when this is the right route.", required=True),
        Field("how", MARKDOWN, "How to use it (Markdown).", required=True),
        Field("phone", PHONE, "Phone number."),
        Field("textphone", PHONE, "Textphone or text relay number, e.g. 18000 or 18001 101."),
        Field("sms", PHONE, "Number to text."),
        Field("url", URL, "Web address (https)."),
        Field("anonymity", CHOICE, "identified (you give your name), confidential (your details are protected) or anonymous (you need not give your name).", required=True, choices=ANONYMITY),
        Field("hours", TEXT, "When it is available, e.g. 24 hours a day, every day.", required=True),
        Field("forces", SLUGS, "Ids of the forces it applies to. Leave out for routes that work everywhere.", default=()),
        _last_verified(),
    ),
    file="reporting.yaml",
    doc="The ways to report a hate crime or get help after one.",
)

PAGE = Record(
    "page",
    (
        Field("title", TEXT, "The page's title and main heading.", required=True),
        Field("description", TEXT, "One sentence describing the page, for search engines and link previews.", required=True),
        Field("nav_order", INT, "Position in the footer navigation: lower numbers come first.", default=100),
    ),
    file="content/*.md",
    is_list=False,
    doc="Pages written in Markdown, with these fields in front matter between --- lines.",
)

DATA_FILES = (SITE, BOROUGH, OFFICER, ORGANISATION, ROUTE)
