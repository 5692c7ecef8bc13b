"""Preview the site on this computer, rebuilding and reloading on every change.

- Builds into a folder of its own (.liaison-preview/ in the source folder),
  never into _site/, the folder people upload: a quick rebuild publishes the
  pages a moment before the downloads, contact cards and calendars that go with
  them, which is fine for a preview and never for a site. `build.py build`
  alone makes _site/.
- Serves the built site from that folder on 127.0.0.1 only, unless
  --host names another interface. Never serves a file outside that folder:
  every path is resolved (links included) and must stay inside it.
- A watcher thread polls the data files, content/, templates/ and assets/. A
  rebuild starts as soon as a change is seen but writes only once the files
  have been calm for QUIET seconds, so a burst of changes (an editor saving
  several files) gives one rebuild; it runs whether or not a browser is connected.
- A good rebuild tells every open page to reload (livereload's protocol and
  script). A failed one keeps the last good site and shows its errors in an
  overlay on every page, until the next good build. The overlay is added to
  the pages as they are served, never written into the site, and uses only a
  separate stylesheet (no inline script or style) so a strict
  Content-Security-Policy still allows it.
- One line per rebuild in the terminal, with the time.
"""
from __future__ import annotations

import html
import ipaddress
import mimetypes
import os
import re
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlparse

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from tornado.ioloop import IOLoop

from .errors import INFO, DataError, UserError
from .incremental import BuildCache
from .fast import FastEngine, warm
from .pipeline import Superseded, build
from .schema import DATA_FILES
from .spare import prepare_spare

WATCHED = (*(schema.file for schema in DATA_FILES), "content", "templates", "assets")
POLL = 0.01  # seconds between looks at the files, at least
QUIET = 0.08  # a rebuild writes only once the files have been left alone this long
OVERTAKEN = "overtaken"  # a rebuild abandoned because the files changed again
DEV_PREFIX = "/__liaison__/"  # the preview's own files; no page address can start with '_'

OVERLAY_CSS = b"""\
#liaison-build-errors {
  position: fixed; z-index: 2147483647; inset: 0 0 auto 0; max-height: 80vh; overflow: auto;
  margin: 0; padding: 1rem 1.25rem; box-sizing: border-box;
  background: #1d1d1d; color: #fff; border-bottom: 6px solid #d4351c;
  font: 16px/1.4 system-ui, sans-serif; text-align: left;
}
#liaison-build-errors h2 { margin: 0 0 .5rem; font-size: 1.2rem; color: #fff; }
#liaison-build-errors p { margin: 0 0 .75rem; }
#liaison-build-errors ol { margin: 0; padding-left: 1.5rem; }
#liaison-build-errors li { margin: .25rem 0; }
#liaison-build-errors code { font: 14px/1.4 ui-monospace, monospace; white-space: pre-wrap; color: #ffdd00; }
"""


@dataclass
class State:
    """What the web server needs to know about the builds, shared with the watcher thread."""

    root: str  # the output folder, fully resolved
    port: int
    errors: list = field(default_factory=list)  # the failed build's messages; empty when it succeeded
    lock: threading.Lock = field(default_factory=threading.Lock)

    def failing(self):
        with self.lock:
            return list(self.errors)


# --- serving files -------------------------------------------------------------------

def resolve_inside(root: str, path: str):
    """The real file path for a URL path, or None if it would leave root (by '..', an
    absolute path or a link pointing outside)."""
    if "\0" in path:
        return None
    target = os.path.realpath(os.path.join(root, path))
    if target != root and not target.startswith(root + os.sep):
        return None
    return target


def overlay_html(errors):
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in errors)
    return (f'<div id="liaison-build-errors" role="alert"><h2>The site could not be rebuilt</h2>'
            f"<p>The preview still shows the last good version. Fix these and save; this message goes away "
            f"by itself.</p><ol>{items}</ol></div>").encode("utf-8")


