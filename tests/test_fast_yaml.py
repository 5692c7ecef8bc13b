"""The fast YAML path builds exactly what the full loader builds, positions included."""
import pytest

from liaison.load import MarkedDict, MarkedList, _fast_parse, _full_parse, parse_yaml
from tests.conftest import REPO


def snapshot(value):
    """Every value, type and recorded position, comparable with ==."""
    if isinstance(value, MarkedDict):
        return ("map", value.pos, [(k, type(k), value.where_key(k), value.where(k), snapshot(v)) for k, v in value.items()])
    if isinstance(value, MarkedList):
        return ("list", value.pos, [value.where(i) for i in range(len(value.item_pos))], [snapshot(v) for v in value])
    return (type(value), value)


TRICKY = [
    "",
    "# only a comment\n",
    "- id: a\n  name: 'quoted'\n  n: 12\n  f: 1.5\n  b: yes\n  c: off\n  d: 2026-11-02\n  t: 2026-11-02 10:00:00\n  x: ~\n  y:\n",
    "- {id: a, list: [1, two, 3.0, null, true]}\n- [nested, [deeper, {k: v}]]\n",
    "- bio: |\n    line one\n    line two\n\n    para\n  other: >\n    folded\n    text\n",
    "- id: a\n  id: b\n  name: x\n  name: y\n",
    "title: \"LGBT+ \\u00e9t\\u00e9\"\n0x1f: hex\n1_000: under\n.inf: inf\nNo: bool key\n",
    "- ! 12\n- !!str 12\n",
    "- &anchor {a: 1}\n- *anchor\n",
    "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n",
    "--- \n- a\n...\n",
    "- a\n---\n- b\n",
    "- id: a\n  boroughs: [harrow, barnet\n- id: b\n",
    "key: [unclosed\n",
    "? complex\n: value\n",
    "? [a, b]\n: value\n",
    "2026-01-01: date key\n",
    "- 'it''s'\n- \"tab\\there\"\n- plain: 'x: y'\n",
    "- 0o17\n- 0b101\n- 190:20:30\n- -.5\n- +12\n- 1e3\n- .NaN\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_and_full_loaders_agree(text):
    try:
        expected = snapshot(_full_parse(text, 3)[0]), _full_parse(text, 3)[1]
    except Exception:
        expected = "error"
    try:
        fast = _fast_parse(text, 3)
        got = snapshot(fast[0]), fast[1]
    except Exception:
        got = "fell back"
    assert got in (expected, "fell back")
    if expected == "error":
        assert got == "fell back"


@pytest.mark.parametrize("name", ["site.yaml", "boroughs.yaml", "officers.yaml", "organisations.yaml", "reporting.yaml"])
def test_sample_data_takes_the_fast_path_and_agrees(name):
    text = (REPO / name).read_text(encoding="utf-8")
    fast, full = _fast_parse(text, 0), _full_parse(text, 0)
    assert snapshot(fast[0]) == snapshot(full[0]) and fast[1] == full[1]


def test_errors_are_still_reported_by_the_full_loader():
    _, problems = parse_yaml("- id: a\n  boroughs: [harrow, barnet\n- id: b\n", "officers.yaml")
    assert [p.line for p in problems] == [2]


def parsed_by_items(text, path="officers.yaml"):
    from liaison.incremental import BuildCache
    from liaison.load import parse_cached
    cache = BuildCache()
    first = parse_cached(text, path, 0, cache, is_list=True)
    again = parse_cached(text.replace("zzz", "zzz"), path, 0, BuildCache(), is_list=True)
    return first, again


ITEM_TEXTS = [
    "# comments first\n\n- id: a\n  name: A\n\n# between\n- id: b\n  name: B\n  name: C\n",
    "- id: a\n  bio: |\n    one\n    two\n- id: b\n  list: [x, y]\n",
    "- id: a\n  name: \"open quote\n- id: b\n",
    "- id: a\n  list: [open\n- id: b]\n",
    "- &a {x: 1}\n- *a\n",
    "officers:\n- id: a\n",
    "---\n- id: a\n",
    "- a\n-\n- c\n",
    "  - id: indented\n  - id: b\n",
    "- id: a\n  - id: wrong\n",
    "- id: a\n\t- id: tab\n",
    "",
    "# nothing\n",
]


@pytest.mark.parametrize("text", ITEM_TEXTS)
def test_parsing_item_by_item_gives_what_parsing_whole_gives(text):
    (data, problems), _ = parsed_by_items(text)
    whole_data, whole_problems = parse_yaml(text, "officers.yaml")
    assert snapshot(data) == snapshot(whole_data) and problems == whole_problems


@pytest.mark.parametrize("name", ["boroughs.yaml", "officers.yaml", "organisations.yaml", "reporting.yaml"])
def test_sample_lists_parse_item_by_item(name):
    from liaison.incremental import BuildCache
    from liaison.load import _parse_items
    text = (REPO / name).read_text(encoding="utf-8")
    by_items = _parse_items(text, name, BuildCache())
    assert by_items is not None
    assert snapshot(by_items[0]) == snapshot(parse_yaml(text, name)[0])


def test_an_edit_reparses_only_its_item():
    from liaison.incremental import BuildCache
    from liaison.load import parse_cached
    text = "- id: a\n  name: A\n- id: b\n  name: B\n- id: c\n  name: C\n"
    cache = BuildCache()
    first, _ = parse_cached(text, "officers.yaml", 0, cache, is_list=True)
    second, _ = parse_cached(text.replace("name: B", "name: Bee"), "officers.yaml", 0, cache, is_list=True)
    assert first[0] is second[0] and first[2] is second[2] and second[1]["name"] == "Bee"
    assert snapshot(second) == snapshot(parse_yaml(text.replace("name: B", "name: Bee"), "officers.yaml")[0])
