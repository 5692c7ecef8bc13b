"""outputs.py: every file a build publishes besides the copied assets, each output a function of the context."""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import liaison
from conftest import ONE_EVENT, TODAY
from golden import BASE_URL, SITE, published
from liaison.context import build_context
from liaison.load import load
from liaison.outputs import OPEN_DATA, OUTPUTS, SMALL, produce
from liaison.validate import validate

NAMES = [f"{output.__module__}.{output.__name__}" for output in OUTPUTS]


def context_of(root, base_url=None):
    data, problems = validate(load(root), TODAY)
    assert problems == []
    return build_context(data, base_url, TODAY, root)


@pytest.fixture
def project(make_project):
    """The golden project: the minimal fixture with one event."""
    return make_project({"events.yaml": ONE_EVENT})


def test_every_module_with_a_files_function_is_an_output():
    modules = [importlib.import_module(f"liaison.{info.name}") for info in pkgutil.iter_modules(liaison.__path__)]
    made_by = {module.__name__ for module in modules if callable(getattr(module, "files", None))}
    assert {f"{name}.files" for name in made_by} <= set(NAMES)


def test_produce_is_the_union_of_every_outputs_files(project):
    ctx = context_of(project, BASE_URL)
    union = {}
    for output in OUTPUTS:
        union.update(output(ctx))
    assert produce(ctx) == union


@pytest.mark.parametrize("base_url", [None, BASE_URL])
def test_no_two_outputs_write_the_same_path(project, base_url):
    ctx = context_of(project, base_url)
    written = {}
    for output, name in zip(OUTPUTS, NAMES):
        for path in output(ctx):
            written.setdefault(path, []).append(name)
    assert {path: names for path, names in written.items() if len(names) > 1} == {}


@pytest.mark.parametrize("output", OUTPUTS, ids=NAMES)
def test_an_output_is_a_function_of_the_context_alone(project, output):
    ctx = context_of(project, BASE_URL)
    first = output(ctx)
    assert first  # every output makes at least one file for this project
    assert output(ctx) == first
    assert output(context_of(project, BASE_URL)) == first


def test_the_order_of_the_outputs_changes_nothing(project):
    ctx = context_of(project, BASE_URL)
    assert produce(ctx, OUTPUTS[::-1]) == produce(ctx)


def test_only_the_pages_are_html_and_the_open_data_is_under_data(project):
    ctx = context_of(project, BASE_URL)
    assert {path for path in produce(ctx, SMALL + OPEN_DATA) if path.endswith(".html")} == set()
    assert {path.split("/")[0] for path in produce(ctx, OPEN_DATA)} == {"data"}


def test_the_fixture_project_makes_the_golden_tree_but_its_copied_assets(project):
    golden = {path: data for path, data in published(SITE).items() if not path.startswith("assets/")}
    assert produce(context_of(project, BASE_URL)) == golden
