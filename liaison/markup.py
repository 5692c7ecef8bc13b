"""Markdown to safe HTML.

Markdown comes from pull requests, so the HTML it produces is sanitised with
nh3 against an allowlist: a planted <script> or javascript: link never reaches
the public. Rendered text is cached because the same text recurs across
builds and a Markdown call costs about a millisecond.

Python-Markdown's time grows with the square of some inputs (thousands of [ or
< in one paragraph, thousands of lines), and nested lists recurse. Validation
checks every text against the limits below before converting it, so a text
that would take minutes is an error with its place instead of a hang.
"""
from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_SCHEMES = {"https", "mailto", "tel"}

# Limits on one text (a field or a page) and on all the Markdown of one build. The sample
# data's longest page measures about 9,000 and all of it together about 45,000; at the
# limits, conversion takes about a second per text and ten per build on a slow machine.
MAX_CHARACTERS = 100_000
MAX_WORK = 2_000_000
MAX_BUILD_WORK = 20_000_000
_COSTLY = re.compile(r"[\[<>`\\\"']")  # characters whose handling rescans the paragraph
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class MarkdownError(ValueError):
    """A text Python-Markdown cannot convert, such as lists nested hundreds deep."""


def markdown_work(text):
    """An estimate of the time converting text takes, to compare with the limits above."""
    paragraphs = _PARAGRAPH_BREAK.split(text)
    return sum(len(p) * (1 + len(_COSTLY.findall(p))) for p in paragraphs) + (text.count("\n") + 1) ** 2


def relative_link(url):
    """Keep a link inside the site; drop one that only looks relative (//host, /\\host) but leaves it."""
    return None if url.replace("\\", "/").startswith("//") else url


def new_converter():
    return markdown.Markdown(extensions=["sane_lists", "smarty"], output_format="html")


_markdown = new_converter()


@lru_cache(maxsize=None)
def render_markdown(text):
    global _markdown
    try:
        html = _markdown.reset().convert(text or "")
    except RecursionError:
        _markdown = new_converter()  # the old one is left in a broken state
        raise MarkdownError("its lists or quotes are nested too deeply") from None
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        url_relative=relative_link,
        link_rel="noopener noreferrer",
    )
