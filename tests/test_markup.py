"""Markdown to HTML sanitised against an allowlist, remembered per text, and converted in bulk for another process."""
from __future__ import annotations

import pytest

from liaison import markup
from liaison.markup import MAX_CHARACTERS, not_rendered, remember, render_all, render_markdown

TOO_DEEP = "- " * 2000 + "x"  # within the limits, but Python-Markdown cannot convert it


@pytest.fixture
def fresh_cache(monkeypatch):
    """An empty cache of rendered texts, so what one test remembers is not seen by another."""
    monkeypatch.setattr(markup, "_rendered", {})


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


def test_a_text_is_converted_once_and_remembered(fresh_cache):
    first = render_markdown("Some **bold** words.")
    assert render_markdown("Some **bold** words.") is first
    assert not_rendered(["Some **bold** words."]) == []


def test_not_rendered_lists_each_text_not_yet_remembered_once_in_order(fresh_cache):
    render_markdown("b done")
    assert not_rendered(["c new", "b done", "a new", "c new"]) == ["a new", "c new"]


def test_remembered_html_is_what_render_markdown_gives_from_then_on(fresh_cache):
    remember({"*converted elsewhere*": "<p><em>converted elsewhere</em></p>", "plain": "<p>PLAIN</p>"})
    assert render_markdown("plain") == "<p>PLAIN</p>"
    assert not_rendered(["plain", "*converted elsewhere*", "other"]) == ["other"]


def test_render_all_gives_what_render_markdown_gives_and_remembers_nothing_itself(fresh_cache):
    texts = ["Plain prose.", "A [link](https://example.org) and <script>x</script>", "- a\n- b"]
    rendered = render_all(texts)
    assert not_rendered(texts) == sorted(texts)
    assert rendered == {text: render_markdown(text) for text in texts}


def test_render_all_leaves_out_a_text_beyond_the_limits_or_nested_too_deeply(fresh_cache):
    too_long = "word " * (MAX_CHARACTERS // 5 + 1)
    assert render_all([too_long, TOO_DEEP, "Fine."]) == {"Fine.": "<p>Fine.</p>"}
    assert render_markdown("Still **works**.") == "<p>Still <strong>works</strong>.</p>"
