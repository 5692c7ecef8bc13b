"""Fuzzing: whatever the data files hold, the tool builds or stops with path:line:col messages.

It never raises an unhandled exception, never hangs, and never leaves a
half-written output directory: the output is always the previous complete
site or a new complete one.

A few hundred examples run by default (derandomised, so CI is repeatable). For
a longer, random search:

    FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL, write_project
from hostile import DATA_FILES, copy_sample, leftovers, run, snapshot
from liaison import schema as S

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
settings.register_profile("default", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", deadline=None, derandomize=False, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("long" if EXAMPLES else "default")


def examples(default):
    return settings(max_examples=EXAMPLES or default)


SECONDS_PER_BUILD = 30  # far beyond any real build here: reaching it means a hang

PROBLEM_LINE = re.compile(r"^[^:\n]+:\d+:\d+: ")
STOPPED_LINE = re.compile(r"^Build stopped: \d+ errors?, \d+ warnings?\. Nothing was written\.$")
BUILT_LINE = re.compile(r"^Built \d+ pages? .* written$")


@contextmanager
def time_limit(seconds):
    def hung(signum, frame):
        raise AssertionError(f"the build took more than {seconds} s: it hangs")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def complete_site(files):
    return {".liaison-site", "index.html", "404.html", "robots.txt", "report/index.html"} <= files.keys()


def build_and_check(root: Path, out: Path):
    """Build; assert the outcome is one a person can act on and the output is whole. Returns the exit code."""
    before = snapshot(out) if out.exists() else None
    with time_limit(SECONDS_PER_BUILD):
        code, stdout, stderr = run("build", "--source", root, "--out", out)
    assert code in (0, 1), f"exit {code}: {stderr}"
    assert "Traceback" not in stdout + stderr
    assert "could not be read as YAML" not in stderr, stderr  # the loader's last resort: a bug to fix
    assert "template error" not in stderr, stderr  # the templates are not fuzzed: the data broke them
    if code == 0:
        assert BUILT_LINE.match(stdout) and stdout.count("\n") == 1, stdout
        assert all(PROBLEM_LINE.match(line) for line in stderr.splitlines()), stderr  # warnings
        assert complete_site(snapshot(out))
    else:
        *problems, last = stderr.splitlines()
        assert STOPPED_LINE.match(last), stderr
        assert problems and all(PROBLEM_LINE.match(line) for line in problems), stderr
        assert (snapshot(out) if out.exists() else None) == before  # the previous site, untouched
    assert leftovers(out) == []
    return code


# Strategies: values of every kind, plausible and not, in records shaped like the schema's.

ANY_TEXT = st.text(max_size=40)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, st.dates(),
                    st.sampled_from(["~", "yes", "no", "0x_", "1e999", "2026-02-30", "*", "&", "!", "|", ">", "'", '"',
                                     "<script>alert(1)</script>", "../../etc/passwd", "\t", "\u2028", "\ufeff"]))
ANY_VALUE = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
                         max_leaves=20)
IDS = ["northtown", "southtown", "test-police", "alex-example", "helpline-example", "local-centre", "call-999", "x"]


def plausible(f):
    """A strategy for values of a field: mostly of its kind, valid or nearly."""
    kind = f.kind
    if kind in (S.TEXT, S.MARKDOWN):
        return st.text(min_size=1, max_size=60) | st.sampled_from(["# Heading", "**bold** _it_ [a](../x/)", "<b>x</b>", "1. a\n2. b"])
    if kind == S.SLUG:
        return st.sampled_from(IDS) | st.from_regex(r"\A[a-z0-9-]{1,12}\Z")
    if kind in (S.SLUGS, S.TEXTS):
        return st.lists(st.sampled_from(IDS) | ANY_TEXT, max_size=4)
    if kind == S.DATE:
        return st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
    if kind == S.BOOL:
        return st.booleans()
    if kind == S.INT:
        return st.integers(min_value=-5, max_value=1_000_000)
    if kind == S.URL:
        return st.sampled_from(["https://example.org", "http://example.org/x", "ftp://x", "https://[x", "https://a b", "javascript:alert(1)"])
    if kind == S.EMAIL:
        return st.sampled_from(["a@example.org", "not an email", "a@b"])
    if kind == S.PHONE:
        return st.sampled_from(["020 7946 0001", "101", "999", "18001 101", "+44 20 7946 0000", "12", "0800 999 5428"]) | st.integers()
    if kind == S.CHOICE:
        return st.sampled_from(f.choices + ("other",))
    if kind == S.CHOICES:
        return st.lists(st.sampled_from(f.choices + ("other",)), max_size=3)
    if kind == S.ADDRESS:
        return st.dictionaries(st.sampled_from(["street", "town", "postcode", "county"]), ANY_TEXT, max_size=4)
    if kind == S.ASSET:
        return st.sampled_from(["photos/alex.jpg", "favicon.svg", "../site.yaml", "/etc/passwd", "photos\\x.jpg"])
    if kind == S.RECORDS:
        return st.lists(record(f.record), min_size=1, max_size=3)
    if kind == S.PRIVATE_FIELDS:
        return st.dictionaries(st.sampled_from([*S.PRIVATE_FIELD_RECORDS, "people"]),
                               st.lists(st.sampled_from(["phone", "email", "name", "bio", "notes", "address", "x"]), max_size=3),
                               max_size=3)
    raise AssertionError(f"no strategy for a {kind} field: teach the fuzzer about it")


def record(schema):
    """A record with some of the schema's fields, each plausible or arbitrary, and sometimes an unknown one."""
    fields = {f.name: st.one_of(plausible(f), plausible(f), ANY_VALUE) for f in schema.fields}
    return st.fixed_dictionaries({}, optional={**fields, "unknown": ANY_VALUE})


