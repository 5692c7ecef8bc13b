"""`build.py check` and `build.py build` on the command line: output, counts, exit codes, no tracebacks."""
from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import textwrap

from conftest import MINIMAL, REPO, TODAY
from liaison.pipeline import check

TODAY_ARG = ("--today", TODAY.isoformat())


def edit(name, old, new, base=MINIMAL):
    text = textwrap.dedent(base[name])
    assert text.count(old) == 1
    return {name: text.replace(old, new)}


def test_check_on_good_data_exits_0_and_ends_with_the_count(make_project, run_cli):
    root = make_project()
    code, out, err = run_cli("check", "--source", root, *TODAY_ARG)
    assert (code, out, err) == (0, "0 errors, 0 warnings, 0 info\n", "")


def test_check_lists_every_problem_then_the_count_and_exits_1(make_project, run_cli):
    files = edit("officers.yaml", "boroughs: [northtown]", "boroughs: [nortown]")
    files.update(edit("organisations.yaml", "website: https://helpline", "website: http://helpline"))
    root = make_project(files)
    code, out, err = run_cli("check", "--source", root, *TODAY_ARG)
    assert code == 1 and err == ""
    assert out.splitlines() == [
        "boroughs.yaml:1:7: warning: borough 'northtown' has no officer (add it to an officer's boroughs, "
        "or add 'no_officer: true' to the borough if that is known)",
        "officers.yaml:6:14: unknown borough 'nortown' (did you mean 'northtown'?)",
        "organisations.yaml:7:12: warning: 'website' uses http, which is not secure (use the https:// address if the site has one)",
        "1 error, 2 warnings, 0 info",
    ]


def test_warnings_alone_pass_unless_strict(make_project, run_cli):
    root = make_project(edit("organisations.yaml", "website: https://helpline", "website: http://helpline"))
    code, out, _ = run_cli("check", "--source", root, *TODAY_ARG)
    assert code == 0 and out.endswith("0 errors, 1 warning, 0 info\n")
    code, out, _ = run_cli("check", "--source", root, "--strict", *TODAY_ARG)
    assert code == 1 and out.endswith("0 errors, 1 warning, 0 info (--strict: warnings count as errors)\n")


def test_info_lines_are_counted_and_listed_on_request(make_project, run_cli):
    root = make_project(edit("boroughs.yaml", "postcode_districts: [ST1]", "postcode_districts: [ST1, NT2]"))
    code, out, _ = run_cli("check", "--source", root, *TODAY_ARG)
    assert (code, out) == (0, "0 errors, 0 warnings, 1 info; add --info to list the info lines\n")
    code, out, _ = run_cli("check", "--source", root, "--info", "--strict", *TODAY_ARG)
    assert code == 0  # info never fails a check, even a strict one
    assert out.splitlines() == [
        "boroughs.yaml:4:29: info: postcode district NT2 is in 2 boroughs: northtown, southtown "
        "(people who search for it will be asked to choose)",
        "0 errors, 0 warnings, 1 info",
    ]


def test_today_decides_what_is_due_for_review(make_project, run_cli):
    root = make_project()
    code, out, _ = run_cli("check", "--source", root, "--today", "2027-06-01")
    assert code == 0
    assert "officers.yaml:11:18: warning: officer 'alex-example' is due for review: last verified 2026-11-01, 212 days ago" in out
    assert out.endswith("0 errors, 5 warnings, 0 info\n")


def test_usage_mistakes_exit_2(tmp_path, run_cli):
    code, _, err = run_cli("check", "--source", tmp_path / "nowhere")
    assert code == 2 and err == f"build.py: error: the source folder {tmp_path / 'nowhere'} does not exist\n"
    try:
        run_cli("check", "--today", "21/11/2026")
    except SystemExit as exit:
        assert exit.code == 2
    else:
        raise AssertionError("argparse should have stopped")


def test_build_runs_the_same_check_and_writes_nothing_on_errors(make_project, run_cli, tmp_path):
    root = make_project(edit("officers.yaml", "boroughs: [northtown]", "boroughs: [nortown]"))
    out_dir = tmp_path / "out"
    code, out, err = run_cli("build", "--source", root, "--out", out_dir, *TODAY_ARG)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "boroughs.yaml:1:7: warning: borough 'northtown' has no officer (add it to an officer's boroughs, "
        "or add 'no_officer: true' to the borough if that is known)",
        "officers.yaml:6:14: unknown borough 'nortown' (did you mean 'northtown'?)",
        "Build stopped: 1 error, 1 warning, 0 info. Nothing was written.",
    ]
    assert not out_dir.exists()


def test_build_strict_stops_on_warnings(make_project, run_cli, tmp_path):
    root = make_project(edit("organisations.yaml", "website: https://helpline", "website: http://helpline"))
    out_dir = tmp_path / "out"
    code, _, err = run_cli("build", "--source", root, "--out", out_dir, "--strict", *TODAY_ARG)
    assert code == 1
    assert err.splitlines()[-1] == ("Build stopped: 0 errors, 1 warning, 0 info (--strict: warnings count as errors). "
                                    "Nothing was written.")
    assert not out_dir.exists()
    code, out, err = run_cli("build", "--source", root, "--out", out_dir, *TODAY_ARG)
    assert code == 0 and out.startswith("Built ")
    assert "organisations.yaml:7:12: warning: 'website' uses http" in err


def test_build_does_not_print_info_lines(make_project, run_cli, tmp_path):
    root = make_project(edit("boroughs.yaml", "postcode_districts: [ST1]", "postcode_districts: [ST1, NT2]"))
    code, _, err = run_cli("build", "--source", root, "--out", tmp_path / "out", *TODAY_ARG)
    assert code == 0 and err == ""


