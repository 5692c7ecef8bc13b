#!/usr/bin/env python3
"""Benchmark the generator on synthetic national data.

    python bench/run.py                      # N = 1,000 and 10,000, three runs of each
    python bench/run.py --sizes 1000 --repeat 5
    python bench/run.py --write-doc          # also put the tables in docs/performance.md
    python bench/run.py --profile 10000      # where a cold build spends its time (cProfile)
    python bench/run.py --no-hugo            # without the Hugo reference
    python bench/run.py --base main --sizes 2000 10000 --repeat 5 --reload-sizes 1000
                                             # this code against another revision, in turns

For each size it measures, each build in a fresh process (as `python build.py` runs):
  cold        an empty output folder: every file and folder is made
  no change   the same data again: the inputs are hashed and found unchanged
  first edit  one officer's phone number changed, just after a cold build
              (this one also makes the spare tree: see docs/performance.md)
  edit        one officer changed again: the steady state while editing
and, through `build.py serve`, the time from saving one officer's edit to the
reload message reaching a connected page (edit to reload).

Each build runs bench/one_build.py, which builds as build.py does: per-stage
times come from BuildResult.timings, "whole command" is the time from starting
that process to its end, and peak memory is the build process's own peak plus
that of its largest helper process. Before each cold build the machine itself is
measured (machine_probe, disk_floor), so a slow build can be told from a slow
machine, and, when Hugo is installed (scripts/setup bench), Hugo builds plain
pages for the same officers (bench/hugo_reference.py): the reference the cold-
build target was set against, measured at the same moment. These are benchmark
figures, not tests: nothing here fails because it is slow.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import mmap
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- bench/run.py: begin -->", "<!-- bench/run.py: end -->"
STAGES = ("load", "validate", "withhold", "context", "outputs", "publish")  # pipeline.build()'s stages

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import hugo_reference  # noqa: E402 (bench/ is on the path only from here)

# The interpreter every build runs with (--python); the machine probe always uses this one.
PYTHON = sys.executable
# Hugo's binary, for the reference built just before each cold build (bench/hugo_reference.py); None: no reference.
HUGO = None


# --- one build, in its own process -------------------------------------------------------

def timed_build(source, out):
    """One build in a fresh process (bench/one_build.py): its figures, and the time the whole
    command took, from starting Python to its end (imports and leaving included)."""
    started = time.perf_counter()
    done = subprocess.run([PYTHON, str(BENCH / "one_build.py"), str(source), str(out)], capture_output=True,
                          text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    command = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"build failed:\n{done.stdout}\n{done.stderr}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "command": command}


TRASH = OUT / "trash"
EMPTIED = OUT / "trash-emptied"  # its modification time: when trees were last deleted
# ext4 without a journal (this machine's disk) will not reuse an inode freed in the last
# 60 s, or in the last five minutes while the freed inode is not yet written back, and
# checks every candidate for that (recently_deleted() in fs/ext4/ialloc.c): for minutes
# after a few trees of 25,000 files are deleted, making new files costs the kernel up to
# ten times more. So trees are moved aside during a run, deleted at its end, and the next
# run waits until five minutes have passed since.
RECENTLY_DELETED = 300


def discard(path):
    """Move a tree out of the way without freeing its inodes (see RECENTLY_DELETED)."""
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{path.name}-{time.monotonic_ns()}")


def empty_trash(wait=False):
    """Delete the trees moved aside; wait=True (at the start of a run): then wait until
    the disk has recovered from the last deletion, this one or an earlier run's."""
    if TRASH.exists():
        print(f"Deleting the trees of {'an earlier' if wait else 'this'} run ...", flush=True)
        shutil.rmtree(TRASH)
        os.sync()
        EMPTIED.touch()
    if wait:
        wait_for_the_disk()


def wait_for_the_disk():
    if not EMPTIED.exists():
        return
    ago = time.time() - EMPTIED.stat().st_mtime
    if 0 <= ago < RECENTLY_DELETED:
        print(f"Waiting {RECENTLY_DELETED - ago:.0f} s: trees were deleted {ago:.0f} s ago, and until "
              f"{RECENTLY_DELETED // 60} minutes have passed, making files costs this disk more.", flush=True)
        time.sleep(RECENTLY_DELETED - ago)


def wipe(out):
    from liaison.spare import spare_path
    for path in (out, spare_path(out)):
        discard(path)


