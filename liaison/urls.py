"""Relative URLs between pages, so a built site works under any sub-path.

A page's path is its address inside the site: '' for the home page,
'boroughs/harrow/' for a page written to boroughs/harrow/index.html, or a
file name such as '404.html'.
"""
from __future__ import annotations


def output_file(page_path):
    """The file a page is written to."""
    return page_path + "index.html" if page_path == "" or page_path.endswith("/") else page_path


def relative(from_path, to_path):
    """The link from one page (or file) to another, never starting with '/'."""
    link = "../" * from_path.count("/") + to_path
    return link or "./"


def absolute(base_url, to_path):
    """An absolute address for sitemaps and canonical links; base_url ends with '/'."""
    return base_url + to_path


def normalise_base_url(base_url):
    if not base_url:
        return ""
    return base_url if base_url.endswith("/") else base_url + "/"
