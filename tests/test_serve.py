"""`build.py serve` as a person uses it: a real server process, real files edited, real HTTP.

Nothing here asserts how long anything takes: waits are generous and end as
soon as the expected line or message arrives.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

from liaison.spare import spare_path
from tests.conftest import MINIMAL, REPO, write_project

WAIT = 60  # seconds: a slow CI machine, never a measure of speed


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`python build.py serve` on a free port, its output lines collected as they come."""

    def __init__(self, source: Path, *args):
        self.source, self.port = source, free_port()
        self.lines, self.changed = [], threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("Serving http://")

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_for(self, pattern, after=0, count=1):
        """Wait until `count` lines from index `after` on match pattern. Returns the last of them."""
        deadline = time.monotonic() + WAIT
        with self.changed:
            while True:
                found = [line for line in self.lines[after:] if re.search(pattern, line)]
                if len(found) >= count:
                    return found[count - 1]
                if self.process.poll() is not None:
                    raise AssertionError("the server stopped:\n" + "\n".join(self.lines))
                if time.monotonic() > deadline:
                    raise AssertionError(f"no line matching {pattern!r}:\n" + "\n".join(self.lines))
                self.changed.wait(0.2)

    def mark(self):
        with self.changed:
            return len(self.lines)

    def get(self, path, headers=None):
        """A raw request: http.client sends the path exactly as given, without normalising it."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            connection.close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path / "project", MINIMAL)


@pytest.fixture
def server(project):
    running = Server(project)
    yield running
    running.stop()


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def site_files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


async def reload_after(server, change):
    """Connect as livereload.js does, make the change, and return the first message after it."""
    socket_ = await websocket_connect(f"ws://127.0.0.1:{server.port}/livereload",
                                      connect_timeout=WAIT)
    try:
        socket_.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        hello = json.loads(await asyncio.wait_for(socket_.read_message(), WAIT))
        assert hello["command"] == "hello"
        socket_.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{server.port}/"}))
        await asyncio.sleep(0.3)  # the server registers the page
        change()
        return json.loads(await asyncio.wait_for(socket_.read_message(), WAIT))
    finally:
        socket_.close()



def run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own: the browser tests keep an event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

def test_an_edit_rebuilds_and_reloads_the_page(server, project):
    status, page, _ = server.get("/officers/alex-example/")
    assert status == 200 and b"Alex Example" in page
    start = server.mark()
    message = run_in_own_loop(reload_after(server, lambda: edit(project / "officers.yaml", "name: Alex Example",
                                                               "name: Alex Renamed")))
    assert message["command"] == "reload"
    line = server.wait_for(r"Rebuilt in \d+\.\d\d s: \d+ of \d+ files written", after=start)
    assert re.match(r"\[\d\d:\d\d:\d\d\] Rebuilt in", line)
    status, page, headers = server.get("/officers/alex-example/")
    assert b"Alex Renamed" in page
    assert b'<script src="/livereload.js?port=' in page  # added as it is served...
    assert b"livereload" not in (project / ".liaison-preview/officers/alex-example/index.html").read_bytes()  # ...never written
    # The page came first; by the time the line is printed the downloads and contact cards have followed.
    assert re.search(r"; downloads and contact cards \d+\.\d\d s later \(\d+ files\)$", line)
    assert b"Alex Renamed" in server.get("/data/officers.json")[1]
    assert b"Alex Renamed" in server.get("/contacts/officers/alex-example.vcf")[1]


def test_it_rebuilds_with_no_browser_connected(server, project):
    start = server.mark()
    edit(project / "content/about.md", "## Who they are", "## Who they are now")
    server.wait_for("Rebuilt in", after=start)
    assert b"Who they are now" in (project / ".liaison-preview/about/index.html").read_bytes()


def test_a_bad_edit_shows_the_overlay_and_keeps_the_last_good_site(server, project):
    out = project / ".liaison-preview"
    good = site_files(out)
    start = server.mark()
    edit(project / "officers.yaml", "  role: full-time\n", "  role: full-time\n  <b>bold</b>: x\n")
    server.wait_for(r"^\[\d\d:\d\d:\d\d\] Build failed: still serving the last good site$", after=start)
    assert server.wait_for(r"officers.yaml:\d+:\d+: unknown field", after=start)
    assert site_files(out) == good  # nothing written, and no overlay in the site itself
    status, page, _ = server.get("/officers/alex-example/")
    assert status == 200 and b"Alex Example" in page  # the last good page
    assert b'id="liaison-build-errors"' in page
    assert re.search(rb"officers.yaml:\d+:\d+: unknown field &#x27;&lt;b&gt;bold&lt;/b&gt;&#x27;", page)
    assert b"<b>bold</b>" not in page  # the message is escaped
    assert b'<link rel="stylesheet" href="/__liaison__/overlay.css">' in page
    assert not re.search(rb"<style|style=|<script>", page)  # nothing inline: a strict CSP still allows it
    status, css, headers = server.get("/__liaison__/overlay.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and b"#liaison-build-errors" in css

    start = server.mark()
    message = run_in_own_loop(reload_after(server, lambda: edit(project / "officers.yaml", "  <b>bold</b>: x\n", "")))
    assert message["command"] == "reload"
    server.wait_for("Rebuilt in", after=start)
    status, page, _ = server.get("/officers/alex-example/")
    assert b"liaison-build-errors" not in page and b"overlay.css" not in page
    assert site_files(out) == good


def test_a_burst_of_saves_gives_one_rebuild(server, project):
    start = server.mark()
    for index, (name, old, new) in enumerate([
        ("officers.yaml", "name: Alex Example", "name: Alex Burst"),
        ("boroughs.yaml", "name: Northtown", "name: North Town"),
        ("organisations.yaml", "A national helpline.", "A national helpline, burst."),
        ("reporting.yaml", "Ask for the police.", "Ask for the police now."),
        ("content/about.md", "## Who they are", "## Who they were"),
    ]):
        if index:
            time.sleep(0.025)  # five files within 200 ms, as an editor's "save all" might
        edit(project / name, old, new)
    server.wait_for("Rebuilt in", after=start)
    time.sleep(2)  # long enough for any second rebuild to have started and finished
    rebuilds = [line for line in server.lines[start:] if "Rebuilt in" in line or "Build failed" in line]
    assert len(rebuilds) == 1, server.lines[start:]
    page = (project / ".liaison-preview/officers/alex-example/index.html").read_bytes()
    assert b"Alex Burst" in page and b"North Town" in page


def test_a_burst_that_is_wrong_until_its_last_save_shows_no_error(server, project):
    """A rebuild starts at once, but shows a mistake only once the files are calm:
    an officer moved to a new area, saved a moment before the area itself."""
    start = server.mark()
    edit(project / "officers.yaml", "boroughs: [northtown]", "boroughs: [eastville]")
    time.sleep(0.025)
    with open(project / "boroughs.yaml", "a", encoding="utf-8") as handle:
        handle.write("- id: eastville\n  name: Eastville\n  force: test-police\n  postcode_districts: [EV1]\n")
    server.wait_for("Rebuilt in", after=start)
    time.sleep(1)
    assert not [line for line in server.lines[start:] if "Build failed" in line or ": error" in line], server.lines[start:]
    assert b"Eastville" in (project / ".liaison-preview/officers/alex-example/index.html").read_bytes()


def test_a_page_missing_from_the_site_gets_the_404_page(server):
    status, page, headers = server.get("/no-such-page/")
    assert status == 404 and b"<html" in page and headers["Content-Type"].startswith("text/html")
    status, _, headers = server.get("/report")
    assert status in (301, 302) and headers["Location"] == "/report/"


def test_a_first_build_that_fails_still_serves_and_recovers(project):
    edit(project / "officers.yaml", "role: full-time", "role: fulltime")
    running = Server(project)
    try:
        assert any("Build failed" in line for line in running.lines)
        status, page, _ = running.get("/")
        assert status == 404 and b"liaison-build-errors" in page and b"fulltime" in page
        start = running.mark()
        edit(project / "officers.yaml", "role: fulltime", "role: full-time")
        running.wait_for("Rebuilt in", after=start)
        status, page, _ = running.get("/")
        assert status == 200 and b"liaison-build-errors" not in page
    finally:
        running.stop()


# --- safety (from the security issue) -----------------------------------------------------

SECRET = b"SECRET-OUTSIDE-THE-SITE"

TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/assets/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/%252e%252e%252fsecret.txt",
    "/%252e%252e/secret.txt",
    "/..%252fsecret.txt",
    "/..\\secret.txt",
    "/%2e%2e%5csecret.txt",
    "//secret.txt",
    "/%2f{root}/secret.txt",
    "/{root}/secret.txt",
    "/.%2e/secret.txt",
    "/..;/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/secret.txt%00.html",
]


@pytest.fixture
def guarded(tmp_path, project):
    (tmp_path / "secret.txt").write_bytes(SECRET)  # beside the project, outside the site
    (project / "secret.txt").write_bytes(SECRET)  # in the project, beside the site
    running = Server(project)
    yield running, tmp_path
    running.stop()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_leaves_the_output_folder(guarded, path):
    server, outside = guarded
    status, body, _ = server.get(path.format(root=str(outside).strip("/")))
    assert SECRET not in body
    assert status in (400, 403, 404)


def test_a_link_in_the_output_pointing_outside_is_not_followed(guarded, project):
    server, outside = guarded
    out = project / ".liaison-preview"
    (out / "leak.txt").symlink_to(outside / "secret.txt")
    (out / "leakdir").symlink_to(outside, target_is_directory=True)
    (out / "assets" / "leak.css").symlink_to(outside / "secret.txt")
    for path in ["/leak.txt", "/leakdir/secret.txt", "/assets/leak.css", "/leakdir/", "/leakdir"]:
        status, body, _ = server.get(path)
        assert SECRET not in body and status in (403, 404), path
    inside = out / "inside-link.html"
    inside.symlink_to(out / "index.html")  # a link that stays inside is served
    assert server.get("/inside-link.html")[0] == 200


def test_it_listens_on_this_computer_only(server):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux's /proc to see the listening address")
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if Path(table).exists():
            for row in Path(table).read_text().splitlines()[1:]:
                local, state = row.split()[1], row.split()[3]
                address, port = local.split(":")
                if int(port, 16) == server.port and state == "0A":  # LISTEN
                    listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, and nothing else


def test_another_host_name_is_refused(server):
    assert server.get("/", headers={"Host": "attacker.example"})[0] == 403
    assert server.get("/", headers={"Host": f"localhost:{server.port}"})[0] == 200


def test_the_default_interface_is_this_computer():
    from liaison.cli import parser
    args = parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"


def test_the_preview_never_writes_the_folder_people_upload(server, project):
    start = server.mark()
    edit(project / "officers.yaml", "name: Alex Example", "name: Alex Renamed")
    server.wait_for("Rebuilt in", after=start)
    assert (project / ".liaison-preview/index.html").is_file()
    assert not (project / "_site").exists() and not any(p.name.startswith("._site") for p in project.iterdir())


def test_stopping_the_server_leaves_the_site(server, project):
    server.stop()
    assert (project / ".liaison-preview/index.html").is_file()
    assert not any(p.name.startswith("..liaison-preview.new") for p in project.iterdir())
    assert spare_path(project / ".liaison-preview").parent == project
    shutil.rmtree(project / ".liaison-preview")


def test_the_cancel_event_is_set_by_a_save_while_a_build_runs_and_only_then(tmp_path):
    from liaison.serve import ChangeWatch, snapshot
    source = write_project(tmp_path / "site", MINIMAL)
    with ChangeWatch(source, snapshot(source), poll=0.01) as changed:
        assert isinstance(changed, threading.Event)
        assert not changed.wait(0.2)  # nothing saved: never set
        officers = source / "officers.yaml"
        officers.write_text(officers.read_text() + "\n# saved again\n")
        assert changed.wait(5)
