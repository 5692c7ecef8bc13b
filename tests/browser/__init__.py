"""Browser tests: Playwright driving Debian's Chromium over the built sample site."""
