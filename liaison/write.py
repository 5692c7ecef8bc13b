"""Stage 5: put the rendered site in place, all or nothing.

The new site is assembled in a staging directory beside the output and swapped
in only when complete, so a failed or interrupted build never leaves a
half-written site. Files whose content has not changed are hard-linked from
the previous build instead of written again: writing dominates build time.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

MARKER = ".liaison-site"  # marks a directory this tool made and may replace
MARKER_TEXT = "Built by the LGBT+ liaison directory generator. This directory is replaced on every build.\n"


@dataclass
class WriteStats:
    files: int = 0
    written: int = 0


# Folders of the source that the build reads: building into one would feed the site back into itself.
INPUT_FOLDERS = ("assets", "content", "templates")


def check_output_dir(out: Path, source: Path):
    """Refuse an output directory whose replacement could destroy someone's files."""
    out, source = out.resolve(), source.resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor):
        raise OutputError(f"refusing to build into {out}: it is the top of the file system. Choose another --out, e.g. _site")
    if out == source or source.is_relative_to(out):
        raise OutputError(f"refusing to build into {out}: it contains the source files. Choose another --out, e.g. _site")
    if out == home:
        raise OutputError(f"refusing to build into your home directory {out}. Choose another --out, e.g. _site")
    if home.is_relative_to(out):
        raise OutputError(f"refusing to build into {out}: it contains your home directory. Choose another --out, e.g. _site")
    for name in INPUT_FOLDERS:
        if out.is_relative_to(source / name):
            raise OutputError(f"refusing to build into {out}: the build reads {name}/. Choose another --out, e.g. _site")
    if out.exists() and not out.is_dir():
        raise OutputError(f"refusing to build into {out}: it is a file, not a directory")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputError(f"refusing to replace {out}: it is not empty and was not made by this tool. "
                          "Choose a new or empty directory for --out")


def same_content(path: Path, content: bytes):
    try:
        if path.is_symlink():  # only the previous build's own files are reused
            return False
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def link_or_write(target: Path, previous: Path, content: bytes):
    """Reuse the previous build's file when unchanged. Returns True if written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if same_content(previous, content):
        try:
            os.link(previous, target)
            return False
        except OSError:
            pass  # e.g. a file system without hard links: just write it
    target.write_bytes(content)
    return True


def link_or_copy(target: Path, previous: Path, source: Path):
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        unchanged = not previous.is_symlink() and previous.stat().st_size == source.stat().st_size and previous.read_bytes() == source.read_bytes()
        if unchanged:
            os.link(previous, target)
            return False
    except OSError:
        pass
    shutil.copyfile(source, target)
    return True


def recover_interrupted(out: Path):
    """Put back the previous site if a build was stopped in the middle of swapping it.

    swap_in renames out to .out.old-PID, then the staging directory to out: a
    build killed between the two leaves no out at all, but the old site beside it.
    """
    out = out.resolve()
    if out.exists() or out.is_symlink():
        return False
    old = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    old = [p for p in old if p.is_dir() and not p.is_symlink() and (p / MARKER).is_file()]
    if not old:
        return False
    old[-1].rename(out)
    return True


def remove_leftovers(out: Path):
    """Staging directories left by an interrupted build."""
    recover_interrupted(out)
    for stale in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def make_staging(out: Path):
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; a web server must read it
    return staging


def swap_in(staging: Path, out: Path):
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)


def write_site(out: Path, files: dict, copies: dict) -> WriteStats:
    """Write rendered files ({path: bytes}) and copied files ({path: source Path}) as the new site."""
    out = out.resolve()
    remove_leftovers(out)
    staging = make_staging(out)
    stats = WriteStats(files=len(files) + len(copies))
    try:
        for rel in (*files, *copies):
            if not (staging / rel).resolve().is_relative_to(staging.resolve()):
                raise OutputError(f"refusing to write {rel}: it would be outside {out}")
        for rel, content in files.items():
            stats.written += link_or_write(staging / rel, out / rel, content)
        for rel, source in copies.items():
            stats.written += link_or_copy(staging / rel, out / rel, source)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return stats
