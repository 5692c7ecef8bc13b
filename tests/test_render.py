"""Rendering: cards rendered once per build ({% cache %}) give exactly the pages rendered one by one,
and the quicker ways of calling, escaping and passing variables give exactly what Jinja2's own do."""
from __future__ import annotations

import jinja2
import pytest
import jinja2.runtime
import markupsafe
from hypothesis import given
from hypothesis import strategies as st

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


def render_page_as_jinja2_does(env, ctx, page):
    rendering._rendering.start, rendering._rendering.site = rendering.link_start(page, ctx.site), ctx.site
    html = env.get_template(page.template).render(
        site=ctx.site, forces=ctx.forces, boroughs=ctx.boroughs, routes=ctx.routes, officers=ctx.officers,
        organisations=ctx.organisations, events=ctx.events, page=page, **page.vars)
    return html.encode("utf-8")


def test_every_sample_page_is_the_same_as_plain_jinja2_renders_it(monkeypatch):
    ctx = context_of(REPO)
    quick = pages(ctx, REPO)
    monkeypatch.setattr(rendering, "_environments", {})  # templates compiled again, as plain Jinja2 templates
    monkeypatch.setattr(rendering.Environment, "template_class", jinja2.Template)
    monkeypatch.setattr(rendering, "PageContext", jinja2.runtime.Context)
    monkeypatch.setattr(rendering, "render_page", render_page_as_jinja2_does)
    plain = pages(ctx, REPO)
    assert rendering.environment(REPO).get_template("base.html").root_render_func.__globals__["escape"] is \
        markupsafe.escape
    assert plain == quick


@given(st.text())
def test_quick_escape_gives_the_text_markupsafe_gives(text):
    assert rendering.quick_escape(text) == str(markupsafe.escape(text))


class Shown:
    def __html__(self):
        return "<b>shown</b>"

    def twice(self, n):
        return n * 2


def test_quick_escape_leaves_markup_and_everything_else_to_markupsafe():
    assert rendering.quick_escape(markupsafe.Markup("<i>kept</i>")) == "<i>kept</i>"
    for value in (7, None, Shown(), markupsafe.Markup("<i>&amp;</i>")):
        assert rendering.quick_escape(value) == markupsafe.escape(value)


CALLS = """\
{% macro box(text) %}<{{ text }}|{{ caller() if caller is defined else '' }}>{% endmacro %}
{% for n in [1] %}{{ plain(n) }} {{ with_context() }} {{ with_environment() }} {{ box('m') }} \
{% call box('c') %}inside{% endcall %} {{ made(2) }} {{ method(3) }}{% endfor %}"""


def test_a_page_context_calls_each_kind_of_callable_as_jinja2_does(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "calls.html").write_text(CALLS)
    env = rendering.prepared(tmp_path, track=False)
    env.globals.update(
        plain=lambda n: n + 1,
        with_context=jinja2.pass_context(lambda context: context["who"]),
        with_environment=jinja2.pass_environment(lambda environment: type(environment).__name__),
        made=int,
        method=Shown().twice,
    )
    assert env.context_class is rendering.PageContext
    assert env.get_template("calls.html").render(who="me") == "2 me Environment <m|> <c|inside> 2 6"


def test_a_function_that_raises_stop_iteration_gives_undefined_as_in_jinja2(tmp_path):
    def stops():
        raise StopIteration

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "stops.html").write_text("{{ stops() is undefined }}")
    env = rendering.prepared(tmp_path, track=False)
    env.globals["stops"] = stops
    assert env.get_template("stops.html").render() == "True"


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
