"""Markdown to safe HTML.

Markdown comes from pull requests, so the HTML it produces is sanitised with
nh3 against an allowlist: a planted <script> or javascript: link never reaches
the public. Rendered text is cached because the same text recurs across
builds and a Markdown call costs about a millisecond.
"""
from __future__ import annotations

from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_SCHEMES = {"https", "mailto", "tel"}


def relative_link(url):
    """Keep a link inside the site; drop one that only looks relative (//host, /\\host) but leaves it."""
    return None if url.replace("\\", "/").startswith("//") else url


_markdown = markdown.Markdown(extensions=["sane_lists", "smarty"], output_format="html")


@lru_cache(maxsize=None)
def render_markdown(text):
    html = _markdown.reset().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        url_relative=relative_link,
        link_rel="noopener noreferrer",
    )
