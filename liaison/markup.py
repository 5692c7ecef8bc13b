"""Markdown to safe HTML.

Markdown comes from pull requests, so the HTML it produces is sanitised with
nh3 against an allowlist: a planted <script> or javascript: link never reaches
the public. Rendered text is cached because the same text recurs across
builds and a Markdown call costs about half a millisecond.

Most officers' bios and organisations' descriptions are plain prose: a few
paragraphs with no Markdown syntax at all. For those, what Python-Markdown
would produce is known without running it (paragraphs, and smarty's curly
apostrophe), and producing it directly is about thirty times faster: at
national scale (12,500 texts) that is the difference between 7 s and 0.3 s.
Anything else takes the full path; tests/test_markup_fast.py checks the two
agree on thousands of generated texts.
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

_markdown = markdown.Markdown(extensions=["sane_lists", "smarty"], output_format="html")

# Plain prose: letters, digits, spaces, newlines and punctuation that means
# nothing to Markdown or smarty, except an apostrophe inside a word ("it's").
_NOT_PLAIN_CHAR = re.compile(r"[^\w ,.;:!?()/+\-’\n]|_")
_NOT_PLAIN = re.compile(
    r"\.\."            # an ellipsis
    r"|--"             # a dash
    r"|(?:^|\n)[ +\-]"  # indentation, a list item or a rule
    r"|(?:^|\n)\d"     # perhaps a numbered list
    r"| \n| $"         # a line break (two spaces) or trailing space
)
_WORD_APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def plain_html(text):
    """The HTML Python-Markdown (with smarty) gives plain prose, or None if text is not plain.

    Python-Markdown writes the apostrophe as &rsquo;, which the sanitiser turns into ’."""
    words = _WORD_APOSTROPHE.sub("", text)
    if _NOT_PLAIN_CHAR.search(words) or _NOT_PLAIN.search(words):
        return None
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text.strip("\n")) if p]
    return "\n".join(f"<p>{p}</p>" for p in paragraphs).replace("'", "&rsquo;")


def sanitise(html):
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                     link_rel="noopener noreferrer")


def markdown_html(text):
    """What Python-Markdown gives, before sanitising."""
    text = text or ""
    fast = plain_html(text)
    return fast if fast is not None else _markdown.reset().convert(text)


_rendered = {}  # text -> safe HTML, for as long as the process runs


def render_markdown(text):
    text = text or ""
    html = _rendered.get(text)
    if html is None:
        html = _rendered[text] = _render(text)
    return html


def _render(text):
    fast = plain_html(text)
    if fast is not None:
        # Only <p> and characters that cannot form markup: what the sanitiser
        # would return is known (tests check it), so skip its 30-60 us.
        return fast.replace("&rsquo;", "’")
    return sanitise(_markdown.reset().convert(text))


def prerender(texts):
    """Start rendering, in a second process, the texts that need the full Markdown path.

    At national scale those take about half a second, which can run while this
    process validates the data. Returns a handle: .result() waits for the HTML
    and keeps it for render_markdown(). Few texts: nothing to gain, returns None."""
    from .parallel import Helper, workers

    slow = sorted({t for t in texts if t not in _rendered and plain_html(t) is None})
    if len(slow) < 100 or workers() < 2:
        return None

    class Prerendered(Helper):
        def result(self):
            _rendered.update(super().result())

    return Prerendered(lambda: {text: _render(text) for text in slow})
