"""Helpers for the security and robustness tests: copies of the sample data, runs, output snapshots."""
from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import yaml

from liaison import schema as S
from liaison.cli import main

REPO = Path(__file__).resolve().parent.parent
DATA_FILES = tuple(record.file for record in S.DATA_FILES)


def copy_sample(dest: Path) -> Path:
    """The repository's sample data (data files, content/, assets/) copied into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in DATA_FILES:
        shutil.copyfile(REPO / name, dest / name)
    for folder in ("content", "assets"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def read_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, data):
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run(*args):
    """The command line in-process. Returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict:
    """Every file under folder, hidden ones too: {relative path: bytes}."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list:
    """Staging or swapped-out directories an interrupted build could leave beside out.

    .OUT.spare is not one: it is the previous site, kept for the next build (write.py)."""
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*") if p.name != f".{out.name}.spare")
