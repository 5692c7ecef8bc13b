"""sitemap.xml and robots.txt, for search engines: an output of the build (outputs.py).

The sitemap needs the site's full address, so it is made only when base_url is known.
"""
from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from .urls import absolute


def files(ctx):
    made = {"robots.txt": robots(ctx)}
    if ctx.site["base_url"]:
        made["sitemap.xml"] = sitemap(ctx)
    return made


def sitemap(ctx):
    base = ctx.site["base_url"]
    urls = "".join(f"<url><loc>{xml_escape(absolute(base, p.path))}</loc></url>\n"
                   for p in ctx.pages if p.in_sitemap)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n').encode("utf-8")


def robots(ctx):
    lines = ["User-agent: *", "Allow: /"]
    if ctx.site["base_url"]:
        lines.append(f"Sitemap: {absolute(ctx.site['base_url'], 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode("utf-8")