_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def inject(page: bytes, port: int, errors) -> bytes:
    """Add the live reload script (and, while a build is failing, the overlay) to a page."""
    head = f'<script src="/livereload.js?port={port}"></script>'.encode()
    if errors:
        head = f'<link rel="stylesheet" href="{DEV_PREFIX}overlay.css">'.encode() + head
    page, found = _HEAD_END.subn(lambda m: head + m.group(0), page, count=1)
    if not found:
        page = head + page
    if errors:
        overlay = overlay_html(errors)
        page, found = _BODY_START.subn(lambda m: m.group(0) + overlay, page, count=1)
        if not found:
            page += overlay
    return page


def content_type(path):
    kind, _ = mimetypes.guess_type(path)
    kind = kind or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/json",
                                            "application/xml"):
        kind += "; charset=utf-8"
    return kind


class LocalOnly:
    """Refuse requests for a host name other than this computer's when serving on it only.

    Otherwise a web page elsewhere could point a host name of its own at
    127.0.0.1 (DNS rebinding) and read the preview through the visitor's browser."""

    def prepare(self):
        allowed = self.settings.get("allowed_hosts")
        if allowed is not None and self.request.host_name.lower() not in allowed:
            raise web.HTTPError(403)


class SiteHandler(LocalOnly, web.RequestHandler):
    """The built site, as a static host would serve it, plus live reload."""

    def initialize(self, state: State):
        self.state = state

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.clear_header("Server")

    def compute_etag(self):
        return None

    def head(self, path):
        self.send(path, with_body=False)

    def get(self, path):
        self.send(path, with_body=True)

    def send(self, path, with_body):
        root = self.state.root
        target = resolve_inside(root, path)
        if target is not None and os.path.isdir(target):
            if path and not path.endswith("/"):
                return self.redirect("/" + quote(path.lstrip("/")) + "/")
            target = os.path.join(target, "index.html")
        status = 200
        if target is None or not os.path.isfile(target):
            status, target = 404, resolve_inside(root, "404.html")
        try:
            with open(target, "rb") as handle:
                body = handle.read()
        except (OSError, TypeError):
            target, body = "404.html", b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        if target.endswith((".html", ".htm")):
            body = inject(body, self.state.port, self.state.failing())
        self.set_status(status)
        self.set_header("Content-Type", content_type(target))
        self.set_header("Content-Length", str(len(body)))
        if with_body:
            self.write(body)
        self.finish()


class OverlayHandler(LocalOnly, web.RequestHandler):
    def get(self, name):
        if name != "overlay.css":
            raise web.HTTPError(404)
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(OVERLAY_CSS)


class ScriptHandler(LocalOnly, LiveReloadJSHandler):
    pass


class ReloadSocket(LocalOnly, LiveReloadHandler):
    """livereload's WebSocket, open only to pages served by this server."""

    def check_origin(self, origin):
        return urlparse(origin).netloc.lower() == self.request.headers.get("Host", "").lower()


def send_reload():
    """Tell every connected page to reload (runs on the server's thread)."""
    message = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except Exception:  # noqa: BLE001 - a closed page: forget it
            LiveReloadHandler.waiters.discard(waiter)


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def application(state: State, host: str):
    allowed = {"localhost", "127.0.0.1", "[::1]", "::1", host.lower()} if is_loopback(host) else None
    return web.Application([
        (r"/livereload", ReloadSocket),
        (r"/livereload\.js", ScriptHandler),
        (DEV_PREFIX + r"(.*)", OverlayHandler),
        (r"/(.*)", SiteHandler, {"state": state}),
    ], allowed_hosts=allowed, compress_response=False)


# --- watching and rebuilding -------------------------------------------------------------

def snapshot(source: Path):
    """(path, size, mtime) of every watched file."""
    found = {}
    for name in WATCHED:
        path = source / name
        try:
            info = path.stat()
        except OSError:
            continue
        if not path.is_dir():
            found[name] = (info.st_size, info.st_mtime_ns)
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for file in files:
                full = os.path.join(root, file)
                try:
                    info = os.stat(full)
                except OSError:
                    continue
                found[full] = (info.st_size, info.st_mtime_ns)
    return found


