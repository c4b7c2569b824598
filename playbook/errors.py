"""What playbook tells its users when something is wrong, and the exit code that goes with it.

A content problem is one line, ``path:line:col: what is wrong; how to fix``,
so editors and CI logs can jump to it. Problems are collected, never raised
one by one, so a trainer sees everything to fix in a single run. Every error
a command can end with is a :class:`PlaybookError`; ``cli.main`` reports it
through :func:`report` and nowhere else (``playbook serve`` reuses it).
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from typing import ClassVar, NamedTuple, TextIO


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


class PlaybookError(Exception):
    """An error a command ends with; ``exit_code`` is what ``playbook`` exits with."""

    exit_code: ClassVar[int] = 1

    def lines(self) -> list[str]:
        """What the user is told, one line each."""
        return [str(self)]


class ContentError(PlaybookError):
    """Content or trainer data with problems (exit 1), raised once at the end of a stage with all of them."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=_sort_key)

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems] + [
            f"{len(self.problems)} problem(s) found; nothing was built"
        ]


class SiteBuildError(PlaybookError):
    """MkDocs refused the staged site: strict-mode warnings or an error (exit 1)."""

    exit_code = 1

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages

    def lines(self) -> list[str]:
        return [*self.messages, "the site did not build; the previous site was left as it was"]


class UsageError(PlaybookError):
    """A command line that cannot be carried out as given (exit 2), told as argparse tells its own."""

    exit_code = 2

    def __init__(self, message: str, command: str = ""):
        super().__init__(message)
        self.command = command

    def lines(self) -> list[str]:
        prog = f"playbook {self.command}" if self.command else "playbook"
        return [f"{prog}: error: {self}"]


class Refused(PlaybookError):
    """Going on would overwrite or delete data playbook did not write, or publish trainer data (exit 3)."""

    exit_code = 3

    def lines(self) -> list[str]:
        return [f"refused: {self}"]


def report(error: PlaybookError | OSError, stream: TextIO | None = None) -> int:
    """Tell the user what went wrong, one line each, and return the exit code for it."""
    for line in told(error):
        print(line, file=stream or sys.stderr)
    return ContentError.exit_code if isinstance(error, OSError) else error.exit_code


def told(error: PlaybookError | OSError) -> list[str]:
    """The lines :func:`report` tells the user."""
    if isinstance(error, OSError):  # a folder that cannot be written, a full disk, ...
        where = error.filename or "playbook"
        return [f"{where}: {error.strerror or error}; check the folder exists and can be written"]
    return error.lines()


def _sort_key(problem: Problem) -> tuple[str, int, int, str]:
    pos = problem.position
    return (pos.path, pos.line, pos.column, problem.message)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """' did you mean 'x'?' when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" did you mean '{close[0]}'?" if close else ""
