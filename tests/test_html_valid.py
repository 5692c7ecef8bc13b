"""Every page of the sample build is valid HTML, by the Nu HTML Checker (vnu.jar).

The checker is a Java program from the npm package vnu-jar (scripts/setup test
installs it into node_modules/). It takes seconds to start, so it runs once
over every page.
"""
import json
import subprocess

from support import VNU_JAR, find_java, html_pages, missing_tool


def run_vnu(java, files):
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]


def test_every_page_is_valid_html(sample_site):
    java = find_java()
    if not java:
        missing_tool("Java (to run the Nu HTML Checker)", "Install it with: apt-get install -y default-jre-headless")
    if not VNU_JAR.is_file():
        missing_tool(f"The Nu HTML Checker ({VNU_JAR.relative_to(VNU_JAR.parents[4])})",
                     "Install it with: npm ci --no-audit --no-fund --ignore-scripts")
    pages = html_pages(sample_site)
    messages = run_vnu(java, pages)
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    report = "\n".join(f"{m.get('url', '').split(sample_site.name + '/')[-1]}:{m.get('lastLine', '?')}: "
                       f"{m.get('message')} [{m.get('extract', '').strip()}]" for m in errors)
    assert not errors, f"{len(errors)} HTML errors in {len(pages)} pages:\n{report}"
