"""Markdown that would take Python-Markdown minutes, or crash it, is an error at its place.

Python-Markdown's time grows with the square of some inputs: a bio of 20,000 '['
takes minutes. These run the check in a subprocess with a timeout, so without
the limits they fail rather than merely run slowly.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import MINIMAL
from hostile import REPO, run
from liaison.markup import MAX_BUILD_WORK, MAX_CHARACTERS, MAX_WORK, markdown_work, render_markdown

TIMEOUT = 60


def officers_with_bio(bio):
    officers = textwrap.dedent(MINIMAL["officers.yaml"])
    return officers.replace("  bio: Alex has been a **liaison officer** since 2023.\n", "  bio: |\n" + textwrap.indent(bio, "    ") + "\n")


def check_in_subprocess(root):
    return subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--source", str(root)],
                          capture_output=True, text=True, timeout=TIMEOUT)


def test_a_text_that_would_take_minutes_is_refused_in_seconds(make_project):
    root = make_project({"officers.yaml": officers_with_bio("[" * 20_000)})
    result = check_in_subprocess(root)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "officers.yaml:10:8: 'bio' is too long or complex to turn into a web page safely "
        "(split long paragraphs with blank lines, and remove stray [, <, > or ` characters)",
        "1 error, 0 warnings"]


def test_thousands_of_short_paragraphs_are_refused_in_seconds(make_project):
    root = make_project({"content/about.md": "---\ntitle: About\ndescription: About.\n---\n" + "[\n\n" * 30_000})
    result = check_in_subprocess(root)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "content/about.md:5:1: this page is too long or complex to turn into a web page safely "
        "(split long paragraphs with blank lines, and remove stray [, <, > or ` characters)",
        "1 error, 0 warnings"]


def test_lists_nested_too_deeply_are_an_error_not_a_crash(make_project):
    root = make_project({"officers.yaml": officers_with_bio("- " * 2000 + "x")})
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == [
        "officers.yaml:10:8: 'bio' cannot be turned into a web page: its lists or quotes are nested too deeply "
        "(put fewer lists or quotes inside each other)",
        "1 error, 0 warnings"]
    assert render_markdown("Still **works**.") == "<p>Still <strong>works</strong>.</p>"


def test_a_page_longer_than_the_limit_is_refused(make_project):
    body = ("A sentence of plain words. " * 20 + "\n\n") * 300
    root = make_project({"content/about.md": "---\ntitle: About\ndescription: About.\n---\n" + body})
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == [
        f"content/about.md:5:1: this page is {len(body):,} characters long, more than {MAX_CHARACTERS:,} (split it up, or shorten it)",
        "1 error, 0 warnings"]


def test_all_the_markdown_of_a_build_has_a_limit_too(make_project):
    bio = "x\n" * 999  # each under the limit for one text, quick to convert, but costly in sum
    assert MAX_WORK / 2 < markdown_work(bio) <= MAX_WORK
    many = textwrap.dedent(MINIMAL["officers.yaml"]) + "".join(
        f"- id: officer-{i:02d}\n  name: Officer {i}\n  role: volunteer\n  boroughs: [northtown]\n"
        f"  last_verified: 2026-11-01\n  bio: |\n" + textwrap.indent(bio, "    ") for i in range(30))
    root = make_project({"officers.yaml": many})
    code, _, err = run("check", "--source", root)
    assert code == 1
    over = next(i for i in range(30) if (i + 1) * markdown_work(bio) > MAX_BUILD_WORK)
    line = many.splitlines().index(f"- id: officer-{over:02d}") + 6
    assert err.splitlines() == [
        f"officers.yaml:{line}:8: the Markdown in the data adds up to more than one build can safely turn into web pages "
        "(shorten the longest texts)",
        "1 error, 0 warnings"]


def test_the_sample_data_is_far_below_the_limits():
    pages = [p.read_text(encoding="utf-8") for p in (REPO / "content").glob("*.md")]
    assert max(markdown_work(p) for p in pages) * 50 < MAX_WORK
    assert sum(markdown_work(p) for p in pages) * 100 < MAX_BUILD_WORK