def settle():
    """Let the disk catch up with the last run's writes, so one run does not pay for another."""
    os.sync()
    time.sleep(1)


_edits = iter(range(10**6))


def edit_one_officer(source, round_=None):
    """Change the first officer's phone number, to one it has not had in this run.

    (A number it had two builds ago would already be in the spare tree, and
    nothing would need writing: a real but flattering case.)"""
    path = Path(source) / "officers.yaml"
    text = path.read_text(encoding="utf-8")
    current = re.search(r'(?m)^  phone: "([^"]*)"', text).group(1)
    number = current
    while number == current:
        number = f"020 7946 {next(_edits) % 1000:04d}"
    text, count = re.subn(r'(?m)^(  phone: )"[^"]*"', lambda m: f'{m.group(1)}"{number}"', text, count=1)
    assert count == 1
    path.write_text(text, encoding="utf-8")


# --- edit to reload, through the preview server ---------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def reload_latencies(source, port, rounds):
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await ws.read_message()
    ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    await asyncio.sleep(0.5)
    latencies = []
    for round_ in range(rounds):
        await asyncio.sleep(1.0)  # a person does not save twice in a second
        while True:  # a message left over from an earlier edit must not be taken for this one's
            try:
                stray = await asyncio.wait_for(ws.read_message(), 0.05)
            except asyncio.TimeoutError:
                break
            print(f"  (a message before edit {round_}: {stray})", flush=True)
        started = time.perf_counter()
        edit_one_officer(source, round_)
        message = json.loads(await asyncio.wait_for(ws.read_message(), 120))
        assert message["command"] == "reload"
        latencies.append(time.perf_counter() - started)
    ws.close()
    return latencies


