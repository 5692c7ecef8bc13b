"""Browser tests: Debian's Chromium, driven by Playwright, over the sample site.

The sample site is built once and served by Python's http.server on 127.0.0.1
under a sub-path (/lgbt-liaison/), which proves every link is relative.
Chromium is launched once per session. Where Chromium or Playwright cannot be
found the tests are skipped loudly, except under CI=true, where that fails.
"""
from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlsplit

import pytest

from support import CHROMIUM_HINT, SUB_PATH, find_chromium, missing_tool

from .pages import DESKTOP, PHONE

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".vcf": "text/vcard", ".svg": "image/svg+xml"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(sample_site):
    """The sample site's address: http://127.0.0.1:PORT/lgbt-liaison/."""
    handler = functools.partial(QuietHandler, directory=str(sample_site.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright for Python", "Install it with: scripts/setup test")
    executable = find_chromium()
    if not executable:
        missing_tool("Chromium (looked for $CHROMIUM_PATH, /usr/bin/chromium, then chromium or google-chrome on the PATH)", CHROMIUM_HINT)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe(browser):
    """axe-core, as bundled by axe-playwright-python."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        missing_tool("axe-playwright-python", "Install it with: scripts/setup test")
    return Axe()


class Visit:
    """A browser tab that records what must never happen: requests that leave
    127.0.0.1, Content-Security-Policy violations, console errors."""

    def __init__(self, context, page):
        self.context, self.page = context, page
        self.outside_requests, self.console_errors = [], []
        context.route("**/*", self.route)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        # Init scripts are added through the DevTools protocol, so the page's CSP does not block them.
        context.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', function (e) {"
            "  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI); });")

    def route(self, route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside_requests.append(route.request.url)
            route.fulfill(status=200, content_type="text/html",
                          body="<!doctype html><title>Exit page</title><p>Neutral page</p>")

    def csp_violations(self):
        return self.page.evaluate("window.__cspViolations || []")


def open_visit(browser, viewport):
    context = browser.new_context(viewport=viewport, java_script_enabled=True)
    context.set_default_timeout(10_000)
    return Visit(context, context.new_page())


@pytest.fixture
def visit(browser):
    """A fresh tab at phone width."""
    opened = open_visit(browser, PHONE)
    yield opened
    opened.context.close()


@pytest.fixture
def desktop_visit(browser):
    opened = open_visit(browser, DESKTOP)
    yield opened
    opened.context.close()
