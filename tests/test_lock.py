"""The lock files in requirements/: every dependency of pyproject.toml pinned, with hashes, and the
generator's lock at the very versions the tests run with (scripts/lock writes them)."""
from __future__ import annotations

import re
import tomllib

from support import REPO

PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", re.MULTILINE)


def pins(name):
    return {package.lower().replace("_", "-"): version
            for package, version in PIN.findall((REPO / "requirements" / name).read_text(encoding="utf-8"))}


def names(requirements):
    return {re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower().replace("_", "-") for line in requirements}


def test_every_dependency_of_the_generator_is_in_its_lock():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert names(project["dependencies"]) <= set(pins("site.txt"))


def test_every_test_and_benchmark_tool_is_in_the_developers_lock():
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    wanted = names(extras["test"] + extras["bench"]) - {"liaison-directory"}
    assert wanted <= set(pins("dev.txt"))


def test_the_generators_lock_has_the_versions_the_tests_run_with():
    site, dev = pins("site.txt"), pins("dev.txt")
    assert site and {package: dev.get(package) for package in site} == site


def test_every_pin_carries_its_hashes():
    for name in ("site.txt", "dev.txt", "lock-tool.txt"):
        text = (REPO / "requirements" / name).read_text(encoding="utf-8")
        blocks = [b for b in re.split(r"\n(?=[A-Za-z0-9._-]+==)", text) if PIN.match(b)]
        assert len(blocks) == len(pins(name)) > 0
        for block in blocks:
            assert "--hash=sha256:" in block, f"{name}: {block.splitlines()[0]}"
