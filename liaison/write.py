"""Stage 6, publish: put the built site in place, all or nothing, writing only what changed.

Two trees live side by side:

    OUT/            the site people see, with the marker file and a manifest
    .OUT.spare/     the site as it was one build earlier

A build brings the spare tree up to date and then exchanges the two folders
in a single rename (renameat2 RENAME_EXCHANGE on Linux; elsewhere three
renames in a row). Until that moment only the spare tree has been touched, so
a build that fails or is killed part-way leaves the published site as it was.

Writing new files dominates build time on ordinary disks (creating a file or
a folder costs 0.1-1 ms; linking an existing file 0.01 ms), so a build:

- keeps every file of the spare tree whose content is still right;
- hard-links from the live tree the files that changed only in the last build;
- writes only the rest, never over an existing file (a file may be shared by
  both trees), and makes only the folders that are new;
- removes the files and folders that no longer belong.

Each tree's manifest (MANIFEST) records the content hash, size, modification
time and inode of every file, so unchanged files are recognised from one
lstat() each instead of reading them back. A tree without a manifest (a build
stopped part-way through updating it) is checked by reading its files.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import json
import os
import shutil
import stat as st
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
    """What a tree holds. Written last, so a file changed since has a later modification time.

    Its text depends only on the site's content, so a tree made by rebuilds is
    byte-for-byte the tree a build from nothing makes, this file included."""

    header: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)  # relative path -> Entry
    written_ns: int = 0  # the manifest file's own modification time

    @classmethod
    def read(cls, tree: Path) -> "Manifest | None":
        try:
            path = tree / MANIFEST
            written_ns = path.stat().st_mtime_ns
            text = path.read_text(encoding="utf-8")
            first, _, rest = text.partition("\n")
            header = json.loads(first)
            if header.get("version") != MANIFEST_VERSION:
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
        lines += [f"{e.hash}\t{e.size}\t{rel}" for rel, e in sorted(self.entries.items())]
        path = tree / MANIFEST
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # never write into a file the other tree may share
        info = write_new(path, ("\n".join(lines) + "\n").encode("utf-8"))
        self.written_ns = info.st_mtime_ns

    def untouched(self, tree, rel: str) -> bool:
        """True if the file is there, as recorded, and not modified since the manifest was written."""
        entry = self.entries.get(rel)
        try:
            info = os.lstat(f"{tree}/{rel}")  # plain strings: pathlib costs more than the lstat
        except OSError:
            return False
        return (entry is not None and st.S_ISREG(info.st_mode) and info.st_size == entry.size
                and info.st_mtime_ns <= self.written_ns)


def verify(tree: Path, manifest: Manifest) -> bool:
    """True when every file the manifest lists is still there, untouched."""
    tree_s = str(tree)
    return (tree / MARKER).is_file() and all(manifest.untouched(tree_s, rel) for rel in manifest.entries)


# --- the spare tree ------------------------------------------------------------

def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def remove_leftovers(out: Path):
    """Folders left by an interrupted build of an older version, or by a three-rename swap."""
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


def make_staging(out: Path) -> tuple[Path, "Manifest | None"]:
    """The spare tree to bring up to date, and its manifest if it can be trusted."""
    spare = spare_path(out)
    if spare.is_dir() and not spare.is_symlink() and (spare / MARKER).is_file() or _is_empty_dir(spare):
        manifest = Manifest.read(spare)
        with contextlib.suppress(FileNotFoundError):
            (spare / MANIFEST).unlink()  # from here until the swap, the tree is in flux
        return spare, manifest
    if spare.exists() or spare.is_symlink():
        raise OutputError(f"refusing to replace {spare}: the build keeps its spare copy of the site there, "
                          "but this was not made by this tool. Move it away, or choose another --out")
    spare.mkdir()
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(spare, 0o777 & ~umask)
    (spare / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # ours, from the first moment
    return spare, None


def _is_empty_dir(path: Path):
    try:
        return path.is_dir() and not path.is_symlink() and not any(path.iterdir())
    except OSError:
        return False


# --- bringing a tree up to date -----------------------------------------------

def _inventory(tree: Path):
    """Every file and folder under tree (relative, '/'-separated), found by walking it."""
    files, dirs = [], []
    for root, dirnames, filenames in os.walk(tree):
        rel_root = os.path.relpath(root, tree).replace(os.sep, "/")
        prefix = "" if rel_root == "." else rel_root + "/"
        dirs += [prefix + d for d in dirnames]
        files += [prefix + f for f in filenames]
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(root, d))]
    return files, dirs


def parent_dirs(paths):
    """Every folder that holds one of paths ('a/b/c' -> 'a', 'a/b')."""
    dirs = set()
    for rel in paths:
        cut = rel.rfind("/")
        while cut > 0:
            folder = rel[:cut]
            if folder in dirs:
                break
            dirs.add(folder)
            cut = rel.rfind("/", 0, cut)
    return dirs


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


def _remove(path: Path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


class TreeUpdate:
    """Brings the staging tree to exactly the wanted files, doing as little as possible."""

    def __init__(self, staging: Path, trusted: "Manifest | None", live: Path, live_manifest: "Manifest | None"):
        self.staging, self.trusted, self.live = staging, trusted, live
        self.staging_s, self.live_s = str(staging), str(live)
        self.live_manifest = live_manifest
        self.stats = WriteStats()
        self.entries = {}

    def prepare(self, wanted, all_folders=True):
        """Remove what does not belong, make the folders that are missing.

        With all_folders false only the top-level folders are made here; put()
        makes the others as it needs them (in whichever process writes there)."""
        if self.trusted is not None:
            present = set(self.trusted.entries)
            present_dirs = parent_dirs(present)
            self.sweep(present | present_dirs | {MARKER})
        else:
            files, dirs = _inventory(self.staging)
            present, present_dirs = set(files) - {MARKER}, set(dirs)
        wanted_dirs = parent_dirs(wanted)
        for rel in sorted(present - set(wanted)):
            with contextlib.suppress(FileNotFoundError):
                _remove(self.staging / rel)
                self.stats.removed += 1
        for rel in sorted(present_dirs - wanted_dirs, key=lambda d: -d.count("/")):
            with contextlib.suppress(FileNotFoundError):
                _remove(self.staging / rel)
        for rel in self.maybe_replaced(wanted_dirs & present_dirs):
            if os.path.islink(f"{self.staging_s}/{rel}"):  # put there by hand: never write through it
                os.unlink(f"{self.staging_s}/{rel}")
                present_dirs.discard(rel)
        for rel in sorted(wanted_dirs - present_dirs, key=lambda d: d.count("/")):
            if not all_folders and "/" in rel:
                continue
            path = self.staging / rel
            try:
                path.mkdir()
            except FileExistsError:
                if not path.is_dir() or path.is_symlink():
                    path.unlink()
                    path.mkdir()
            present_dirs.add(rel)
        self.present, self.folders = present, present_dirs

    def maybe_replaced(self, folders):
        """The folders that someone may have replaced (with a link, say) since the trusted manifest
        was written: all of them if there is none. With one, only the folders whose parent
        changed since: replacing a folder changes its parent's modification time, so one lstat
        per parent (a dozen) does instead of one per folder (13,000 at national scale)."""
        if self.trusted is None:
            return folders
        by_parent = {}
        for rel in folders:
            by_parent.setdefault(rel.rpartition("/")[0], []).append(rel)
        suspect = []
        for parent, children in by_parent.items():
            try:
                info = os.lstat(f"{self.staging_s}/{parent}" if parent else self.staging_s)
                changed = not st.S_ISDIR(info.st_mode) or info.st_mtime_ns > self.trusted.written_ns
            except OSError:
                changed = True
            if changed:
                suspect += children
        return suspect

    def sweep(self, known):
        """Remove what someone put into the tree by hand, in its top two levels.

        Walking every folder would cost more than the rest of a no-change build;
        files dropped into the site by hand (a CNAME, a copy of a page) are
        almost always near the top."""
        for folder in ["", *sorted(d for d in known if "/" not in d and (self.staging / d).is_dir())]:
            try:
                names = os.listdir(self.staging / folder)
            except OSError:
                continue
            for name in names:
                rel = f"{folder}/{name}" if folder else name
                if rel not in known:
                    with contextlib.suppress(FileNotFoundError):
                        _remove(self.staging / rel)

    def keep(self, rel, entry, content):
        """True if the staging tree already holds the right file."""
        if rel not in self.present:
            return False
        if self.trusted is not None:
            if self.trusted.entries.get(rel) != entry or not self.trusted.untouched(self.staging_s, rel):
                return False
        else:
            path = f"{self.staging_s}/{rel}"
            try:
                info = os.lstat(path)
                if not st.S_ISREG(info.st_mode) or info.st_size != entry.size:
                    return False
                with open(path, "rb") as handle:
                    if handle.read() != content():
                        return False
            except OSError:
                return False
        self.entries[rel] = entry
        return True

    def link(self, rel, entry):
        """Hard-link the live tree's file when it is the right one."""
        live = self.live_manifest
        if live is None or live.entries.get(rel) != entry or not live.untouched(self.live_s, rel):
            return False
        target = f"{self.staging_s}/{rel}"
        try:
            self._clear(target)
            try:
                os.link(f"{self.live_s}/{rel}", target)
            except FileNotFoundError:  # a new folder, not made by prepare()
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(f"{self.live_s}/{rel}", target)
        except OSError:
            return False  # e.g. a file system without hard links: write it instead
        self.entries[rel] = entry
        self.stats.linked += 1
        return True

    @staticmethod
    def _clear(target):
        if os.path.lexists(target):
            _remove(Path(target))

    def put(self, rel, content: bytes, hash_):
        entry = Entry(hash_, len(content))
        if self.keep(rel, entry, lambda: content) or self.link(rel, entry):
            return
        target = f"{self.staging_s}/{rel}"
        if rel in self.present:
            self._clear(target)  # never written over: the live tree may share it through a hard link
        else:
            self._make_folder(rel.rpartition("/")[0])
        try:
            write_new(target, content, stat=False)
        except FileExistsError:  # not in the manifest, so put there by hand
            self._clear(target)
            write_new(target, content, stat=False)
        self.entries[rel] = entry
        self.stats.written += 1

    def _make_folder(self, folder):
        """Make a folder of the site that prepare() left to put() (a big build makes 13,000),
        with one mkdir, not a failed open and os.makedirs' checks first."""
        if not folder or folder in self.folders:
            return
        path = f"{self.staging_s}/{folder}"
        try:
            os.mkdir(path)
        except FileExistsError:
            if os.path.islink(path) or not os.path.isdir(path):  # put there by hand: never write through it
                _remove(Path(path))
                os.mkdir(path)
        except FileNotFoundError:
            os.makedirs(path, exist_ok=True)
        self.folders.add(folder)

    def copy(self, rel, source: Path):
        content = source.read_bytes()
        self.put(rel, content, digest(content))


