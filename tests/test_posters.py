"""Printable A4 posters: the right content, a QR code that scans to the right page, one A4 page."""
from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import segno

from conftest import REPO, TODAY
from support import CHROMIUM_HINT, find_chromium, missing_tool
from liaison.pipeline import build
from liaison.posters import QR_PARAMETERS

BASE = "https://example.org/lgbt-liaison/"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The repository's sample data, built once with a base URL under a sub-path."""
    out = tmp_path_factory.mktemp("sample") / "out"
    build(REPO, out, base_url=BASE, today=TODAY)
    return out


@pytest.fixture
def minimal(make_project, tmp_path):
    out = tmp_path / "out"
    build(make_project(), out, today=TODAY)
    return out


def read(out, path):
    return (out / path).read_text(encoding="utf-8")


# --- QR codes ---------------------------------------------------------------------------

def svg_modules(svg):
    """The dark modules of a segno SVG as rows of 0/1: its path is one horizontal run per 'h'."""
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    grid = [[0] * width for _ in range(height)]
    x = y = 0.0
    for command, args in re.findall(r"([A-Za-z])([^A-Za-z]*)", re.search(r'<path[^>]* stroke="#000" d="([^"]+)"', svg).group(1)):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            for i in range(int(numbers[0])):
                grid[int(y)][int(x) + i] = 1
            x += numbers[0]
        else:
            raise AssertionError(f"unexpected SVG path command {command}")
    return grid


def decode_grey(pixels, width, height):
    """Decode every QR code in a greyscale image (one byte per pixel)."""
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes the QR codes: pip install -e '.[test]'")
    view = memoryview(bytes(pixels)).cast("B", (height, width))
    return [b.text for b in zxingcpp.read_barcodes(view) if b.format == zxingcpp.BarcodeFormat.QRCode]


def decode_modules(grid, scale=4):
    pixels = bytearray()
    for row in grid:
        line = b"".join((b"\x00" if dark else b"\xff") * scale for dark in row)
        pixels += line * scale
    return decode_grey(pixels, len(grid[0]) * scale, len(grid) * scale)


def test_every_borough_poster_has_a_qr_code_that_decodes_to_its_page(sample):
    boroughs = sorted(p.name for p in (sample / "boroughs").iterdir())
    assert len(boroughs) > 40
    for borough in boroughs:
        svg = read(sample, f"posters/{borough}/qr.svg")
        assert decode_modules(svg_modules(svg)) == [f"{BASE}boroughs/{borough}/"]


def test_the_qr_code_is_what_segno_makes_for_the_expected_url(sample):
    expected = segno.make(f"{BASE}boroughs/harrow/", **QR_PARAMETERS)
    matrix = [[int(bool(v)) for v in row] for row in expected.matrix_iter(border=4)]
    assert svg_modules(read(sample, "posters/harrow/qr.svg")) == matrix


def test_reporting_centres_poster_links_to_the_report_page(sample):
    assert decode_modules(svg_modules(read(sample, "posters/reporting-centres/qr.svg"))) == [f"{BASE}report/"]


def test_the_poster_shows_its_qr_code_with_a_relative_link_and_the_address(sample):
    page = read(sample, "posters/harrow/index.html")
    assert f'<img src="qr.svg" alt="QR code for {BASE}boroughs/harrow/"' in page
    assert "example.org/lgbt-liaison/boroughs/harrow/" in page


def test_without_base_url_the_poster_asks_for_one_instead_of_a_broken_code(minimal):
    page = read(minimal, "posters/northtown/index.html")
    assert "A base URL is needed for the QR code" in page
    assert "<img" not in page
    assert not list(minimal.glob("posters/**/qr.svg"))
    assert "The QR codes need the site's published address" in read(minimal, "posters/index.html")


# --- content ----------------------------------------------------------------------------

def test_poster_content(minimal):
    page = read(minimal, "posters/northtown/index.html")
    assert "LGBT+ hate crime in Northtown" in page
    assert "PC Alex Example" in page and "020 7946 0001" in page and "alex.example@example.org" in page
    assert "In an emergency call <strong>999</strong>" in page
    assert "Call 101" in page  # the other ways to report, but not 999 twice
    assert page.count("Call 999") == 0


