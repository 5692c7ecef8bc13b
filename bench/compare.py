#!/usr/bin/env python3
"""Compare the generator at two git revisions: cold builds in turns, and their output trees.

    .venv/bin/python bench/compare.py --base HEAD~3 --sizes 2000 10000 --repeat 5 --preview 1000

Each round builds the same synthetic data (bench/generate.py) once with the base revision
(checked out in a temporary git worktree) and once with the working tree, alternating which
goes first, each in a fresh process into a new folder, as `build.py build` runs. The machine
is shared and noisy, so only the ratio of times taken at the same moments means anything.
Each round starts with Hugo building plain officer pages from the same data
(bench/hugo_reference.py), the reference the cold-build targets were set against, when
Hugo is installed (scripts/setup bench). Each cold build is followed by the same command again, which finds nothing changed (the
no-change rebuild). With --preview N, the preview's rebuilds after one-line edits are timed
too, at N officers (bench/preview_edit.py). Finally the last two trees of each size are
compared byte for byte: a change that is meant
only to be faster or plainer must not change a single output file. Nothing is deleted until
every build is timed (deleting a tree slows the next ones on ext4: docs/performance.md).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import hugo_reference  # noqa: E402 (bench/ is on the path only from here)


def worktree(base: str, scratch: Path) -> Path:
    path = scratch / "base"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(path), base], check=True)
    return path


def one_build(code: Path, source: Path, out: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(code / "bench" / "one_build.py"), str(source), str(out)], cwd=code,
                          env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {"wall": time.perf_counter() - started, "cpu": figures["cpu"]}


def preview_edits(code: Path, source: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, str(REPO / "bench" / "preview_edit.py"), str(source), str(out)], cwd=code,
                          env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def published(site: Path) -> dict:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*")
            if p.is_file() and not p.name.startswith(".liaison-")}


def differing(a: Path, b: Path) -> list[str]:
    left, right = published(a), published(b)
    names = sorted(set(left) | set(right))
    return [n for n in names if n not in left or n not in right or left[n].read_bytes() != right[n].read_bytes()]


def spread(values):
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def compare(base: str, sizes, repeat: int, preview=None):
    scratch = Path(tempfile.mkdtemp(prefix="liaison-compare-"))
    try:
        old = worktree(base, scratch)
        print(f"base {base} ({subprocess.run(['git', '-C', str(old), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()}) "
              f"against the working tree, {repeat} rounds, Python {sys.version.split()[0]}\n")
        hugo = hugo_reference.program()
        print("| officers | base: whole command | this: whole command | this / base, round by round | base CPU | this CPU "
              "| no change: base | no change: this | Hugo, same moments | output |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for size in sizes:
            data = scratch / f"data-{size}"
            subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--officers", str(size), str(data)],
                           check=True, capture_output=True)
            times = {"base": [], "this": []}
            again = {"base": [], "this": []}
            trees, hugo_times = {}, []
            if hugo:
                hugo_reference.write_site(data, scratch / f"hugo-{size}")
            for round_ in range(repeat):
                if hugo:
                    hugo_times.append(hugo_reference.timed_build(hugo, scratch / f"hugo-{size}",
                                                                 scratch / f"hugo-out-{size}-{round_}")["command"])
                order = [("base", old), ("this", REPO)] if round_ % 2 == 0 else [("this", REPO), ("base", old)]
                for name, code in order:
                    trees[name] = scratch / f"out-{size}-{name}-{round_}"
                    times[name].append(one_build(code, data, trees[name]))
                    again[name].append(one_build(code, data, trees[name])["wall"])
            ratios = [t["wall"] / b["wall"] for t, b in zip(times["this"], times["base"])]
            changed = differing(trees["base"], trees["this"])
            verdict = "identical" if not changed else f"{len(changed)} files differ, e.g. {changed[:3]}"
            print(f"| {size:,} | {spread([t['wall'] for t in times['base']])} | {spread([t['wall'] for t in times['this']])} | "
                  f"{', '.join(f'{r:.2f}' for r in ratios)} | {statistics.median(t['cpu'] for t in times['base']):.2f} s | "
                  f"{statistics.median(t['cpu'] for t in times['this']):.2f} s | {spread(again['base'])} | "
                  f"{spread(again['this'])} | {spread(hugo_times) if hugo_times else 'not installed'} | {verdict} |",
                  flush=True)
        if preview:
            compare_previews(old, scratch, preview, repeat)
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(scratch / "base")], capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)


def compare_previews(old: Path, scratch: Path, size: int, repeat: int):
    """The preview's rebuild after a one-line edit, in turns: pages first (then the page reloads), then the rest."""
    data = scratch / f"preview-data-{size}"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--officers", str(size), str(data)],
                   check=True, capture_output=True)
    runs = {"base": [], "this": []}
    for round_ in range(repeat):
        order = [("base", old), ("this", REPO)] if round_ % 2 == 0 else [("this", REPO), ("base", old)]
        for name, code in order:
            source = scratch / f"preview-{name}-{round_}"
            shutil.copytree(data, source)
            runs[name].append(preview_edits(code, source, scratch / f"preview-out-{name}-{round_}"))
    print(f"\n| preview at {size:,} officers, medians of {repeat} rounds of 6 edits | base | this |\n|---|---|---|")
    for key, label in (("pages_first", "edit to reload (pages first)"), ("complete", "the rest, after it")):
        print(f"| {label} | {spread([r[key] for r in runs['base']])} | {spread([r[key] for r in runs['this']])} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with, e.g. HEAD~1 or main")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--preview", type=int, default=None, metavar="N",
                        help="also time the preview's rebuilds after an edit, at N officers")
    args = parser.parse_args(argv)
    compare(args.base, args.sizes, args.repeat, args.preview)


if __name__ == "__main__":
    main()
