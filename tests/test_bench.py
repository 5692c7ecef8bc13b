"""bench/: the synthetic data, the timed builds, the machine probe and the report (the Hugo
reference is tests/test_bench_hugo.py). Figures themselves are never asserted: only that the
benchmark measures what it says."""
import json
import os
import re
import sys
import time
import venv

import pytest

from liaison.pipeline import check
from tests.conftest import REPO


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
    assert list(figures["timings"]) == ["load", "validate", "withhold", "context", "outputs", "publish"]
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


def test_the_comparison_of_two_revisions_names_every_file_that_differs(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    import compare
    for name, files in {"a": {"index.html": b"x", "same.css": b"s", ".liaison-manifest": b"1"},
                        "b": {"index.html": b"y", "same.css": b"s", "new.html": b"n", ".liaison-manifest": b"2"}}.items():
        for rel, content in files.items():
            (tmp_path / name / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / rel).write_bytes(content)
    assert compare.differing(tmp_path / "a", tmp_path / "b") == ["index.html", "new.html"]
    assert compare.differing(tmp_path / "a", tmp_path / "a") == []


def test_the_preview_is_timed_after_each_one_line_edit(tmp_path, capsys):
    sys.path.insert(0, str(REPO / "bench"))
    import generate
    import preview_edit
    source = generate.generate(tmp_path / "national", officers=30, boroughs=10, forces=2)
    before = (source / "officers.yaml").read_text(encoding="utf-8")
    preview_edit.main(source, tmp_path / "site", 2)
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == {"pages_first", "complete"} and all(value > 0 for value in figures.values())
    after = (source / "officers.yaml").read_text(encoding="utf-8")
    assert len([1 for old, new in zip(before.splitlines(), after.splitlines()) if old != new]) == 2


def test_run_with_a_base_revision_compares_in_turns_with_its_sizes_rounds_and_preview(monkeypatch):
    sys.path.insert(0, str(REPO / "bench"))
    import compare
    import run
    calls = []
    monkeypatch.setattr(compare, "compare", lambda *args: calls.append(args))
    assert run.main(["--base", "HEAD~1", "--sizes", "2000", "10000", "--repeat", "5", "--reload-sizes", "1000"]) == 0
    assert run.main(["--base", "main", "--reload-sizes"]) == 0
    assert calls == [("HEAD~1", [2000, 10000], 5, 1000), ("main", [1000, 10000], 3, None)]
