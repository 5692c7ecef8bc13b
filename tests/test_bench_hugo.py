"""bench/hugo_reference.py: the Hugo site bench/run.py builds beside each cold build, and its report."""
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402
import hugo_reference  # noqa: E402
import run  # noqa: E402


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return generate.generate(tmp_path_factory.mktemp("national") / "data", officers=30, boroughs=12, forces=3)


def test_the_hugo_site_has_one_page_per_officer_with_the_same_data(national, tmp_path):
    site = tmp_path / "hugo"
    assert hugo_reference.write_site(national, site) == 30
    pages = sorted((site / "content" / "officers").iterdir())
    assert len(pages) == 30
    first = pages[0].read_text(encoding="utf-8")
    assert first.startswith('{\n "title": "')  # JSON front matter, which Hugo recognises by its "{"
    assert '"last_verified": "2026-' in first and '"areas": [' in first
    assert "Private note" not in first  # officers' notes are not content
    again = tmp_path / "again"
    hugo_reference.write_site(national, again)
    assert [p.read_bytes() for p in pages] == [p.read_bytes() for p in sorted((again / "content" / "officers").iterdir())]


def test_an_officers_page_holds_their_fields_and_bio():
    officer = {"id": "sam-khan", "name": "Sam Khan", "rank": "PC", "pronouns": None, "email": "sam@example.org",
               "phone": "0161 496 0001", "boroughs": ["tonby", "dening"], "last_verified": generate.VERIFIED_ON,
               "bio": "Sam covers **Tonby**.\n", "notes": "never published"}
    assert hugo_reference.page(officer, {"tonby": "Tonby", "dening": "Dening"}) == (
        '{\n "title": "Sam Khan",\n "rank": "PC",\n "phone": "0161 496 0001",\n "email": "sam@example.org",\n'
        ' "areas": [\n  "Tonby",\n  "Dening"\n ],\n "last_verified": "2026-11-01"\n}\n\nSam covers **Tonby**.\n')


@pytest.mark.skipif(hugo_reference.program() is None, reason="Hugo is not installed: scripts/setup bench")
def test_hugo_builds_the_site_and_its_own_time_is_read(national, tmp_path):
    hugo = hugo_reference.program()
    assert os.access(hugo, os.X_OK)
    assert hugo_reference.version(hugo) == "0.168.0"
    hugo_reference.write_site(national, tmp_path / "site")
    result = hugo_reference.timed_build(hugo, tmp_path / "site", tmp_path / "public")
    assert result["pages"] == 32  # the officers, their section's page and the home page
    assert 0 < result["seconds"] <= result["command"]
    assert result["cpu"] > 0
    name = next((tmp_path / "site" / "content" / "officers").iterdir()).stem
    page = (tmp_path / "public" / "officers" / name / "index.html").read_text(encoding="utf-8")
    assert "<p>Last checked 2026-" in page and '<a href="../../">' in page


def test_a_failed_hugo_build_stops_the_benchmark_with_hugos_message(tmp_path):
    if hugo_reference.program() is None:
        pytest.skip("Hugo is not installed: scripts/setup bench")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "hugo.toml").write_text("this is not TOML = = =\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        hugo_reference.timed_build(hugo_reference.program(), tmp_path / "site", tmp_path / "public")
    assert str(stopped.value).startswith(f"hugo failed ({hugo_reference.program()}):")
    assert "hugo.toml" in str(stopped.value)


def test_the_report_sets_each_cold_build_beside_the_hugo_build_just_before_it():
    cold = [{"seconds": s} for s in (4.8, 5.6, 4.6)]
    hugo = [{"seconds": s, "cpu": c, "pages": 10002} for s, c in ((3.2, 5.1), (4.0, 5.9), (3.5, 5.3))]
    figures = [{"officers": 1000, "runs": {"cold": cold[:1]}}, {"officers": 10000, "runs": {"cold": cold}, "hugo": hugo}]
    assert run.hugo_table(figures).splitlines()[-1] == (
        "| 10,000 | 10,002 | 3.50 s (3.20-4.00) | 5.30 s | 4.80 s | 1.40 (1.31-1.50) |")
    section = run.hugo_section(figures, {"hugo": "0.168.0"})
    assert section[1].startswith("A reference measured at the same moment: Hugo 0.168.0 building one plain page")


def test_without_hugo_the_report_has_no_reference_section():
    figures = [{"officers": 1000, "runs": {"cold": [{"seconds": 1.0}]}}]
    assert run.hugo_table(figures) == ""
    assert run.hugo_section(figures, {"hugo": None}) == []


@pytest.mark.skipif(hugo_reference.program() is None, reason="Hugo is not installed: scripts/setup bench")
def test_run_again_it_deletes_the_earlier_trees_only_after_timing_the_build(national, tmp_path, monkeypatch, capsys):
    removed_before_the_build = []
    timed_build = hugo_reference.timed_build
    monkeypatch.setattr(hugo_reference, "timed_build", lambda *args: removed_before_the_build.append(
        sorted(p.name for p in tmp_path.iterdir())) or timed_build(*args))
    for _ in range(2):
        assert hugo_reference.main([str(tmp_path), "--source", str(national)]) == 0
    assert capsys.readouterr().out.count("Hugo 0.168.0: 32 pages for 30 officers in ") == 2
    first, second = removed_before_the_build
    assert first == ["site"]
    assert [name.split("-")[0] for name in second] == [".public", ".site", "site"]  # the earlier trees, moved aside
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "site"]
