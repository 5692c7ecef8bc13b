"""Ids, photo paths, file names and links can never read or write outside the source and output folders."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL
from hostile import run, snapshot
from liaison.errors import OutputError
from liaison.write import write_site

SECRET = "SECRET-FROM-OUTSIDE-THE-PROJECT"


def minimal(name):
    return textwrap.dedent(MINIMAL[name])


def with_photo(photo):
    return minimal("officers.yaml").replace("  notes:", f"  photo: '{photo}'\n  notes:")


@pytest.fixture
def outside(tmp_path):
    """A folder beside the project holding a secret file, as ~/.ssh or /etc would be."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "secret.md").write_text(f"---\ntitle: {SECRET}\ndescription: x\n---\n{SECRET}\n", encoding="utf-8")
    (folder / "secret.jpg").write_bytes(SECRET.encode())
    return folder


def everything_but(tmp_path, *skip):
    """Every file under tmp_path except in the given folders: to show nothing was written elsewhere."""
    return {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(tuple(f"{s}/" for s in skip))}


def all_output(out: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


# Ids become folder names in the site: one that climbs out is refused, and nothing is written.

@pytest.mark.parametrize("file, ident", [("officers.yaml", "alex-example"), ("boroughs.yaml", "northtown"),
                                         ("organisations.yaml", "helpline-example"), ("reporting.yaml", "call-999")])
@pytest.mark.parametrize("hostile", ["../../escape", "/tmp/escape", "..", "a/../../b"])
def test_an_id_that_climbs_out_is_refused_and_nothing_is_written(make_project, tmp_path, file, ident, hostile):
    root = make_project({file: minimal(file).replace(f"id: {ident}", f"id: '{hostile}'", 1)})
    out = tmp_path / "site"
    before = everything_but(tmp_path, "project")
    code, _, err = run("build", "--source", root, "--out", out)
    assert code == 1
    line = next(i for i, text in enumerate((root / file).read_text().splitlines(), 1) if hostile in text)
    suggestion = "-".join(part for part in hostile.replace(".", " ").replace("/", " ").split())
    hint = f"use lowercase letters, digits and hyphens, e.g. '{suggestion}'" if suggestion else "use lowercase letters, digits and hyphens"
    assert f"{file}:{line}:7: '{hostile}' is not a valid id ({hint})" in err.splitlines()
    assert not out.exists()
    assert everything_but(tmp_path, "project") == before
    assert not Path("/tmp/escape").exists()


def test_the_writer_itself_refuses_a_path_outside_the_output(tmp_path):
    out = tmp_path / "site"
    with pytest.raises(OutputError, match=r"refusing to write \.\./escape\.html: it would be outside"):
        write_site(out, {"index.html": b"ok", "../escape.html": b"bad"}, {})
    with pytest.raises(OutputError, match="refusing to write /tmp/escape.html"):
        write_site(out, {"/tmp/escape.html": b"bad"}, {})
    assert not (tmp_path / "escape.html").exists() and not Path("/tmp/escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no output, no staging left behind


# Photos are paths under assets/.

@pytest.mark.parametrize("photo", ["../officers.yaml", "../../elsewhere/secret.jpg", "/etc/passwd", "photos/../../site.yaml",
                                   "\\\\server\\share\\x.jpg", "C:/Windows/x.jpg", "..\\officers.yaml"])
def test_a_photo_path_outside_assets_is_refused(make_project, photo):
    root = make_project({"officers.yaml": with_photo(photo)})
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == [f"officers.yaml:12:10: 'photo' must be a path inside assets/, not '{photo}' (e.g. photos/alex-morgan.jpg)",
                                "1 error, 0 warnings"]


def test_a_photo_that_is_a_link_to_a_file_outside_is_refused(make_project, outside):
    root = make_project({"officers.yaml": with_photo("photos/alex.jpg")})
    (root / "assets" / "photos").mkdir(parents=True)
    (root / "assets" / "photos" / "alex.jpg").symlink_to(outside / "secret.jpg")
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == ["officers.yaml:12:10: photo 'assets/photos/alex.jpg' is a link to a file outside assets/ "
                                "(put the photo itself in assets/ instead of a link)", "1 error, 0 warnings"]


def test_a_photo_in_a_folder_that_is_a_link_outside_is_refused(make_project, outside):
    root = make_project({"officers.yaml": with_photo("photos/secret.jpg")})
    (root / "assets").mkdir()
    (root / "assets" / "photos").symlink_to(outside, target_is_directory=True)
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == ["officers.yaml:12:10: photo 'assets/photos/secret.jpg' is a link to a file outside assets/ "
                                "(put the photo itself in assets/ instead of a link)", "1 error, 0 warnings"]


def test_links_in_assets_are_not_published(make_project, outside, tmp_path):
    root = make_project()
    (root / "assets").mkdir()
    (root / "assets" / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "assets" / "data.yaml").symlink_to(root / "officers.yaml")  # inside the project, but not in assets/
    (root / "assets" / "logo.svg").write_text("<svg/>")
    out = tmp_path / "site"
    assert run("build", "--source", root, "--out", out)[0] == 0
    assert (out / "assets" / "logo.svg").is_file()
    assert not (out / "assets" / "secret.txt").exists() and not (out / "assets" / "data.yaml").exists()
    assert SECRET.encode() not in all_output(out)
    assert b"PRIVATE-NOTE-MARKER" not in all_output(out)


# Files that are links: read only when the file really is inside the project.

@pytest.mark.parametrize("name", ["officers.yaml", "site.yaml"])
def test_a_data_file_that_is_a_link_outside_is_not_read(make_project, outside, name):
    root = make_project()
    (root / name).unlink()
    (root / name).symlink_to(outside / "secret.txt")
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert (f"{name}:1:1: this file is a link to a place outside the project folder, so it is not read "
            "(put the file itself here instead of a link)") in err.splitlines()
    assert SECRET not in err


def test_a_data_file_that_is_a_link_inside_the_project_is_read(make_project, tmp_path):
    root = make_project()
    (root / "data").mkdir()
    (root / "officers.yaml").rename(root / "data" / "officers.yaml")
    (root / "officers.yaml").symlink_to(Path("data") / "officers.yaml")
    assert run("check", "--source", root)[0] == 0


def test_a_page_that_is_a_link_outside_is_not_read(make_project, outside, tmp_path):
    root = make_project()
    (root / "content" / "leak.md").symlink_to(outside / "secret.md")
    out = tmp_path / "site"
    code, _, err = run("build", "--source", root, "--out", out)
    assert code == 1
    assert err.splitlines() == ["content/leak.md:1:1: this file is a link to a place outside the project folder, so it is "
                                "not read (put the file itself here instead of a link)",
                                "Build stopped: 1 error, 0 warnings. Nothing was written."]
    assert not out.exists()


@pytest.mark.parametrize("folder", ["content", "assets", "templates"])
def test_a_project_folder_that_is_a_link_outside_is_not_read(make_project, outside, folder):
    root = make_project({"content/about.md": None})
    if (root / folder).exists():
        os.rmdir(root / folder)
    (root / folder).symlink_to(outside, target_is_directory=True)
    code, _, err = run("check", "--source", root)
    assert code == 1
    assert err.splitlines() == [f"{folder}/:1:1: this folder is a link to a place outside the project folder, so it is not read "
                                "(put the folder itself here instead of a link)", "1 error, 0 warnings"]


def test_a_template_that_is_a_link_outside_is_not_read(make_project, outside, tmp_path):
    root = make_project()
    (root / "templates").mkdir()
    (root / "templates" / "page.html").symlink_to(outside / "secret.txt")
    out = tmp_path / "site"
    code, _, err = run("build", "--source", root, "--out", out)
    assert code == 1
    assert err.splitlines() == ["templates/page.html:1:1: template error: this template is a link to a place outside the "
                                "templates folder, so it is not read", "Build stopped: 1 error, 0 warnings. Nothing was written."]
    assert not out.exists()


# Page file names become addresses.

@pytest.mark.parametrize("name, hint", [
    ("Bad Name.md", "use lowercase letters, digits and hyphens, e.g. staying-safe.md"),
    ("..md", "use lowercase letters, digits and hyphens, e.g. staying-safe.md"),
    ("...md", "use lowercase letters, digits and hyphens, e.g. staying-safe.md"),
    ("officers.md", "that address is used by the site itself"),
    ("assets.md", "that address is used by the site itself"),
])
def test_a_page_file_name_that_is_not_an_address_is_refused(make_project, name, hint, tmp_path):
    root = make_project({f"content/{name}": "---\ntitle: T\ndescription: D\n---\nBody\n"})
    out = tmp_path / "site"
    code, _, err = run("build", "--source", root, "--out", out)
    assert code == 1
    assert err.splitlines()[0] == f"content/{name}:1:1: '{name[:-3]}' cannot be a page address ({hint})"
    assert not out.exists()
