"""The fast YAML path builds exactly what the full loader builds, positions included."""
import pytest

from liaison.load import MarkedDict, MarkedList, _fast_parse, _full_parse, parse_yaml
from tests.conftest import REPO


def snapshot(value):
    """Every value, type and recorded position, comparable with ==."""
    if isinstance(value, MarkedDict):
        return ("map", value.pos, [(k, type(k), value.key_pos[k], value.value_pos[k], snapshot(v)) for k, v in value.items()])
    if isinstance(value, MarkedList):
        return ("list", value.pos, value.item_pos, [snapshot(v) for v in value])
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
