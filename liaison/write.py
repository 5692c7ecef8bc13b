"""Stage 6, publish: put the built site in place, all or nothing.

The plain way (engine.Engine): write every file into a new, empty staging folder beside the
output folder, swap the two in one step (renameat2 RENAME_EXCHANGE on Linux; elsewhere three
renames in a row), then remove the previous site. Until the swap nothing people can see has
been touched, so a build that fails or is killed part-way leaves the published site as it
was, and the next build removes what it left behind.

The fast engine publishes the same tree, byte for byte, by bringing a copy of the site as it
was one build earlier up to date instead of writing every file (spare.py). Both use what is
here: the checks on the output folder, the lock, the manifest and the swap.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import NamedTuple

from .errors import OutputError

MARKER = ".liaison-site"  # marks a directory this tool made and may replace
MARKER_TEXT = "Built by the LGBT+ liaison directory generator. This directory is replaced on every build.\n"
MANIFEST = ".liaison-manifest"  # what a tree holds; see Manifest
MANIFEST_VERSION = 1


@dataclass
class WriteStats:
    files: int = 0
    written: int = 0
    linked: int = 0
    removed: int = 0
    changed: int = 0  # files added, removed or different compared with the site as it was


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


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


# --- manifests ---------------------------------------------------------------

class Entry(NamedTuple):
    """One file of a tree: its content hash and size. A tuple, not a dataclass: a manifest holds
    one per file (24,000 at national scale), and a rebuild makes and compares as many."""

    hash: str  # digest() of the file's bytes
    size: int


@dataclass
class Manifest:
    """What a tree holds: each file's hash and size, with the build's header. Written last, so
    a file changed since has a later modification time (spare.py relies on that).

    Its text depends only on the site's content, so a tree made by rebuilds is
    byte-for-byte the tree a build from nothing makes, this file included."""

    header: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)  # relative path -> Entry
    written_ns: int = 0  # the manifest file's own modification time

    @staticmethod
    def read_header(tree: Path) -> "dict | None":
        """The header alone (its first line): enough to tell that a build's inputs differ."""
        try:
            with open(tree / MANIFEST, encoding="utf-8") as handle:
                return header_of(handle.readline())
        except (OSError, ValueError, UnicodeDecodeError):
            return None

    @classmethod
    def read(cls, tree: Path) -> "Manifest | None":
        try:
            path = tree / MANIFEST
            written_ns = path.stat().st_mtime_ns
            text = path.read_text(encoding="utf-8")
            first, _, rest = text.partition("\n")
            header = header_of(first)
            if header is None:
                return None
            entries = {}
            for line in rest.splitlines():
                hash_, size, rel = line.split("\t", 2)
                entries[rel] = Entry(hash_, int(size))
            return cls(header, entries, written_ns)
        except (OSError, ValueError, UnicodeDecodeError):
            return None

    def write(self, tree: Path):
        lines = [json.dumps({**self.header, "version": MANIFEST_VERSION}, sort_keys=True)]
        entries = self.entries
        lines += [f"{entries[rel].hash}\t{entries[rel].size}\t{rel}" for rel in sorted(entries)]
        path = tree / MANIFEST
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # never write into a file the other tree may share
        info = write_new(path, ("\n".join(lines) + "\n").encode("utf-8"))
        self.written_ns = info.st_mtime_ns


def header_of(line: str) -> "dict | None":
    """A manifest's first line as its header, if it was written by this version."""
    header = json.loads(line)
    return header if isinstance(header, dict) and header.get("version") == MANIFEST_VERSION else None


def remove_leftovers(out: Path):
    """Folders left by an interrupted build: a staging folder, or the site set aside by a
    three-rename swap."""
    recover_interrupted(out)  # stopped between two renames of the swap: put the site back
    for stale in out.parent.glob(f".{out.name}.old-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def locked(out: Path):
    """One build at a time per output folder (say, a preview and a build in another terminal).

    The lock is on the folder that holds the output, so no lock file is left behind."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
        handle = os.open(out.parent, os.O_RDONLY)
    except (ImportError, OSError):  # no flock here: builds are simply not serialised
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network shares): go on without
            pass
        yield
    finally:
        os.close(handle)  # releases the lock


def write_new(path: Path, content: bytes, stat=True):
    """Create path (it must not exist) holding content. Returns its stat() if asked."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd) if stat else None
    finally:
        os.close(fd)


# --- the swap -------------------------------------------------------------------

def recover_interrupted(out: Path):
    """Put back the previous site if a build was stopped in the middle of swapping it.

    Where folders cannot be exchanged in one step, swap_in renames out to
    .out.old-PID, then the staging folder to out: a build killed between the two
    leaves no out at all, but the previous site beside it.
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

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_exchange_function = _renameat2() if os.name == "posix" else None


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step, where the system can. Returns False if it cannot."""
    if _exchange_function is None:
        return False
    result = _exchange_function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this file system or kernel
        return False
    raise OSError(error, os.strerror(error), str(b))


def swap_in(staging: Path, out: Path):
    """Make staging the site; the previous site takes staging's place."""
    if not out.exists():
        staging.rename(out)
        return
    if exchange(staging, out):
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    staging.rename(out)
    old.rename(staging)


def inside(rel: str) -> bool:
    """True if the relative path rel names a place inside the tree (no '..', not absolute)."""
    if (rel and rel[0] not in "./" and rel[-1] != "." and ".." not in rel and "/." not in rel
            and "\\" not in rel and ":" not in rel):
        return True  # the usual case, a plain relative path, decided without pathlib (or a loop)
    path = PurePosixPath(rel.replace("\\", "/"))
    return bool(rel) and not path.is_absolute() and ".." not in path.parts and not PureWindowsPath(rel).drive

def refuse_outside(out: Path, paths):
    for rel in paths:
        if not inside(rel):
            raise OutputError(f"refusing to write {rel}: it would be outside {out}")


# --- the plain publish -----------------------------------------------------------

def write_site(out: Path, files: dict, copies: dict, header: dict | None = None) -> WriteStats:
    """Make out hold exactly the rendered files ({path: bytes}) and copies ({path: source Path}),
    with header kept in its manifest (see pipeline.py's no-change check)."""
    out = Path(out).resolve()
    refuse_outside(out, [*files, *copies])  # before anything is made
    with locked(out):
        remove_leftovers(out)
        before = Manifest.read(out) if out.is_dir() else None
        staging = new_staging(out)
        try:
            entries = {rel: put_new(staging, rel, content) for rel, content in files.items()}
            entries.update((rel, put_new(staging, rel, source.read_bytes())) for rel, source in copies.items())
            Manifest(header or {}, entries).write(staging)
            swap_in(staging, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # the unfinished site, or after the swap the previous one
    return WriteStats(files=len(entries), written=len(entries), changed=changed_since(before, entries))


def new_staging(out: Path) -> Path:
    """An empty folder beside out, marked as ours from the first moment."""
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    staging.mkdir()
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return staging


def put_new(tree: Path, rel: str, content: bytes) -> Entry:
    path = tree / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new(path, content, stat=False)
    return Entry(digest(content), len(content))


def changed_since(before: "Manifest | None", entries: dict) -> int:
    """How many files differ from the site as it was: new, gone or changed."""
    old = before.entries if before is not None else {}
    return sum(old.get(rel) != entry for rel, entry in entries.items()) + len(old.keys() - entries.keys())
