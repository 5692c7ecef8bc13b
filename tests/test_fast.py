"""fast.py: the fast engine's own shortcuts (the engines' byte-for-byte agreement is test_engine.py)."""
from __future__ import annotations

from liaison.fast import FastEngine, markdown_texts
from liaison.load import load
from liaison.pipeline import build

from conftest import ONE_EVENT, TODAY


def test_a_build_with_nothing_changed_stops_after_the_fingerprint(make_project, tmp_path):
    source = make_project()
    first = build(source, tmp_path / "site", today=TODAY, engine=FastEngine())
    again = build(source, tmp_path / "site", today=TODAY, engine=FastEngine())
    assert not first.unchanged and again.unchanged
    assert again.timings == {} and again.written == 0 and again.files == first.files


def test_another_day_is_another_build(make_project, tmp_path):
    import datetime as dt
    source = make_project()
    build(source, tmp_path / "site", today=TODAY, engine=FastEngine())
    later = build(source, tmp_path / "site", today=TODAY + dt.timedelta(days=1), engine=FastEngine())
    assert not later.unchanged


def test_the_markdown_converted_ahead_is_every_markdown_field_of_the_schema(make_project):
    root = make_project({"events.yaml": ONE_EVENT.replace("officers: [alex-example]",
                                                          "officers: [alex-example]\n      description: Come *along*.")})
    texts = markdown_texts(load(root))
    assert "Alex has been a **liaison officer** since 2023." in texts  # an officer's bio
    assert "A national helpline." in texts  # an organisation's description
    assert "Ask for the police." in texts  # a reporting route's how
    assert "Come *along*." in texts  # an event's description
    assert any(text.startswith("## Who they are") for text in texts)  # a content page
