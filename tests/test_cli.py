"""Exit codes and messages of the command line."""
import os
import subprocess
import sys

import pytest

from conftest import REPO


def test_check_a_valid_project(make_project, run_cli):
    code, stdout, stderr = run_cli("check", "--source", make_project())
    assert (code, stdout, stderr) == (0, "0 errors, 0 warnings, 0 info\n", "")


def test_check_reports_every_problem_then_the_count(make_project, run_cli):
    root = make_project({
        "officers.yaml": "- id: alex-example\n  name: Alex\n  role: fulltime\n  boroughs: [northtown]\n",
        "reporting.yaml": "- id: Call 999\n",
    })
    code, stdout, stderr = run_cli("check", "--source", root)
    assert code == 1
    assert stdout.splitlines() == [
        "officers.yaml:1:3: missing required field 'last_verified' in officer 'alex-example' (add a line 'last_verified: ...')",
        "officers.yaml:3:9: 'role' must be one of full-time, volunteer, not 'fulltime' (did you mean 'full-time'?)",
        "reporting.yaml:1:3: missing required field 'anonymity' in reporting route 'Call 999' (add a line 'anonymity: ...')",
        "reporting.yaml:1:3: missing required field 'hours' in reporting route 'Call 999' (add a line 'hours: ...')",
        "reporting.yaml:1:3: missing required field 'how' in reporting route 'Call 999' (add a line 'how: ...')",
        "reporting.yaml:1:3: missing required field 'last_verified' in reporting route 'Call 999' (add a line 'last_verified: ...')",
        "reporting.yaml:1:3: missing required field 'name' in reporting route 'Call 999' (add a line 'name: ...')",
        "reporting.yaml:1:3: missing required field 'urgency' in reporting route 'Call 999' (add a line 'urgency: ...')",
        "reporting.yaml:1:3: missing required field 'when_to_use' in reporting route 'Call 999' (add a line 'when_to_use: ...')",
        "reporting.yaml:1:7: 'Call 999' is not a valid id (use lowercase letters, digits and hyphens, e.g. 'call-999')",
        "10 errors, 0 warnings, 0 info",
    ]


def test_wrong_type_is_reported_at_the_value(make_project, run_cli):
    root = make_project({"site.yaml": "title: [T]\ndescription: D\nreview_after_days: soon\nforces: []\n"})
    code, stdout, _ = run_cli("check", "--source", root)
    assert code == 1
    assert "site.yaml:1:8: 'title' must be text, not a list" in stdout.splitlines()
    assert "site.yaml:3:20: 'review_after_days' must be a whole number, not 'soon'" in stdout.splitlines()


def test_usage_errors_exit_2(make_project, run_cli, tmp_path):
    code, _, stderr = run_cli("build", "--source", tmp_path / "nowhere")
    assert code == 2
    assert stderr == f"build.py: error: the source folder {tmp_path / 'nowhere'} does not exist\n"
    root = make_project()
    code, _, stderr = run_cli("build", "--source", root, "--out", root)
    assert code == 2
    assert "it contains the source files" in stderr


def test_unknown_command_option_exits_2_without_traceback():
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--colour"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "unrecognized arguments: --colour" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_data_error_exits_1_without_traceback(make_project):
    root = make_project({"boroughs.yaml": "- id: x\n\tname: X\n"})
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--source", str(root)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        "boroughs.yaml:2:1: YAML syntax error: a tab character is not allowed here (indent with spaces, not tabs)")


def test_build_py_flushes_everything_it_printed_before_leaving(make_project):
    """build.py leaves without Python's teardown (cli.exit_now): what it printed to a pipe,
    and so kept in a buffer, must still arrive, with the exit status main() returned."""
    root = make_project({"officers.yaml": "- id: x\n  name: [oops\n"})
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--source", str(root)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "1 error, 0 warnings, 0 info"
    assert result.stdout.splitlines()[0].startswith("officers.yaml:2:9: YAML syntax error")


@pytest.mark.parametrize("buffered", [True, False])
def test_build_py_says_it_cannot_write_when_its_output_is_closed(make_project, buffered):
    """Whether the output is lost as it is printed or when build.py flushes it on leaving."""
    root = make_project()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "check", "--source", str(root)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    process.stdout.close()  # as `python build.py check | head -0` would
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 2
    assert stderr == "build.py: error: cannot write: Broken pipe\n"
