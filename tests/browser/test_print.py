"""A borough page prints as a clean one-page contact sheet."""
import re

import pytest

from support import html_pages


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def fullest_boroughs(site, count=2):
    """The borough pages with the most officers and the most text: the hardest to fit on a page."""
    pages = [p for p in html_pages(site) if p.parent.parent.name == "boroughs"]
    by_officers = max(pages, key=lambda p: (p.read_text().count('class="card officer-card"'), p.stat().st_size))
    by_size = sorted(pages, key=lambda p: p.stat().st_size, reverse=True)[:count - 1]
    return sorted({by_officers, *by_size})


@pytest.fixture(scope="module")
def printed(browser, sample_site, site_url):
    context = browser.new_context()
    page = context.new_page()
    sheets = {}
    for borough in fullest_boroughs(sample_site) + [sample_site / "boroughs" / "harrow" / "index.html"]:
        path = borough.parent.relative_to(sample_site).as_posix() + "/"
        page.goto(site_url + path)
        page.emulate_media(media="print")
        sheets[path] = {
            "pdf": page.pdf(format="A4"),
            "hidden": page.evaluate("""['.exit-this-page', '.postcode-form', '.site-footer', '.breadcrumbs']
                .map(s => document.querySelector(s)).filter(e => e && getComputedStyle(e).display !== 'none')
                .map(e => e.className)"""),
            "shown": page.evaluate("""[...document.querySelectorAll('.officer-card, .emergency-banner, .route-summary')]
                .filter(e => getComputedStyle(e).display !== 'none').length"""),
        }
        page.emulate_media(media="screen")
    context.close()
    return sheets


def test_a_borough_page_prints_on_one_page(printed):
    for path, sheet in printed.items():
        assert pdf_pages(sheet["pdf"]) == 1, f"{path} prints on {pdf_pages(sheet['pdf'])} pages"


def test_the_printout_keeps_contacts_and_drops_controls(printed):
    for path, sheet in printed.items():
        assert sheet["hidden"] == [], f"{path} prints {sheet['hidden']}"
        assert sheet["shown"] >= 3
