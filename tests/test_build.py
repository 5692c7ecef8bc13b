"""Building fixture projects and the sample data: every page kind, every link."""
from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from conftest import REPO, TODAY
from liaison.links import html_pages, parse
from liaison.links import broken_links
from liaison import build
from liaison.write import MANIFEST, MARKER

SAMPLE_FILES = ["site.yaml", "boroughs.yaml", "officers.yaml", "organisations.yaml", "reporting.yaml"]


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    """The repository's sample data, built once."""
    out = tmp_path_factory.mktemp("sample") / "_site"
    build(REPO, out, today=TODAY)
    return out


@pytest.fixture
def minimal_site(make_project, tmp_path):
    root = make_project()
    out = tmp_path / "out"
    build(root, out, today=TODAY)
    return out


def text_of(site, page):
    return (site / page).read_text(encoding="utf-8")


def test_home_page_lists_boroughs_by_force_and_the_emergency_notice(minimal_site):
    html = text_of(minimal_site, "index.html")
    assert "<h1>Find your LGBT+ liaison officer</h1>" in html
    assert "In an emergency call <a href=\"tel:999\">999</a>" in html
    assert '<h3 id="force-test-police">Test Police</h3>' in html
    assert '<a href="boroughs/northtown/">Northtown</a>' in html
    assert '<a href="boroughs/southtown/">Southtown</a> <span class="az-list__note">no officer at present</span>' in html
    assert '<a href="report/#call-999">Call 999</a>' in html


def test_borough_page_shows_its_officer_and_their_contacts(minimal_site):
    html = text_of(minimal_site, "boroughs/northtown/index.html")
    assert "<h1>LGBT+ liaison officers in Northtown</h1>" in html
    assert '<a href="../../officers/alex-example/">PC Alex Example</a>' in html
    assert '<span class="tag tag--full-time">Full-time</span>' in html
    assert '<a href="tel:+442079460001">020 7946 0001</a>' in html
    assert '<a href="mailto:alex.example@example.org">alex.example@example.org</a>' in html
    assert 'Last checked <time datetime="2026-11-01">1 November 2026</time>' in html
    assert "Not for emergencies: call" in html


def test_borough_without_officer_offers_neighbours_and_101(minimal_site):
    html = text_of(minimal_site, "boroughs/southtown/index.html")
    assert "There is no liaison officer for Southtown at present" in html
    assert 'Call <a href="tel:101">101</a> and ask for an LGBT+ liaison officer' in html
    assert "Officers in neighbouring areas" in html
    assert '<a href="../../officers/alex-example/">PC Alex Example</a>' in html
    assert "Third-party reporting centres" in html and "Local Centre" in html


def test_officer_page(minimal_site):
    html = text_of(minimal_site, "officers/alex-example/index.html")
    assert "<h1>PC Alex Example</h1>" in html
    assert "Pronouns: they/them" in html
    assert "Full-time liaison officer" in html
    assert "Speaks English, Welsh." in html
    assert "<strong>liaison officer</strong>" in html
    assert '<a href="../../boroughs/northtown/">Northtown</a>' in html
    assert "Last checked" in html


def test_organisation_pages_grouped_by_service(minimal_site):
    html = text_of(minimal_site, "organisations/index.html")
    assert '<h2 id="helpline">Helplines</h2>' in html
    assert '<h2 id="hate-crime-support">Hate crime support</h2>' in html
    assert "National" in html
    page = text_of(minimal_site, "organisations/local-centre/index.html")
    assert "<h1>Local Centre</h1>" in page
    assert "1 High Street<br>Southtown<br>ST1 1AA" in page


def test_report_page_orders_routes_by_urgency_with_anonymity_and_text_relay(minimal_site):
    html = text_of(minimal_site, "report/index.html")
    assert html.index('id="call-999"') < html.index('id="call-101"')
    assert '<span class="tag tag--identified">You give your name</span>' in html
    assert '<a href="tel:18000">18000</a>' in html
    assert '<a href="tel:18001101">18001 101</a>' in html


def test_content_page_404_and_robots(minimal_site):
    about = text_of(minimal_site, "about/index.html")
    assert "<h1>About</h1>" in about and "<h2>Who they are</h2>" in about
    assert '<a href="../about/">About</a>' in about  # footer navigation
    assert "<h1>Page not found</h1>" in text_of(minimal_site, "404.html")
    assert text_of(minimal_site, "robots.txt") == "User-agent: *\nAllow: /\n"
    assert not (minimal_site / "sitemap.xml").exists()


