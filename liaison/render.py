"""Stage 4: render every page of the resolved context to bytes, in memory.

Nothing is written here; a template mistake becomes a Problem pointing at the
template's file and line, like any data mistake.
"""
from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import jinja2
import markupsafe

from .calendar import calendar_files
from .errors import Problem
from .posters import qr_files
from .postcodes import SCRIPT_PATH as POSTCODE_SCRIPT, lookup_script
from .security import META_CSP, headers_file
from .urls import absolute, output_file, relative
from .vcard import contact_files

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = PACKAGE_ROOT / "templates"
DEFAULT_ASSETS = PACKAGE_ROOT / "assets"


def long_date(value):
    return f"{value.day} {value:%B %Y}" if value else ""


def month_year(value):
    return f"{value:%B %Y}"


@jinja2.pass_context
def url(context, target):
    """Link from the page being rendered to another path inside the site."""
    page, site = context["page"], context["site"]
    if page.path == "404.html" and site["base_url"]:
        return absolute(site["base_url"], target)  # a 404 is served at any depth
    return relative(page.path, target)


class ContainedLoader(jinja2.FileSystemLoader):
    """Loads templates only from inside their folders: a link pointing elsewhere is not read.

    A template linked to a file outside (the data, ~/.ssh, /proc/self/environ)
    would otherwise publish that file.
    """

    def __init__(self, searchpath):
        super().__init__(searchpath)
        self.roots = [Path(path).resolve() for path in self.searchpath]

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not any(Path(filename).resolve().is_relative_to(root) for root in self.roots):
            raise jinja2.TemplateSyntaxError(
                "this template is a link to a place outside the templates folder, so it is not read", 1, template)
        return source, filename, uptodate


def template_folders(source_root):
    """The project's templates/, if really inside the project, then the defaults."""
    own = source_root / "templates"
    inside = own.is_dir() and own.resolve().is_relative_to(Path(source_root).resolve())
    return [str(own)] * inside + [str(DEFAULT_TEMPLATES)]


def make_environment(source_root):
    env = jinja2.Environment(
        loader=ContainedLoader(template_folders(source_root)),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    env.filters["month_year"] = month_year
    env.globals["url"] = url
    env.globals["csp"] = markupsafe.Markup(META_CSP)  # quotes in it need no escaping in an attribute
    env.globals["postcode_script"] = POSTCODE_SCRIPT
    return env


def template_problem(error, fallback_name):
    """Where in which template an error happened, as a Problem."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return Problem(f"templates/{error.name or fallback_name}", error.lineno or 1, 1, f"template error: {error.message}")
    line, name = 1, fallback_name
    tb = sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            name, line = Path(filename).name, tb.tb_lineno
        tb = tb.tb_next
    return Problem(f"templates/{name}", line, 1, f"template error: {error}")


def render_page(env, ctx, page):
    template = env.get_template(page.template)
    html = template.render(site=ctx.site, forces=ctx.forces, boroughs=ctx.boroughs, routes=ctx.routes,
                           officers=ctx.officers, organisations=ctx.organisations, events=ctx.events,
                           page=page, **page.vars)
    return html.encode("utf-8")


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


def render(ctx, source_root):
    """Render every page. Returns ({output path: bytes}, problems)."""
    env = make_environment(source_root)
    files, problems = {}, []
    for page in ctx.pages:
        try:
            files[output_file(page.path)] = render_page(env, ctx, page)
        except Exception as error:  # noqa: BLE001 - any mistake in a template is reported, never a traceback
            problem = template_problem(error, page.template)
            if problem not in problems:
                problems.append(problem)
    files.update(site_files(ctx))
    return files, problems


def site_files(ctx):
    """Everything besides the pages: lookup table, contact cards, headers, robots.txt, sitemap."""
    files = {POSTCODE_SCRIPT: lookup_script(ctx.site["postcode_index"]), "_headers": headers_file()}
    files.update(contact_files(ctx))
    files["robots.txt"] = robots(ctx)
    files.update(calendar_files(ctx))
    files.update(qr_files(ctx.pages))
    if ctx.site["base_url"]:
        files["sitemap.xml"] = sitemap(ctx)
    return files


def asset_files(source_root, exclude=()):
    """Every file under assets/ to copy: the project's own, over the defaults.

    ``exclude`` names files not to publish, e.g. 'assets/photos/x.jpg' when
    officers' photos are private.
    """
    found = {}
    for root in (DEFAULT_ASSETS, source_root / "assets"):
        if root.is_dir() and not root.is_symlink():
            real_root = root.resolve()
            for path in sorted(root.rglob("*")):
                # A link pointing outside assets/ must not smuggle other files into the site.
                if path.is_file() and not path.name.startswith(".") and path.resolve().is_relative_to(real_root):
                    found["assets/" + path.relative_to(root).as_posix()] = path
    for name in exclude:
        found.pop(name, None)
    return found
