"""sitemap.py: robots.txt always, and sitemap.xml listing the site's pages when its full address is known."""
from __future__ import annotations

from conftest import TODAY
from liaison import sitemap
from liaison.context import build_context
from liaison.load import load
from liaison.validate import validate

BASE = "https://example.org/lgbt-liaison/"
# Every page of the fixture project but 404.html and the posters, as tests/golden/site/sitemap.xml holds it.
PAGES = ["", "report/", "organisations/", "boroughs/northtown/", "boroughs/southtown/", "officers/alex-example/",
         "organisations/helpline-example/", "organisations/local-centre/", "about/", "events/", "posters/",
         "open-data/", "postcodes/"]


def context_of(root, base_url=None):
    data, problems = validate(load(root), TODAY)
    assert problems == []
    return build_context(data, base_url, TODAY, root)


def test_with_a_base_url_the_sitemap_lists_every_page_and_robots_txt_points_at_it(make_project):
    urls = "".join(f"<url><loc>{BASE}{page}</loc></url>\n" for page in PAGES)
    assert sitemap.files(context_of(make_project(), BASE)) == {
        "robots.txt": b"User-agent: *\nAllow: /\nSitemap: https://example.org/lgbt-liaison/sitemap.xml\n",
        "sitemap.xml": ('<?xml version="1.0" encoding="UTF-8"?>\n'
                        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                        f"{urls}</urlset>\n").encode("utf-8"),
    }


def test_without_a_base_url_there_is_no_sitemap_and_robots_txt_allows_everything(make_project):
    assert sitemap.files(context_of(make_project())) == {"robots.txt": b"User-agent: *\nAllow: /\n"}


def test_an_ampersand_in_the_address_is_escaped_in_the_xml_only(make_project):
    made = sitemap.files(context_of(make_project(), "https://example.org/?site=a&b/"))
    assert b"<url><loc>https://example.org/?site=a&amp;b/about/</loc></url>\n" in made["sitemap.xml"]
    assert made["robots.txt"].endswith(b"\nSitemap: https://example.org/?site=a&b/sitemap.xml\n")
