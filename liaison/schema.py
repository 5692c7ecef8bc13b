"""The one definition of every data file's fields.

Validation, the context builder (which copies only public fields), the JSON
Schemas editors use (liaison/jsonschemas.py) and the field reference in
docs/data.md all read these definitions, so a field is declared once and
only here.
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
DATETIME = "datetime"
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
POSTCODE = "postcode"  # a full UK postcode, e.g. N1 9DN
POSTCODE_DISTRICT = "postcode-district"  # the first half of a postcode, e.g. HA1
POSTCODE_DISTRICTS = "postcode-districts"
# The kinds that are lists, and the kind of each item.
ITEM_KINDS = {SLUGS: SLUG, TEXTS: TEXT, CHOICES: CHOICE, POSTCODE_DISTRICTS: POSTCODE_DISTRICT}

# Regular expressions for the kinds that have a fixed shape. Validation uses
# them with Python's re; the JSON Schemas publish them for editors (JavaScript
# regular expressions), so they must mean the same in both: no flags, no
# Python-only syntax.
_OUTWARD = r"(?:[A-PR-UWYZa-pr-uwyz][0-9][0-9A-HJKPSTUWa-hjkpstuw]?|[A-PR-UWYZa-pr-uwyz][A-HK-Ya-hk-y][0-9][0-9ABEHMNPRVWXYabehmnprvwxy]?)"
PATTERNS = {
    SLUG: r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    EMAIL: r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$",
    DATE: r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    URL: r"^https?://[^\s/?#]+[^\s]*$",
    PHONE: r"^\+?[0-9][0-9 ()-]*$",
    POSTCODE_DISTRICT: f"^{_OUTWARD}$",
    POSTCODE: f"^{_OUTWARD} ?[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{{2}}$",
    ASSET: r"^(?![/\\])(?!.*(?:^|[/\\])\.\.(?:[/\\]|$))[^:]+$",
}
PRIVATE_FIELDS = "private-fields"

# The largest data file or page read, in bytes, unless site.yaml sets max_file_bytes.
DEFAULT_MAX_FILE_BYTES = 5_000_000

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
URGENCY_LABELS = {"emergency": "Emergency", "non-emergency": "Not an emergency", "support": "Support and other ways to report"}
ANONYMITY_LABELS = {
    "identified": ("You give your name", "The police will ask who you are so they can investigate and keep you informed."),
    "confidential": ("Confidential", "Your details are kept private; you choose what is passed on, and to whom."),
    "anonymous": ("Anonymous", "You do not have to give your name or any details about yourself."),
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    doc: str
    required: bool = False
    default: object = None
    choices: tuple = ()
    private: bool = False  # never published, whatever site.yaml says
    keep_public: bool = False  # the site cannot work without it: site.yaml cannot make it private
    minimum: int | None = None  # for INT: the smallest value allowed
    record: "Record | None" = None  # for RECORDS: the schema of each item

    @property
    def may_be_private(self):
        """Whether site.yaml's private_fields may hold it back: only optional details can be."""
        return not (self.required or self.keep_public)


@dataclass(frozen=True)
class Record:
    """A kind of record: a data file (list of records or one mapping) or a nested list."""

    name: str  # how messages name one record, e.g. "officer"
    fields: tuple
    file: str = ""
    is_list: bool = True
    doc: str = ""
    optional: bool = False  # a data file that may be left out (or left empty)
    attribute: str = ""  # for a list of records: its name in the checked data and the context, e.g. "routes"
    by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @cached_property
    def markdown_fields(self):
        """The names of the fields written in Markdown, which the pages show as HTML."""
        return tuple(f.name for f in self.fields if f.kind == MARKDOWN)

    @cached_property
    def public_fields(self):
        """The fields published unless site.yaml's private_fields says otherwise."""
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
        Field("non_emergency", PHONE, "The force's non-emergency number, usually 101.", default="101", keep_public=True),
        Field("online_report_url", URL, "The force's online form for reporting a hate crime."),
    ),
    doc="A police force whose boroughs are listed.",
    attribute="forces",
)

