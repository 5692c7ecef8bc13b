"""Screenshots of the sample site for people to look at (scripts/screenshots runs this).

Usage: python tests/browser/screenshots.py [OUT_DIR]   (default: screenshots/)
Writes home, borough (with and without an officer), officer and report pages at phone
(375 px) and desktop (1280 px) widths, full length, as PNG files.
"""
import datetime as dt
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
from liaison.pipeline import build  # noqa: E402
from support import find_chromium  # noqa: E402

PAGES = {"home": "", "borough-harrow": "boroughs/harrow/", "borough-bexley": "boroughs/bexley/",
         "officer": "officers/daniel-okafor/", "report": "report/", "open-data": "open-data/",
         "organisations": "organisations/", "organisation-switchboard": "organisations/switchboard-lgbt/"}
WIDTHS = (375, 1280)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as www:
        build(REPO, Path(www) / "site", today=dt.date.today())
        handler = functools.partial(QuietHandler, directory=www)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        root = f"http://127.0.0.1:{server.server_address[1]}/site/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(),
                                                 args=["--no-sandbox", "--disable-gpu"])
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 800})
                for name, path in PAGES.items():
                    page.goto(root + path)
                    page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                    print(out / f"{name}-{width}.png")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
