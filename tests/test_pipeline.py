"""pipeline.build(): the checklist of stages, each timed, cancellable between two, and its result."""
from __future__ import annotations

import threading

import pytest

from liaison.engine import Engine
from liaison.errors import DataError
from liaison.pipeline import STAGES, Steps, Superseded, build


class Recording(Engine):
    """The reference engine, noting each stage it is asked to do."""

    def __init__(self, log):
        super().__init__()
        self.log = log

    def load(self, source):
        self.log.append("load")
        return super().load(source)

    def outputs(self, ctx):
        self.log.append("outputs")
        return super().outputs(ctx)

    def publish(self, out, files, copies, header):
        self.log.append("publish")
        return super().publish(out, files, copies, header)


def test_every_stage_is_timed_in_order(make_project, tmp_path):
    result = build(make_project(), tmp_path / "site", engine=Engine())
    assert tuple(result.timings) == STAGES == ("load", "validate", "withhold", "context", "outputs", "publish")
    assert result.seconds >= sum(result.timings.values())


def test_a_set_event_stops_the_build_before_anything_is_written(make_project, tmp_path):
    cancel, log = threading.Event(), []
    cancel.set()
    with pytest.raises(Superseded):
        build(make_project(), tmp_path / "site", engine=Recording(log), cancel=cancel)
    assert log == [] and not (tmp_path / "site").exists()


def test_an_event_set_during_a_stage_stops_the_build_before_the_next(make_project, tmp_path):
    cancel, log = threading.Event(), []

    class SetDuringOutputs(Recording):
        def outputs(self, ctx):
            cancel.set()
            return super().outputs(ctx)

    with pytest.raises(Superseded):
        build(make_project(), tmp_path / "site", engine=SetDuringOutputs(log), cancel=cancel)
    assert log == ["load", "outputs"] and not (tmp_path / "site").exists()


def test_a_data_error_stops_the_build_before_the_outputs(make_project, tmp_path):
    log = []
    root = make_project({"officers.yaml": "- id: Not A Slug\n"})
    with pytest.raises(DataError):
        build(root, tmp_path / "site", engine=Recording(log))
    assert log == ["load"] and not (tmp_path / "site").exists()


def test_the_steps_time_each_stage_and_check_the_event_before_it():
    cancel = threading.Event()
    steps = Steps(cancel)
    assert steps.run("one", lambda x: x + 1, 1) == 2
    cancel.set()
    with pytest.raises(Superseded):
        steps.run("two", lambda: None)
    assert list(steps.laps) == ["one"]


def test_the_summary_line_counts_what_was_built(make_project, tmp_path):
    result = build(make_project(), tmp_path / "site", engine=Engine())
    assert result.summary().startswith("Built 1")
    assert "(2 boroughs, 1 officer, 2 organisations)" in result.summary()
