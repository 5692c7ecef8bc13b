"""Rendering the pages with Jinja2: cards rendered once per build ({% cache %}) give exactly the
pages rendered one by one, and templates behave exactly as Jinja2's own do."""
from __future__ import annotations

import jinja2
import pytest
import jinja2.runtime
import markupsafe

from liaison import render as rendering
from liaison.context import build_context
from liaison.load import load
from liaison.privacy import redact
from liaison.validate import validate
from tests.conftest import REPO, TODAY


def context_of(root):
    data, problems = validate(load(root), TODAY)
    assert not [p for p in problems if p.severity == "error"]
    redact(data)
    return build_context(data, None, TODAY)


def pages(ctx, root):
    files, problems = rendering.render(ctx, root)
    assert problems == []
    return {path: content for path, content in files.items() if path.endswith(".html")}


def test_cached_cards_give_the_same_pages_as_cards_rendered_every_time(monkeypatch):
    ctx = context_of(REPO)
    cached = pages(ctx, REPO)
    seen, reused = set(), set()
    fragment = rendering.FragmentCache._fragment

    def counting(self, key, caller):
        (reused if key in seen else seen).add(key)
        return fragment(self, key, caller)

    monkeypatch.setattr(rendering.FragmentCache, "_fragment", counting)
    pages(ctx, REPO)
    # cards listed on several area pages, and the footer of pages at the same depth
    assert {key[0] for key in reused} == {"officer-card", "organisation-card", "footer"}

    monkeypatch.setattr(rendering.FragmentCache, "_fragment", lambda self, key, caller: caller())
    assert pages(ctx, REPO) == cached


def test_a_card_cached_in_one_build_is_not_used_by_the_next(make_project):
    root = make_project()
    before = pages(context_of(root), root)["boroughs/northtown/index.html"]
    officers = root / "officers.yaml"
    officers.write_text(officers.read_text().replace("020 7946 0001", "020 7946 0999"))
    after = pages(context_of(root), root)["boroughs/northtown/index.html"]
    assert b"020 7946 0001" in before and b"020 7946 0001" not in after
    assert b"020 7946 0999" in after


LISTS_OFFICERS = """\
{% extends "base.html" %}
{% import "_macros.html" as m %}
{% block main %}{% for officer in officers %}{{ m.officer_card(officer) }}{% endfor %}{% endblock %}
"""


def test_a_card_on_pages_at_different_depths_links_from_each(make_project):
    root = make_project({"templates/organisations.html": LISTS_OFFICERS})
    rendered = pages(context_of(root), root)
    assert b'href="../officers/alex-example/"' in rendered["organisations/index.html"]
    assert b'href="../../officers/alex-example/"' in rendered["boroughs/northtown/index.html"]


LINKS_BOTH_WAYS = """\
<a id="filter" href="{{ 'report/'|url }}"></a><a id="call" href="{{ url('report/') }}"></a>
<a id="home" href="{{ ''|url }}"></a>"""
INCLUDES_LINKS = """\
{% extends "base.html" %}
{% block main %}{% include "_links.html" %}{% endblock %}
"""


def test_the_url_filter_links_from_each_page_like_the_url_function(make_project):
    """A constant link through the filter is never worked out once, when the template is compiled
    (an included template is compiled while the first page that includes it is rendered)."""
    root = make_project({"templates/_links.html": LINKS_BOTH_WAYS, "templates/organisation.html": INCLUDES_LINKS,
                         "templates/events.html": INCLUDES_LINKS})
    rendered = pages(context_of(root), root)
    for path, up in (("events/index.html", "../"), ("organisations/local-centre/index.html", "../../")):
        assert f'<a id="filter" href="{up}report/"></a><a id="call" href="{up}report/"></a>'.encode() in rendered[path]
        assert f'<a id="home" href="{up}"></a>'.encode() in rendered[path]


def test_pages_are_rendered_by_jinja2_s_own_templates_and_context(make_project):
    """No subclass of Jinja2's Template or Context, and {{ }} escape with markupsafe."""
    env = rendering.prepared(make_project(), track=True)
    template = env.get_template("base.html")
    assert type(template) is jinja2.Template and env.context_class is jinja2.runtime.Context
    assert template.root_render_func.__globals__["escape"] is markupsafe.escape


AUTOESCAPE_OFF = """\
{% macro box(text) %}<{{ text }}>{% endmacro %}
{% autoescape false %}{% set made = box('<i>') %}{{ made ~ '<b>' }}|{{ made.__class__.__name__ }}{% endautoescape %}
{{ box('<i>') ~ '<b>' }}|{{ box('x').__class__.__name__ }}"""


def test_a_macro_called_where_autoescaping_is_off_gives_what_jinja2_gives(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "off.html").write_text(AUTOESCAPE_OFF)
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / "templates"), autoescape=True,
                               trim_blocks=True, lstrip_blocks=True)
    expected = plain.get_template("off.html").render()
    assert expected == "<&lt;i&gt;><b>|str<&lt;i&gt;>&lt;b&gt;|Markup"  # text where it is off, Markup elsewhere
    assert rendering.prepared(tmp_path, track=False).get_template("off.html").render() == expected


def test_a_template_is_loaded_once_per_environment_and_a_missing_one_is_never_remembered(tmp_path):
    env = rendering.make_environment(tmp_path)
    assert env.get_template("base.html") is env.get_template("base.html", "officer.html")
    for _ in range(2):
        with pytest.raises(jinja2.TemplateNotFound):
            env.get_template("nowhere.html")
    assert "nowhere.html" not in env.loaded