def data_file(schema):
    if schema.is_list:
        return st.lists(record(schema), max_size=4) | ANY_VALUE
    return record(schema) | ANY_VALUE


def dump(data):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A minimal project, its sample-data sibling, and where each is built.

    In memory (/dev/shm) where there is one: each example writes a whole site,
    and on a slow disk the writing would take most of the fuzzing time.
    """
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        base = Path(tempfile.mkdtemp(prefix="liaison-fuzz-", dir=shm))
    else:
        base = tmp_path_factory.mktemp("fuzz")
    try:
        yield {"minimal": write_project(base / "minimal", MINIMAL), "sample": copy_sample(base / "sample"), "base": base}
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def replaced(root: Path, name: str, text: str):
    """The project with one file's text replaced, restored afterwards."""
    path = root / name
    original = path.read_bytes() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


SCHEMAS = {schema.file: schema for schema in S.DATA_FILES}


@examples(150)
@given(name=st.sampled_from(DATA_FILES), data=st.data())
def test_arbitrary_yaml_documents_in_each_data_file(workspace, name, data):
    document = data.draw(data_file(SCHEMAS[name]), label=name)
    with replaced(workspace["minimal"], name, dump(document)):
        build_and_check(workspace["minimal"], workspace["base"] / "out-documents")


MARKDOWNISH = st.lists(st.sampled_from(list("[]()<>`*_-#!&\\\"'|:.1 \n\t") + ["a", "http://", "- ", "> ", "    ", "\n\n"]),
                       max_size=300).map("".join)


@examples(100)
@given(front=record(S.PAGE) | ANY_VALUE, body=MARKDOWNISH | st.text(max_size=300))
def test_arbitrary_front_matter_and_markdown_in_a_page(workspace, front, body):
    text = f"---\n{dump(front)}---\n{body}"
    with replaced(workspace["minimal"], "content/about.md", text):
        build_and_check(workspace["minimal"], workspace["base"] / "out-pages")


YAMLISH = st.text(alphabet=st.sampled_from(list("-:[]{}#&*!|>'\"%@`,?.~ \n\t\r\\") + list("abcdeid019") + ["\u00e9", "\u2028", "\ufeff", "\x00", "\x85"]),
                  max_size=200)