def test_sitemap_and_canonical_links_when_base_url_is_set(make_project, tmp_path):
    out = tmp_path / "out"
    build(make_project(), out, base_url="https://example.org/lgbt", today=TODAY)
    sitemap = text_of(out, "sitemap.xml")
    assert "<loc>https://example.org/lgbt/boroughs/northtown/</loc>" in sitemap
    assert "404" not in sitemap
    assert '<link rel="canonical" href="https://example.org/lgbt/report/">' in text_of(out, "report/index.html")
    assert "Sitemap: https://example.org/lgbt/sitemap.xml" in text_of(out, "robots.txt")
    # A 404 page is served at any depth, so its links must be absolute when they can be.
    assert 'href="https://example.org/lgbt/report/"' in text_of(out, "404.html")


def test_private_notes_are_never_written(minimal_site):
    for path in minimal_site.rglob("*"):
        if path.is_file():
            assert b"PRIVATE-NOTE-MARKER" not in path.read_bytes(), path


def test_sample_site_has_every_page(sample_site):
    assert (sample_site / "boroughs/harrow/index.html").is_file()
    assert (sample_site / "boroughs/city-of-london/index.html").is_file()
    assert (sample_site / "boroughs/watford/index.html").is_file()
    for slug in ("about", "hate-crime", "staying-safe-online", "privacy", "accessibility"):
        assert (sample_site / slug / "index.html").is_file(), slug


def test_every_internal_link_of_the_sample_build_resolves(sample_site):
    assert broken_links(sample_site) == []


def test_no_link_starts_with_a_slash_and_no_asset_comes_from_another_host(sample_site):
    offending = []
    for page in html_pages(sample_site):
        for tag, attribute, link in parse(page).links:
            if link.startswith("/"):
                offending.append(f"{page}: {link}")
            if tag != "a" and (urlsplit(link).scheme or link.startswith("//")):
                offending.append(f"{page}: <{tag} {attribute}={link}> loads from elsewhere")
    assert offending == []


def test_the_sample_build_works_under_a_sub_path(sample_site, tmp_path):
    """Serve the site at /lgbt-liaison/ over HTTP and follow every internal link of a few pages."""
    import functools
    import http.server
    import threading
    import urllib.request

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            prefix = "/lgbt-liaison/"
            if not path.startswith(prefix):
                return str(tmp_path / "nothing-here")
            return super().translate_path("/" + path[len(prefix):])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(sample_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/lgbt-liaison/"
    try:
        checked = 0
        for start in ("", "boroughs/harrow/", "officers/daniel-okafor/", "report/", "about/"):
            page_url = base + start
            html = urllib.request.urlopen(page_url).read().decode()
            collector = parse_html(html)
            for _, _, link in collector.links:
                if urlsplit(link).scheme or link.startswith("#"):
                    continue
                target = urllib.parse.urljoin(page_url, link)
                assert target.startswith(base), (start, link)
                assert urllib.request.urlopen(target).status == 200
                checked += 1
        assert checked > 50
    finally:
        server.shutdown()


def parse_html(html):
    from liaison.links import LinkCollector
    collector = LinkCollector()
    collector.feed(html)
    return collector


def test_a_failed_build_leaves_the_previous_site_intact(make_project, tmp_path, run_cli):
    root = make_project()
    out = tmp_path / "out"
    assert run_cli("build", "--source", root, "--out", out)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "officers.yaml").write_text("- id: alex-example\n  name: [unclosed\n", encoding="utf-8")
    code, stdout, stderr = run_cli("build", "--source", root, "--out", out)
    assert code == 1
    assert stderr.splitlines()[0] == ("officers.yaml:2:9: YAML syntax error: this list is not closed "
                                      "(add ']' at its end, and check for a missing comma)")
    assert "Nothing was written." in stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def test_summary_line(make_project, tmp_path, run_cli):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("build", "--source", make_project(), "--out", out)
    assert code == 0
    pages = len(list(out.rglob("*.html")))
    files = sum(1 for p in out.rglob("*") if p.is_file() and p.name not in (MARKER, MANIFEST))
    assert re.fullmatch(rf"Built {pages} pages \(2 boroughs, 1 officer, 2 organisations\) in \d+\.\d\d s; "
                        rf"{files} of {files} files written\n", stdout), stdout


def test_default_command_builds_into_site_folder_of_the_source(make_project):
    root = make_project()
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--source", str(root)],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "_site" / "index.html").is_file()
    assert result.stdout.startswith("Built ")


def test_every_asset_is_copied_byte_for_byte_and_a_projects_own_replaces_the_default(make_project, tmp_path):
    root = make_project({"assets/css/poster.css": "/* the project's own */\n"})
    build(root, tmp_path / "site", today=TODAY)
    for default in (REPO / "assets").rglob("*"):
        if default.is_file():
            rel = default.relative_to(REPO).as_posix()
            expected = (root / rel).read_bytes() if (root / rel).is_file() else default.read_bytes()
            assert (tmp_path / "site" / rel).read_bytes() == expected, rel
    assert (tmp_path / "site/assets/css/poster.css").read_text(encoding="utf-8") == "/* the project's own */\n"
