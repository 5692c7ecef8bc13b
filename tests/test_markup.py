"""Markdown to HTML sanitised against an allowlist, and converted in bulk for another process."""
from __future__ import annotations

import pytest

from liaison.markup import MAX_CHARACTERS, render_all, render_markdown

TOO_DEEP = "- " * 2000 + "x"  # within the limits, but Python-Markdown cannot convert it


@pytest.mark.parametrize("text, html", [
    ("Alex has been a **liaison officer** since 2023.", "<p>Alex has been a <strong>liaison officer</strong> since 2023.</p>"),
    ("It's _here_.", "<p>It’s <em>here</em>.</p>"),
    ('"Quoted" -- and more...', "<p>“Quoted” – and more…</p>"),
    ("One paragraph.\n\nAnother.", "<p>One paragraph.</p>\n<p>Another.</p>"),
    ("## Heading\n\nText", "<h2>Heading</h2>\n<p>Text</p>"),
    ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
    ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
    ("a  \nb", "<p>a<br>\nb</p>"),
    ("Use `code` here\n\n---", "<p>Use <code>code</code> here</p>\n<hr>"),
    ("", ""),
    (None, ""),
])
def test_markdown_becomes_the_html_pages_show(text, html):
    assert render_markdown(text) == html


@pytest.mark.parametrize("text, html", [
    ("# Title\n\nText", "Title\n<p>Text</p>"),  # h1 is not in the allowlist
    ('<p class="x" id="y">Hi</p>', "<p>Hi</p>"),
    ('<abbr title="Police Constable" class="c">PC</abbr>', '<p><abbr title="Police Constable">PC</abbr></p>'),
    ('<a href="https://x.org" target="_blank">x</a>', '<p><a href="https://x.org" rel="noopener noreferrer">x</a></p>'),
    ("<table><tr><td>x</td></tr></table>", "x"),
])
def test_tags_and_attributes_outside_the_allowlist_are_removed_and_their_text_kept(text, html):
    assert render_markdown(text) == html


def test_render_all_gives_what_render_markdown_gives():
    texts = ["Plain prose.", "A [link](https://example.org) and <script>x</script>", "- a\n- b"]
    assert render_all(texts) == {text: render_markdown(text) for text in texts}


def test_render_all_leaves_out_a_text_beyond_the_limits_or_nested_too_deeply():
    too_long = "word " * (MAX_CHARACTERS // 5 + 1)
    assert render_all([too_long, TOO_DEEP, "Fine."]) == {"Fine.": "<p>Fine.</p>"}
    assert render_markdown("Still **works**.") == "<p>Still <strong>works</strong>.</p>"
