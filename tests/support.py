"""Helpers shared by the tests that need the built sample site or outside tools."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SUB_PATH = "lgbt-liaison"  # the sample site is built and served under a sub-path
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
MISSING_TOOLS = []  # what could not be found, repeated at the end of the run


def in_ci():
    return os.environ.get("CI", "").strip().lower() == "true"


def missing_tool(what, fix):
    """Skip loudly when a tool is missing; under CI=true fail instead."""
    message = f"{what} not found. {fix}"
    if in_ci():
        pytest.fail(f"CI=true, so a missing tool is a failure: {message}", pytrace=False)
    if message not in MISSING_TOOLS:
        MISSING_TOOLS.append(message)
    pytest.skip(f"SKIPPED, TOOL MISSING: {message}")


def find_java():
    return shutil.which("java")


def html_pages(site):
    return sorted(site.rglob("*.html"))
