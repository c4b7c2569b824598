"""Problems: what the tool tells a trainer when content is wrong.

Every problem is one line, ``path:line:col: what is wrong; how to fix``, so
editors and CI logs can jump to it. They are collected, never raised one by
one, so a trainer sees everything to fix in a single run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import NamedTuple


class Position(NamedTuple):
    """Where a value was written: the file as the user named it, 1-based line and column.

    A named tuple rather than a frozen dataclass: the loader makes one for every value it reads, and a
    tuple is made in half the time. Positions sort by file, line and column.
    """

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Problem:
    position: Position
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.message}"


class ContentError(Exception):
    """Raised at the end of a stage when it collected problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=_sort_key)

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        return ContentError, (self.problems,)  # so the problems cross from the process that loaded them


def _sort_key(problem: Problem) -> tuple[str, int, int, str]:
    pos = problem.position
    return (pos.path, pos.line, pos.column, problem.message)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """' did you mean 'x'?' when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" did you mean '{close[0]}'?" if close else ""
