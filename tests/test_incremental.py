"""Rebuilds write only what changed, and always give exactly the site a build from nothing gives."""
import os
import shutil
import sys
import textwrap

import pytest

from liaison import parallel
from liaison.errors import DataError, OutputError
from liaison import pipeline
from liaison.fast import FastEngine
from liaison.incremental import BuildCache
from liaison.pipeline import Superseded
from liaison.spare import prepare_spare, spare_path
from liaison.write import MANIFEST
from tests.conftest import REPO, TODAY

ANOTHER_OFFICER = """
- id: sam-second
  name: Sam Second
  role: volunteer
  boroughs: [northtown, southtown]
  email: sam.second@example.org
  bio: Sam's second paragraph.
  last_verified: 2026-11-02
"""


def build(source, out, cache=None, pages_first=False, cancel=None, **options):
    """pipeline.build with the fast engine, as the preview runs it when given its cache."""
    engine = FastEngine(cache, pages_first=pages_first, cancel=cancel)
    return pipeline.build(source, out, engine=engine, cancel=cancel, **options)


class CancelledAfter:
    """A cancel event that is set from its count-th question on."""

    def __init__(self, count):
        self.count, self.asked = count, 0

    def is_set(self):
        self.asked += 1
        return self.asked > self.count


def tree(root):
    """Every file under root, dotfiles included, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cold(source, tmp_path):
    """The same source built from nothing, into a fresh folder."""
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(spare_path(out), ignore_errors=True)
    build(source, out, today=TODAY)
    return tree(out)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_with_no_change_writes_nothing(make_project, tmp_path):
    source = make_project()
    out = tmp_path / "site"
    first = build(source, out, today=TODAY)
    assert first.written == first.files
    again = build(source, out, today=TODAY)
    assert again.written == 0 and again.files == first.files
    assert "0 of" in again.summary()
    assert tree(out) == cold(source, tmp_path)


def test_editing_one_officer_writes_only_the_pages_that_show_them(make_project, tmp_path):
    source = make_project()
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    assert prepare_spare(out)
    edit(source / "officers.yaml", "020 7946 0001", "020 7946 0002")
    result = build(source, out, today=TODAY)
    assert 0 < result.written < result.files / 2
    assert b"020 7946 0002" in (out / "officers/alex-example/index.html").read_bytes()
    assert tree(out) == cold(source, tmp_path)


EDITS = [
    ("officers.yaml", "020 7946 0001", "020 7946 0003"),
    ("officers.yaml", "role: full-time", "role: volunteer"),
    ("site.yaml", "title: Test Directory", "title: Test Directory Two"),
    ("boroughs.yaml", "name: Southtown", "name: South Town"),
    ("content/about.md", "## Who they are", "## Who they really are"),
    ("organisations.yaml", "A national helpline.", "A national helpline, open late."),
    ("reporting.yaml", "Ask for the police.", "Ask for the police, or text."),
]


def test_every_rebuild_matches_a_build_from_nothing(make_project, tmp_path):
    source = make_project()
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    for name, old, new in EDITS:
        edit(source / name, old, new)
        build(source, out, today=TODAY)
        assert tree(out) == cold(source, tmp_path), f"after editing {name}"
    with open(source / "officers.yaml", "a", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(ANOTHER_OFFICER))
    build(source, out, today=TODAY)
    assert tree(out) == cold(source, tmp_path)
    (source / "content/extra.md").write_text("---\ntitle: Extra\ndescription: More.\n---\nText.\n", encoding="utf-8")
    (source / "assets").mkdir()
    (source / "assets/extra.txt").write_text("an asset\n", encoding="utf-8")
    build(source, out, today=TODAY)
    assert "extra/index.html" in tree(out) and "assets/extra.txt" in tree(out)
    assert tree(out) == cold(source, tmp_path)
    (source / "content/extra.md").unlink()
    (source / "assets/extra.txt").unlink()
    build(source, out, today=TODAY)
    assert "extra/index.html" not in tree(out) and not (out / "extra").exists()
    assert tree(out) == cold(source, tmp_path)


def test_a_template_change_rebuilds_every_page(make_project, tmp_path):
    source = make_project()
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    shutil.copytree(REPO / "templates", source / "templates")
    edit(source / "templates/base.html", "<main id=\"main\"", "<!-- changed -->\n<main id=\"main\"")
    result = build(source, out, today=TODAY)
    pages = [rel for rel in tree(out) if rel.endswith(".html") and not rel.startswith("posters/")]  # own base
    assert result.written >= len(pages)
    assert all(b"<!-- changed -->" in (out / rel).read_bytes() for rel in pages)
    assert tree(out) == cold(source, tmp_path)


def test_a_removed_officer_page_disappears(make_project, tmp_path):
    source = make_project()
    with open(source / "officers.yaml", "a", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(ANOTHER_OFFICER))
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    assert prepare_spare(out)  # so both trees hold the page
    assert (out / "officers/sam-second/index.html").is_file()
    text = (source / "officers.yaml").read_text(encoding="utf-8")
    (source / "officers.yaml").write_text(text[:text.index("\n- id: sam-second")] + "\n", encoding="utf-8")
    build(source, out, today=TODAY)
    assert not (out / "officers/sam-second").exists()
    assert tree(out) == cold(source, tmp_path)
    build(source, out, today=TODAY)  # the other tree is brought up to date too
    assert not (out / "officers/sam-second").exists()


def test_a_file_changed_by_hand_in_the_output_is_put_right(make_project, tmp_path):
    source = make_project()
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    assert prepare_spare(out)
    page = out / "officers/alex-example/index.html"
    original = page.read_bytes()
    with open(page, "ab") as handle:  # in place: the file is shared with the spare tree
        handle.write(b"<!-- edited by hand -->")
    (out / "stray.txt").write_text("not part of the site", encoding="utf-8")
    result = build(source, out, today=TODAY)
    assert result.written >= 1
    assert page.read_bytes() == original and not (out / "stray.txt").exists()
    assert tree(out) == cold(source, tmp_path)


def test_a_failed_rebuild_changes_nothing(make_project, tmp_path):
    source = make_project()
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    assert prepare_spare(out)
    before, spare_before = tree(out), tree(spare_path(out))
    edit(source / "officers.yaml", "role: full-time", "role: fulltime")
    with pytest.raises(DataError):
        build(source, out, today=TODAY)
    assert tree(out) == before and tree(spare_path(out)) == spare_before


def test_a_spare_tree_left_half_updated_keeps_nothing_and_the_site_comes_out_right(make_project, tmp_path):
    source = make_project()
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    assert prepare_spare(out)
    spare = spare_path(out)
    (spare / MANIFEST).unlink()  # as a build stopped while updating it leaves it
    (spare / "officers/alex-example/index.html").unlink()
    (spare / "index.html").write_bytes(b"half written")
    edit(source / "site.yaml", "title: Test Directory", "title: Test Directory Three")
    build(source, out, today=TODAY)
    assert tree(out) == cold(source, tmp_path)


def test_rendering_in_several_processes_gives_the_same_bytes(tmp_path, monkeypatch):
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    source = generate.generate(tmp_path / "national", officers=120, boroughs=40, forces=5)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)
    monkeypatch.setenv("LIAISON_WORKERS", "3")
    build(source, tmp_path / "parallel", today=TODAY)  # processes write the pages they render
    build(source, tmp_path / "parallel-cached", today=TODAY, cache=BuildCache())  # processes render only
    monkeypatch.setenv("LIAISON_WORKERS", "1")
    build(source, tmp_path / "serial", today=TODAY)
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial") == tree(tmp_path / "parallel-cached")
    edit(source / "officers.yaml", "  role: volunteer", "  role: full-time")
    monkeypatch.setenv("LIAISON_WORKERS", "3")
    build(source, tmp_path / "parallel", today=TODAY)
    assert tree(tmp_path / "parallel") == cold(source, tmp_path)


def test_a_template_error_in_a_parallel_build_leaves_the_site(tmp_path, monkeypatch):
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    source = generate.generate(tmp_path / "national", officers=60, boroughs=20, forces=3)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)
    monkeypatch.setenv("LIAISON_WORKERS", "2")
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    before = tree(out)
    shutil.copytree(REPO / "templates", source / "templates")
    edit(source / "templates/officer.html", "{{ officer.full_name }}", "{{ officer.no_such_field }}")
    with pytest.raises(DataError) as failure:
        build(source, out, today=TODAY)
    assert "templates/officer.html" in str(failure.value.problems[0])
    assert tree(out) == before
    shutil.rmtree(source / "templates")
    edit(source / "officers.yaml", "  role: volunteer", "  role: full-time")
    build(source, out, today=TODAY)
    assert tree(out) == cold(source, tmp_path)


def test_the_previews_cache_gives_the_same_site_after_every_edit(make_project, tmp_path):
    """The preview server renders again only the pages whose records changed: never a stale page."""
    source = make_project()
    out, cache = tmp_path / "site", BuildCache()
    build(source, out, today=TODAY, cache=cache)
    for name, old, new in EDITS:
        edit(source / name, old, new)
        build(source, out, today=TODAY, cache=cache)
        assert tree(out) == cold(source, tmp_path), f"after editing {name}"
    with open(source / "officers.yaml", "a", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(ANOTHER_OFFICER))
    build(source, out, today=TODAY, cache=cache)
    assert tree(out) == cold(source, tmp_path)
    edit(source / "boroughs.yaml", "name: Northtown", "name: Northtown Again")  # shown on the new officer's page
    build(source, out, today=TODAY, cache=cache)
    assert b"Northtown Again" in (out / "officers/sam-second/index.html").read_bytes()
    assert tree(out) == cold(source, tmp_path)
    shutil.copytree(REPO / "templates", source / "templates")
    edit(source / "templates/officer.html", "<h1>", "<h1 class=\"changed\">")
    build(source, out, today=TODAY, cache=cache)
    assert tree(out) == cold(source, tmp_path)


def test_a_pages_first_rebuild_publishes_the_pages_now_and_the_rest_with_the_next_build(make_project, tmp_path):
    source = make_project()
    out, cache = tmp_path / "site", BuildCache()
    build(source, out, today=TODAY, cache=cache)
    edit(source / "officers.yaml", "020 7946 0001", "020 7946 0003")
    first = build(source, out, today=TODAY, cache=cache, pages_first=True)
    assert first.deferred
    assert b"020 7946 0003" in (out / "officers/alex-example/index.html").read_bytes()
    assert b"020 7946 0001" in (out / "data/officers.json").read_bytes()  # as the last complete build made it
    rest = build(source, out, today=TODAY, cache=cache)  # not taken for unchanged: the data files follow
    assert not rest.deferred and not rest.unchanged and rest.written > 0
    assert tree(out) == cold(source, tmp_path)


def test_a_pages_first_rebuild_never_publishes_a_field_made_private_since(make_project, tmp_path):
    source = make_project()
    out, cache = tmp_path / "site", BuildCache()
    build(source, out, today=TODAY, cache=cache)
    with open(source / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write("private_fields:\n  officers: [phone]\n")
    result = build(source, out, today=TODAY, cache=cache, pages_first=True)
    assert not result.deferred
    assert b"020 7946 0001" not in b"".join(tree(out).values())
    assert tree(out) == cold(source, tmp_path)


def test_a_preview_build_can_be_abandoned_within_the_open_data(make_project, tmp_path):
    """Making the open data is the longest step of a preview rebuild at national scale:
    a file saved meanwhile stops it there, not only once it is over."""
    source = make_project()
    out, cache = tmp_path / "site", BuildCache()
    build(source, out, today=TODAY, cache=cache)
    before, made = tree(out), cache.open_data
    edit(source / "officers.yaml", "020 7946 0001", "020 7946 0003")
    cancel = CancelledAfter(5)  # asked before load, validate, withhold, context and outputs: then inside the open data
    with pytest.raises(Superseded):
        build(source, out, today=TODAY, cache=cache, cancel=cancel)
    assert cancel.asked == 6
    assert cache.open_data is made  # stopped before the open data was finished
    assert tree(out) == before


def test_the_previews_cache_renders_only_what_an_edit_touches(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    source = generate.generate(tmp_path / "national", officers=200, boroughs=40, forces=5)
    out, cache = tmp_path / "site", BuildCache()
    build(source, out, today=TODAY, cache=cache)
    pages = cache.rendered
    text = (source / "officers.yaml").read_text(encoding="utf-8")
    first = text.index("  phone: ")
    (source / "officers.yaml").write_text(text[:first] + text[first:].replace("  phone: \"", "  phone: \"020 7946 0999\" #", 1),
                                          encoding="utf-8")
    build(source, out, today=TODAY, cache=cache)
    assert 0 < cache.rendered < 10 and cache.reused == pages - cache.rendered
    assert tree(out) == cold(source, tmp_path)


def test_the_previews_cache_follows_edits_across_records(tmp_path):
    """Edits whose effects cross from one record to another's pages (a borough's name on its
    officers' pages, an officer moving borough, a centre becoming a reporting centre...)."""
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    source = generate.generate(tmp_path / "national", officers=60, boroughs=20, forces=3)
    out, cache = tmp_path / "site", BuildCache()
    build(source, out, today=TODAY, cache=cache)
    officers = (source / "officers.yaml").read_text(encoding="utf-8")
    first_id = officers.split("- id: ", 2)[1].split("\n", 1)[0]
    first_boroughs = officers.split("  boroughs: [", 1)[1].split("]", 1)[0]
    boroughs = (source / "boroughs.yaml").read_text(encoding="utf-8")
    borough_ids = [line[len("- id: "):] for line in boroughs.splitlines() if line.startswith("- id: ")]
    borough_name = boroughs.split("  name: ", 1)[1].split("\n", 1)[0]
    other = next(b for b in borough_ids if b not in first_boroughs)
    edits = [
        ("boroughs.yaml", f"  name: {borough_name}\n", '  name: "Renamed Borough"\n'),
        ("officers.yaml", f"  boroughs: [{first_boroughs}]", f"  boroughs: [{other}]"),
        ("officers.yaml", "  role: volunteer", "  role: full-time"),
        ("organisations.yaml", "  services: [", "  third_party_reporting: true\n  services: ["),
        ("organisations.yaml", "  national: true\n", f"  boroughs: [{other}]\n"),
        ("site.yaml", "review_after_days: 180", "review_after_days: 90"),
        ("reporting.yaml", "and ask to speak to an LGBT+ liaison officer", "and ask for an LGBT+ liaison officer"),
    ]
    for name, old, new in edits:
        edit(source / name, old, new)
        build(source, out, today=TODAY, cache=cache)
        assert tree(out) == cold(source, tmp_path), f"after editing {name}: {new.strip()}"
    text = (source / "officers.yaml").read_text(encoding="utf-8")
    start = text.index(f"- id: {first_id}\n")
    end = text.index("\n- id: ", start) + 1
    (source / "officers.yaml").write_text(text[:start] + text[end:], encoding="utf-8")  # the officer leaves
    build(source, out, today=TODAY, cache=cache)
    assert not (out / f"officers/{first_id}").exists()
    assert tree(out) == cold(source, tmp_path)


