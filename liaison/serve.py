"""Preview the site on this computer, rebuilding and reloading on every change."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from livereload import Server
from livereload import server as livereload_server

from .errors import INFO, DataError, UserError
from .pipeline import build

WATCHED = ("site.yaml", "boroughs.yaml", "officers.yaml", "organisations.yaml", "reporting.yaml", "events.yaml",
           "content", "templates", "assets")


def rebuild(source, out, base_url, today=None, strict=False):
    """Build once; on a mistake, print it and keep serving the last good site."""
    started = time.strftime("%H:%M:%S")
    try:
        result = build(source, out, base_url=base_url, today=today, strict=strict)
    except DataError as error:
        for problem in error.problems:
            if problem.severity != INFO:
                print(problem, file=sys.stderr)
        print(f"[{started}] build failed: still serving the last good site", file=sys.stderr)
        return False
    print(f"[{started}] {result.summary()}", flush=True)
    return True


def load_reload_script_as_a_file(port):
    """livereload adds an inline <script>, which the pages' Content-Security-Policy
    blocks: add its script as a file of the same site instead."""
    tag = f'<script src="/livereload.js?port={port}"></script>'.encode()
    head_end = livereload_server.HEAD_END

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if "html" in headers.get("Content-Type", "") and head_end in chunk:
            chunk = chunk.replace(head_end, tag + head_end, 1)
            if "Content-Length" in headers:
                headers["Content-Length"] = str(int(headers["Content-Length"]) + len(tag))
        return status_code, headers, chunk

    livereload_server.LiveScriptInjector.transform_first_chunk = transform_first_chunk


def serve(source: Path, out: Path, host="127.0.0.1", port=8000, base_url=None, today=None, strict=False):
    load_reload_script_as_a_file(port)
    result = build(source, out, base_url=base_url, today=today, strict=strict)  # a first failure stops here, with exit 1
    for problem in result.warnings:
        if problem.severity != INFO:
            print(problem, file=sys.stderr)
    print(result.summary())
    server = Server()
    for name in WATCHED:
        path = source / name
        if path.exists():
            server.watch(str(path / "**" / "*") if path.is_dir() else str(path),
                         lambda: rebuild(source, out, base_url, today, strict), delay=0.3)
    print(f"Serving on http://{host}:{port}/ (press Ctrl+C to stop)", flush=True)
    server.serve(host=host, port=port, root=str(out.resolve()), open_url_delay=None, restart_delay=0)
    return 0
