"""Problems as `path:line:col: message (hint)` lines, counted by severity, and the exceptions that carry them."""
from __future__ import annotations

import pytest

from liaison.errors import (ERROR, INFO, WARNING, DataError, OutputError, Problem, UserError, count_line, errors_in,
                            sort_problems)

AN_ERROR = Problem("officers.yaml", 7, 10, "'x' is not an email address", "it should look like name@example.org")
A_WARNING = Problem("boroughs.yaml", 1, 7, "borough 'northtown' has no officer", severity=WARNING)
AN_INFO = Problem("boroughs.yaml", 4, 29, "postcode district NT2 is in 2 boroughs", severity=INFO)


def test_a_problem_reads_path_line_column_message_and_hint_in_brackets():
    assert str(AN_ERROR) == "officers.yaml:7:10: 'x' is not an email address (it should look like name@example.org)"


def test_a_problem_without_a_hint_has_no_brackets():
    assert str(Problem("site.yaml", 1, 1, "missing required field 'title'")) == "site.yaml:1:1: missing required field 'title'"


def test_a_warning_or_an_info_says_so_and_an_error_does_not():
    assert [str(p) for p in (A_WARNING, AN_INFO)] == [
        "boroughs.yaml:1:7: warning: borough 'northtown' has no officer",
        "boroughs.yaml:4:29: info: postcode district NT2 is in 2 boroughs"]
    assert AN_ERROR.severity == ERROR


def test_a_long_message_is_cut_to_300_characters_and_a_long_path_to_200():
    problem = Problem("d/" * 150 + "x.yaml", 1, 2, "m" * 400, "h" * 301)
    assert str(problem) == "d/" * 99 + "d…:1:2: " + "m" * 299 + "… (" + "h" * 299 + "…)"


def test_problems_are_sorted_by_place_then_severity_then_message_and_each_is_kept_once():
    same_place_info = Problem("officers.yaml", 7, 10, "a note", severity=INFO)
    same_place_error = Problem("officers.yaml", 7, 10, "z comes last")
    earlier = Problem("officers.yaml", 7, 2, "earlier on the line")
    assert sort_problems([same_place_info, AN_ERROR, A_WARNING, same_place_error, earlier, AN_ERROR, AN_INFO]) == [
        A_WARNING, AN_INFO, earlier, AN_ERROR, same_place_error, same_place_info]


def test_errors_in_keeps_only_the_errors():
    assert errors_in([A_WARNING, AN_ERROR, AN_INFO]) == [AN_ERROR]
    assert errors_in([A_WARNING, AN_INFO]) == []


@pytest.mark.parametrize("problems, strict, line", [
    ([], False, "0 errors, 0 warnings, 0 info"),
    ([AN_ERROR, A_WARNING, A_WARNING, AN_INFO], False, "1 error, 2 warnings, 1 info"),
    ([A_WARNING], True, "0 errors, 1 warning, 0 info (--strict: warnings count as errors)"),
    ([AN_ERROR, AN_INFO], True, "1 error, 0 warnings, 1 info"),
])
def test_count_line_counts_each_severity_and_says_when_strict_makes_warnings_count(problems, strict, line):
    assert count_line(problems, strict) == line


def test_a_data_error_carries_every_problem_sorted_and_exits_1():
    error = DataError([AN_ERROR, A_WARNING, AN_ERROR], strict=True)
    assert error.problems == [A_WARNING, AN_ERROR]
    assert (str(error), error.strict, error.exit_code) == (
        "1 error, 1 warning, 0 info (--strict: warnings count as errors) in the data", True, 1)


def test_a_mistake_in_how_the_tool_is_called_exits_2():
    assert UserError.exit_code == OutputError.exit_code == 2
    assert issubclass(OutputError, UserError) and not issubclass(DataError, UserError)
