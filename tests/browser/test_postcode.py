"""Find by postcode, with the keyboard only, with and without JavaScript."""
import re

import pytest

HARROW = re.compile(r".*/lgbt-liaison/boroughs/harrow/$")


def tab_to(page, selector, limit=40):
    """Press Tab until the element matching selector has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


def type_like_a_person(page, text):
    """Capital letters with Shift held, as on a real keyboard: this must not trigger Exit this page."""
    for char in text:
        page.keyboard.press(f"Shift+Key{char}" if char.isupper() else char)


def test_keyboard_only_postcode_to_borough_page(visit, site_url):
    page = visit.page
    page.goto(site_url)
    tab_to(page, "#postcode")
    type_like_a_person(page, "HA1 2AB")
    page.keyboard.press("Enter")
    page.wait_for_url(HARROW)
    assert page.locator("h1").inner_text() == "LGBT+ liaison officers in Harrow"
    assert visit.outside_requests == []


@pytest.mark.parametrize("typed, borough", [
    ("ha1 2ab", "harrow"), ("HA12AB", "harrow"), ("ha1", "harrow"), (" Ec1a 1bb ", "city-of-london"),
    ("sw1a1aa", "westminster"), ("al1", "st-albans"),
])
def test_any_case_and_spacing(visit, site_url, typed, borough):
    page = visit.page
    page.goto(site_url)
    page.fill("#postcode", typed)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/lgbt-liaison/boroughs/{borough}/")


def test_works_from_a_borough_page_too(visit, site_url):
    page = visit.page
    page.goto(site_url + "boroughs/bexley/")
    page.fill("#postcode", "ha1")
    page.press("#postcode", "Enter")
    page.wait_for_url(HARROW)


def test_a_district_across_a_boundary_offers_a_choice(visit, site_url):
    page = visit.page
    page.goto(site_url)
    tab_to(page, "#postcode")
    page.keyboard.type("nw2 6aa")
    page.keyboard.press("Enter")
    result = page.locator("#postcode-result")
    result.get_by_text("NW2 covers more than one area").wait_for()
    assert result.locator(".postcode-result__choices a").all_inner_texts() == ["Barnet", "Brent"]
    assert page.url == site_url  # nothing chosen for the user
    page.keyboard.press("Tab")  # the Find button
    page.keyboard.press("Tab")  # the first choice
    assert page.evaluate("document.activeElement.textContent") == "Barnet"
    page.keyboard.press("Enter")
    page.wait_for_url("**/lgbt-liaison/boroughs/barnet/")


def test_a_london_district_without_its_letter_offers_every_borough_it_could_be(visit, site_url):
    page = visit.page
    page.goto(site_url)
    page.fill("#postcode", "EC1")
    page.press("#postcode", "Enter")
    names = page.locator(".postcode-result__choices a").all_inner_texts()
    assert {"Camden", "City of London", "Islington"} <= set(names)


@pytest.mark.parametrize("typed, message", [
    ("", "Enter a postcode"),
    ("hello", "Enter a real postcode"),
    ("ZZ9 9ZZ", "We could not find ZZ9"),
])
def test_unknown_or_invalid_postcodes_get_help(visit, site_url, typed, message):
    page = visit.page
    page.goto(site_url)
    page.fill("#postcode", typed)
    page.press("#postcode", "Enter")
    result = page.locator("#postcode-result")
    result.get_by_text(message).wait_for()
    assert result.get_by_role("link", name="Choose from the A to Z of boroughs and districts").is_visible()
    assert result.get_by_role("link", name="101").get_attribute("href") == "tel:101"
    assert page.url == site_url
    invalid = page.get_attribute("#postcode", "aria-invalid")
    assert (invalid == "true") == (typed != "ZZ9 9ZZ")


def test_without_javascript_the_form_leads_to_every_district(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    page.fill("#postcode", "HA1 2AB")
    page.press("#postcode", "Enter")
    page.wait_for_url("**/lgbt-liaison/postcodes/?")  # the postcode itself is sent to no one
    row = page.locator(".district-list li", has_text="HA1 ").first
    assert row.locator("a").all_inner_texts() == ["Harrow"]
    row = page.locator(".district-list li", has_text="NW2 ").first
    assert row.locator("a").all_inner_texts() == ["Barnet", "Brent"]
    assert page.get_by_role("link", name="A to Z of boroughs and districts").count() == 1
    assert page.locator("main a[href='tel:101']").count() >= 1
    context.close()