@examples(150)
@given(name=st.sampled_from([*DATA_FILES, "content/about.md"]), text=YAMLISH | st.text(max_size=200))
def test_arbitrary_yaml_ish_text_in_each_file(workspace, name, text):
    with replaced(workspace["minimal"], name, text):
        build_and_check(workspace["minimal"], workspace["base"] / "out-text")


# Mutations of the real sample data, as a hurried edit or a bad merge would make them.

def mutate_text(text, data):
    lines = text.split("\n")
    kind = data.draw(st.sampled_from(["delete line", "duplicate line", "swap lines", "insert tab", "truncate",
                                      "insert unicode", "replace value", "indent", "dedent"]), label="mutation")
    at = data.draw(st.integers(0, max(len(lines) - 1, 0)), label="line")
    if kind == "delete line":
        del lines[at]
    elif kind == "duplicate line":
        lines.insert(at, lines[at])
    elif kind == "swap lines":
        other = data.draw(st.integers(0, len(lines) - 1), label="other line")
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "insert tab":
        col = data.draw(st.integers(0, len(lines[at])), label="column")
        lines[at] = lines[at][:col] + "\t" + lines[at][col:]
    elif kind == "truncate":
        cut = data.draw(st.integers(0, len(text)), label="cut")
        return text[:cut]
    elif kind == "insert unicode":
        col = data.draw(st.integers(0, len(lines[at])), label="column")
        lines[at] = lines[at][:col] + data.draw(st.text(min_size=1, max_size=10), label="inserted") + lines[at][col:]
    elif kind == "replace value":
        key, sep, _ = lines[at].partition(": ")
        if sep:
            value = data.draw(st.sampled_from(["", "[]", "{}", "[a, b]", "{a: 1}", "123", "-1", "true", "~", "2026-02-30",
                                                "'unclosed", "[unclosed", "*alias", "&anchor x", "!!python/name:os.system",
                                                "<script>alert(1)</script>", "| \n", "1e999"]) | ANY_TEXT, label="value")
            lines[at] = f"{key}: {value}"
    elif kind == "indent":
        lines[at] = "  " + lines[at]
    elif kind == "dedent":
        lines[at] = lines[at][2:] if lines[at].startswith("  ") else lines[at]
    return "\n".join(lines)


def mutate_structure(document, data):
    """Delete a key, change a value's type, or duplicate a record, in the parsed data."""
    records = document if isinstance(document, list) else document.get("forces", []) if isinstance(document, dict) else []
    if not records:
        return document
    index = data.draw(st.integers(0, len(records) - 1), label="record")
    target = records[index]
    kind = data.draw(st.sampled_from(["delete key", "change type", "duplicate record"]), label="structural mutation")
    if kind == "duplicate record":
        records.insert(index, dict(target))
    elif target:
        key = data.draw(st.sampled_from(sorted(target)), label="key")
        if kind == "delete key":
            del target[key]
        else:
            target[key] = data.draw(ANY_VALUE, label="new value")
    return document


SAMPLE_FILES = [*DATA_FILES, *(f"content/{p.name}" for p in sorted((Path(__file__).resolve().parent.parent / "content").glob("*.md")))]


@examples(100)
@given(name=st.sampled_from(SAMPLE_FILES), structural=st.booleans(), count=st.integers(1, 3), data=st.data())
def test_random_mutations_of_the_sample_data(workspace, name, structural, count, data):
    root = workspace["sample"]
    text = (root / name).read_text(encoding="utf-8")
    if structural and name.endswith(".yaml"):
        document = yaml.safe_load(text)
        for _ in range(count):
            document = mutate_structure(document, data)
        text = dump(document)
    else:
        for _ in range(count):
            text = mutate_text(text, data)
    with replaced(root, name, text):
        build_and_check(root, workspace["base"] / "out-sample")


def test_the_sample_data_builds_as_it_is(workspace):
    """The fuzzing starts from data that builds, so the mutations are what makes the difference."""
    assert build_and_check(workspace["sample"], workspace["base"] / "out-control") == 0
    assert build_and_check(workspace["minimal"], workspace["base"] / "out-control-minimal") == 0