def test_posters_change_only_when_their_details_do(make_project, tmp_path):
    """A poster shows when its details were checked, not when it was built."""
    root = make_project()
    build(root, tmp_path / "a", today=TODAY)
    build(root, tmp_path / "b", today=TODAY.replace(year=2027))
    for poster in ("northtown", "southtown", "reporting-centres"):
        path = f"posters/{poster}/index.html"
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
    assert "Details checked on 1 November 2026." in read(tmp_path / "a", "posters/northtown/index.html")


def test_a_borough_without_an_officer_says_how_to_reach_one(minimal):
    page = read(minimal, "posters/southtown/index.html")
    assert "Call <strong>101</strong> and ask for an LGBT+ liaison officer" in page
    assert "Local Centre</strong>, a third-party reporting centre" in page


def test_reporting_centres_poster_lists_every_centre(minimal):
    page = read(minimal, "posters/reporting-centres/index.html")
    assert "Local Centre" in page and "1 High Street, Southtown ST1 1AA" in page
    assert "Helpline Example" not in page  # not a reporting centre


def test_posters_are_linked_and_kept_out_of_the_sitemap(sample):
    assert 'href="../../posters/harrow/"' in read(sample, "boroughs/harrow/index.html")
    assert 'href="../posters/reporting-centres/"' in read(sample, "posters/index.html")
    sitemap = read(sample, "sitemap.xml")
    assert f"{BASE}posters/</loc>" in sitemap and "posters/harrow/" not in sitemap


def test_no_page_has_inline_styles_or_scripts(sample):
    """The site is served with a strict Content Security Policy."""
    for page in sample.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<style" not in html, page
        for tag in re.findall(r"<script[^>]*>", html):  # only files of the site, and data that never runs
            assert " src=" in tag or 'type="application/ld+json"' in tag, (page, tag)
        assert not re.search(r"\sstyle=", html), page
        assert not re.search(r"\son[a-z]+=", html), page
    for svg in sample.rglob("*.svg"):
        assert b"<script" not in svg.read_bytes() and b"style=" not in svg.read_bytes(), svg


def test_poster_links_stay_inside_the_site(sample):
    page = read(sample, "posters/harrow/index.html")
    for link in re.findall(r'(?:href|src)="([^"]+)"', page):
        assert not link.startswith("/"), link
        assert not link.startswith("http") or link == "https://www.bbc.co.uk/weather", link


# --- print: one A4 page, in a real browser ---------------------------------------------

def chromium():
    found = find_chromium()
    if not found:
        missing_tool("Chromium, to print the posters", CHROMIUM_HINT)
    return found


def run_chromium(*args):
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--no-default-browser-check", *args]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def print_to_pdf(html: Path, pdf: Path):
    run_chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    pypdf = pytest.importorskip("pypdf", reason="pypdf counts the pages: pip install -e '.[test]'")
    return pypdf.PdfReader(str(pdf))


@pytest.mark.parametrize("poster", ["north-hertfordshire", "greenwich", "barnet", "southwark", "reporting-centres"])
def test_each_poster_prints_on_exactly_one_a4_page(sample, tmp_path, poster):
    reader = print_to_pdf(sample / "posters" / poster / "index.html", tmp_path / "poster.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)  # A4 in mm
    text = reader.pages[0].extract_text()
    assert "In an emergency call 999" in text


def png_grey(data):
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG (as Chromium writes) to greyscale bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * channels
    previous, grey = bytearray(stride), bytearray()
    for row in range(height):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        grey += bytes((line[i] * 299 + line[i + 1] * 587 + line[i + 2] * 114) // 1000 for i in range(0, stride, channels))
        previous = line
    return grey, width, height


def test_the_qr_code_scans_from_the_rendered_poster(sample, tmp_path):
    """End to end: Chromium draws the poster, and the code on it decodes to the borough's page."""
    shot = tmp_path / "poster.png"
    run_chromium("--window-size=800,1200", "--hide-scrollbars", f"--screenshot={shot}",
                 (sample / "posters" / "camden" / "index.html").as_uri())
    assert decode_grey(*png_grey(shot.read_bytes())) == [f"{BASE}boroughs/camden/"]