def stamp():
    return time.strftime("%H:%M:%S")


class Rebuilder:
    """Watches the source files and rebuilds after each burst of changes."""

    def __init__(self, source, out, base_url, state, loop, poll=POLL, quiet=QUIET, today=None, strict=False):
        self.source, self.out, self.base_url = source, out, base_url
        self.today, self.strict = today, strict
        self.state, self.loop = state, loop
        self.poll, self.quiet = poll, quiet
        self.stopped = threading.Event()
        self.cache = BuildCache()

    def start(self, seen):
        thread = threading.Thread(target=self.run, args=(seen,), name="rebuilder", daemon=True)
        thread.start()
        return thread

    def wait_for_change(self, seen):
        """Block until the files differ from seen. Returns them as they now are, or None when stopped."""
        interval, current = self.poll, seen
        while current == seen:
            if self.stopped.is_set():
                return None
            started = time.perf_counter()
            current = snapshot(self.source)
            # A large assets/ folder makes a look slow: look less often, never using over ~10 % of a core.
            interval = max(self.poll, 10 * (time.perf_counter() - started))
            if current == seen:
                self.stopped.wait(interval)
        return current

    def calm(self, seen, current):
        """Wait until the files have been left alone for self.quiet; True if they are still
        current then, False if they changed again (or the server is stopping).

        The calm is counted from the last save itself (the newest modification
        time among the files changed since seen), not from when it was noticed."""
        noticed = time.time()
        saved = [stat[1] / 1e9 for path, stat in current.items() if seen.get(path) != stat]
        last_save = min(max(saved, default=noticed), noticed)  # a deletion has no time: when noticed
        while not self.stopped.is_set():
            left = self.quiet - (time.time() - last_save)
            if left > 0:
                self.stopped.wait(left)
            if snapshot(self.source) != current:
                return False
            if time.time() - last_save >= self.quiet:
                return True
        return False

    def run(self, seen):
        """seen: the files as they were when the last build began.

        A rebuild starts as soon as a change is noticed, and waits for the files
        to be calm only just before it writes: an editor's "save all" still gives
        one rebuild (a build overtaken by another save is abandoned unwritten),
        and the wait overlaps the work instead of coming before it."""
        try:
            prepare_spare(self.out)  # so the first rebuild need not make every folder
            if not self.cache.pages:
                warm(self.source, self.base_url, self.cache, self.today)  # nor render every page
        except (OSError, DataError):
            pass
        while not self.stopped.is_set():
            current = self.wait_for_change(seen)
            if current is None:
                return
            with ChangeWatch(self.source, current, self.poll) as changed:
                if self.rebuild(changed, partial(self.calm, seen, current)) is not OVERTAKEN:
                    seen = current

    def rebuild(self, changed=None, settled=None):
        """Build once; on a mistake, print it and keep serving the last good site.

        changed: a threading.Event set as soon as a file is saved again; the build stops
        between two stages when it is, and returns OVERTAKEN. settled() waits for the files
        to be calm, and says whether they stayed as built: it is asked just before writing
        (the build is abandoned if not), and before a mistake is shown, so a half-saved
        burst of files never flashes an error."""
        began = stamp()
        try:
            result = self.build(changed, settled, pages_first=True)
        except Superseded:
            return OVERTAKEN
        except DataError as error:
            lines = shown(error.problems)
        except (UserError, OSError) as error:
            where = f" {error.filename}" if getattr(error, "filename", None) else ""
            lines = [f"build.py: error:{where} {getattr(error, 'strerror', None) or error}"]
        except Exception as error:  # noqa: BLE001 - a bug must not stop the preview from watching
            traceback.print_exc()
            lines = [f"build.py: internal error: {type(error).__name__}: {error}"]
        else:
            lines = None
        if (lines is not None or result.unchanged) and settled is not None and not settled():
            return OVERTAKEN  # finished before the files were calm, and they changed again
        if lines is not None:
            self.failed(began, lines)
            return False
        was_failing = bool(self.state.failing())
        with self.state.lock:
            self.state.errors = []
        if result.changed or was_failing:
            self.loop.add_callback(send_reload)
        count = len(shown(result.warnings))
        warnings = f" ({count} warning{'s' * (count != 1)})" if count else ""
        rest = self.finish(result, changed, settled)
        print(f"[{began}] Rebuilt in {result.seconds:.2f} s: {result.written} of {result.files} files written"
              f"{warnings}{rest}", flush=True)
        return True

    def build(self, changed=None, settled=None, pages_first=False):
        """changed: the build's cancel event; settled(), just before publishing: whether the files
        are calm and as the build read them."""
        engine = FastEngine(self.cache, pages_first=pages_first, cancel=changed, ready_to_publish=settled)
        return build(self.source, self.out, base_url=self.base_url, today=self.today, strict=self.strict,
                     engine=engine, cancel=changed)

    def finish(self, first, changed, settled):
        """After a pages-first build (the page reloads meanwhile): the open data, contact
        cards and calendars, brought up to date by a complete build. Says how long it took."""
        if not first.deferred:
            return ""
        try:
            rest = self.build(changed, settled)
        except Superseded:
            return "; downloads and contact cards left for the next change"
        except Exception as error:  # noqa: BLE001 - the pages are published; the next change tries again
            return f"; downloads and contact cards not updated ({type(error).__name__}: {error})"
        return f"; downloads and contact cards {rest.seconds:.2f} s later ({rest.written} files)"

    def failed(self, began, lines):
        for line in lines:
            print(line, file=sys.stderr)
        print(f"[{began}] Build failed: still serving the last good site", file=sys.stderr, flush=True)
        with self.state.lock:
            changed = self.state.errors != lines
            self.state.errors = lines
        if changed:
            self.loop.add_callback(send_reload)


