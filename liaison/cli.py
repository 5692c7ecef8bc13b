"""The command line: build, check, serve, changes, schemas and links. The one place errors are printed.

Exit status: 0 success, 1 data errors, 2 usage errors. A user's mistake is
never shown as a Python traceback.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .errors import INFO, DataError, UserError, count_line
from .pipeline import build, check, fails

DEFAULT_OUT = "_site"
# The preview builds here, never into _site: its quick rebuilds publish the pages a moment
# before the downloads and contact cards, and only a full build may make what people upload.
PREVIEW_DIR = ".liaison-preview"


def iso_date(text):
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written as year-month-day, e.g. 2026-11-21") from None


def parser():
    top = argparse.ArgumentParser(prog="build.py", description="Build the LGBT+ liaison officer directory.")
    commands = top.add_subparsers(dest="command", metavar="{build,check,serve,changes,schemas,links}")
    build_cmd = commands.add_parser("build", help="build the site (the default)")
    add_build_options(build_cmd)
    check_cmd = commands.add_parser("check", help="check the data and print every problem, writing nothing")
    add_source_option(check_cmd)
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check_cmd.add_argument("--info", action="store_true",
                           help="also list info lines, such as postcode districts shared by several boroughs")
    add_today_option(check_cmd)
    serve_cmd = commands.add_parser("serve", help="build, then preview with live reload (in a folder of its own, never _site)")
    add_source_option(serve_cmd)
    serve_cmd.add_argument("--base-url", default=None, help="address the site will be published at, for sitemap.xml")
    serve_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors: show them as a failed build")
    add_today_option(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1, this computer only)")
    changes_cmd = commands.add_parser("changes", help="summarise in Markdown what changed in the data since a git revision")
    changes_cmd.add_argument("--since", required=True, metavar="REF",
                             help="the git revision to compare with, e.g. main, origin/main or a commit id")
    add_source_option(changes_cmd)
    add_today_option(changes_cmd)
    schemas_cmd = commands.add_parser("schemas", help="write the JSON Schemas editors use into schemas/")
    add_source_option(schemas_cmd)
    schemas_cmd.add_argument("--check", action="store_true",
                             help="write nothing; exit 1 if the files in schemas/ are out of date")
    links_cmd = commands.add_parser("links", help="check that every link inside the built site leads somewhere in it")
    add_source_option(links_cmd)
    links_cmd.add_argument("--out", default=None, help=f"the built site (default: {DEFAULT_OUT} in the source folder)")
    return top


def add_source_option(command):
    command.add_argument("--source", default=".", help="folder holding the data files (default: current folder)")


def add_today_option(command):
    command.add_argument("--today", type=iso_date, default=None, metavar="YYYY-MM-DD",
                         help="judge which records are due for review as if today were this date")


def add_build_options(command):
    add_source_option(command)
    command.add_argument("--out", default=None, help=f"folder to build into (default: {DEFAULT_OUT} in the source folder)")
    command.add_argument("--base-url", default=None, help="address the site will be published at, for sitemap.xml")
    command.add_argument("--strict", action="store_true", help="treat warnings as errors: build nothing if there are any")
    add_today_option(command)


def source_dir(args):
    source = Path(args.source)
    if not source.is_dir():
        raise UserError(f"the source folder {source} does not exist")
    return source


def resolve_paths(args):
    source = source_dir(args)
    out = Path(args.out) if args.out else source / DEFAULT_OUT
    return source, out


def print_problems(problems, stream=None, info=False):
    """Print problems one a line; info lines only when asked for."""
    for problem in problems:
        if info or problem.severity != INFO:
            print(problem, file=stream or sys.stderr)


def run_check(args):
    _, problems = check(source_dir(args), today=args.today)
    print_problems(problems, sys.stdout, info=args.info)
    line = count_line(problems, args.strict)
    if not args.info and any(p.severity == INFO for p in problems):
        line += "; add --info to list the info lines"
    print(line)
    return 1 if fails(problems, args.strict) else 0


def run_build(args):
    source, out = resolve_paths(args)
    result = build(source, out, base_url=args.base_url, today=args.today, strict=args.strict)
    print_problems(result.warnings)
    print(result.summary())
    return 0


def run_serve(args):
    from .serve import serve  # livereload is only needed here

    source = source_dir(args)
    return serve(source, source / PREVIEW_DIR, host=args.host, port=args.port, base_url=args.base_url,
                 today=args.today, strict=args.strict)


def run_changes(args):
    from .changes import changes_since

    print(changes_since(source_dir(args), args.since, today=args.today), end="")
    return 0


def run_schemas(args):
    from .jsonschemas import SCHEMA_DIR, stale_schemas, write_schemas

    root = source_dir(args)
    if args.check:
        stale = stale_schemas(root)
        for name in stale:
            print(f"{SCHEMA_DIR}/{name} is out of date with liaison/schema.py", file=sys.stderr)
        if stale:
            print("Run `python build.py schemas` to regenerate it.", file=sys.stderr)
            return 1
        print(f"The JSON Schemas in {SCHEMA_DIR}/ are up to date.")
        return 0
    written = write_schemas(root)
    print(f"Wrote {len(written)} JSON Schemas into {root / SCHEMA_DIR}: {', '.join(written)}")
    return 0


def run_links(args):
    from .links import broken_links, html_pages

    _, site = resolve_paths(args)
    if not (site / "index.html").is_file():
        raise UserError(f"there is no built site in {site} (build it first)")
    broken = broken_links(site)
    for line in broken:
        print(line)
    if broken:
        print(f"{len(broken)} broken link{'s' if len(broken) != 1 else ''}")
        return 1
    print(f"Every link inside the site leads somewhere ({len(html_pages(site))} pages)")
    return 0


COMMANDS = {"build": run_build, "check": run_check, "serve": run_serve, "changes": run_changes, "schemas": run_schemas,
            "links": run_links}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv = ["build", *argv]  # `python build.py` alone builds
    args = parser().parse_args(argv)
    command = COMMANDS[args.command]
    try:
        return command(args)
    except DataError as error:
        print_problems(error.problems)
        print(f"Build stopped: {count_line(error.problems, error.strict)}. Nothing was written.", file=sys.stderr)
        return 1
    except UserError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        return cannot_write(error)
    except KeyboardInterrupt:
        return 130


def cannot_write(error):
    where = f" {error.filename}" if getattr(error, "filename", None) else ""
    print(f"build.py: error: cannot write{where}: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
    return 2


def exit_now(code):
    """Leave the program without Python's teardown, which frees every object one by one:
    a quarter of a second after a national build, once the work is done. Every file the
    build wrote is closed by then; only stdout and stderr are still to be flushed."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as error:  # e.g. piped into `head`, which has already quit
        code = cannot_write(error)
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say so
    os._exit(code)
