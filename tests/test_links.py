"""liaison/links.py and `build.py links`: every link inside a built site leads somewhere in it."""
from __future__ import annotations

import pytest

from liaison.links import broken_links


@pytest.fixture
def site(tmp_path):
    """A tiny built site: a home page, a folder page with an anchor, a stylesheet."""
    files = {
        "index.html": '<a href="boroughs/harrow/">Harrow</a> <link rel="stylesheet" href="assets/site.css">'
                      '<a href="https://www.report-it.org.uk">True Vision</a> <a href="#main">skip</a>'
                      '<a href="tel:101">101</a>',
        "boroughs/harrow/index.html": '<h2 id="officers">Officers</h2><a href="../../">Home</a>'
                                      '<a href="../../boroughs/harrow/#officers">here</a>'
                                      '<a href="../../caf%C3%A9/">café</a>',
        "café/index.html": "<p>Menu</p>",
        "assets/site.css": "body {}",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_site_whose_links_all_lead_somewhere_has_none_broken(site):
    assert broken_links(site) == []


def test_a_missing_page_a_missing_file_and_a_missing_anchor_are_each_reported(site):
    (site / "about" / "index.html").parent.mkdir()
    (site / "about" / "index.html").write_text(
        '<a href="../boroughs/barnet/">Barnet</a><img src="../photo.jpg" alt="">'
        '<a href="../boroughs/harrow/#organisations">groups</a>', encoding="utf-8")
    assert broken_links(site) == [
        "about/index.html: ../boroughs/barnet/",
        "about/index.html: ../photo.jpg",
        "about/index.html: ../boroughs/harrow/#organisations (no such anchor)",
    ]


def test_the_command_lists_broken_links_and_exits_1(site, run_cli):
    (site / "index.html").write_text('<a href="nowhere/">x</a>', encoding="utf-8")
    code, out, err = run_cli("links", "--out", site)
    assert (code, out, err) == (1, "index.html: nowhere/\n1 broken link\n", "")


def test_the_command_is_quiet_about_a_sound_site(site, run_cli):
    code, out, err = run_cli("links", "--out", site)
    assert (code, out, err) == (0, "Every link inside the site leads somewhere (3 pages)\n", "")


def test_the_command_refuses_a_folder_that_is_not_there(tmp_path, run_cli):
    code, out, err = run_cli("links", "--out", tmp_path / "nothing")
    assert code == 2
    assert err == f"build.py: error: there is no built site in {tmp_path / 'nothing'} (build it first)\n"
