"""The whole build of a small fixture project, byte for byte (see tests/golden.py to regenerate)."""
from __future__ import annotations

import difflib

from golden import PROJECT, SITE, build_golden, published


def first_difference(name, expected: bytes, got: bytes) -> str:
    try:
        lines = difflib.unified_diff(expected.decode().splitlines(), got.decode().splitlines(),
                                     f"golden/{name}", f"built/{name}", lineterm="", n=1)
        return "\n".join(list(lines)[:40])
    except UnicodeDecodeError:
        return f"{name}: the bytes differ"


def test_the_golden_project_is_there():
    assert (PROJECT / "site.yaml").is_file() and (SITE / "index.html").is_file()


def test_the_build_is_the_golden_tree_byte_for_byte(tmp_path):
    build_golden(tmp_path / "site")
    built, golden = published(tmp_path / "site"), published(SITE)
    assert sorted(built) == sorted(golden), "files added or missing: run tests/golden.py if deliberate"
    changed = [name for name in golden if built[name] != golden[name]]
    assert not changed, "\n\n".join(first_difference(name, golden[name], built[name]) for name in changed[:3])
