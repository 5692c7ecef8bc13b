"""QR codes for the printable posters, made with segno at build time.

Each borough's poster carries a QR code for the borough's page at base_url. The
code is an SVG file beside the poster (posters/<id>/qr.svg), shown with <img>,
so the page needs no inline style or script. Without base_url there is no
address to encode, and the poster says so instead of printing a broken code.
"""
from __future__ import annotations

import io

import segno

QR_FILE = "qr.svg"
# error="m" recovers from 15 % damage: enough for a poster with a scuff or a pin through it.
QR_PARAMETERS = {"error": "m", "micro": False, "boost_error": False}
SVG_OPTIONS = {"border": 4, "dark": "#000", "light": "#fff", "xmldecl": True, "svgns": True, "omitsize": True}


def qr_code(url):
    return segno.make(url, **QR_PARAMETERS)


def qr_svg(url):
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", **SVG_OPTIONS)
    return out.getvalue()


def files(ctx):
    """The posters' QR codes (the posters themselves are pages): an output of the build (outputs.py)."""
    return qr_files(ctx.pages)


def qr_files(pages):
    """{posters/<id>/qr.svg: SVG bytes} for every page that has an address to encode."""
    return {page.path + QR_FILE: qr_svg(page.vars["qr_url"]) for page in pages if page.vars.get("qr_url")}