def run_build_py(*args, cwd=REPO):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, str(REPO / "build.py"), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


BROKEN = {
    "syntax error": {"officers.yaml": "- id: a\n  name: [oops\n"},
    "tab": {"boroughs.yaml": "- id: a\n\tname: A\n"},
    "invalid date": {"officers.yaml": "- id: a\n  last_verified: 2026-02-30\n"},
    "not UTF-8": {"site.yaml": b"title: caf\xe9\n"},
    "binary junk": {"reporting.yaml": bytes(range(256))},
    "empty file": {"organisations.yaml": ""},
    "a bare value": {"site.yaml": "just some text\n"},
    "a list key": {"officers.yaml": "- [a, b]: c\n"},
    "unknown tag": {"officers.yaml": "- id: !secret a\n"},
    "python tag": {"officers.yaml": "- !!python/object:os.system {}\n"},
    "a folder in place of a file": {"officers.yaml": None},
    "a file is missing": {"reporting.yaml": False},
    "deep nesting": {"officers.yaml": "- id: " + "[" * 5000 + "]" * 5000 + "\n"},
    "second document": {"officers.yaml": "- id: a\n---\n- id: b\n"},
    "front matter": {"content/about.md": "---\ntitle: [About\n---\nBody\n"},
    "null byte": {"officers.yaml": "- id: a\x00b\n"},
}


def write_broken(root, change):
    for name, content in change.items():
        path = root / name
        if content is None:
            path.unlink()
            path.mkdir()
        elif content is False:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def test_no_traceback_for_any_broken_input(make_project, tmp_path, run_cli):
    """Each broken project exits 1 from a subprocess with its problems listed and no traceback;
    the build (in-process, where an exception would fail the test) stops and writes nothing."""
    for label, change in BROKEN.items():
        root = make_project()
        write_broken(root, change)
        result = run_build_py("check", "--source", root, *TODAY_ARG)
        assert "Traceback" not in result.stderr + result.stdout, label
        assert result.returncode == 1, (label, result.stdout, result.stderr)
        assert re.match(r"[1-9][0-9]* errors?, [0-9]+ warnings?, [0-9]+ info", result.stdout.splitlines()[-1]), label
        code, _, err = run_cli("build", "--source", root, "--out", tmp_path / "out", *TODAY_ARG)
        assert code == 1 and err.endswith("Nothing was written.\n"), label
        assert not (tmp_path / "out").exists(), label
        for path in sorted(root.rglob("*"), reverse=True):  # start the next case afresh
            path.rmdir() if path.is_dir() else path.unlink()


def test_random_damage_to_the_sample_data_never_raises(tmp_path):
    """Deleting, duplicating and mangling lines of the real data is always a reported problem, never a crash."""
    names = ("site.yaml", "boroughs.yaml", "officers.yaml", "organisations.yaml", "reporting.yaml")
    originals = {name: (REPO / name).read_text(encoding="utf-8") for name in names}
    junk = ["\t", ":", "- ", "[", "]", "{", "'", '"', "*", "&", "#", "|", ">", "  ", "@", "%", "!", "?", ",", "\\"]
    rng = random.Random(20261121)
    root = tmp_path / "data"
    root.mkdir()
    for _ in range(100):
        for name, text in originals.items():
            (root / name).write_text(text, encoding="utf-8")
        name = rng.choice(names)
        lines = originals[name].split("\n")
        index = rng.randrange(len(lines))
        action = rng.randrange(4)
        if action == 0:
            del lines[index]
        elif action == 1:
            lines.insert(index, lines[rng.randrange(len(lines))])
        else:
            line = lines[index]
            at = rng.randint(0, len(line))
            lines[index] = line[:at] + rng.choice(junk) + line[at + (action == 3):]
        (root / name).write_text("\n".join(lines), encoding="utf-8")
        _, problems = check(root, today=TODAY)  # must not raise
        for problem in problems:
            assert problem.line >= 1 and problem.col >= 1 and problem.message


def test_the_sample_data_passes_the_strict_check_of_every_pull_request(run_cli):
    """A fork's first pull request must not fail on the sample itself (docs/editing.md shows how an
    overdue record looks instead)."""
    code, out, err = run_cli("check", "--source", REPO, "--strict", *TODAY_ARG)
    assert (code, err) == (0, "")
    assert out == "0 errors, 0 warnings, 73 info; add --info to list the info lines\n"


def test_the_overdue_record_in_the_editing_guide_is_what_check_prints(tmp_path, run_cli):
    """docs/editing.md shows a sample officer last verified on 30 March 2026, and the warning for it."""
    guide = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
    shown = re.search(r"^officers\.yaml:\d+:\d+: warning: officer 'rhys-bennett' .*$", guide, re.MULTILINE).group()
    for name in ("site.yaml", "boroughs.yaml", "officers.yaml", "organisations.yaml", "reporting.yaml", "events.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    officers = (tmp_path / "officers.yaml").read_text(encoding="utf-8")
    record = officers.index("- id: rhys-bennett")
    dated = re.compile(r"last_verified: \d{4}-\d\d-\d\d").search(officers, record)
    officers = officers[:dated.start()] + "last_verified: 2026-03-30" + officers[dated.end():]
    (tmp_path / "officers.yaml").write_text(officers, encoding="utf-8")
    code, out, _ = run_cli("check", "--source", tmp_path, "--strict", *TODAY_ARG)
    assert code == 1
    assert out.splitlines() == [shown, "0 errors, 1 warning, 73 info (--strict: warnings count as errors); "
                                       "add --info to list the info lines"]
