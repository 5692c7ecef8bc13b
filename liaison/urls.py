"""Relative URLs between pages, so a built site works under any sub-path.

A page's path is its address inside the site: '' for the home page,
'boroughs/harrow/' for a page written to boroughs/harrow/index.html, or a
file name such as '404.html'.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .errors import UserError


def output_file(page_path):
    """The file a page is written to."""
    return page_path + "index.html" if page_path == "" or page_path.endswith("/") else page_path


def relative(from_path, to_path):
    """The link from one page (or file) to another, never starting with '/'."""
    return up_to_root(from_path) + to_path or "./"


def up_to_root(from_path):
    """The start of every link from one page (or file): '../' for each folder it is in."""
    return "../" * from_path.count("/")


def absolute(base_url, to_path):
    """An absolute address for sitemaps and canonical links; base_url ends with '/'."""
    return base_url + to_path


def normalise_base_url(base_url):
    if not base_url:
        return ""
    return base_url if base_url.endswith("/") else base_url + "/"


def check_base_url(base_url):
    """A --base-url given on the command line: a plain http(s) address, or a UserError."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        parts = urlsplit("")
    if parts.scheme not in ("https", "http") or not parts.netloc or any(c in base_url for c in ' "<>\'`\\') \
            or not base_url.isprintable():
        raise UserError(f"--base-url must be a web address starting with https://, not {base_url!r}")
