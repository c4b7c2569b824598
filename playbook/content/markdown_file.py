"""A ``.md`` file of the content: optional ``---`` front matter, read by the same strict loader, then Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Position, Problem
from .characters import first_forbidden, forbidden_problem
from .loader import Map, parse_yaml, read_text, unify_line_breaks

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown file: its front matter (if any) and its body."""

    front_matter: Map | None
    body: str
    body_pos: Position


def load_markdown(path: Path, shown_as: str, problems: list[Problem]) -> MarkdownDoc | None:
    """A Markdown file with optional ``---`` front matter read by the same strict loader."""
    text = read_text(path, shown_as, problems)
    if text is None:
        return None
    text = unify_line_breaks(text)
    forbidden = first_forbidden(text)
    if forbidden:
        before = text[: text.index(forbidden)]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        problems.append(Problem(Position(shown_as, line, column), forbidden_problem(forbidden)))
        return None
    match = _FRONT_MATTER.match(text)
    if not match:
        if re.match(r"---[ \t]*\n", text):
            problems.append(
                Problem(Position(shown_as, 1, 1), "front matter is not closed; add a line '---' after its last key")
            )
            return None
        return MarkdownDoc(None, text, Position(shown_as, 1, 1))
    # Pad with one blank line for the opening '---' so positions match the file.
    front = parse_yaml("\n" + (match.group(1) or ""), shown_as, problems, allow_empty=True)
    body_line = text.count("\n", 0, match.end()) + 1
    if front is None:
        return None
    return MarkdownDoc(front, text[match.end() :], Position(shown_as, body_line, 1))