# --- the swap -------------------------------------------------------------------

def recover_interrupted(out: Path):
    """Put back the previous site if a build was stopped in the middle of swapping it.

    Where folders cannot be exchanged in one step, swap_in renames out to
    .out.old-PID, then the spare tree to out: a build killed between the two
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
    """Make staging the site; the previous site becomes the spare tree (at staging's path)."""
    if not out.exists():
        staging.rename(out)
        return
    if exchange(staging, out):
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    staging.rename(out)
    old.rename(staging)


# --- the stage --------------------------------------------------------------------

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


class SiteWriter:
    """Brings the spare tree up to date one file at a time, then swaps it in.

        with SiteWriter(out) as writer:
            writer.prepare(every path the site will have)
            writer.put(path, content, digest)...   # also in forked processes: see merge()
            stats = writer.finish(header)

    Leaving the block without finish() leaves the published site as it was.
    """

    def __init__(self, out: Path):
        self.out = out.resolve()

    def __enter__(self):
        self._lock = locked(self.out)
        self._lock.__enter__()
        try:
            remove_leftovers(self.out)
            self.live_manifest = Manifest.read(self.out) if self.out.is_dir() else None
            self.staging, trusted = make_staging(self.out)
            self.update = TreeUpdate(self.staging, trusted, self.out, self.live_manifest)
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def prepare(self, wanted, all_folders=True):
        wanted = list(wanted)
        refuse_outside(self.out, wanted)
        self.update.prepare(wanted, all_folders)

    def put(self, rel, content: bytes, hash_=None):
        self.update.put(rel, content, hash_ or digest(content))

    def copy(self, rel, source: Path):
        self.update.copy(rel, source)

    def done_here(self):
        """What this process wrote, to send to the process that will finish()."""
        return self.update.entries, self.update.stats

    def merge(self, entries, stats):
        self.update.entries.update(entries)
        self.update.stats.written += stats.written
        self.update.stats.linked += stats.linked

    def finish(self, header: dict | None = None) -> WriteStats:
        update, staging = self.update, self.staging
        if not (staging / MARKER).is_file():
            (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        Manifest(header or {}, update.entries).write(staging)
        swap_in(staging, self.out)
        before = self.live_manifest.entries if self.live_manifest else {}
        update.stats.changed = sum(before.get(rel) != entry for rel, entry in update.entries.items()) + \
            len(before.keys() - update.entries.keys())
        update.stats.files = len(update.entries)
        return update.stats


def write_site(out: Path, files: dict, copies: dict, header: dict | None = None,
               digests: dict | None = None) -> WriteStats:
    """Make out hold exactly the rendered files ({path: bytes}) and copies ({path: source Path}).

    digests, if given, holds digest() of some rendered files, computed already.
    header is stored in the manifest (see pipeline.py's no-change check).
    """
    digests = digests or {}
    refuse_outside(Path(out).resolve(), [*files, *copies])  # before the spare tree is even made
    with SiteWriter(out) as writer:
        writer.prepare([*files, *copies])
        for rel, content in files.items():
            writer.put(rel, content, digests.get(rel))
        for rel, source in copies.items():
            writer.copy(rel, source)
        return writer.finish(header)


def prepare_spare(out: Path):
    """Give a freshly built site its spare tree (folders and hard links), ahead of the next build.

    The first rebuild after a build from nothing would otherwise have to make
    every folder again. The preview server calls this while it waits for edits.
    """
    out = out.resolve()
    with locked(out):
        live = Manifest.read(out)
        if live is None or spare_path(out).exists() or not verify(out, live):
            return False
        staging, trusted = make_staging(out)
        update = TreeUpdate(staging, trusted, out, live)
        update.prepare(list(live.entries))
        for rel, entry in live.entries.items():
            if not update.link(rel, entry):
                return False  # no hard links here: the next build makes the tree
        Manifest(live.header, update.entries).write(staging)
        return True
