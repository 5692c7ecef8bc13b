"""security.py: a Content-Security-Policy that allows only the site itself, in every page and in _headers."""
from __future__ import annotations

from conftest import TODAY
from liaison import security
from liaison.context import build_context
from liaison.load import load
from liaison.render import pages
from liaison.security import HEADER_CSP, META_CSP
from liaison.validate import validate

HEADERS = b"""\
# Response headers for Netlify and Cloudflare Pages, written by the generator.
# Other hosts ignore this file; every page also carries the policy in a <meta> tag.
/*
  Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=()
  X-Frame-Options: DENY

# Contact cards, so phones offer to add them to the address book.
/contacts/*
  Content-Type: text/vcard; charset=utf-8
"""


def context_of(root, base_url=None):
    data, problems = validate(load(root), TODAY)
    assert problems == []
    return build_context(data, base_url, TODAY, root)


def test_the_meta_policy_allows_scripts_styles_and_images_from_the_site_alone():
    assert META_CSP == ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                        "object-src 'none'; base-uri 'none'; form-action 'self'")


def test_the_header_policy_adds_what_a_meta_tag_cannot_carry():
    assert HEADER_CSP == META_CSP + "; frame-ancestors 'none'"
    assert "frame-ancestors" not in META_CSP  # browsers ignore it in a <meta> tag


def test_files_are_the_headers_file_whatever_the_base_url(make_project):
    root = make_project()
    assert security.files(context_of(root)) == {"_headers": HEADERS}
    assert security.files(context_of(root, "https://example.org/lgbt-liaison/")) == {"_headers": HEADERS}


def test_every_page_and_poster_carries_the_meta_policy(make_project):
    root = make_project()
    made = {path: html for path, html in pages(context_of(root)).items() if path.endswith(".html")}
    assert "posters/northtown/index.html" in made and "404.html" in made
    tag = f'<meta http-equiv="Content-Security-Policy" content="{META_CSP}">'.encode()
    assert [path for path, html in made.items() if tag not in html] == []