def edit_to_reload(source, rounds):
    port = free_port()
    server = subprocess.Popen([PYTHON, str(REPO / "build.py"), "serve", "--source", str(source),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        for line in server.stdout:
            lines.append(line)
            if line.startswith("Serving"):
                break
        time.sleep(3)  # the server makes its spare tree after the first build
        latencies = asyncio.run(reload_latencies(source, port, rounds + 1))[1:]  # the first one warms caches
    finally:
        server.terminate()
        rest = server.communicate(timeout=30)[0]
        (OUT / f"serve-{Path(source).name}.log").write_text("".join(lines) + rest, encoding="utf-8")
    builds = [float(m.group(1)) for m in re.finditer(r"Rebuilt in (\d+\.\d+) s", "".join(lines) + rest)][1:]
    return latencies, builds


# --- the machine's own speed -------------------------------------------------------------------

def python_loop():
    total = 0
    for number in range(5_000_000):
        total += number % 7
    return total


def machine_probe():
    """This shared machine's own speed, measured next to a cold build: seconds for a fixed
    piece of Python work run in two processes at once (as a big build uses both cores), and
    for touching 200 MB of memory the process has not used before (each page's first touch
    costs the kernel several microseconds here). A slow build beside slow figures here is the
    machine, not the code."""
    started = time.perf_counter()
    helper = os.fork()
    if helper == 0:
        python_loop()
        os._exit(0)
    python_loop()
    os.waitpid(helper, 0)
    loop = time.perf_counter() - started
    started = time.perf_counter()
    with mmap.mmap(-1, 200 * 2**20) as memory:
        for offset in range(0, len(memory), mmap.PAGESIZE):
            memory[offset] = 1
    return {"loop": loop, "memory": time.perf_counter() - started}


# --- the disk's own cost ----------------------------------------------------------------------

def disk_floor(count):
    """Seconds to make count folders each holding a 9 KB file, and to hard-link them, with nothing else.

    Making a file or a folder costs the kernel 0.03-0.1 ms of CPU here, and
    this varies from minute to minute: the floor under a cold build, measured
    next to it."""
    root = OUT / "disk-floor"
    discard(root)
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    os.sync()
    data = b"x" * 9000
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for index in range(count):
        os.mkdir(root / "a" / str(index))
        (root / "a" / str(index) / "index.html").write_bytes(data)
    made, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    for index in range(count):
        os.link(root / "a" / str(index) / "index.html", root / "b" / f"{index}.html")
    linked = time.perf_counter() - started
    discard(root)
    return {"count": count, "make": made, "make_sys": after.ru_stime - before.ru_stime, "link": linked}


def hugo_cold_build(officers):
    """Hugo building its plain officer pages (written by run_size) into an empty folder."""
    out = OUT / f"hugo-public-{officers}"
    discard(out)
    return hugo_reference.timed_build(HUGO, OUT / f"hugo-{officers}", out)


# --- the runs --------------------------------------------------------------------------------

def run_size(officers, repeat, reload_rounds):
    import generate

    source = OUT / f"data-{officers}"
    out = OUT / f"site-{officers}"
    generate.generate(source, officers)
    print(f"\n== {officers} officers ({source})", flush=True)
    runs = {"cold": [], "no change": [], "first edit": [], "edit": []}
    floors, hugo = [], []
    if HUGO:
        discard(OUT / f"hugo-{officers}")  # moved aside, not deleted: see RECENTLY_DELETED
        hugo_reference.write_site(source, OUT / f"hugo-{officers}")
    for round_ in range(repeat):
        wipe(out)
        settle()
        floors.append({**disk_floor(officers + officers // 4 + 400), **machine_probe()})
        settle()
        if HUGO:
            hugo.append(hugo_cold_build(officers))
            settle()
        runs["cold"].append(timed_build(source, out))
        settle()
        runs["no change"].append(timed_build(source, out))
        edit_one_officer(source, 2 * round_)
        settle()
        runs["first edit"].append(timed_build(source, out))
        edit_one_officer(source, 2 * round_ + 1)
        settle()
        runs["edit"].append(timed_build(source, out))
        for name, results in runs.items():
            r = results[-1]
            print(f"  {name:10} {r['seconds']:6.2f} s ({r['command']:.2f} s in all)  {r['written']:6} of {r['files']} written  "
                  f"peak {r['peak_mb']:.0f} MB + {r['peak_worker_mb']:.0f} MB", flush=True)
    figures = {"officers": officers, "runs": runs, "floors": floors}
    if hugo:
        figures["hugo"] = hugo
        print("  Hugo, plain officer pages: " + ", ".join(f"{h['seconds']:.2f} s" for h in hugo), flush=True)
    print("  disk alone: " + ", ".join(f"{f['make']:.2f} s" for f in floors) + f" to make {floors[0]['count']:,} folders "
          "and files; Python loop " + ", ".join(f"{f['loop']:.2f} s" for f in floors) + "; fresh memory " +
          ", ".join(f"{f['memory']:.2f} s" for f in floors), flush=True)
    if reload_rounds:
        latencies, builds = edit_to_reload(source, reload_rounds)
        figures["reload"] = {"latencies": latencies, "builds": builds}
        print(f"  edit to reload: median {statistics.median(latencies) * 1000:.0f} ms, "
              f"max {max(latencies) * 1000:.0f} ms over {len(latencies)} edits", flush=True)
    return figures


def interpreter(python):
    """Which Python the builds ran with: its version and the real program behind it. The same
    version can be built with or without profile-guided optimisation, which matters here
    (docs/performance.md, "The interpreter")."""
    probe = "import os, platform, sys; print(platform.python_version(), os.path.realpath(sys._base_executable))"
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=False)
    if done.returncode:
        return f"? ({python})"
    version, program = done.stdout.split(maxsplit=1)
    return f"{version} ({program.strip()})"


def check_interpreter(python):
    """Stop at once, not after the first build, if this interpreter cannot run the generator."""
    done = subprocess.run([python, "-c", "import liaison.pipeline"], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["it did not start"])[-1]
        raise SystemExit(f"bench/run.py: error: {python} cannot run the generator ({last}). Give it an "
                         f"environment of its own: {python} -m venv .venv-other && .venv-other/bin/pip install -e .")


def machine():
    def meminfo():
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
        return "?"

    def disk():
        best, kind = "", "?"
        target = str(OUT.resolve())
        for row in Path("/proc/mounts").read_text().splitlines():
            device, mount, fstype = row.split()[:3]
            if target.startswith(mount) and len(mount) > len(best):
                best, kind = mount, f"{fstype} on {device} (mounted at {mount})"
        return kind

    return {
        "date": dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "memory": meminfo() if Path("/proc/meminfo").exists() else "?",
        "disk": disk() if Path("/proc/mounts").exists() else "?",
        "python": interpreter(PYTHON),
        "probe python": interpreter(sys.executable),
        "system": f"{platform.system()} {platform.release()}",
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "hugo": hugo_reference.version(HUGO) if HUGO else None,
    }


# --- the report --------------------------------------------------------------------------------

def median_of(results, key):
    return statistics.median(r[key] for r in results)


def table(all_figures):
    rows = ["| officers | build | wall time (median, min-max) | whole command (median, max) | CPU time | pages/s | "
            "files written | peak memory |", "|---:|---|---|---|---:|---:|---:|---:|"]
    for figures in all_figures:
        for name, results in figures["runs"].items():
            seconds = [r["seconds"] for r in results]
            pages = results[0]["pages"]
            peak = max(r["peak_mb"] + r["peak_worker_mb"] for r in results)
            command = [r["command"] for r in results]
            rows.append(f"| {figures['officers']:,} | {name} | {statistics.median(seconds):.2f} s "
                        f"({min(seconds):.2f}-{max(seconds):.2f}) | {statistics.median(command):.2f} s ({max(command):.2f}) | "
                        f"{median_of(results, 'cpu'):.2f} s | "
                        f"{pages / statistics.median(seconds):,.0f} | {int(median_of(results, 'written')):,} of "
                        f"{results[0]['files']:,} | {peak:.0f} MB |")
    return "\n".join(rows)


def stage_table(all_figures):
    rows = ["| officers | build | " + " | ".join(STAGES) + " |", "|---:|---|" + "---:|" * len(STAGES)]
    for figures in all_figures:
        for name, results in figures["runs"].items():
            cells = []
            for stage in STAGES:
                values = [r["timings"].get(stage) for r in results if stage in r["timings"]]
                cells.append(f"{statistics.median(values):.2f}" if values else "-")
            rows.append(f"| {figures['officers']:,} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def spread(results, key):
    values = [r[key] for r in results]
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def floor_table(all_figures):
    rows = ["| officers | folders and files made | time to make them, alone (median, min-max) | of which kernel CPU | "
            "time to hard-link them | a fixed Python loop, twice at once (median, min-max) | touching 200 MB of fresh memory "
            "(median, min-max) |", "|---:|---:|---|---:|---:|---|---|"]
    for figures in all_figures:
        floors = figures.get("floors") or []
        if floors:
            made = [f["make"] for f in floors]
            rows.append(f"| {figures['officers']:,} | {floors[0]['count']:,} | {statistics.median(made):.2f} s "
                        f"({min(made):.2f}-{max(made):.2f}) | {statistics.median(f['make_sys'] for f in floors):.2f} s | "
                        f"{statistics.median(f['link'] for f in floors):.2f} s | {spread(floors, 'loop')} | "
                        f"{spread(floors, 'memory')} |")
    return "\n".join(rows)


def reload_table(all_figures):
    rows = ["| officers | edit to reload (median) | max | rebuild itself (median) | edits |", "|---:|---:|---:|---:|---:|"]
    for figures in all_figures:
        if "reload" in figures:
            lat, builds = figures["reload"]["latencies"], figures["reload"]["builds"]
            rows.append(f"| {figures['officers']:,} | {statistics.median(lat) * 1000:.0f} ms | {max(lat) * 1000:.0f} ms | "
                        f"{statistics.median(builds) * 1000:.0f} ms | {len(lat)} |" if builds else "")
    return "\n".join(rows)


def hugo_table(all_figures):
    """Each cold build beside Hugo's, built just before it: the ratio is taken round by round."""
    rows = ["| officers | Hugo's pages | Hugo (median, min-max) | its CPU time | cold build here (median) | "
            "here against Hugo, round by round (median, min-max) |", "|---:|---:|---|---:|---:|---|"]
    for figures in all_figures:
        hugo = figures.get("hugo")
        if hugo:
            cold = figures["runs"]["cold"]
            ratios = [ours["seconds"] / theirs["seconds"] for ours, theirs in zip(cold, hugo)]
            rows.append(f"| {figures['officers']:,} | {hugo[0]['pages']:,} | {spread(hugo, 'seconds')} | "
                        f"{median_of(hugo, 'cpu'):.2f} s | {median_of(cold, 'seconds'):.2f} s | "
                        f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}) |")
    return "\n".join(rows) if len(rows) > 2 else ""


def hugo_section(all_figures, info):
    text = hugo_table(all_figures)
    if not text:
        return []
    return [
        "",
        f"A reference measured at the same moment: Hugo {info['hugo']} building one plain page per officer of the "
        "same data, and nothing else (`bench/hugo_reference.py`), into an empty folder just before each cold build "
        "above. Its time is its own \"Total\" line:",
        "",
        text,
    ]


def probe_python(info):
    """The machine probe runs in this script's own Python: said only when the builds used another."""
    probe = info.get("probe python", info["python"])
    return "" if probe == info["python"] else f" (the machine probe with Python {probe})"


def report(all_figures, info):
    return "\n".join([
        BEGIN,
        f"Measured on {info['date']} with `python bench/run.py`: {info['cores']} cores, {info['memory']} of memory, "
        f"{info['disk']}, {info['system']}, builds run with Python {info['python']}"
        f"{probe_python(info)}. Load average when the run ended: "
        f"{info['load']} (1 / 5 / 15 min).",
        "",
        "Whole builds, each in a fresh process (as `python build.py` runs); wall time is the build's own summary "
        "line, whole command the time from starting Python to its end (imports and leaving included), CPU time "
        "adds up the build process and its helper processes:",
        "",
        table(all_figures),
        "",
        "Seconds per stage (median). In a build of 600 pages or more, the rendering processes write the pages "
        "as they render them, so there \"render\" includes writing the pages and \"write\" is the rest:",
        "",
        stage_table(all_figures),
        "",
        "The machine alone, measured just before each cold build: making one folder and one 9 KB file per page "
        "(what a cold build must do at the least), hard-linking as many files (what a rebuild does instead), a "
        "fixed piece of Python work in two processes at once, and touching 200 MB of memory not used before. "
        "When a build is slow and these are slow too, it is the machine:",
        "",
        floor_table(all_figures),
        *hugo_section(all_figures, info),
        "",
        "Through `build.py serve`: from writing one officer's edit to officers.yaml to the reload message "
        "arriving at a connected page:",
        "",
        reload_table(all_figures),
        END,
    ])


def write_doc(text):
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in current:
        current += f"\n{BEGIN}\n{END}\n"
    before, rest = current.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(before + text + after, encoding="utf-8")


def profile(officers):
    import cProfile
    import pstats

    import generate
    from liaison.pipeline import build

    source, out = OUT / f"data-{officers}", OUT / f"profile-{officers}"
    generate.generate(source, officers)
    wipe(out)
    os.environ["LIAISON_WORKERS"] = "1"  # one process, so the profile sees all the work
    profiler = cProfile.Profile()
    profiler.enable()
    result = build(source, out)
    profiler.disable()
    print(result.summary(), {k: round(v, 2) for k, v in result.timings.items()})
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    wipe(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark the generator on synthetic national data.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reload-rounds", type=int, default=10, help="edits timed through the preview server")
    parser.add_argument("--reload-sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--write-doc", action="store_true", help="put the results in docs/performance.md")
    parser.add_argument("--profile", type=int, metavar="N", help="profile one cold build of N officers instead")
    parser.add_argument("--python", metavar="PROGRAM", default=sys.executable,
                        help="run the builds with this Python (one that can import the generator's dependencies); "
                             "--profile always runs in this script's own")
    parser.add_argument("--no-hugo", action="store_true",
                        help="leave out the reference: Hugo building plain officer pages before each cold build")
    parser.add_argument("--base", metavar="REV",
                        help="instead, compare this code with git revision REV in turns (bench/compare.py): cold "
                             "builds at --sizes, no-change rebuilds and, at --reload-sizes' first size, the "
                             "preview's save-to-reload; --repeat rounds (at least 5 are worth having)")
    args = parser.parse_args(argv)
    if args.base:
        import compare
        compare.compare(args.base, args.sizes, args.repeat, args.reload_sizes[0] if args.reload_sizes else None)
        return 0
    global PYTHON, HUGO
    PYTHON = args.python
    check_interpreter(PYTHON)
    HUGO = None if args.no_hugo else hugo_reference.program()
    if not HUGO and not args.no_hugo and not args.profile:
        print("Hugo is not installed (scripts/setup bench): no reference measured beside the cold builds.")
    OUT.mkdir(parents=True, exist_ok=True)
    empty_trash(wait=True)
    try:
        if args.profile:
            return profile(args.profile)
        all_figures = [run_size(n, args.repeat, args.reload_rounds if n in args.reload_sizes else 0)
                       for n in args.sizes]
    finally:
        empty_trash()
    info = machine()
    text = report(all_figures, info)
    (OUT / "results.json").write_text(json.dumps({"machine": info, "figures": all_figures}, indent=1), encoding="utf-8")
    print("\n" + text)
    if args.write_doc:
        write_doc(text)
        print(f"\nWritten into {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