SITE = Record(
    "site",
    (
        Field("title", TEXT, "The site's name, shown on every page.", required=True),
        Field("description", TEXT, "One sentence describing the site, for search engines and link previews.", required=True),
        Field("language", TEXT, "The language of the pages as a language tag.", default="en-GB"),
        Field("base_url", URL, "The address the site will be published at, e.g. https://example.org/lgbt/. Needed only for sitemap.xml and canonical links; internal links never use it."),
        Field("exit_url", URL, "Where the 'Exit this page' button goes: a neutral site.", default="https://www.bbc.co.uk/weather"),
        Field("neutral_title", TEXT, "A neutral title, e.g. Information, that every page shows in its browser tab, history and "
              "bookmarks instead of its own title, so someone glancing at the screen or the history sees nothing about "
              "LGBT+ or hate crime. Leave it out to give each page its own descriptive title (better for search engines "
              "and screen-reader users)."),
        Field("vcard_mentions_lgbt", BOOL, "true to say 'LGBT+' in the contact cards (.vcf) people save to their phones. "
              "By default the cards say 'Community Liaison Officer', so a contact list seen by someone else does not out "
              "the person who saved it.", default=False),
        Field("review_after_days", INT, "How many days after last_verified a record is due for review.", default=180, minimum=1),
        Field("private_fields", PRIVATE_FIELDS,
              "Fields that are never published, by file, e.g. `officers: [phone, email]`. Only optional "
              "details can be private; officers' notes are always private.",
              private=True),
        Field("max_file_bytes", INT, f"The largest data file or page that is read, in bytes (default {DEFAULT_MAX_FILE_BYTES:,}); "
              "a larger one is refused, so a mistake cannot exhaust the computer building the site.",
              default=DEFAULT_MAX_FILE_BYTES, minimum=1),
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
        Field("postcode_districts", POSTCODE_DISTRICTS, "The postcode districts (outward codes such as HA0, HA1) that lie wholly or partly in it.", default=(), keep_public=True),
        Field("neighbours", SLUGS, "The ids of boroughs that share a boundary with it.", default=(), keep_public=True),
        Field("no_officer", BOOL, "true when it is known that no liaison officer covers it at present: its page then suggests officers in neighbouring boroughs, and the check stops warning about it.", default=False, keep_public=True),
    ),
    file="boroughs.yaml",
    doc="The areas people search by: London boroughs, district councils.",
    attribute="boroughs",
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
    attribute="officers",
)

ADDRESS_RECORD = Record(
    "address",
    (
        Field("street", TEXT, "Building and street.", required=True),
        Field("town", TEXT, "Town or city.", required=True),
        Field("postcode", POSTCODE, "Full postcode, e.g. N1 9DN.", required=True),
        Field("county", TEXT, "County or region, e.g. Hertfordshire or Greater London, for the Open Referral export. Without it, the export gives the borough (if there is only one) or the town."),
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
        Field("boroughs", SLUGS, "The ids of the boroughs it serves. Leave out when national is true.", default=(), keep_public=True),
        Field("national", BOOL, "true when it serves everyone, wherever they live.", default=False, keep_public=True),
        Field("third_party_reporting", BOOL, "true when it is a third-party hate crime reporting centre.", default=False, keep_public=True),
        Field("phone", PHONE, "Public phone number."),
        Field("email", EMAIL, "Public email address."),
        Field("website", URL, "Website (https)."),
        Field("address", ADDRESS, "Where to find it: street, town and postcode.", record=ADDRESS_RECORD),
        Field("opening_hours", TEXT, "When it is open, in words, e.g. Monday to Friday, 10:00 to 17:00."),
        _last_verified(),
    ),
    file="organisations.yaml",
    doc="Support organisations and third-party reporting centres.",
    attribute="organisations",
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
        Field("forces", SLUGS, "Ids of the forces it applies to. Leave out for routes that work everywhere.", default=(), keep_public=True),
        _last_verified(),
    ),
    file="reporting.yaml",
    doc="The ways to report a hate crime or get help after one.",
    attribute="routes",
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
    attribute="pages",
)

EVENT = Record(
    "event",
    (
        _id("event"),
        Field("title", TEXT, "What the event is, e.g. Drop-in surgery at the library.", required=True),
        Field("start", DATETIME, "When it starts: date and time, e.g. 2026-12-05 14:00 (UK time).", required=True),
        Field("end", DATETIME, "When it ends: date and time, e.g. 2026-12-05 16:00 (UK time).", required=True),
        Field("borough", SLUG, "The id of the borough it takes place in.", required=True),
        Field("venue", TEXT, "The venue's name, e.g. Central Library.", required=True),
        Field("address", ADDRESS, "The venue's street, town and postcode.", record=ADDRESS_RECORD),
        Field("description", MARKDOWN, "What happens there and who it is for (Markdown)."),
        Field("officers", SLUGS, "The ids of the officers who will be there.", default=()),
        Field("accessibility", TEXT, "Step-free access, hearing loops, quiet spaces, toilets and so on."),
    ),
    file="events.yaml",
    doc="Engagement events: stalls at venues, talks, surgeries. Optional: leave the file out if there are none.",
    optional=True,
    attribute="events",
)

DATA_FILES = (SITE, BOROUGH, OFFICER, ORGANISATION, ROUTE, EVENT)

# The lists of records every page can use, by their names in the checked data and the context.
RECORD_SETS = (FORCE, BOROUGH, OFFICER, ORGANISATION, ROUTE, EVENT)

# The kinds of record site.yaml's private_fields can name, by the name written there.
PRIVATE_FIELD_RECORDS = {
    "boroughs": BOROUGH,
    "forces": FORCE,
    "officers": OFFICER,
    "organisations": ORGANISATION,
    "reporting": ROUTE,
}
