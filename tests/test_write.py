"""The output directory is replaced only when that cannot destroy anyone's files."""
from pathlib import Path

import pytest

from liaison.errors import OutputError
from liaison.write import MANIFEST, MARKER, SiteWriter, check_output_dir, spare_path, write_site


def test_refuses_the_source_folder_and_any_folder_containing_it(tmp_path):
    source = tmp_path / "project"
    source.mkdir()
    with pytest.raises(OutputError, match="it contains the source files"):
        check_output_dir(source, source)
    with pytest.raises(OutputError, match="it contains the source files"):
        check_output_dir(tmp_path, source)


def test_refuses_a_non_empty_folder_it_did_not_make(tmp_path):
    out = tmp_path / "someone-elses"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work")
    with pytest.raises(OutputError) as caught:
        check_output_dir(out, tmp_path / "project")
    assert str(caught.value) == (f"refusing to replace {out}: it is not empty and was not made by this tool. "
                                 "Choose a new or empty directory for --out")


def test_accepts_a_new_an_empty_or_its_own_folder(tmp_path):
    source = tmp_path / "project"
    check_output_dir(tmp_path / "new", source)
    (tmp_path / "empty").mkdir()
    check_output_dir(tmp_path / "empty", source)
    own = tmp_path / "own"
    own.mkdir()
    (own / MARKER).write_text("")
    (own / "index.html").write_text("old")
    check_output_dir(own, source)


def test_unchanged_files_are_not_written_again_and_stale_files_go(tmp_path):
    out = tmp_path / "site"
    first = write_site(out, {"index.html": b"home", "old/index.html": b"old"}, {})
    assert (first.files, first.written) == (2, 2)
    second = write_site(out, {"index.html": b"home", "new/index.html": b"new"}, {})
    assert (second.files, second.written) == (2, 1)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        MANIFEST, MARKER, "index.html", "new/index.html"]
    assert beside(tmp_path) == ["site"]


def test_a_failure_while_writing_keeps_the_previous_site(tmp_path):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"home"}, {})

    class Boom(Exception):
        pass

    class Exploding(dict):
        def items(self):
            yield "a.html", b"a"
            raise Boom()

    with pytest.raises(Boom):
        write_site(out, Exploding(), {})
    assert (out / "index.html").read_bytes() == b"home"
    assert beside(tmp_path) == ["site"]


def beside(folder: Path):
    """What is in folder apart from the spare copy of the site the next build brings up to date."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".site.spare")


def test_files_and_links_put_in_the_spare_tree_by_hand_are_replaced_never_written_through(tmp_path):
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = {"index.html": b"home", "officers/a/index.html": b"a"}
    write_site(out, site, {})
    write_site(out, site, {})  # now the spare tree holds the same site, with its manifest
    spare = spare_path(out)
    (spare / "officers/a/extra").mkdir()
    (spare / "officers/a/extra/index.html").write_bytes(b"put there by hand")
    (spare / "officers/a/link").symlink_to(elsewhere, target_is_directory=True)

    wanted = {**site, "officers/a/extra/index.html": b"extra", "officers/a/link/index.html": b"link"}
    with SiteWriter(out) as writer:
        writer.prepare(wanted, all_folders=False)  # the deeper folders are made as files are put
        for rel, content in wanted.items():
            writer.put(rel, content)
        writer.finish()
    assert {rel: (out / rel).read_bytes() for rel in wanted} == wanted
    assert not (out / "officers/a/link").is_symlink()
    assert list(elsewhere.iterdir()) == []


def test_rebuilds_that_swap_the_trees_write_only_what_changed(tmp_path):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"home"}, {})
    for page in (b"home 2", b"home 3", b"home 4"):
        stats = write_site(out, {"index.html": page, "about/index.html": b"about"}, {})
        assert (out / "index.html").read_bytes() == page
    assert (stats.files, stats.written, stats.linked) == (2, 1, 0)


@pytest.mark.parametrize("rel, expected", [
    ("index.html", True), ("officers/sam-khan/index.html", True), ("a/", True), ("a..b.html", True),
    (".well-known/security.txt", True), ("assets/.keep", True), ("./a", True), ("a/b/.", True),
    ("", False), ("..", False), ("../site.html", False), ("a/../../etc/passwd", False), ("/etc/passwd", False),
    ("C:/Windows/x", False), ("c:x", False), ("..\\x", False), ("a\\..\\..\\x", False),
])
def test_only_paths_inside_the_output_folder_are_written(rel, expected, tmp_path):
    from liaison.write import inside
    assert inside(rel) is expected
    if not expected:
        with pytest.raises(OutputError) as refused:
            write_site(tmp_path / "site", {rel: b"x"}, {})
        assert str(refused.value) == f"refusing to write {rel}: it would be outside {(tmp_path / 'site').resolve()}"
        assert not (tmp_path / "site").exists()


def test_a_folder_of_the_site_replaced_by_a_link_is_never_written_through(tmp_path):
    """Only the folders whose parent changed after the manifest are looked at one by one:
    replacing a folder changes its parent, at any depth."""
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    site = {"index.html": b"home", "officers/a/index.html": b"a", "officers/b/index.html": b"b",
            "boroughs/x/y/index.html": b"y"}
    write_site(out, site, {})
    write_site(out, site, {})  # now the spare tree holds the same site, with its manifest
    spare = spare_path(out)
    for folder in ("officers/b", "boroughs/x/y"):
        copy = elsewhere / folder
        copy.parent.mkdir(parents=True, exist_ok=True)
        (spare / folder).rename(copy)
        (spare / folder).symlink_to(copy, target_is_directory=True)
    outside = sorted((p.relative_to(elsewhere).as_posix(), p.read_bytes()) for p in elsewhere.rglob("*.html"))

    wanted = {**site, "officers/b/index.html": b"b, changed"}
    stats = write_site(out, wanted, {})
    assert {rel: (out / rel).read_bytes() for rel in wanted} == wanted
    assert [p for p in out.rglob("*") if p.is_symlink()] == []
    assert sorted((p.relative_to(elsewhere).as_posix(), p.read_bytes()) for p in elsewhere.rglob("*.html")) == outside
    assert (stats.written, stats.linked) == (1, 1)  # the changed page written, the other linked from the live tree
