"""The plain publish: the output directory is replaced all at once, and only when that cannot
destroy anyone's files."""
from pathlib import Path

import pytest

from liaison.errors import OutputError
from liaison.write import MANIFEST, MARKER, check_output_dir, write_site


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
    return sorted(p.name for p in folder.iterdir())


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




def test_every_file_is_written_into_a_new_folder_and_the_previous_site_goes(tmp_path):
    out = tmp_path / "site"
    first = write_site(out, {"index.html": b"home", "old/index.html": b"old"}, {})
    (out / "officers/a").mkdir(parents=True)
    (out / "officers/a/stray.html").write_bytes(b"put there by hand")
    second = write_site(out, {"index.html": b"home", "new/index.html": b"new"}, {})
    assert (first.files, first.written, first.changed) == (2, 2, 2)
    assert (second.files, second.written, second.changed) == (2, 2, 2)  # one file gone, one new
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        MANIFEST, MARKER, "index.html", "new/index.html"]
    assert beside(tmp_path) == ["site"]


def test_a_manifests_header_is_read_alone_and_only_from_this_version(tmp_path):
    from liaison.write import Manifest
    out = tmp_path / "site"
    write_site(out, {"index.html": b"home"}, {}, header={"inputs": "abc"})
    assert Manifest.read_header(out) == {"inputs": "abc", "version": 1} == Manifest.read(out).header
    (out / MANIFEST).write_text('{"inputs": "abc", "version": 0}\n', encoding="utf-8")
    assert Manifest.read_header(out) is None and Manifest.read(out) is None
    (out / MANIFEST).write_text("not json\n", encoding="utf-8")
    assert Manifest.read_header(out) is None
    assert Manifest.read_header(tmp_path / "nowhere") is None
