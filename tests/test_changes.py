"""`build.py changes --since REF` on a scripted git history in a temporary repository."""
from __future__ import annotations

import os
import subprocess
import textwrap

import pytest

from conftest import MINIMAL, TODAY, write_project

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root, *args, date="2026-11-01T12:00:00+00:00"):
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def commit_all(root, message, date="2026-11-01T12:00:00+00:00"):
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write_project(root, MINIMAL)
    commit_all(root, "The minimal directory")
    git(root, "tag", "v1")
    return root


def edit(root, name, old, new):
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


NEW_OFFICER = """\
- id: sam-taylor
  name: Sam Taylor
  rank: PC
  role: volunteer
  boroughs: [southtown]
  email: sam.taylor@example.org
  last_verified: 2026-11-20
"""

NEW_ROUTE = """\
- id: true-vision
  name: Report online to True Vision
  urgency: support
  when_to_use: If you do not want to talk to the police.
  how: Fill in the form.
  url: https://www.report-it.org.uk
  anonymity: anonymous
  hours: Any time
  last_verified: 2026-11-20
"""


def test_a_pull_requests_changes_in_plain_english(repo, run_cli):
    # Alex leaves; Sam joins and covers Southtown, which had no officer.
    (repo / "officers.yaml").write_text(NEW_OFFICER, encoding="utf-8")
    edit(repo, "boroughs.yaml", "  no_officer: true\n", "")
    edit(repo, "boroughs.yaml", "neighbours: [southtown]\n", "neighbours: [southtown]\n  no_officer: true\n")
    commit_all(repo, "Alex leaves, Sam joins", date="2026-11-20T12:00:00+00:00")
    # Uncommitted: contact details change, a route is added and another changed.
    edit(repo, "organisations.yaml", "phone: 0800 999 5428", "phone: 0800 999 5429")
    edit(repo, "organisations.yaml", "website: https://helpline.example.org", "website: https://helpline.example.net")
    edit(repo, "organisations.yaml", "postcode: ST1 1AA}", "postcode: ST1 2BB}")
    edit(repo, "reporting.yaml", "hours: 24 hours a day\n  forces:", "hours: 8am to 8pm\n  forces:")
    edit(repo, "reporting.yaml", "how: Ask for the police.", "how: Ask for the police, or text 999 if you have registered.")
    (repo / "reporting.yaml").write_text((repo / "reporting.yaml").read_text() + NEW_ROUTE, encoding="utf-8")
    edit(repo, "site.yaml", "title: Test Directory", "title: Test Liaison Directory")

    code, out, err = run_cli("changes", "--since", "v1", "--source", repo, "--today", TODAY.isoformat())
    assert (code, err) == (0, "")
    assert out == textwrap.dedent("""\
        ## Changes to the directory since `v1`

        ### Officers

        - Added **Sam Taylor** (`sam-taylor`), volunteer, covering Southtown
        - Removed **Alex Example** (`alex-example`), full-time, covering Northtown

        ### Borough coverage

        - **Northtown** now has no officer (until now: Alex Example)
        - **Southtown** now has an officer: Sam Taylor

        ### Boroughs

        - Changed **Northtown** (`northtown`):
          - no officer: `false` → `true`
        - Changed **Southtown** (`southtown`):
          - no officer: `true` → `false`

        ### Organisations

        - Changed **Helpline Example** (`helpline-example`):
          - phone: `0800 999 5428` → `0800 999 5429`
          - website: `https://helpline.example.org` → `https://helpline.example.net`
        - Changed **Local Centre** (`local-centre`):
          - address: `1 High Street, Southtown, ST1 1AA` → `1 High Street, Southtown, ST1 2BB`

        ### Reporting routes

        - Added **Report online to True Vision** (`true-vision`), support
        - Changed **Call 999** (`call-999`):
          - how changed
        - Changed **Call 101** (`call-101`):
          - hours: `24 hours a day` → `8am to 8pm`

        ### Site settings

        - title: `Test Directory` → `Test Liaison Directory`
        """)


def test_since_the_last_commit_only(repo, run_cli):
    edit(repo, "officers.yaml", "phone: 020 7946 0001", "phone: 020 7946 0002")
    commit_all(repo, "New phone")
    edit(repo, "officers.yaml", "email: alex.example@example.org", "email: alex@example.org")
    code, out, _ = run_cli("changes", "--since", "HEAD", "--source", repo, "--today", TODAY.isoformat())
    assert code == 0
    assert out == textwrap.dedent("""\
        ## Changes to the directory since `HEAD`

        ### Officers

        - Changed **Alex Example** (`alex-example`):
          - email: `alex.example@example.org` → `alex@example.org`
        """)


