"""The fast engine's publish: the spare tree is brought up to date, changing only what changed,
and ends exactly as the plain publish would make it."""
from pathlib import Path

from liaison.spare import SiteWriter, spare_path, update_site
from liaison.write import MANIFEST, MARKER, write_site


def beside(folder: Path):
    """What is in folder apart from the spare copy of the site the next build brings up to date."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".site.spare")


def tree(folder: Path):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_unchanged_files_are_not_written_again_and_stale_files_go(tmp_path):
    out = tmp_path / "site"
    first = update_site(out, {"index.html": b"home", "old/index.html": b"old"}, {})
    assert (first.files, first.written) == (2, 2)
    second = update_site(out, {"index.html": b"home", "new/index.html": b"new"}, {})
    assert (second.files, second.written) == (2, 1)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        MANIFEST, MARKER, "index.html", "new/index.html"]
    assert beside(tmp_path) == ["site"]


def test_files_and_links_put_in_the_spare_tree_by_hand_are_replaced_never_written_through(tmp_path):
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = {"index.html": b"home", "officers/a/index.html": b"a"}
    update_site(out, site, {})
    update_site(out, site, {})  # now the spare tree holds the same site, with its manifest
    spare = spare_path(out)
    (spare / "officers/a/extra").mkdir()
    (spare / "officers/a/extra/index.html").write_bytes(b"put there by hand")
    (spare / "officers/a/link").symlink_to(elsewhere, target_is_directory=True)

    wanted = {**site, "officers/a/extra/index.html": b"extra", "officers/a/link/index.html": b"link"}
    with SiteWriter(out) as writer:
        for rel, content in wanted.items():
            writer.put(rel, content)
        writer.finish()
    assert {rel: (out / rel).read_bytes() for rel in wanted} == wanted
    assert not (out / "officers/a/link").is_symlink()
    assert list(elsewhere.iterdir()) == []


def test_rebuilds_that_swap_the_trees_write_only_what_changed(tmp_path):
    out = tmp_path / "site"
    update_site(out, {"index.html": b"home"}, {})
    for page in (b"home 2", b"home 3", b"home 4"):
        stats = update_site(out, {"index.html": page, "about/index.html": b"about"}, {})
        assert (out / "index.html").read_bytes() == page
    assert (stats.files, stats.written, stats.linked) == (2, 1, 0)


def test_a_folder_of_the_site_replaced_by_a_link_is_never_written_through(tmp_path):
    """Only the folders whose parent changed after the manifest are looked at one by one:
    replacing a folder changes its parent, at any depth."""
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    site = {"index.html": b"home", "officers/a/index.html": b"a", "officers/b/index.html": b"b",
            "boroughs/x/y/index.html": b"y"}
    update_site(out, site, {})
    update_site(out, site, {})  # now the spare tree holds the same site, with its manifest
    spare = spare_path(out)
    for folder in ("officers/b", "boroughs/x/y"):
        copy = elsewhere / folder
        copy.parent.mkdir(parents=True, exist_ok=True)
        (spare / folder).rename(copy)
        (spare / folder).symlink_to(copy, target_is_directory=True)
    outside = sorted((p.relative_to(elsewhere).as_posix(), p.read_bytes()) for p in elsewhere.rglob("*.html"))

    wanted = {**site, "officers/b/index.html": b"b, changed"}
    stats = update_site(out, wanted, {})
    assert {rel: (out / rel).read_bytes() for rel in wanted} == wanted
    assert [p for p in out.rglob("*") if p.is_symlink()] == []
    assert sorted((p.relative_to(elsewhere).as_posix(), p.read_bytes()) for p in elsewhere.rglob("*.html")) == outside
    assert (stats.written, stats.linked) == (1, 1)  # the changed page written, the other linked from the live tree


def test_a_file_put_by_hand_at_any_depth_is_gone_after_the_trees_swap(tmp_path):
    """The live tree becomes the spare one, so a stray file must not come back a build later."""
    out = tmp_path / "site"
    site = {"index.html": b"home", "officers/alex-turner/index.html": b"alex", "a/b/c/d/index.html": b"deep"}
    update_site(out, site, {})
    (out / "officers/alex-turner/stray.html").write_bytes(b"put there by hand")
    (out / "a/b/c/d/e").mkdir()
    (out / "a/b/c/d/e/stray.html").write_bytes(b"put there by hand")
    for _ in range(3):
        update_site(out, site, {})
        assert sorted(tree(out)) == sorted([*site, MANIFEST, MARKER])
    assert sorted(tree(spare_path(out))) == sorted([*site, MANIFEST, MARKER])


def test_it_makes_the_same_tree_as_the_plain_publish(tmp_path):
    sites = [{"index.html": b"home", "a/index.html": b"a"}, {"index.html": b"home 2", "b/c/index.html": b"c"},
             {"index.html": b"home 2", "a/index.html": b"a again"}]
    for number, site in enumerate(sites):
        update_site(tmp_path / "fast", site, {}, header={"n": number})
        write_site(tmp_path / "plain", site, {}, header={"n": number})
        assert tree(tmp_path / "fast") == tree(tmp_path / "plain")


def test_a_spare_tree_without_a_manifest_keeps_nothing(tmp_path):
    out = tmp_path / "site"
    site = {"index.html": b"home", "a/index.html": b"a"}
    update_site(out, site, {})
    update_site(out, site, {})
    (spare_path(out) / MANIFEST).unlink()  # as a build stopped while updating it leaves it
    (spare_path(out) / "a/index.html").unlink()  # a build never writes into a file: both trees may share it
    (spare_path(out) / "a/index.html").write_bytes(b"half written")
    stats = update_site(out, site, {})
    assert tree(out) == {**site, MARKER: (out / MARKER).read_bytes(), MANIFEST: (out / MANIFEST).read_bytes()}
    assert (stats.written, stats.linked) == (0, 2)  # both linked from the live tree, none kept


def test_a_file_where_a_folder_belongs_and_a_folder_where_a_file_belongs_are_replaced(tmp_path):
    out = tmp_path / "site"
    site = {"index.html": b"home", "officers/a/index.html": b"a", "officers/b/index.html": b"b"}
    update_site(out, site, {})
    update_site(out, site, {})  # now the spare tree holds the same site, with its manifest
    spare = spare_path(out)
    (spare / "officers/a/index.html").unlink()
    (spare / "officers/a").rmdir()
    (spare / "officers/a").write_bytes(b"a file, put there by hand")
    (spare / "officers/b/index.html").unlink()
    (spare / "officers/b/index.html").mkdir()
    (spare / "officers/b/index.html/stray.html").write_bytes(b"put there by hand")
    update_site(out, site, {})
    assert tree(out) == {**site, MARKER: (out / MARKER).read_bytes(), MANIFEST: (out / MANIFEST).read_bytes()}
