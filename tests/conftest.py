"""Small projects written into temporary directories, and helpers to build them."""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from liaison.cli import main
from liaison.pipeline import build
from support import MISSING_TOOLS, SUB_PATH

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 2)

MINIMAL = {
    "site.yaml": """\
        title: Test Directory
        description: A directory for tests.
        language: en-GB
        exit_url: https://www.bbc.co.uk/weather
        review_after_days: 180
        forces:
          - id: test-police
            name: Test Police
            website: https://police.example.org
            non_emergency: "101"
            online_report_url: https://police.example.org/report
        """,
    "boroughs.yaml": """\
        - id: northtown
          name: Northtown
          force: test-police
          postcode_districts: [NT1, NT2]
          neighbours: [southtown]
        - id: southtown
          name: Southtown
          force: test-police
          postcode_districts: [ST1]
          neighbours: [northtown]
          no_officer: true
        """,
    "officers.yaml": """\
        - id: alex-example
          name: Alex Example
          rank: PC
          pronouns: they/them
          role: full-time
          boroughs: [northtown]
          email: alex.example@example.org
          phone: 020 7946 0001
          languages: [English, Welsh]
          bio: Alex has been a **liaison officer** since 2023.
          last_verified: 2026-11-01
          notes: PRIVATE-NOTE-MARKER
        """,
    "organisations.yaml": """\
        - id: helpline-example
          name: Helpline Example
          description: A national helpline.
          services: [helpline]
          national: true
          phone: 0800 999 5428
          website: https://helpline.example.org
          last_verified: 2026-11-01
        - id: local-centre
          name: Local Centre
          description: A third-party reporting centre.
          services: [hate-crime-support]
          boroughs: [southtown]
          third_party_reporting: true
          address: {street: 1 High Street, town: Southtown, postcode: ST1 1AA}
          last_verified: 2026-11-01
        """,
    "reporting.yaml": """\
        - id: call-999
          name: Call 999
          urgency: emergency
          when_to_use: If you are in danger now.
          how: Ask for the police.
          phone: "999"
          textphone: "18000"
          anonymity: identified
          hours: 24 hours a day
          last_verified: 2026-11-01
        - id: call-101
          name: Call 101
          urgency: non-emergency
          when_to_use: When it is not an emergency.
          how: Ask for an LGBT+ liaison officer.
          phone: "101"
          textphone: 18001 101
          anonymity: identified
          hours: 24 hours a day
          forces: [test-police]
          last_verified: 2026-11-01
        """,
    "content/about.md": """\
        ---
        title: About
        description: About the officers.
        nav_order: 1
        ---
        ## Who they are

        Officers who [help](../report/).
        """,
}


# An events.yaml with one upcoming event, for tests of what events add to a build.
ONE_EVENT = """\
    - id: northtown-stall
      title: Stall at the market
      start: 2026-12-05 14:00
      end: 2026-12-05 16:00
      borough: northtown
      venue: Market Hall
      officers: [alex-example]
    """


def write_project(root: Path, files: dict) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path):
    """make_project(**overrides): the minimal project with some files replaced (None removes one)."""
    def make(files=None, base=MINIMAL):
        merged = {**base, **(files or {})}
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        return write_project(root, {k: v for k, v in merged.items() if v is not None})
    return make


@pytest.fixture
def run_cli(capsys):
    """Run the command line in-process. Returns (exit code, stdout, stderr)."""
    def run(*args):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


# --- The sample site, built once ------------------------------------------------------

@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The repository's sample data built into <tmp>/www/lgbt-liaison/. Returns that folder."""
    out = tmp_path_factory.mktemp("www") / SUB_PATH
    build(REPO, out, today=TODAY)
    return out


def pytest_terminal_summary(terminalreporter):
    if MISSING_TOOLS:
        terminalreporter.section("TESTS SKIPPED: TOOLS MISSING", sep="!", red=True, bold=True)
        for message in MISSING_TOOLS:
            terminalreporter.write_line(f"  {message}", red=True, bold=True)
        terminalreporter.write_line("  scripts/test installs them (through scripts/setup test).", red=True)
