"""engine.py, the seam for speed: the fast engine gives exactly the site the plain reference engine gives.

Every fixture project is built with engine.Engine and with fast.FastEngine, in each of its
ways (in this process, in several processes, and as the preview rebuilds with its cache),
and the two trees are compared byte for byte. Only the build's own bookkeeping (.liaison-*:
the reference keeps no fingerprint of its inputs) may differ.
"""
from __future__ import annotations

import os

import pytest

from conftest import MINIMAL, ONE_EVENT, REPO, TODAY, write_project
from golden import PROJECT
from liaison import parallel
from liaison.engine import Engine
from liaison.fast import FastEngine
from liaison.incremental import BuildCache
from liaison.pipeline import build

BASE_URL = "https://example.org/lgbt-liaison/"
PROJECTS = {"golden": lambda tmp: PROJECT, "sample": lambda tmp: REPO,
            "minimal without events": lambda tmp: write_project(tmp / "minimal", MINIMAL)}


def built(source, out, engine):
    """Every file of the site, the copied assets included; not the build's own bookkeeping."""
    build(source, out, base_url=BASE_URL, today=TODAY, engine=engine)
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and not path.name.startswith(".liaison-")}


def differences(reference, fast):
    return sorted(name for name in reference.keys() | fast.keys() if reference.get(name) != fast.get(name))


@pytest.fixture(params=PROJECTS, ids=list(PROJECTS))
def source(request, tmp_path):
    return PROJECTS[request.param](tmp_path)


def test_the_fast_engine_in_one_process_gives_the_reference_site(source, tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_WORKERS", "1")
    reference = built(source, tmp_path / "reference", Engine())
    assert reference and differences(reference, built(source, tmp_path / "fast", FastEngine())) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_the_fast_engine_in_several_processes_gives_the_reference_site(source, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)  # every project counts as big
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # the test process runs Playwright's threads
    monkeypatch.setenv("LIAISON_WORKERS", "2")
    reference = built(source, tmp_path / "reference", Engine())
    assert differences(reference, built(source, tmp_path / "fast", FastEngine())) == []


def test_the_previews_rebuilds_give_the_reference_site(tmp_path):
    source = write_project(tmp_path / "project", {**MINIMAL, "events.yaml": ONE_EVENT})
    cache, preview = BuildCache(), tmp_path / "preview"
    built(source, preview, FastEngine(cache))
    officers = source / "officers.yaml"
    officers.write_text(officers.read_text(encoding="utf-8").replace("020 7946 0001", "020 7946 0002"), encoding="utf-8")
    first = built(source, preview, FastEngine(cache, pages_first=True))  # the pages, with the last open data
    complete = built(source, preview, FastEngine(cache))  # then the rest, as the preview does straight away
    reference = built(source, tmp_path / "reference", Engine())
    assert differences(reference, complete) == []
    # Until then the preview's own folder shows the new pages beside the last contact cards and open data.
    assert differences(reference, first) == [
        "contacts/boroughs/northtown.vcf", "contacts/boroughs/southtown.vcf", "contacts/officers/alex-example.vcf",
        "data/officers.csv", "data/officers.json", "data/openreferral/organizations.json",
        "data/openreferral/services.json", "data/openreferral/tabular/phones.csv"]
