"""No page breaks its Content-Security-Policy, logs an error, or asks any other site for anything."""
import json

import pytest

from .pages import PAGE_KINDS


@pytest.mark.parametrize("kind, path", PAGE_KINDS, ids=[k for k, _ in PAGE_KINDS])
def test_pages_keep_to_their_policy_and_to_this_site(visit, site_url, kind, path):
    page = visit.page
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    assert visit.csp_violations() == []
    assert visit.console_errors == []
    assert visit.outside_requests == []
    # The policy is really there, and the stylesheet and script it allows really ran.
    assert page.locator("meta[http-equiv=Content-Security-Policy]").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('.exit-this-page__button')).backgroundColor") == "rgb(163, 17, 29)"
    assert page.locator(".exit-this-page [role=status]").count() == 1


def test_the_policy_blocks_inline_script(visit, site_url):
    page = visit.page
    page.goto(site_url)
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.injected = true'; document.head.appendChild(s); }""")
    assert page.evaluate("window.injected === undefined")
    assert any("script-src" in v for v in visit.csp_violations())


@pytest.mark.parametrize("path, types", [
    ("officers/daniel-okafor/", {"Person", "GovernmentOrganization"}),
    ("boroughs/harrow/", {"Person", "GovernmentOrganization"}),
    ("boroughs/bexley/", {"Person", "GovernmentOrganization"}),
])
def test_structured_data_is_read_but_never_run(visit, site_url, path, types):
    page = visit.page
    page.goto(site_url + path)
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert {item["@type"] for item in data["@graph"]} == types
    assert visit.csp_violations() == []


def test_saving_a_contact_downloads_a_vcard(visit, site_url):
    page = visit.page
    page.goto(site_url + "officers/daniel-okafor/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Save to your phone’s contacts").click()
    card = open(download.value.path(), "rb").read()
    assert card.startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert download.value.suggested_filename == "daniel-okafor.vcf"
    assert b"LGBT" not in card
