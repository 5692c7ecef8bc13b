"""Every page, with the CSS and JavaScript it loads, arrives in one round trip.

A new connection can carry about 14 KB before waiting for the first
acknowledgement (TCP's initial window of 10 packets). A page that fits is
usable after one round trip, even on a slow phone connection.
"""
import gzip
import re
from pathlib import Path

from support import html_pages

BUDGET = 14 * 1024
LINKED = re.compile(r'<(?:link rel="stylesheet"|script)[^>]*? (?:href|src)="([^"]+)"')


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(page: Path):
    html = page.read_bytes()
    parts = {page.name: gzipped(html)}
    for href in LINKED.findall(html.decode("utf-8")):
        target = (page.parent / href).resolve()
        assert target.is_file(), f"{page} loads {href}, which does not exist"
        parts[href] = gzipped(target.read_bytes())
    return sum(parts.values()), parts


def test_every_page_with_its_css_and_js_fits_in_14_kb_gzipped(sample_site):
    pages = html_pages(sample_site)
    assert len(pages) > 80
    over = []
    for page in pages:
        total, parts = page_weight(page)
        if total >= BUDGET:
            over.append(f"{page.relative_to(sample_site)}: {total} bytes gzipped {parts}")
    assert not over, f"over the {BUDGET}-byte budget:\n" + "\n".join(over)


def test_the_budget_counts_what_a_page_loads(sample_site):
    total, parts = page_weight(sample_site / "index.html")
    assert set(parts) == {"index.html", "assets/css/site.css", "assets/js/site.js", "postcodes/districts.js"}
    assert total == sum(parts.values())
