"""Rebuilds write only what changed, and always give exactly the site a build from nothing gives."""
import os
import re
import shutil
import sys
import textwrap
import time
import venv

import pytest

from liaison import parallel
from liaison.errors import DataError, OutputError
from liaison.incremental import BuildCache
from liaison.pipeline import build
from liaison.pipeline import check
from liaison.write import MANIFEST, prepare_spare, spare_path
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


def test_a_spare_tree_left_half_updated_is_checked_by_reading_it(make_project, tmp_path):
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


def test_the_benchmark_data_passes_validation(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    source = generate.generate(tmp_path / "national", officers=40, boroughs=20, forces=4)
    again = generate.generate(tmp_path / "again", officers=40, boroughs=20, forces=4)
    _, problems = check(source)
    assert problems == []
    assert (source / "officers.yaml").read_bytes() == (again / "officers.yaml").read_bytes()
    assert (source / "officers.yaml").read_text(encoding="utf-8").count("\n- id: ") == 39


def test_the_benchmark_times_a_whole_build_command(tmp_path):
    """bench/run.py's timed_build runs bench/one_build.py: the build's figures, and the whole command's time."""
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    import run
    source = generate.generate(tmp_path / "national", officers=40, boroughs=20, forces=4)
    figures = run.timed_build(source, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file()
    assert figures["written"] == figures["files"] > 40
    assert set(figures["timings"]) >= {"load", "validate", "context", "render", "write"}
    assert 0 < figures["seconds"] < figures["command"]


def test_the_benchmark_counts_the_builds_own_memory_not_its_own(tmp_path):
    """Linux carries a process's peak memory across exec into the program it starts:
    300 MB touched here must not be reported as the build's."""
    import mmap
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    import run
    with mmap.mmap(-1, 300 * 2**20) as memory:
        for offset in range(0, len(memory), mmap.PAGESIZE):
            memory[offset] = 1
    source = generate.generate(tmp_path / "national", officers=40, boroughs=20, forces=4)
    assert run.timed_build(source, tmp_path / "site")["peak_mb"] < 200


def test_the_benchmark_reports_the_machines_own_speed_beside_the_disks():
    sys.path.insert(0, str(REPO / "bench"))
    import run
    floors = [{"count": 12900, "make": make, "make_sys": 0.9, "link": 0.38, "loop": loop, "memory": memory}
              for make, loop, memory in [(1.35, 0.24, 0.21), (1.32, 0.31, 0.52), (1.40, 0.25, 0.22)]]
    assert run.floor_table([{"officers": 10000, "floors": floors}]).splitlines()[-1] == (
        "| 10,000 | 12,900 | 1.35 s (1.32-1.40) | 0.90 s | 0.38 s | 0.25 s (0.24-0.31) | 0.22 s (0.21-0.52) |")


def test_the_benchmark_builds_with_the_python_it_is_given(tmp_path, monkeypatch):
    """--python: every build runs with that interpreter, and the report says which one it was."""
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    import run
    recorder = tmp_path / "python"
    recorder.write_text(f"#!/bin/sh\necho \"$@\" >> {tmp_path / 'calls'}\nexec {sys.executable} \"$@\"\n")
    recorder.chmod(0o755)
    monkeypatch.setattr(run, "PYTHON", str(recorder))
    source = generate.generate(tmp_path / "national", officers=40, boroughs=20, forces=4)
    assert run.timed_build(source, tmp_path / "site")["written"] > 40
    assert "bench/one_build.py" in (tmp_path / "calls").read_text()
    version, program = run.interpreter(str(recorder)).split(" ", 1)
    assert version == ".".join(map(str, sys.version_info[:3]))
    assert program == f"({os.path.realpath(sys._base_executable)})"


def test_the_benchmark_stops_at_once_when_its_python_cannot_run_the_generator(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    import run
    bare = tmp_path / "bare"
    venv.create(bare, with_pip=False)
    with pytest.raises(SystemExit) as stopped:
        run.check_interpreter(str(bare / "bin" / "python"))
    missing = re.search(r"No module named '(\w+)'", str(stopped.value)).group(1)  # whichever is imported first
    assert str(stopped.value) == (
        f"bench/run.py: error: {bare}/bin/python cannot run the generator (ModuleNotFoundError: No module named "
        f"'{missing}'). Give it an environment of its own: {bare}/bin/python -m venv .venv-other && "
        f".venv-other/bin/pip install -e .")
    run.check_interpreter(sys.executable)  # the benchmark's own: no error


def test_the_benchmark_waits_five_minutes_after_trees_were_deleted(tmp_path, monkeypatch, capsys):
    """Making files costs this disk more for minutes after many were deleted: a run started
    soon after the last one (which deletes its trees when it ends) waits until that has passed."""
    sys.path.insert(0, str(REPO / "bench"))
    import run
    slept = []
    monkeypatch.setattr(run, "TRASH", tmp_path / "trash")
    monkeypatch.setattr(run, "EMPTIED", tmp_path / "trash-emptied")
    monkeypatch.setattr(run.time, "sleep", slept.append)
    run.empty_trash(wait=True)  # nothing was ever deleted: no wait
    assert slept == []
    (tmp_path / "site").mkdir()
    run.discard(tmp_path / "site")
    run.empty_trash()  # the end of a run
    assert not (tmp_path / "trash").exists() and not (tmp_path / "site").exists()
    ago = time.time() - 100
    os.utime(tmp_path / "trash-emptied", (ago, ago))
    run.empty_trash(wait=True)  # the next run, 100 s later
    assert len(slept) == 1 and 199 <= slept[0] <= 200
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Waiting 200 s: trees were deleted 100 s ago, and until 5 minutes have passed, making files "
        "costs this disk more.")
    ago = time.time() - 301
    os.utime(tmp_path / "trash-emptied", (ago, ago))
    run.empty_trash(wait=True)
    assert len(slept) == 1


def test_the_report_names_the_probes_python_only_when_the_builds_used_another():
    sys.path.insert(0, str(REPO / "bench"))
    import run
    same = {"python": "3.11.2 (/usr/bin/python3.11)", "probe python": "3.11.2 (/usr/bin/python3.11)"}
    other = {**same, "probe python": "3.11.7 (/opt/python/bin/python3.11)"}
    assert run.probe_python(same) == ""
    assert run.probe_python(other) == " (the machine probe with Python 3.11.7 (/opt/python/bin/python3.11))"


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
    from liaison.pipeline import Superseded
    source = make_project()
    out, cache = tmp_path / "site", BuildCache()
    build(source, out, today=TODAY, cache=cache)
    before, made = tree(out), cache.open_data
    edit(source / "officers.yaml", "020 7946 0001", "020 7946 0003")
    asked = []

    def superseded(last):
        asked.append(last)
        return len(asked) > 4  # after check, load, validate and context: inside the open data

    with pytest.raises(Superseded):
        build(source, out, today=TODAY, cache=cache, superseded=superseded)
    assert asked == [False] * 5
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
