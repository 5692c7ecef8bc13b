"""input_key: one fingerprint of everything a build reads, which changes exactly when an input does."""
from __future__ import annotations

import datetime as dt
import os
import textwrap

import pytest

from conftest import ONE_EVENT, TODAY
from liaison import render
from liaison.inputs import input_key
from liaison.schema import DATA_FILES

BASE_URL = "https://example.org/lgbt/"


@pytest.fixture
def root(make_project):
    root = make_project({"templates/page.html": "{{ page.title }}", "assets/logo.svg": "<svg/>"})
    (root / "assets" / "photos").mkdir()
    (root / "assets" / "photos" / "alex.jpg").write_bytes(b"JPEG")
    return root


def key(root, base_url=BASE_URL, today=TODAY):
    return input_key(root, base_url, today)


def test_the_key_is_a_sha256_in_hex_and_the_same_every_time(root):
    first = key(root)
    assert len(first) == 64 and set(first) <= set("0123456789abcdef")
    assert key(root) == first


@pytest.mark.parametrize("name", [schema.file for schema in DATA_FILES if schema.file != "events.yaml"])
def test_a_change_to_any_data_file_changes_the_key(root, name):
    before = key(root)
    with open(root / name, "a", encoding="utf-8") as f:
        f.write("# a comment\n")
    assert key(root) != before


def test_adding_the_optional_events_file_changes_the_key(root):
    before = key(root)
    (root / "events.yaml").write_text(textwrap.dedent(ONE_EVENT), encoding="utf-8")
    assert key(root) != before


@pytest.mark.parametrize("change", [
    lambda root: (root / "content" / "about.md").write_text("---\ntitle: About\ndescription: D.\n---\nNew.\n"),
    lambda root: (root / "content" / "help.md").write_text("---\ntitle: Help\ndescription: D.\n---\nHelp.\n"),
    lambda root: (root / "content" / "about.md").unlink(),
    lambda root: (root / "templates" / "page.html").write_text("{{ page.description }}"),
    lambda root: (root / "templates" / "officer.html").write_text("{{ officer.name }}"),
    lambda root: (root / "assets" / "photos" / "alex.jpg").write_bytes(b"PNG"),
    lambda root: (root / "assets" / "photos" / "alex.jpg").rename(root / "assets" / "photos" / "sam.jpg"),
], ids=["page edited", "page added", "page removed", "template edited", "template added", "asset edited", "asset renamed"])
def test_a_change_to_a_page_template_or_asset_changes_the_key(root, change):
    before = key(root)
    change(root)
    assert key(root) != before


def test_an_asset_replaced_by_a_link_to_the_same_bytes_outside_the_project_changes_the_key(root, tmp_path):
    before = key(root)
    (tmp_path / "outside.jpg").write_bytes(b"JPEG")
    (root / "assets" / "photos" / "alex.jpg").unlink()
    (root / "assets" / "photos" / "alex.jpg").symlink_to(tmp_path / "outside.jpg")
    assert key(root) != before


def test_the_base_url_and_the_date_are_part_of_the_key(root):
    keys = {key(root), key(root, base_url=None), key(root, base_url="https://other.example/"),
            key(root, today=TODAY + dt.timedelta(days=1))}
    assert len(keys) == 4


def test_a_change_to_the_default_templates_changes_the_key(root, tmp_path, monkeypatch):
    defaults = tmp_path / "defaults"
    defaults.mkdir()
    (defaults / "base.html").write_text("<html>")
    monkeypatch.setattr(render, "DEFAULT_TEMPLATES", defaults)
    before = key(root)
    (defaults / "base.html").write_text("<html lang=en>")
    assert key(root) != before


def test_files_a_build_does_not_read_and_times_of_modification_leave_the_key_alone(root):
    before = key(root)
    (root / "README.md").write_text("Notes for the people who keep the directory.")
    (root / "_site").mkdir()
    (root / "_site" / "index.html").write_text("<html>")
    (root / "assets" / "empty-folder").mkdir()
    os.utime(root / "officers.yaml", (0, 0))
    os.utime(root / "assets" / "logo.svg", (0, 0))
    assert key(root) == before
