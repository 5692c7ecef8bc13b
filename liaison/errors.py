"""User-facing problems and the exceptions that carry them.

Every mistake a person can make is reported as ``path:line:col: message``;
the command line prints these and never a traceback.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"
_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, order=False)
class Problem:
    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "" if self.severity == ERROR else f"{self.severity}: "
        hint = f" ({one_line(self.hint)})" if self.hint else ""
        return f"{one_line(self.path, 200)}:{self.line}:{self.col}: {prefix}{one_line(self.message)}{hint}"

    def sort_key(self):
        return (self.path, self.line, self.col, _SEVERITY_ORDER[self.severity], self.message)


# Characters that would break a message over lines or hide part of it.
_INVISIBLE = {"Cc", "Zl", "Zp"}


def one_line(text, limit=300):
    """A message as one short line: quoted data may hold line breaks or be very long."""
    text = str(text)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    if text.isprintable():
        return text
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in _INVISIBLE else c for c in text)


def sort_problems(problems):
    return sorted(set(problems), key=Problem.sort_key)


def errors_in(problems):
    return [p for p in problems if p.severity == ERROR]


def count_line(problems, strict=False):
    """'1 error, 2 warnings, 75 info': how many problems of each severity."""
    errors = len(errors_in(problems))
    warnings = sum(p.severity == WARNING for p in problems)
    infos = sum(p.severity == INFO for p in problems)
    line = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, {infos} info"
    if strict and warnings:
        line += " (--strict: warnings count as errors)"
    return line


class UserError(Exception):
    """A mistake in how the tool was called or where it was pointed: exit 2."""

    exit_code = 2


class OutputError(UserError):
    """The output directory cannot safely be replaced: exit 2."""


class DataError(Exception):
    """The data has errors: exit 1. Carries every problem found."""

    exit_code = 1

    def __init__(self, problems, strict=False):
        self.problems = sort_problems(problems)
        self.strict = strict
        super().__init__(f"{count_line(self.problems, strict)} in the data")
