"""Rendering: cards rendered once per build ({% cache %}) give exactly the pages rendered one by one."""
from __future__ import annotations

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
    assert {key[0] for key in reused} == {"officer-card", "organisation-card"}  # both listed on several area pages

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
