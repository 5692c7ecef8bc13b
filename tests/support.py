"""Helpers shared by the tests that need the built sample site or outside tools."""
from __future__ import annotations

import functools
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


CHROMIUM_HINT = ("Install it with: scripts/setup test (or apt-get install -y chromium), "
                 "or set CHROMIUM_PATH to another Chromium or Google Chrome.")


@functools.cache
def find_chromium():
    """$CHROMIUM_PATH when set (and only it), else Debian's Chromium, else one on the PATH, else
    the Chromium Playwright downloaded (scripts/setup test does that on Ubuntu, whose own
    chromium package is only a snap; GitHub's workflows set CHROMIUM_PATH to the runners'
    Google Chrome instead)."""
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"] if Path(os.environ["CHROMIUM_PATH"]).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return playwrights_own_chromium()


def playwrights_own_chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if Path(path).is_file() else None


def find_java():
    return shutil.which("java")


def html_pages(site):
    return sorted(site.rglob("*.html"))
