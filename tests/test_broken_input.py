"""Regression tests for broken input that used to crash or hang the tool, found while fuzzing it."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import MINIMAL
from hostile import REPO, run
from liaison.errors import Problem


def minimal(name):
    return textwrap.dedent(MINIMAL[name])


@pytest.mark.parametrize("url", ["https://[broken", "https://a\u2100b.example", "https://exa\u00a0mple.org"])
def test_a_web_address_python_cannot_split_is_an_error_not_a_crash(make_project, url):
    root = make_project({"organisations.yaml": minimal("organisations.yaml").replace(
        "https://helpline.example.org", f'"{url}"')})
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines()[0].startswith("organisations.yaml:7:12: 'website' must be a web address")


def test_a_force_without_a_non_emergency_number_gets_101_as_a_number(make_project, tmp_path):
    site = minimal("site.yaml").replace('    non_emergency: "101"\n', "")
    officers = minimal("officers.yaml").replace("boroughs: [northtown]", "boroughs: [southtown]")
    root = make_project({"site.yaml": site, "officers.yaml": officers})
    code, _, err = run("build", "--source", root, "--out", tmp_path / "site")
    assert code == 0, err
    assert 'href="tel:101"' in (tmp_path / "site" / "boroughs" / "northtown" / "index.html").read_text()


def test_a_message_quoting_data_is_always_one_line():
    problem = Problem("officers.yaml", 3, 10, "'a\nb\u2028c\x85d' is not an email address", "hint\r")
    assert str(problem) == "officers.yaml:3:10: 'a\\nb\\u2028c\\x85d' is not an email address (hint\\r)"
    assert len(str(Problem("f.yaml", 1, 1, "x" * 100_000))) < 400


def test_a_value_with_line_breaks_is_reported_on_one_line(make_project):
    root = make_project({"officers.yaml": minimal("officers.yaml").replace(
        "email: alex.example@example.org", 'email: "alex\\nexample\\u2029@example.org"')})
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == ["officers.yaml:7:10: 'alex\\nexample\\u2029@example.org' is not an email address "
                                "(it should look like name@example.org)", "1 error, 0 warnings"]


@pytest.mark.parametrize("base_url", ["javascript:alert(1)", "https://", "example.org", 'https://a.example/"><script>'])
def test_a_base_url_given_on_the_command_line_is_checked(make_project, tmp_path, base_url):
    code, _, err = run("build", "--source", make_project(), "--out", tmp_path / "site", "--base-url", base_url)
    assert code == 2
    assert err == f"build.py: error: --base-url must be a web address starting with https://, not {base_url!r}\n"
    assert not (tmp_path / "site").exists()


def test_a_page_that_is_a_named_pipe_does_not_hang_the_build(make_project):
    root = make_project()
    os.mkfifo(root / "content" / "pipe.md")  # reading it would wait for a writer forever
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--source", str(root)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["content/pipe.md:1:1: this is not an ordinary file (replace it with a text file)",
                                          "1 error, 0 warnings"]


def test_a_page_that_is_a_folder_is_an_error(make_project):
    root = make_project()
    (root / "content" / "folder.md").mkdir()
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == ["content/folder.md:1:1: this is not an ordinary file (replace it with a text file)",
                                "1 error, 0 warnings"]


def test_a_data_file_that_is_a_folder_is_an_error(make_project):
    root = make_project({"reporting.yaml": None})
    (root / "reporting.yaml").mkdir()
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == ["reporting.yaml:1:1: this file is missing (it is a folder: it should be a file)",
                                "1 error, 0 warnings"]


def test_a_file_that_is_not_utf8_is_an_error(make_project):
    root = make_project()
    (root / "officers.yaml").write_bytes(b"- id: caf\xe9\n")
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines()[0] == "officers.yaml:1:1: this file is not UTF-8 text (invalid continuation byte) (save it as UTF-8)"


def test_a_link_loop_is_an_error(make_project):
    root = make_project()
    (root / "content" / "loop.md").symlink_to(root / "content" / "loop.md")
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == ["content/loop.md:1:1: this file is a link that leads round in a loop "
                                "(replace the link with the file itself)", "1 error, 0 warnings"]


def test_a_template_that_fails_while_rendering_is_reported_not_a_crash(make_project, tmp_path):
    root = make_project({"templates/page.html": "<h1>{{ page.title }}</h1>\n{{ 1 / 0 }}\n"})
    code, _, err = run("build", "--source", root, "--out", tmp_path / "site")
    assert code == 1
    assert err.splitlines() == ["templates/page.html:2:1: template error: division by zero",
                                "Build stopped: 1 error, 0 warnings. Nothing was written."]
