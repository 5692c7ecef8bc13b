"""Exit this page: the button and Shift pressed three times, after the GOV.UK pattern."""
EXIT_URL = "https://www.bbc.co.uk/weather"


def status_text(page):
    return page.locator(".exit-this-page [role=status]").text_content()


def record_state_when_leaving(page, messages):
    """Log, as the page starts to unload, whether it was blanked first."""
    page.on("console", lambda message: messages.append(message.text))
    page.evaluate("""window.addEventListener('beforeunload', function () {
      console.log(JSON.stringify({
        blanked: document.body.classList.contains('exit-this-page-hide-content'),
        main: getComputedStyle(document.querySelector('main')).display,
        overlay: document.querySelector('.exit-this-page-overlay').textContent}));
    });""")


def test_shift_three_times_blanks_the_page_then_leaves(visit, site_url):
    page = visit.page
    page.goto(site_url + "boroughs/harrow/")
    history_length = page.evaluate("history.length")
    messages = []
    record_state_when_leaving(page, messages)
    page.keyboard.press("Shift")
    assert status_text(page) == "Shift, press 2 more times to exit."
    assert page.locator(".exit-this-page__light.is-on").count() == 1
    page.keyboard.press("Shift")
    assert status_text(page) == "Shift, press 1 more time to exit."
    page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    assert visit.outside_requests == [EXIT_URL]
    # The page was blank, and said so, before the exit page loaded...
    assert messages == ['{"blanked":true,"main":"none","overlay":"Loading."}']
    # ...and the exit page took its place in the history: Back does not return to it.
    assert page.evaluate("history.length") == history_length


def test_the_button_leaves_for_the_exit_url(visit, site_url):
    page = visit.page
    page.goto(site_url)
    button = page.get_by_role("link", name="Emergency Exit this page")
    assert button.get_attribute("href") == EXIT_URL
    assert button.get_attribute("rel") == "nofollow noreferrer"
    button.click()
    page.wait_for_url(EXIT_URL)
    assert visit.outside_requests == [EXIT_URL]


def test_the_button_is_the_first_thing_after_the_skip_link(visit, site_url):
    page = visit.page
    page.goto(site_url + "report/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('exit-this-page__button')")
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)


def test_typing_capitals_and_other_keys_do_not_exit(visit, site_url):
    page = visit.page
    page.goto(site_url)
    page.click("#postcode")
    for key in ["Shift+KeyH", "Shift+KeyA", "1", "Shift+KeyA", "Shift+KeyB"]:
        page.keyboard.press(key)
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")  # another key in between starts the count again
    assert status_text(page) == "Exit this page expired."
    page.keyboard.press("Shift")
    page.wait_for_timeout(200)
    assert page.url == site_url
    assert visit.outside_requests == []
