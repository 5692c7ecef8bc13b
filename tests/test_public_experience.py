"""What the public gets: postcode lookup table, contact cards, structured data,
security headers, the exit button and a neutral title, checked in the built files."""
import json
import re

import pytest

from conftest import MINIMAL, TODAY
from liaison.pipeline import build, check
from liaison.structured import to_script_json

EXIT_URL = "https://www.bbc.co.uk/weather"


@pytest.fixture
def built(make_project, tmp_path):
    """built(files) -> the output folder of the minimal project with some files replaced."""
    def make(files=None):
        root = make_project(files)
        out = tmp_path / "site"
        build(root, out, today=TODAY)
        return out
    return make


def text(path):
    return path.read_bytes().decode("utf-8")  # keeping the CRLF line ends


def pages_of(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def site_with(extra):
    return MINIMAL["site.yaml"].rstrip(" ") + "".join(f"        {line}\n" for line in extra.splitlines())


# --- Find by postcode -------------------------------------------------------------------

def test_the_lookup_table_is_a_script_of_the_site(built):
    site = built()
    script = (site / "postcodes" / "districts.js").read_text()
    table = json.loads(re.fullmatch(r"(?s)/\*.*?\*/\nwindow\.liaisonPostcodes=(.*);\n", script).group(1))
    assert table == {"names": {"northtown": "Northtown", "southtown": "Southtown"},
                     "districts": {"NT1": ["northtown"], "NT2": ["northtown"], "ST1": ["southtown"]}}


def test_a_postcode_box_on_the_home_page_and_every_borough_page(built):
    pages = pages_of(built())
    for path in ["index.html", "boroughs/northtown/index.html", "boroughs/southtown/index.html", "postcodes/index.html"]:
        html = pages[path]
        depth = path.count("/")
        assert f'action="{"../" * depth}postcodes/"' in html, path
        assert f'<script src="{"../" * depth}postcodes/districts.js" defer></script>' in html, path
        # No name on the input: without JavaScript the postcode is sent to no one.
        assert re.search(r'<input class="postcode-form__input" id="postcode" type="text"', html)
        assert " name=" not in re.search(r"<input[^>]*>", html).group(0)


def test_the_districts_page_lists_every_district_with_its_boroughs(built):
    html = pages_of(built())["postcodes/index.html"]
    assert '<span class="district-list__code">NT1</span> <a href="../boroughs/northtown/">Northtown</a>' in html
    assert '<span class="district-list__code">ST1</span> <a href="../boroughs/southtown/">Southtown</a>' in html
    assert 'href="../#a-to-z"' in html and 'href="tel:101"' in html


# --- Contact cards ------------------------------------------------------------------------

def test_an_officer_card(built):
    card = (built() / "contacts" / "officers" / "alex-example.vcf").read_bytes()
    assert card == (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\n"
        b"N:Example;Alex;;PC;\r\n"
        b"FN:PC Alex Example\r\n"
        b"ORG:Test Police\r\n"
        b"TITLE:Community Liaison Officer\r\n"
        b"EMAIL;TYPE=INTERNET,WORK:alex.example@example.org\r\n"
        b"TEL;TYPE=WORK,VOICE:+442079460001\r\n"
        b"NOTE:Not for emergencies: call 999. Covers Northtown.\r\n"
        b"END:VCARD\r\n")


def test_cards_mention_lgbt_only_when_site_yaml_says_so(built, tmp_path):
    default = built()
    for card in (default / "contacts").rglob("*.vcf"):
        assert b"LGBT" not in card.read_bytes(), card
    opted_in = built({"site.yaml": site_with("vcard_mentions_lgbt: true\nbase_url: https://example.org/lgbt/")})
    card = text(opted_in / "contacts" / "officers" / "alex-example.vcf")
    assert "TITLE:LGBT+ Liaison Officer\r\n" in card
    assert "URL:https://example.org/lgbt/officers/alex-example/\r\n" in card


def test_a_volunteer_without_phone_or_email_is_reached_through_101(built):
    officers = MINIMAL["officers.yaml"].rstrip(" ") + """\
        - id: sam-volunteer
          name: Sam Volunteer
          role: volunteer
          boroughs: [southtown]
          last_verified: 2026-11-01
        """
    card = text(built({"officers.yaml": officers}) / "contacts" / "officers" / "sam-volunteer.vcf")
    assert "TITLE:Volunteer Community Liaison Officer\r\n" in card
    assert "TEL;TYPE=WORK,VOICE:101\r\n" in card
    unfolded = card.replace("\r\n ", "")
    assert ("NOTE:Call 101 and ask to leave a message for Sam Volunteer\\, liaison officer. Not for emergencies: "
            "call 999. Sam Volunteer volunteers in this role beside other duties\\, so a reply may take a few days. "
            "Covers Southtown.\r\n") in unfolded


def test_a_borough_card_holds_its_officers_or_the_force_and_the_officers_next_door(built):
    site = built()
    assert (site / "contacts/boroughs/northtown.vcf").read_bytes() == (site / "contacts/officers/alex-example.vcf").read_bytes()
    southtown = text(site / "contacts/boroughs/southtown.vcf")
    assert southtown.count("BEGIN:VCARD") == 2
    assert "FN:Test Police\r\n" in southtown and "FN:PC Alex Example\r\n" in southtown


def test_pages_offer_the_cards(built):
    pages = pages_of(built())
    assert 'href="../../contacts/officers/alex-example.vcf" type="text/vcard" download' in pages["officers/alex-example/index.html"]
    assert 'href="../../contacts/boroughs/northtown.vcf" type="text/vcard" download' in pages["boroughs/northtown/index.html"]


def test_every_contact_says_what_it_is_not_for(built):
    pages = pages_of(built())
    for path in ["officers/alex-example/index.html", "boroughs/northtown/index.html",
                 "organisations/local-centre/index.html", "organisations/helpline-example/index.html"]:
        assert "Not for emergencies: call <a href=\"tel:999\">999</a>." in pages[path], path


# --- Structured data ----------------------------------------------------------------------

def test_json_ld_cannot_close_its_script_element():
    assert to_script_json({"name": "</script><b>&"}) == '{"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'


def test_an_officer_is_a_person_working_for_a_government_organisation(built):
    html = pages_of(built())["officers/alex-example/index.html"]
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    force, person = data["@graph"]
    assert force == {"@type": "GovernmentOrganization", "@id": "https://police.example.org", "name": "Test Police",
                     "url": "https://police.example.org", "telephone": "101"}
    assert person["@type"] == "Person" and person["jobTitle"] == "LGBT+ Liaison Officer"
    assert person["worksFor"] == {"@id": "https://police.example.org"}
    assert person["contactPoint"] == {"@type": "ContactPoint", "contactType": "LGBT+ liaison", "areaServed": ["Northtown"],
                                      "telephone": "+442079460001", "email": "alex.example@example.org",
                                      "availableLanguage": ["English", "Welsh"]}


# --- Security headers, exit button, neutral title -----------------------------------------

def test_every_page_carries_the_policy_and_nothing_inline(built):
    pages = pages_of(built())
    policy = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "object-src 'none'; base-uri 'none'; form-action 'self'")
    for path, html in pages.items():
        assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in html, path
        assert " style=" not in html and "<style" not in html, path
        for script in re.findall(r"<script[^>]*>", html):
            assert " src=" in script or 'type="application/ld+json"' in script, (path, script)
        assert not re.search(r" on[a-z]+=", html), path


