"""Every link inside a built site leads to a file of the site (and to an anchor on it).

Used by `build.py links`, which the pull-request workflow runs on the site it has
just built, and by the tests. A link is followed as a static host would serve it:
a folder's address means its index.html.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"),
                   ("source", "srcset"), ("iframe", "src")}


class LinkCollector(HTMLParser):
    """The links (tag, attribute, value) and the ids of one page."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.add(value)
            if (tag, name) in LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, name, value))


def parse(path: Path) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector


def html_pages(site: Path):
    return sorted(site.rglob("*.html"))


def resolve(site: Path, page: Path, link: str) -> Path:
    """The file a relative link from page points at, as a static host would serve it."""
    page_url = "http://host/" + page.relative_to(site).as_posix()
    target, _ = urldefrag(urljoin(page_url, link))
    path = unquote(urlsplit(target).path).lstrip("/")
    candidate = site / path
    return candidate / "index.html" if path == "" or path.endswith("/") else candidate


def is_internal(link: str) -> bool:
    parts = urlsplit(link)
    return not (parts.scheme or parts.netloc or link.startswith("#"))


def broken_links(site: Path) -> list[str]:
    """'page: link' for every internal link that leads to no file, or to no such anchor."""
    broken, anchors = [], {}
    for page in html_pages(site):
        for _tag, _attribute, link in parse(page).links:
            if not is_internal(link):
                continue
            target = resolve(site, page, link)
            fragment = urlsplit(link).fragment
            if not target.is_file():
                broken.append(f"{page.relative_to(site).as_posix()}: {link}")
            elif fragment and target.suffix == ".html" and fragment not in anchors.setdefault(target, parse(target).ids):
                broken.append(f"{page.relative_to(site).as_posix()}: {link} (no such anchor)")
    return broken
