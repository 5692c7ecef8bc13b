"""axe-core finds no WCAG 2.2 AA problem on any kind of page, at phone and desktop width."""
import pytest

from .pages import DESKTOP, PAGE_KINDS, PHONE

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(axe, page):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return results.violations_count, results.generate_report()


@pytest.fixture(scope="module", params=[PHONE, DESKTOP], ids=["375px", "1280px"])
def tab(request, browser):
    context = browser.new_context(viewport=request.param)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind, path", PAGE_KINDS, ids=[k for k, _ in PAGE_KINDS])
def test_no_wcag_violations(axe, tab, site_url, kind, path):
    tab.goto(site_url + path)
    count, report = violations(axe, tab)
    width = tab.viewport_size["width"]
    assert count == 0, f"{kind} ({path}) at {width}px:\n{report}"
    page_width = tab.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"{kind} scrolls sideways at {width}px: it is {page_width}px wide"


def test_postcode_answers_are_accessible(axe, visit, site_url):
    page = visit.page
    page.goto(site_url)
    for postcode in ["", "not a postcode", "NW2", "ZZ9 9ZZ"]:  # empty, invalid, a choice, not found
        page.fill("#postcode", postcode)
        page.press("#postcode", "Enter")
        page.wait_for_selector("#postcode-result > *")
        results = axe.run(page, context="form[data-postcode-form]",
                          options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        assert results.violations_count == 0, f"after {postcode!r}:\n{results.generate_report()}"