def test_a_boroughs_officers_changing_hands(repo, run_cli):
    (repo / "officers.yaml").write_text(
        (repo / "officers.yaml").read_text().replace("id: alex-example\n  name: Alex Example", "id: jo-other\n  name: Jo Other"))
    code, out, _ = run_cli("changes", "--since", "v1", "--source", repo, "--today", TODAY.isoformat())
    assert "- **Northtown**: Jo Other now covers it; Alex Example no longer does\n" in out


def test_records_newly_due_for_review(repo, run_cli):
    # At v1 (2026-11-01) nothing was due; by 2027-05-15 everything verified on 2026-11-01 is.
    edit(repo, "organisations.yaml", "third_party_reporting: true\n  address: {street: 1 High Street, town: Southtown, postcode: ST1 1AA}\n  last_verified: 2026-11-01",
         "third_party_reporting: true\n  address: {street: 1 High Street, town: Southtown, postcode: ST1 1AA}\n  last_verified: 2027-05-10")
    code, out, _ = run_cli("changes", "--since", "v1", "--source", repo, "--today", "2027-05-15")
    assert code == 0
    assert out.split("### Newly due for review\n\n")[1] == textwrap.dedent("""\
        - **Alex Example** (`alex-example`), officer in `officers.yaml` line 1: last verified 2026-11-01, 195 days ago
        - **Helpline Example** (`helpline-example`), organisation in `organisations.yaml` line 1: last verified 2026-11-01, 195 days ago
        - **Call 999** (`call-999`), reporting route in `reporting.yaml` line 1: last verified 2026-11-01, 195 days ago
        - **Call 101** (`call-101`), reporting route in `reporting.yaml` line 11: last verified 2026-11-01, 195 days ago
        """)


def test_no_changes(repo, run_cli):
    code, out, _ = run_cli("changes", "--since", "HEAD", "--source", repo, "--today", TODAY.isoformat())
    assert (code, out) == (0, "## Changes to the directory since `HEAD`\n\nNo changes to the directory's data since `HEAD`.\n")


def test_a_file_added_since_ref_and_data_in_a_subfolder(tmp_path, run_cli):
    root = tmp_path / "repo"
    (root / "site").mkdir(parents=True)
    git(root, "init", "-q")
    write_project(root / "site", {k: v for k, v in MINIMAL.items() if k != "reporting.yaml"})
    commit_all(root, "Without reporting routes")
    write_project(root / "site", {"reporting.yaml": MINIMAL["reporting.yaml"]})
    code, out, _ = run_cli("changes", "--since", "HEAD", "--source", root / "site", "--today", TODAY.isoformat())
    assert code == 0
    assert "- Added **Call 999** (`call-999`), emergency\n- Added **Call 101** (`call-101`), non-emergency\n" in out
    assert "could not be read" not in out


def test_errors_in_the_working_tree_are_flagged(repo, run_cli):
    edit(repo, "officers.yaml", "boroughs: [northtown]", "boroughs: [northtown")
    code, out, _ = run_cli("changes", "--since", "v1", "--source", repo, "--today", TODAY.isoformat())
    assert code == 0
    assert "**The data has 1 error**: run `python build.py check` to see them." in out
    assert "- `officers.yaml` cannot be read now, so its changes are not listed." in out
    assert "Removed" not in out and "Borough coverage" not in out


def test_markdown_in_names_is_escaped(repo, run_cli):
    edit(repo, "officers.yaml", "name: Alex Example", "name: Alex *Example* <b>")
    code, out, _ = run_cli("changes", "--since", "v1", "--source", repo, "--today", TODAY.isoformat())
    assert "- Changed **Alex \\*Example\\* \\<b\\>** (`alex-example`):\n  - name: `Alex Example` → `Alex *Example* <b>`\n" in out


def test_unknown_revision_exits_2(repo, run_cli):
    code, out, err = run_cli("changes", "--since", "no-such-branch", "--source", repo)
    assert (code, out) == (2, "")
    assert err == "build.py: error: unknown git revision 'no-such-branch': use a branch, tag or commit id, e.g. main or origin/main\n"
    code, _, err = run_cli("changes", "--since=--help-me", "--source", repo)
    assert code == 2 and "unknown git revision '--help-me'" in err


def test_not_a_git_repository_exits_2(make_project, run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = make_project()
    code, out, err = run_cli("changes", "--since", "main", "--source", root)
    assert (code, out) == (2, "")
    assert err == f"build.py: error: {root.resolve()} is not in a git repository, so there is nothing to compare with\n"


def test_since_is_required(run_cli, capsys):
    with pytest.raises(SystemExit) as stopped:
        run_cli("changes")
    assert stopped.value.code == 2


def test_a_full_commit_id_is_shown_short(repo, run_cli):
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    code, out, _ = run_cli("changes", "--since", commit, "--source", repo, "--today", TODAY.isoformat())
    assert code == 0 and out.startswith(f"## Changes to the directory since `{commit[:12]}`\n")
