"""The build's one cache: each Markdown text converted once, each number parsed once, owned by the engine."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from liaison.engine import Engine
from liaison.fast import FastEngine
from liaison.incremental import BuildCache
from liaison.inputs import code_fingerprint
from liaison.markup import markdown_work, render_markdown
from liaison.memo import Memo
from liaison.phones import Phone

PACKAGE = Path(__file__).resolve().parent.parent / "liaison"


def test_a_text_is_converted_once_and_the_same_html_given_after():
    memo = Memo()
    first = memo.markdown("Some **bold** words.")
    assert first == render_markdown("Some **bold** words.") == "<p>Some <strong>bold</strong> words.</p>"
    assert memo.markdown("Some **bold** words.") is first
    assert memo.html == {"Some **bold** words.": first}


def test_html_put_in_the_memo_by_another_process_is_what_it_gives():
    memo = Memo()
    memo.html.update({"plain": "<p>converted elsewhere</p>"})
    assert memo.markdown("plain") == "<p>converted elsewhere</p>"


def test_the_work_a_text_takes_is_estimated_once():
    memo = Memo()
    assert memo.markdown_work("a [b] <c>") == markdown_work("a [b] <c>")
    assert memo.work == {"a [b] <c>": markdown_work("a [b] <c>")}


def test_a_phone_number_is_parsed_once():
    memo = Memo()
    assert memo.phone("020 7946 0018") == Phone("020 7946 0018", "+442079460018")
    assert memo.phone("020 7946 0018") is memo.phone("020 7946 0018")


def test_a_number_that_is_not_one_gives_its_message_every_time():
    memo = Memo()
    for _ in range(2):
        with pytest.raises(ValueError, match="^'0123' is not a valid UK phone number$"):
            memo.phone("0123")
    assert memo.phones == {"0123": "'0123' is not a valid UK phone number"}


def test_the_code_fingerprint_is_worked_out_once():
    memo = Memo()
    assert memo.code_fingerprint() == code_fingerprint()
    memo.code = b"kept"
    assert memo.code_fingerprint() == b"kept"


def test_each_engine_owns_a_memo_and_the_preview_keeps_its_own_between_rebuilds():
    assert Engine().memo is not Engine().memo
    assert FastEngine().memo is not FastEngine().memo
    cache = BuildCache()
    assert FastEngine(cache).memo is cache.memo is FastEngine(cache).memo


def module_level_caches(tree):
    """Names assigned a dict, list or set at module level, and functions cached by functools."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Dict, ast.List, ast.Set)) and not (
                node.value.keys if isinstance(node.value, ast.Dict) else node.value.elts):
            found += [target.id for target in node.targets if isinstance(target, ast.Name)]
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                name = ast.unparse(decorator)
                if "cache" in name:
                    found.append(f"@{name} {node.name}")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_keeps_a_cache_of_its_own(path):
    assert module_level_caches(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_check_for_module_level_caches_finds_one():
    source = "import functools\n_seen = {}\n@functools.lru_cache(maxsize=None)\ndef f(x):\n    return x\nKNOWN = {'a': 1}\n"
    assert module_level_caches(ast.parse(source)) == ["_seen", "@functools.lru_cache(maxsize=None) f"]