def test_a_folder_in_the_spare_trees_place_that_is_not_ours_is_left_alone(make_project, tmp_path):
    source = make_project()
    out = tmp_path / "site"
    spare = spare_path(out)
    spare.mkdir()
    (spare / "notes.txt").write_text("someone's file", encoding="utf-8")
    with pytest.raises(OutputError):
        build(source, out, today=TODAY)
    assert (spare / "notes.txt").read_text(encoding="utf-8") == "someone's file"


def test_two_builds_into_the_same_folder_at_once_take_turns(make_project, tmp_path):
    """A preview running while someone builds in another terminal: one waits for the other."""
    import subprocess
    source = make_project()
    out = tmp_path / "site"
    build(source, out, today=TODAY)
    assert prepare_spare(out)
    edit(source / "site.yaml", "title: Test Directory", "title: Test Directory Four")
    command = [sys.executable, str(REPO / "build.py"), "build", "--source", str(source), "--out", str(out)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(3)]
    assert all(run.wait(120) == 0 for run in runs), [run.stdout.read() for run in runs]
    site = tree(out)
    assert b"Test Directory Four" in site["index.html"]
    fresh = tmp_path / "fresh"
    subprocess.run([*command[:-1], str(fresh)], check=True, capture_output=True)
    assert site == tree(fresh)