class ChangeWatch:
    """A threading.Event (the build's cancel event) that a thread of its own sets as soon as
    the files differ from those a build began with, looking every poll seconds."""

    def __init__(self, source, current, poll):
        self.source, self.current, self.poll = source, current, poll
        self.changed, self.done = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self.watch, name="change-watch", daemon=True)

    def watch(self):
        while not self.done.wait(self.poll):
            if snapshot(self.source) != self.current:
                self.changed.set()
                return

    def __enter__(self):
        self.thread.start()
        return self.changed

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


def shown(problems):
    """The problems worth a line in the terminal or the overlay: info lines are left to `check --info`."""
    return [str(p) for p in problems if p.severity != INFO]


def first_build(source, out, base_url, state, cache, today=None, strict=False):
    """The build before serving. Data errors do not stop the preview: they show in the overlay."""
    try:
        result = build(source, out, base_url=base_url, today=today, strict=strict, engine=FastEngine(cache))
    except DataError as error:
        lines = shown(error.problems)
        for line in lines:
            print(line, file=sys.stderr)
        print(f"[{stamp()}] Build failed: {'still serving the last good site' if out.is_dir() else 'nothing to show yet'}",
              file=sys.stderr, flush=True)
        state.errors = lines
        return
    for line in shown(result.warnings):
        print(line, file=sys.stderr)
    print(result.summary(), flush=True)


def serve(source: Path, out: Path, host="127.0.0.1", port=8000, base_url=None, today=None, strict=False):
    out = out.resolve()
    state = State(root=str(out), port=port)
    seen = snapshot(source)  # before building: an edit saved during the first build is not missed
    loop = IOLoop.current()
    rebuilder = Rebuilder(source, out, base_url, state, loop, today=today, strict=strict)
    first_build(source, out, base_url, state, rebuilder.cache, today, strict)
    app = application(state, host)
    try:
        server = app.listen(port, address=host)
    except OSError as error:
        raise UserError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    import logging
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    rebuilder.start(seen)
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving http://{shown}:{port}/ (press Ctrl+C to stop)", flush=True)
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        rebuilder.stopped.set()
        server.stop()
    return 0
