"""The golden output tree: the whole site built from a small fixture project, checked in.

tests/golden/project/ is the project (the minimal fixture of tests/conftest.py with one
event), tests/golden/site/ is its build. test_golden.py builds the project again and compares
the two trees byte for byte, so any change to any output shows up as a diff to review.

After a deliberate change to the output, regenerate the tree and read the diff before
committing it:

    .venv/bin/python tests/golden.py
    git diff --stat tests/golden/site/
"""
from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from liaison.pipeline import build  # noqa: E402

PROJECT = HERE / "golden" / "project"
SITE = HERE / "golden" / "site"
TODAY = dt.date(2026, 12, 2)
BASE_URL = "https://example.org/lgbt-liaison/"


def build_golden(out: Path):
    build(PROJECT, out, base_url=BASE_URL, today=TODAY)


def published(site: Path) -> dict:
    """Every file the build makes, by path. Not the build's own bookkeeping (.liaison-*), nor the
    files copied as they are from assets/ (test_build.py checks the copies): the tree would only
    repeat the stylesheets and script."""
    return {rel: path.read_bytes() for path in sorted(site.rglob("*"))
            if path.is_file() and not path.name.startswith(".liaison-")
            and not (rel := path.relative_to(site).as_posix()).startswith("assets/")}


def regenerate():
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"
        build_golden(out)
        shutil.rmtree(SITE, ignore_errors=True)
        for name, content in published(out).items():
            target = SITE / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    print(f"Wrote {SITE.relative_to(HERE.parent)}: review it with git diff before committing.")


if __name__ == "__main__":
    regenerate()
