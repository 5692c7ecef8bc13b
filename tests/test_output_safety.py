"""The output directory: never one whose replacement destroys someone's files, and never half-written."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from hostile import REPO, copy_sample, leftovers, run, snapshot

import liaison.engine
import liaison.fast
from liaison.write import recover_interrupted


@pytest.fixture
def no_writing(monkeypatch):
    """Make any attempt to write the site fail the test instead of touching the file system."""
    def refuse(*args, **kwargs):
        raise AssertionError("the build tried to write the site")
    monkeypatch.setattr(liaison.engine, "write_site", refuse)
    monkeypatch.setattr(liaison.fast, "update_site", refuse)
    monkeypatch.setattr(liaison.fast, "SiteWriter", refuse)


def test_out_equal_to_the_source_is_refused(make_project, no_writing):
    root = make_project()
    before = snapshot(root)
    code, _, err = run("build", "--source", root, "--out", root)
    assert code == 2
    assert err == (f"build.py: error: refusing to build into {root.resolve()}: it contains the source files. "
                   "Choose another --out, e.g. _site\n")
    assert snapshot(root) == before


def test_out_containing_the_source_is_refused(make_project, no_writing):
    root = make_project()
    code, _, err = run("build", "--source", root, "--out", root.parent)
    assert code == 2
    assert err == (f"build.py: error: refusing to build into {root.parent.resolve()}: it contains the source files. "
                   "Choose another --out, e.g. _site\n")


def test_the_root_of_the_file_system_is_refused(make_project, no_writing):
    root = make_project()
    code, _, err = run("build", "--source", root, "--out", "/")
    assert code == 2
    assert err == "build.py: error: refusing to build into /: it is the top of the file system. Choose another --out, e.g. _site\n"


def test_the_home_directory_is_refused_even_when_empty(make_project, no_writing, monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()  # empty: only the home-directory rule protects it
    monkeypatch.setenv("HOME", str(home))
    root = make_project()
    code, _, err = run("build", "--source", root, "--out", home)
    assert code == 2
    assert err == (f"build.py: error: refusing to build into your home directory {home.resolve()}. "
                   "Choose another --out, e.g. _site\n")


def test_a_folder_containing_the_home_directory_is_refused(make_project, no_writing, monkeypatch, tmp_path):
    users = tmp_path / "users"
    (users / "sam").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(users / "sam"))
    root = make_project()
    code, _, err = run("build", "--source", root, "--out", users)
    assert code == 2
    assert err == (f"build.py: error: refusing to build into {users.resolve()}: it contains your home directory. "
                   "Choose another --out, e.g. _site\n")


def test_a_non_empty_folder_the_tool_did_not_make_is_refused(make_project, no_writing, tmp_path):
    root = make_project()
    out = tmp_path / "Documents"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    code, _, err = run("build", "--source", root, "--out", out)
    assert code == 2
    assert err == (f"build.py: error: refusing to replace {out.resolve()}: it is not empty and was not made by this tool. "
                   "Choose a new or empty directory for --out\n")
    assert (out / "thesis.docx").read_bytes() == b"years of work"


def test_a_file_is_refused(make_project, no_writing, tmp_path):
    root = make_project()
    out = tmp_path / "notes.txt"
    out.write_text("mine")
    code, _, err = run("build", "--source", root, "--out", out)
    assert code == 2
    assert err == f"build.py: error: refusing to build into {out.resolve()}: it is a file, not a directory\n"
    assert out.read_text() == "mine"


@pytest.mark.parametrize("folder", ["assets", "content", "templates"])
def test_a_folder_the_build_reads_is_refused(make_project, no_writing, folder):
    root = make_project()
    out = root / folder / "site"
    code, _, err = run("build", "--source", root, "--out", out)
    assert code == 2
    assert err == (f"build.py: error: refusing to build into {out.resolve()}: the build reads {folder}/. "
                   "Choose another --out, e.g. _site\n")
    assert not out.exists()


def test_an_empty_folder_and_a_folder_it_made_are_used(make_project, tmp_path):
    root = make_project()
    out = tmp_path / "empty"
    out.mkdir()
    assert run("build", "--source", root, "--out", out)[0] == 0
    assert (out / ".liaison-site").is_file()
    assert run("build", "--source", root, "--out", out)[0] == 0  # its own output: replaced


def test_a_failed_build_leaves_the_previous_site_untouched(make_project, tmp_path):
    root = make_project()
    out = tmp_path / "site"
    assert run("build", "--source", root, "--out", out)[0] == 0
    before = snapshot(out)
    (root / "officers.yaml").write_text("- id: [broken\n", encoding="utf-8")
    code, _, err = run("build", "--source", root, "--out", out)
    assert code == 1
    assert err.endswith("Build stopped: 1 error, 0 warnings, 0 info. Nothing was written.\n")
    assert snapshot(out) == before
    assert leftovers(out) == []


# A build killed part-way, as by a power cut of the process, a CI timeout or Ctrl+\.

def big_project(root: Path, officers: int, bio: str) -> Path:
    """The sample data with many officers, so that writing the site takes a while."""
    copy_sample(root)
    boroughs = [b["id"] for b in yaml.safe_load((root / "boroughs.yaml").read_text(encoding="utf-8"))]
    records = [{"id": f"officer-{i:04d}", "name": f"Officer {i:04d}", "role": ("full-time", "volunteer")[i % 2],
                "boroughs": [boroughs[i % len(boroughs)]], "email": f"officer.{i}@example.org",
                "bio": f"{bio} {i}.", "last_verified": "2026-10-01"} for i in range(officers)]
    (root / "officers.yaml").write_text(yaml.safe_dump(records, sort_keys=False), encoding="utf-8")
    (root / "events.yaml").unlink(missing_ok=True)  # its events name the sample officers replaced above
    return root


def build_command(root, out):
    return [sys.executable, str(REPO / "build.py"), "build", "--source", str(root), "--out", str(out)]


def staged_files(out: Path, since: float):
    """How many files this build has written into the spare tree (write.py), or None before the first."""
    count = 0
    for folder, _, files in os.walk(out.parent / f".{out.name}.spare"):
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                count += os.lstat(os.path.join(folder, name)).st_mtime >= since
    return count or None


def kill_while_writing(root, out, after_files, timeout=120):
    """Start a build, SIGKILL it once it has staged after_files files. Returns True if it was killed mid-write."""
    since = time.time() - 0.01
    process = subprocess.Popen(build_command(root, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            staged = staged_files(out, since)
            if staged is not None and staged >= after_files:
                process.send_signal(signal.SIGKILL)
                process.wait()
                return True
            time.sleep(0.005)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_build_killed_while_writing_leaves_the_previous_site_intact(tmp_path):
    root = big_project(tmp_path / "project", 400, "First edition")
    out = tmp_path / "site"
    subprocess.run(build_command(root, out), check=True, capture_output=True)
    previous = snapshot(out)
    big_project(tmp_path / "changed", 400, "Second edition")  # every officer page changes
    (root / "officers.yaml").write_bytes((tmp_path / "changed" / "officers.yaml").read_bytes())

    after_kills = []
    for after_files in (0, 5, 20, 150, 300):  # early points too: a quick machine writes 400 pages fast
        killed = kill_while_writing(root, out, after_files)
        if killed and not out.exists():
            # Killed between swap_in's two renames: the next build first puts the previous site back.
            assert recover_interrupted(out)
        after_kills.append((after_files, killed, snapshot(out)))
        if after_kills[-1][2] != previous:
            break  # the build finished first, or was killed after the swap: the site is the new one

    result = subprocess.run(build_command(root, out), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    changed = snapshot(out)
    assert changed != previous
    assert leftovers(out) == []
    for after_files, killed, site in after_kills:
        # Killed mid-write: the previous site, byte for byte. Finished first: the new one, complete.
        assert site in (previous, changed), f"a half-written site after a kill at {after_files} files"
    assert sum(site == previous for _, _, site in after_kills) >= 2, "the build was too quick to be killed while writing"


def test_a_build_killed_between_the_two_renames_is_recovered_by_the_next(make_project, tmp_path):
    root = make_project()
    out = tmp_path / "site"
    assert run("build", "--source", root, "--out", out)[0] == 0
    previous = snapshot(out)
    # swap_in renames out aside, then the new site into place: a kill between the two leaves this.
    out.rename(tmp_path / ".site.old-4242")
    (tmp_path / ".site.new-abcd").mkdir()
    (tmp_path / ".site.new-abcd" / "index.html").write_text("half")

    (root / "officers.yaml").write_text("- id: [broken\n", encoding="utf-8")
    code, _, _ = run("build", "--source", root, "--out", out)
    assert code == 1
    assert snapshot(out) == previous  # even a failing build puts the previous site back

    out.rename(tmp_path / ".site.old-4243")
    make_project()  # the data fixed again
    code, _, _ = run("build", "--source", root, "--out", out)
    assert code == 0
    assert snapshot(out).keys() == previous.keys()
    assert leftovers(out) == []


def test_leftovers_of_an_interrupted_build_are_cleaned_up(make_project, tmp_path):
    root = make_project()
    out = tmp_path / "site"
    assert run("build", "--source", root, "--out", out)[0] == 0
    for name in (".site.new-x1y2", ".site.old-999"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "junk.html").write_text("junk")
    assert run("build", "--source", root, "--out", out)[0] == 0
    assert leftovers(out) == []
    assert not (out / "junk.html").exists()
