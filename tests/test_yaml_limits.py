"""YAML from a pull request cannot take unbounded time or memory, nor run anything.

The expensive cases run in a subprocess with a memory limit (RLIMIT_AS) and a
timeout: without the protection they would be killed or time out, not merely
be slower.
"""
from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from hostile import REPO, run
from liaison.load import MAX_DEPTH, parse_yaml

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: ample for the tool, far too little for a bomb
TIMEOUT = 60


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def check_in_subprocess(root):
    """build.py check, in a subprocess that may use at most 1 GiB and a minute."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--source", str(root)],
                          capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=limited)


def messages(problems):
    return [str(p) for p in problems]


LIST_BOMB = "\n".join(
    ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 12)]) + "\n"

# Merge keys copy every key of every merged mapping: PyYAML's constructor is exponential in the levels.
MERGE_BOMB = "\n".join(
    ["- &m0 {id: x, name: y}"]
    + [f"- &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}" for i in range(1, 12)]) + "\n"


@pytest.mark.parametrize("bomb, where", [(LIST_BOMB, "2:14"), (MERGE_BOMB, "2:13")], ids=["list-aliases", "merge-keys"])
def test_a_billion_laughs_is_refused_in_bounded_time_and_memory(make_project, bomb, where):
    root = make_project({"officers.yaml": bomb})
    result = check_in_subprocess(root)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"officers.yaml:{where}: aliases (*{'lol0' if bomb is LIST_BOMB else 'm0'}) are not allowed in the data files "
        "(write the value out in full, or put quotes around text that starts with *)",
        "1 error, 0 warnings, 0 info",
    ]


NESTED = {
    # 100,000 open brackets crash PyYAML's C composer (the stack overflows), not just slow it; some
    # libyaml versions stop at their own limit while reading ahead, in their own words.
    "lists": ("[" * 100_000 + "]" * 100_000 + "\n", 1, MAX_DEPTH + 1),
    "fields": ("{a: " * 100_000 + "1" + "}" * 100_000 + "\n", 1, 4 * MAX_DEPTH + 1),
    # The list of records is the first level; the bracket that opens level 21 is the 20th.
    "both": ("- " + "[{a: " * 50_000 + "\n", 1, 3 + 5 * ((MAX_DEPTH - 1) // 2) + (MAX_DEPTH - 1) % 2),
    "after a quoted bracket": ("- '[[[[[[[[[[[[[[[[[[[[[[[['\n- " + "[" * 100_000 + "\n", 2, MAX_DEPTH + 2),
    "indented lists": ("".join(" " * i + "-\n" for i in range(2_000)), MAX_DEPTH + 1, MAX_DEPTH + 1),
}


@pytest.mark.parametrize("text, line, column", NESTED.values(), ids=NESTED.keys())
def test_deep_nesting_is_refused_in_bounded_time_and_memory(make_project, text, line, column):
    # The project's own message, whatever the YAML library's own limit and wording.
    root = make_project({"officers.yaml": text})
    result = check_in_subprocess(root)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"officers.yaml:{line}:{column}: the data is nested more than {MAX_DEPTH} levels deep here "
        "(check the indentation and that every [ and { is closed)",
        "1 error, 0 warnings, 0 info",
    ]


def test_an_oversized_file_is_refused_before_it_is_read(make_project):
    root = make_project()
    with open(root / "officers.yaml", "ab") as stream:
        stream.truncate(4_000_000_000)  # sparse: 4 GB to the tool, nothing on disk
    result = check_in_subprocess(root)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "officers.yaml:1:1: this file is 4,000,000,000 bytes, more than the limit of 5,000,000 "
        "(split it up, or raise max_file_bytes in site.yaml)",
        "1 error, 0 warnings, 0 info",
    ]


def test_the_limit_is_set_in_site_yaml_and_applies_to_pages_too(make_project):
    root = make_project()
    site = (root / "site.yaml").read_text(encoding="utf-8") + "max_file_bytes: 600\n"
    (root / "site.yaml").write_text(site, encoding="utf-8")
    with open(root / "officers.yaml", "a", encoding="utf-8") as stream:
        stream.write("# " + "A long comment. " * 25 + "\n")
    size = (root / "officers.yaml").stat().st_size
    (root / "content" / "long.md").write_text("---\ntitle: Long\ndescription: Long.\n---\n" + "word " * 200, encoding="utf-8")
    code, err, _ = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == [
        "content/long.md:1:1: this file is 1,039 bytes, more than the limit of 600 (split it up, or raise max_file_bytes in site.yaml)",
        f"officers.yaml:1:1: this file is {size:,} bytes, more than the limit of 600 (split it up, or raise max_file_bytes in site.yaml)",
        "2 errors, 0 warnings, 0 info",
    ]


def test_a_limit_that_is_not_a_positive_number_is_an_error(make_project):
    root = make_project()
    (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8") + "max_file_bytes: 0\n", encoding="utf-8")
    code, err, _ = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == ["site.yaml:12:17: 'max_file_bytes' must be 1 or more, not 0", "1 error, 0 warnings, 0 info"]


# What the YAML may not use, and why each is refused where it is written.

def test_an_alias_is_refused_where_it_is_used():
    _, problems = parse_yaml("- id: a\n  name: &n Alex\n- id: b\n  name: *n\n", "officers.yaml")
    assert messages(problems) == ["officers.yaml:4:9: aliases (*n) are not allowed in the data files "
                                  "(write the value out in full, or put quotes around text that starts with *)"]


def test_an_anchor_alone_is_refused_because_the_value_silently_vanishes():
    data, problems = parse_yaml("- id: a\n  name: &Co\n", "officers.yaml")
    assert data is None
    assert messages(problems) == ["officers.yaml:2:9: anchors (&Co) are not allowed in the data files "
                                  "(put quotes around text that starts with &)"]


@pytest.mark.parametrize("value, tag", [("!!python/object/apply:os.system ['touch /tmp/pwned']", "!!python/object/apply:os.system"),
                                        ("!!binary aGVsbG8=", "!!binary"), ("!!int '7'", "!!int"), ("!secret x", "!secret")])
def test_tags_are_refused(value, tag):
    _, problems = parse_yaml(f"- id: a\n  name: {value}\n", "officers.yaml")
    assert messages(problems) == [f"officers.yaml:2:9: tags such as {tag} are not allowed in the data files "
                                  "(put quotes around text that starts with !)"]


def test_nesting_deeper_than_the_limit_is_refused_and_at_the_limit_accepted():
    data, problems = parse_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH, "officers.yaml")
    assert problems == [] and data is not None
    _, problems = parse_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "officers.yaml")
    assert messages(problems) == [f"officers.yaml:1:{MAX_DEPTH + 1}: the data is nested more than {MAX_DEPTH} levels "
                                  "deep here (check the indentation and that every [ and { is closed)"]


# Values PyYAML's constructors used to fail on with a Python exception.

@pytest.mark.parametrize("text", ["0x_", "0b_", "._", "1" + "0" * 5000, "2026-02-30", "0000-01-01",
                                  "2001-12-14t21:59:43.10-25:00", "1999-01-01 25:00:00"])
def test_values_that_only_look_like_numbers_or_dates_stay_text(text):
    data, problems = parse_yaml(f"value: {text}\n", "f.yaml")
    assert problems == []
    assert data == {"value": text}


def test_a_date_that_does_not_exist_is_reported_as_such(make_project):
    officers = (make_project().joinpath("officers.yaml")).read_text(encoding="utf-8")
    root = make_project({"officers.yaml": officers.replace("2026-11-01", "2026-02-30")})
    code, err, _ = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == ["officers.yaml:11:18: 'last_verified' is not a date that exists: '2026-02-30' "
                                "(check the day and the month)", "1 error, 0 warnings, 0 info"]


def test_a_control_character_is_reported_at_its_line_and_column():
    _, problems = parse_yaml("- id: a\n  name: Al\x07ex\n", "officers.yaml")
    assert messages(problems) == ["officers.yaml:2:11: YAML syntax error: there is an invisible control character here "
                                  "(delete it: retype the value, or delete the line and type it again)"]


def test_a_control_character_in_front_matter_counts_lines_from_the_top_of_the_file():
    _, problems = parse_yaml("title: A\x00\n", "content/a.md", line_offset=1)
    assert messages(problems) == ["content/a.md:2:9: YAML syntax error: there is an invisible control character here "
                                  "(delete it: retype the value, or delete the line and type it again)"]
