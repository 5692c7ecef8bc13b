"""The command line: build, check and serve. The one place errors are printed.

Exit status: 0 success, 1 data errors, 2 usage errors. A user's mistake is
never shown as a Python traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError, UserError, errors_in, WARNING
from .pipeline import build, check

DEFAULT_OUT = "_site"


def parser():
    top = argparse.ArgumentParser(prog="build.py", description="Build the LGBT+ liaison officer directory.")
    commands = top.add_subparsers(dest="command", metavar="{build,check,serve}")
    build_cmd = commands.add_parser("build", help="build the site (the default)")
    add_build_options(build_cmd)
    check_cmd = commands.add_parser("check", help="check the data without writing anything")
    check_cmd.add_argument("--source", default=".", help="folder holding the data files (default: current folder)")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    serve_cmd = commands.add_parser("serve", help="build, then preview with live reload")
    add_build_options(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1, this computer only)")
    return top


def add_build_options(command):
    command.add_argument("--source", default=".", help="folder holding the data files (default: current folder)")
    command.add_argument("--out", default=None, help=f"folder to build into (default: {DEFAULT_OUT} in the source folder)")
    command.add_argument("--base-url", default=None, help="address the site will be published at, for sitemap.xml")


def resolve_paths(args):
    source = Path(args.source)
    if not source.is_dir():
        raise UserError(f"the source folder {source} does not exist")
    out = Path(args.out) if args.out else source / DEFAULT_OUT
    return source, out


def print_problems(problems, stream=None):
    stream = stream or sys.stderr  # looked up now: tests and callers may redirect it
    for problem in problems:
        print(problem, file=stream)


def count_line(problems):
    errors = len(errors_in(problems))
    warnings = sum(p.severity == WARNING for p in problems)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def run_check(args):
    _, problems = check(Path(args.source))
    print_problems(problems)
    failed = errors_in(problems) or (args.strict and any(p.severity == WARNING for p in problems))
    print(count_line(problems), file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def run_build(args):
    source, out = resolve_paths(args)
    result = build(source, out, base_url=args.base_url)
    print_problems(result.warnings)
    print(result.summary())
    return 0


def run_serve(args):
    from .serve import serve  # livereload is only needed here

    source, out = resolve_paths(args)
    return serve(source, out, host=args.host, port=args.port, base_url=args.base_url)


COMMANDS = {"build": run_build, "check": run_check, "serve": run_serve}


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
        print(f"Build stopped: {count_line(error.problems)}. Nothing was written.", file=sys.stderr)
        return 1
    except UserError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"build.py: error: cannot write{where}: {error.strerror or error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
