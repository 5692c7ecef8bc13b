"""Markdown to safe HTML.

Markdown comes from pull requests, so the HTML it produces is sanitised with
nh3 against an allowlist: a planted <script> or javascript: link never reaches
the public. A Markdown call costs about half a millisecond, so the build
converts each text once (memo.Memo) and the preview keeps what it converted.

Most officers' bios and organisations' descriptions are plain prose: a few
paragraphs with no Markdown syntax at all. For those, what Python-Markdown
would produce is known without running it (paragraphs, and smarty's curly
apostrophe), and producing it directly is about thirty times faster: at
national scale (12,500 texts) that is the difference between 7 s and 0.3 s.
Anything else takes the full path; tests/test_markup_fast.py checks the two
agree on thousands of generated texts.

Python-Markdown's time grows with the square of some inputs (thousands of [ or
< in one paragraph, thousands of lines), and nested lists recurse. Validation
checks every text against the limits below before converting it, so a text
that would take minutes is an error with its place instead of a hang.
"""
from __future__ import annotations

import re

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

# Plain prose: letters, digits, spaces, newlines and punctuation that means
# nothing to Markdown or smarty, except an apostrophe inside a word ("it's").
_NOT_PLAIN_CHAR = re.compile(r"[^\w ,.;:!?()/+\-’\n]")  # and "_", which \w lets through
_NOT_PLAIN_LINE_START = re.compile(r"\n[ +\-\d]")  # indentation, a list item, a rule, perhaps a numbered list
_NOT_PLAIN_TEXT = ("..", "--", " \n")  # an ellipsis, a dash, a line break (two spaces)
_NOT_PLAIN_FIRST = {" ", "+", "-"}  # as _NOT_PLAIN_LINE_START (with a digit), on the first line
_WORD_APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")
_PLAIN_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def plain_html(text):
    """The HTML Python-Markdown (with smarty) gives plain prose, or None if text is not plain.

    Python-Markdown writes the apostrophe as &rsquo;, which the sanitiser turns into ’.
    Written as several quick scans rather than one regular expression with
    alternatives, which took over a third of the whole Markdown step."""
    words = _WORD_APOSTROPHE.sub("", text) if "'" in text else text
    first = words[:1]
    if (_NOT_PLAIN_CHAR.search(words) or "_" in words or any(mark in words for mark in _NOT_PLAIN_TEXT)
            or first in _NOT_PLAIN_FIRST or first.isdecimal() or words.endswith(" ")
            or _NOT_PLAIN_LINE_START.search(words)):
        return None
    paragraphs = [p for p in _PLAIN_PARAGRAPH_BREAK.split(text.strip("\n")) if p]
    return "\n".join(f"<p>{p}</p>" for p in paragraphs).replace("'", "&rsquo;")


def sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        url_relative=relative_link,
        link_rel="noopener noreferrer",
    )


def markdown_html(text):
    """What Python-Markdown gives, before sanitising."""
    text = text or ""
    fast = plain_html(text)
    return fast if fast is not None else convert(text)


def render_markdown(text):
    """Safe HTML for a Markdown text."""
    text = text or ""
    fast = plain_html(text)
    if fast is not None:
        # Only <p> and characters that cannot form markup: what the sanitiser
        # would return is known (tests check it), so skip its 30-60 us.
        return fast.replace("&rsquo;", "’")
    return sanitise(convert(text))


def convert(text):
    """Python-Markdown's HTML for text; lists nested too deeply are a MarkdownError."""
    global _markdown
    try:
        return _markdown.reset().convert(text)
    except RecursionError:
        _markdown = new_converter()  # the old one is left in a broken state
        raise MarkdownError("its lists or quotes are nested too deeply") from None


def within_limits(text):
    """Whether validation lets text be converted (the rest is an error, never converted)."""
    return len(text) <= MAX_CHARACTERS and markdown_work(text) <= MAX_WORK


def render_all(texts):
    """The HTML of each text that converts within the limits: work for another process
    (fast.prefetch). One that does not is left for validation to report."""
    rendered = {}
    for text in texts:
        if not within_limits(text):
            continue
        try:
            rendered[text] = render_markdown(text)
        except MarkdownError:
            pass
    return rendered
