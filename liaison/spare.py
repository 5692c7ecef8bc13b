"""The fast engine's publish: the tree write.py makes, written sooner, by changing only what changed.

Two trees live side by side:

    OUT/            the site people see, with the marker file and a manifest
    .OUT.spare/     the site as it was one build earlier

A build brings the spare tree up to date and then swaps the two folders in one step
(write.swap_in). Until that moment only the spare tree has been touched, so a build
that fails or is killed part-way leaves the published site as it was.

Creating a file or a folder costs the kernel far more than linking a file that exists
(docs/performance.md), so a build:

- walks the whole spare tree first, removing anything that is not a plain file or
  folder (a link put there by hand is removed, never written through);
- keeps each file whose content is still right: the tree's manifest says so, and the
  file has the size it records and has not been modified since it was written;
- hard-links from the live tree the files that changed only in the last build;
- writes only the rest, never into an existing file (a file may be shared by both
  trees), and makes only the folders that are new;
- removes, last, every file and folder that was not put, at any depth.

A spare tree without a manifest (a build stopped part-way through updating it) keeps
nothing: every file is written again.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import stat as st
from pathlib import Path

from .errors import OutputError
from .write import (MANIFEST, MARKER, MARKER_TEXT, Entry, Manifest, WriteStats, changed_since, digest, inside, locked,
                    refuse_outside, remove_leftovers, swap_in, write_new)


def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def untouched(manifest: Manifest, tree: str, rel: str) -> bool:
    """True if the file is there as the manifest records it, and not modified since it was written."""
    entry = manifest.entries.get(rel)
    try:
        info = os.lstat(f"{tree}/{rel}")  # plain strings: pathlib costs more than the lstat
    except OSError:
        return False
    return (entry is not None and st.S_ISREG(info.st_mode) and info.st_size == entry.size
            and info.st_mtime_ns <= manifest.written_ns)


def verify(tree: Path, manifest: Manifest) -> bool:
    """True when every file the manifest lists is still there, untouched."""
    return (tree / MARKER).is_file() and all(untouched(manifest, str(tree), rel) for rel in manifest.entries)


def make_staging(out: Path) -> tuple[Path, "Manifest | None"]:
    """The spare tree to bring up to date, and its manifest if it has one."""
    spare = spare_path(out)
    if spare.is_dir() and not spare.is_symlink() and (spare / MARKER).is_file() or is_empty_dir(spare):
        manifest = Manifest.read(spare)
        with contextlib.suppress(FileNotFoundError):
            (spare / MANIFEST).unlink()  # from here until the swap, the tree is in flux
        return spare, manifest
    if spare.exists() or spare.is_symlink():
        raise OutputError(f"refusing to replace {spare}: the build keeps its spare copy of the site there, "
                          "but this was not made by this tool. Move it away, or choose another --out")
    spare.mkdir()
    (spare / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # ours, from the first moment
    return spare, None


def is_empty_dir(path: Path):
    try:
        return path.is_dir() and not path.is_symlink() and not any(path.iterdir())
    except OSError:
        return False


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


class TreeUpdate:
    """Brings the staging tree to exactly the files put into it, doing as little as possible.

    It first walks the whole tree, removing anything that is not a plain file or folder;
    files are then put one by one (in several processes if need be), and finally whatever
    was not put is removed, at any depth."""

    def __init__(self, staging: Path, trusted: "Manifest | None", live: Path, live_manifest: "Manifest | None"):
        self.staging, self.trusted, self.live = staging, trusted, live
        self.staging_s, self.live_s = str(staging), str(live)
        self.live_manifest = live_manifest
        self.stats = WriteStats()
        self.entries = {}
        self.present, self.folders = self.survey()
        self.found_folders = set(self.folders)

    def survey(self):
        """(every plain file, every folder) in the tree, after removing everything else: a link
        put there by hand is removed, never written through. Reading every folder costs far less
        than the files written after any change (docs/performance.md)."""
        files, folders, todo = set(), set(), [""]
        while todo:
            folder = todo.pop()
            with os.scandir(f"{self.staging_s}/{folder}" if folder else self.staging_s) as found:
                for item in found:
                    rel = f"{folder}/{item.name}" if folder else item.name
                    if item.is_dir(follow_symlinks=False):
                        folders.add(rel)
                        todo.append(rel)
                    elif item.is_file(follow_symlinks=False):
                        files.add(rel)
                    else:
                        os.unlink(item.path)
                        self.stats.removed += 1
        files.discard(MARKER)
        return files, folders

    def remove_the_rest(self):
        """Remove every file and folder found by survey() that no file put needs."""
        for rel in self.present - self.entries.keys():
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # gone with its folder
                os.unlink(f"{self.staging_s}/{rel}")
                self.stats.removed += 1
        needed = parent_dirs(self.entries)
        for rel in sorted(self.found_folders - needed - self.entries.keys(), key=len):  # parents first
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(f"{self.staging_s}/{rel}")  # a folder inside it went with its parent

    def keep(self, rel, entry):
        """True if the staging tree already holds the right file."""
        trusted = self.trusted
        if rel not in self.present or trusted is None or trusted.entries.get(rel) != entry:
            return False
        if not untouched(trusted, self.staging_s, rel):
            return False
        self.entries[rel] = entry
        return True

    def link(self, rel, entry):
        """Hard-link the live tree's file when it is the right one."""
        live = self.live_manifest
        if live is None or live.entries.get(rel) != entry or not untouched(live, self.live_s, rel):
            return False
        try:
            self.clear(rel)
            os.link(f"{self.live_s}/{rel}", f"{self.staging_s}/{rel}")
        except OSError:
            return False  # e.g. a file system without hard links: write it instead
        self.entries[rel] = entry
        self.stats.linked += 1
        return True

    def clear(self, rel):
        """Make room for rel: take away what is there (a file is never written into: the live
        tree may share it through a hard link), and make the folder it goes in."""
        if rel in self.present:
            self.present.discard(rel)
            os.unlink(f"{self.staging_s}/{rel}")
        elif rel in self.folders:  # a folder where the site now has a file
            self.folders.discard(rel)
            shutil.rmtree(f"{self.staging_s}/{rel}")
        self.make_folder(rel.rpartition("/")[0])

    def put(self, rel, content: bytes, hash_):
        if not inside(rel):
            raise OutputError(f"refusing to write {rel}: it would be outside {self.live}")
        entry = Entry(hash_, len(content))
        if self.keep(rel, entry) or self.link(rel, entry):
            return
        self.clear(rel)
        write_new(f"{self.staging_s}/{rel}", content, stat=False)
        self.entries[rel] = entry
        self.stats.written += 1

    def make_folder(self, folder):
        """Make a folder of the site, and the folders it is in, with one mkdir each."""
        if not folder or folder in self.folders:
            return
        self.make_folder(folder.rpartition("/")[0])
        path = f"{self.staging_s}/{folder}"
        if folder in self.present:  # a file where the site now has a folder
            self.present.discard(folder)
            with contextlib.suppress(FileNotFoundError):  # another process writing here took it away
                os.unlink(path)
        try:
            os.mkdir(path)
        except FileExistsError:  # made meanwhile by another process writing into the same tree
            pass
        self.folders.add(folder)

    def copy(self, rel, source: Path):
        content = source.read_bytes()
        self.put(rel, content, digest(content))


class SiteWriter:
    """Brings the spare tree up to date one file at a time, then swaps it in.

        with SiteWriter(out) as writer:
            writer.put(path, content, digest)...   # also in forked processes: see merge()
            stats = writer.finish(header)          # removes what was not put, swaps the trees in

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
        update.remove_the_rest()
        if not (staging / MARKER).is_file():
            (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        Manifest(header or {}, update.entries).write(staging)
        swap_in(staging, self.out)
        update.stats.changed = changed_since(self.live_manifest, update.entries)
        update.stats.files = len(update.entries)
        return update.stats


def update_site(out: Path, files: dict, copies: dict, header: dict | None = None,
                digests: dict | None = None) -> WriteStats:
    """write.write_site's tree, made by bringing the spare tree up to date.

    digests, if given, holds digest() of some rendered files, computed already."""
    digests = digests or {}
    refuse_outside(Path(out).resolve(), [*files, *copies])  # before the spare tree is even made
    with SiteWriter(out) as writer:
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
        for rel, entry in live.entries.items():
            if not update.link(rel, entry):
                return False  # no hard links here: the next build makes the tree
        update.remove_the_rest()
        Manifest(live.header, update.entries).write(staging)
        return True
