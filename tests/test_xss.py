"""A script planted in a pull request never reaches the public as live markup.

Markdown is rendered, then sanitised against an allowlist (links only https,
mailto, tel and relative); plain text is escaped by Jinja's autoescaping, which
is on for every template.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from hostile import copy_sample, read_yaml, run, write_yaml
from liaison import schema as S
from liaison.markup import render_markdown
from liaison.render import make_environment

PROBE = "XSSPROBE"
TEXT_ATTACK = (f'{PROBE} "><script>alert(1)</script><img src=x onerror=alert(2)>'
               "<a href=\"javascript:alert(3)\">j</a><svg onload=alert(4)></svg>'<iframe src=\"data:text/html,x\"></iframe>")
MARKDOWN_ATTACK = TEXT_ATTACK + """

[click](javascript:alert(5)) [data](data:text/html;base64,PHNjcmlwdD4=) [elsewhere](//evil.example/x)
<a href="  JaVaScRiPt:alert(6)">x</a> <div onclick="alert(7)">d</div> <style>body{display:none}</style>
![tracker](https://evil.example/t.png) <a href="vbscript:msgbox(8)">v</a> <form action="https://evil.example"><input></form>

<script src="https://evil.example/x.js"></script><object data="x"></object><base href="https://evil.example/">
"""

BASE_URL = "https://example.org/lgbt-liaison/"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "srcset"}
NEVER_ALLOWED = {"iframe", "object", "embed", "svg", "math", "style", "form", "input", "base", "frame", "frameset"}


class LiveMarkup(HTMLParser):
    """Collects every piece of markup that could run a script or leave the site."""

    def __init__(self, name, own=BASE_URL):
        super().__init__(convert_charrefs=True)
        self.name, self.found, self.own = name, [], own

    def handle_starttag(self, tag, attrs):
        attrs = [(key, value or "") for key, value in attrs]
        where = f"{self.name}:{self.getpos()[0]}: <{tag}>"
        if tag in NEVER_ALLOWED:
            self.found.append(f"{where} is not allowed")
        if tag == "script" and not re.match(r"^(\.\./)*assets/", dict(attrs).get("src", "")):
            self.found.append(f"{where} is not the site's own script")
        for key, value in attrs:
            compact = re.sub(r"[\x00-\x20]+", "", value).lower()
            if key.startswith("on"):
                self.found.append(f"{where} has an event handler {key}")
            if key in URL_ATTRIBUTES and compact.startswith(("javascript:", "data:", "vbscript:", "//")):
                self.found.append(f"{where} has {key}={value!r}")
            if tag in ("img", "script", "link") and key in ("src", "href") and compact.startswith(("https:", "http:")) \
                    and not value.startswith(self.own):  # the 404 page links to the site by its full address
                self.found.append(f"{where} loads {value!r} from another website")

    handle_startendtag = handle_starttag


def live_markup(name, html):
    parser = LiveMarkup(name)
    parser.feed(html)
    parser.close()
    return parser.found


def plant(value, f):
    if f.kind == S.TEXT:
        return TEXT_ATTACK
    if f.kind == S.TEXTS:
        return [TEXT_ATTACK]
    if f.kind == S.MARKDOWN:
        return MARKDOWN_ATTACK
    if f.kind == S.ADDRESS:
        return {sub.name: TEXT_ATTACK for sub in f.record.fields}
    return value


def attacked_project(root):
    """The sample data with an attack in every plain-text and Markdown field, and in every page."""
    copy_sample(root)
    planted = 0
    for schema in S.DATA_FILES:
        data = read_yaml(root / schema.file)
        records = data if schema.is_list else [data]
        for record in records:
            for f in schema.fields:
                if f.kind in (S.TEXT, S.TEXTS, S.MARKDOWN, S.ADDRESS) and not f.private:
                    record[f.name] = plant(record.get(f.name), f)
                    planted += 1
                if f.kind == S.RECORDS:  # the forces in site.yaml
                    for item in record[f.name]:
                        for sub in f.record.fields:
                            if sub.kind in (S.TEXT, S.MARKDOWN):
                                item[sub.name] = plant(None, sub)
                                planted += 1
        write_yaml(root / schema.file, data)
    for page in (root / "content").glob("*.md"):
        front = write_front_matter({"title": TEXT_ATTACK, "description": TEXT_ATTACK, "nav_order": 1})
        page.write_text(f"---\n{front}---\n{MARKDOWN_ATTACK}\n", encoding="utf-8")
        planted += 3
    return planted


def write_front_matter(data):
    return yaml.safe_dump(data, allow_unicode=True)


def test_no_planted_script_reaches_the_site_as_live_markup(tmp_path):
    assert attacked_project(tmp_path / "project") > 300
    out = tmp_path / "site"
    code, _, err = run("build", "--source", tmp_path / "project", "--out", out, "--base-url", BASE_URL)
    assert code == 0, err
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 80
    found, probes = [], 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        probes += html.count(PROBE)
        found += live_markup(page.relative_to(out).as_posix(), html)
        assert "<script>alert" not in html
    assert found == []
    assert probes > 1000  # the attacks were really on the pages, as text


def test_the_checker_finds_live_markup():
    """The control for the test above: unsanitised, every attack is caught."""
    found = live_markup("page.html", TEXT_ATTACK + MARKDOWN_ATTACK)
    assert len(found) >= 14


@pytest.mark.parametrize("markdown, html", [
    ("<script>alert(1)</script>Hi", "<p>Hi</p>"),
    ("<img src=x onerror=alert(1)>Hi", "<p>Hi</p>"),
    ("[x](javascript:alert(1))", '<p><a rel="noopener noreferrer">x</a></p>'),
    ("[x](JAVASCRIPT:alert(1))", '<p><a rel="noopener noreferrer">x</a></p>'),
    ('<a href="java&#x09;script:alert(1)">x</a>', '<p><a rel="noopener noreferrer">x</a></p>'),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", '<p><a rel="noopener noreferrer">x</a></p>'),
    ("[x](vbscript:msgbox)", '<p><a rel="noopener noreferrer">x</a></p>'),
    ("[x](http://example.org)", '<p><a rel="noopener noreferrer">x</a></p>'),
    ("[x](//evil.example/)", '<p><a rel="noopener noreferrer">x</a></p>'),
    ("[x](/\\evil.example/)", '<p><a rel="noopener noreferrer">x</a></p>'),
    ('<a href="x" onclick="alert(1)" style="color:red" class="c" id="i">x</a>', '<p><a href="x" rel="noopener noreferrer">x</a></p>'),
    ("[x](https://example.org)", '<p><a href="https://example.org" rel="noopener noreferrer">x</a></p>'),
    ("[x](mailto:a@example.org)", '<p><a href="mailto:a@example.org" rel="noopener noreferrer">x</a></p>'),
    ("[x](tel:101)", '<p><a href="tel:101" rel="noopener noreferrer">x</a></p>'),
    ("[x](../report/)", '<p><a href="../report/" rel="noopener noreferrer">x</a></p>'),
    ("[x](#top)", '<p><a href="#top" rel="noopener noreferrer">x</a></p>'),
    ("![tracker](https://evil.example/t.png)", "<p></p>"),
    ("<style>p{}</style><iframe src=x></iframe>Hi", "<p>Hi</p>"),
])
def test_markdown_is_sanitised(markdown, html):
    assert render_markdown(markdown).strip() == html


def test_autoescaping_is_on_for_every_template_whatever_its_name(tmp_path):
    names = ("x.html", "x.txt", "x.xml", "x.json", "x")
    (tmp_path / "templates").mkdir()
    for name in names:
        (tmp_path / "templates" / name).write_text("{{ v }}")
    env = make_environment(tmp_path)
    assert env.autoescape is True
    for name in names:
        assert env.get_template(name).render(v="<b>&'\"") == "&lt;b&gt;&amp;&#39;&#34;"


def test_a_projects_own_template_is_autoescaped_too(make_project, tmp_path):
    root = make_project({"templates/page.html": "<h1>{{ page.title }}</h1>{{ content_html | safe }}\n",
                         "content/about.md": "---\ntitle: <script>alert(1)</script>\ndescription: D\n---\n<script>alert(2)</script>Body\n"})
    out = tmp_path / "site"
    assert run("build", "--source", root, "--out", out)[0] == 0
    assert (out / "about" / "index.html").read_text() == "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>\n<p>Body</p>"
