"""Reading a built site: its pages, links and references."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("form", "action"),
                   ("source", "srcset"), ("iframe", "src")}


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []  # (tag, attribute, value)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids.add(value)
            if (tag, name) in LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, name, value))


def parse(path: Path) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def html_pages(site: Path):
    return sorted(site.rglob("*.html"))


def resolve(site: Path, page: Path, link: str):
    """The file a relative link from page points at, as a static host would serve it."""
    page_url = "http://host/" + page.relative_to(site).as_posix()
    target, _ = urldefrag(urljoin(page_url, link))
    path = urlsplit(target).path.lstrip("/")
    candidate = site / path
    return candidate / "index.html" if path == "" or path.endswith("/") else candidate
