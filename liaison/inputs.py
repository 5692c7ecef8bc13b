"""A fingerprint of everything a build reads, so a build with nothing new to do can stop early.

The site is a pure function of: the data files, content/, templates/ and
assets/ (the project's and the defaults), the base URL, today's date, this
generator's code and the versions of the libraries that shape its output.
When all of these match what the last build recorded (and its output is
untouched), the build has nothing to do.
"""
from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path

from .schema import DATA_FILES

PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "phonenumbers", "pyyaml")


def code_fingerprint() -> bytes:
    """This generator's own code and the library versions: fixed while a process runs
    (memo.Memo keeps it)."""
    h = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?;".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


def _tree(h, root: Path):
    if not root.is_dir():
        h.update(b"\0no-folder\0")
        return
    real_root = root.resolve()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue  # a folder, or a broken link: not part of the site
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(b"inside\0" if path.resolve().is_relative_to(real_root) else b"outside\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


def input_key(source: Path, base_url, today, code=None) -> str:
    """code: code_fingerprint(), if already worked out."""
    from .render import DEFAULT_ASSETS, DEFAULT_TEMPLATES

    h = hashlib.sha256(code or code_fingerprint())
    h.update(repr((base_url, today.isoformat())).encode())
    for schema in DATA_FILES:
        path = source / schema.file
        h.update(schema.file.encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"\0missing\0")
    for folder in ("content", "templates", "assets"):
        h.update(f"\0{folder}\0".encode())
        _tree(h, source / folder)
    h.update(b"\0defaults\0")
    _tree(h, DEFAULT_TEMPLATES)
    _tree(h, DEFAULT_ASSETS)
    return h.hexdigest()