def test_a_part_made_for_one_page_and_reused_on_another_counts_as_read_by_both(make_project, tmp_path):
    """{% cache %} is on in the preview as in a build: a reused part brings what it read with it."""
    reused = '{% cache "force" %}{{ boroughs[0].force.name }}{% endcache %}\n'  # the second area reads nothing else
    source, cache = make_project({"templates/borough.html": reused}), BuildCache()
    build(source, tmp_path / "site", today=TODAY, cache=cache)
    edit(source / "site.yaml", "name: Test Police", "name: Test Constabulary")
    build(source, tmp_path / "site", today=TODAY, cache=cache)
    assert (tmp_path / "site/boroughs/southtown/index.html").read_text(encoding="utf-8") == "Test Constabulary"
    assert tree(tmp_path / "site") == cold(source, tmp_path)


def test_a_renamed_force_reaches_the_schema_org_data_of_its_officers_pages(make_project, tmp_path):
    """The schema.org data is made in Python, not through the template: the records it reads
    (structured.officer_sources) count as read by the page."""
    source, cache = make_project(), BuildCache()
    build(source, tmp_path / "site", today=TODAY, cache=cache)
    edit(source / "site.yaml", "name: Test Police", "name: Test Constabulary")
    build(source, tmp_path / "site", today=TODAY, cache=cache)
    assert b'"name":"Test Constabulary"' in (tmp_path / "site/officers/alex-example/index.html").read_bytes()
    assert tree(tmp_path / "site") == cold(source, tmp_path)