def test_the_headers_file_for_netlify_and_cloudflare(built):
    headers = (built() / "_headers").read_text()
    assert "/*\n  Content-Security-Policy: default-src 'self';" in headers
    assert "form-action 'self'; frame-ancestors 'none'\n" in headers
    for line in ["  X-Content-Type-Options: nosniff", "  Referrer-Policy: no-referrer",
                 "/contacts/*\n  Content-Type: text/vcard; charset=utf-8"]:
        assert line in headers
    assert "Permissions-Policy: camera=()" in headers


def test_every_page_has_the_exit_button(built):
    for path, html in pages_of(built()).items():
        assert (f'<a href="{EXIT_URL}" class="exit-this-page__button" rel="nofollow noreferrer">'
                '<span class="visually-hidden">Emergency</span> Exit this page</a>') in html, path
        assert "assets/js/site.js\" defer></script>" in html


def test_a_neutral_title_on_every_page(built):
    pages = pages_of(built({"site.yaml": site_with('neutral_title: "Information"')}))
    assert {re.search(r"<title>(.*?)</title>", html).group(1) for html in pages.values()} == {"Information"}


def test_without_a_neutral_title_pages_have_their_own(built):
    pages = pages_of(built())
    assert re.search(r"<title>(.*?)</title>", pages["boroughs/northtown/index.html"]).group(1) == \
        "LGBT+ liaison officers in Northtown – Test Directory"


def test_contacts_is_an_address_the_site_uses(make_project):
    root = make_project({"content/contacts.md": "---\ntitle: C\ndescription: D\n---\nBody\n"})
    _, problems = check(root)
    assert [str(p) for p in problems] == [
        "content/contacts.md:1:1: 'contacts' cannot be a page address (that address is used by the site itself)"]


def test_the_preview_server_loads_its_reload_script_as_a_file():
    from liaison.serve import inject

    page = inject(b"<html><head></head><body></body>", 8000, [])
    tag = b'<script src="/livereload.js?port=8000"></script>'
    assert page == b"<html><head>" + tag + b"</head><body></body>"  # no inline script: the CSP forbids it
