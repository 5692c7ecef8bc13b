"""Every file a build publishes, besides the copied assets: one output per module.

Each output is a function of the resolved context alone, returning {path inside the
site: bytes}; none reads a file or the data again. To add an output, write such a
function, `files(ctx)`, in a module of its own and list it below. The fast engine
(fast.py) makes the same outputs from these same lists, only sooner.
"""
from __future__ import annotations

from . import calendar, export, hsds, posters, postcodes, render, security, sitemap, vcard

# Everything besides the pages and the open data: quick to make, a few files each.
SMALL = (postcodes.files, security.files, vcard.files, sitemap.files, calendar.files, posters.files)
# The open data: every record in JSON, CSV and Open Referral (HSDS 3.0).
OPEN_DATA = (export.files, hsds.files)
OUTPUTS = (render.pages, *SMALL, *OPEN_DATA)


def produce(ctx, outputs=OUTPUTS) -> dict:
    """{path: bytes} of every output, made one after the other."""
    files = {}
    for output in outputs:
        files.update(output(ctx))
    return files
