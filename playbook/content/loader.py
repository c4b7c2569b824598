"""Strict YAML loading that keeps where every value was written.

Built on PyYAML's safe parser (libyaml's when PyYAML has it), whose events
are composed here, never by PyYAML's composer or constructors: every scalar
stays the text the author typed, so ``no`` stays a word and ``2024-01-15`` stays a string until
the schema decides what it is. Everything YAML allows but a content file has
no use for (anchors, aliases, merge keys, tags, several documents, deep
nesting, tab indentation) is refused with a position and a way to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml
from yaml.events import AliasEvent, MappingEndEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent

from ..errors import Position, Problem
from .characters import first_forbidden, forbidden_problem

MIB = 1024 * 1024
#: Larger content files are refused before they are read: no playbook file needs it.
MAX_FILE_BYTES = MIB
#: Mappings and lists inside each other, the document itself included.
#: The deepest real content (a module's principle -> actions -> action) uses 5.
MAX_DEPTH = 8

_BOM = "\ufeff"
#: What YAML counts as a line break; positions count lines the same way.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
#: Breaks other than "\n"; text without them (nearly all) splits without a regex.
_OTHER_BREAK = re.compile("[\r\x85\u2028\u2029]")
def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML counts them."""
    return LINE_BREAK.split(text) if _OTHER_BREAK.search(text) else text.split("\n")


def unify_line_breaks(text: str) -> str:
    """Every YAML line break as "\\n"."""
    return LINE_BREAK.sub("\n", text) if _OTHER_BREAK.search(text) else text


class Scalar(NamedTuple):
    """A value as typed: ``plain`` when written without quotes or ``|``/``>``.

    A named tuple, like :class:`~playbook.problems.Position`, because most of what the loader makes are these.
    """

    text: str
    pos: Position
    plain: bool
    #: A `` #`` comment follows on the same line: in a plain value the text
    #: after the ``#`` was silently dropped by YAML.
    comment_follows: bool = False


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    pos: Position


@dataclass(frozen=True)
class Map:
    entries: tuple[tuple[Scalar, Node], ...]
    pos: Position

    def get(self, key: str) -> Node | None:
        for entry_key, value in self.entries:
            if entry_key.text == key:
                return value
        return None


Node = Scalar | Seq | Map


@dataclass(frozen=True)
class SizeLimit:
    """The most bytes a file may have, and how to fix a file with more.

    It stops a runaway file (a generated dump, a wrong file renamed) before it is read: reading keeps
    every value with its position, so a file takes some 45 times its size in memory while it is read.
    """

    max_bytes: int
    fix: str

    def problem(self, where: Position, size: int) -> Problem:
        return Problem(where, f"file is {size} bytes, over the {self.max_bytes / MIB:g} MiB limit; {self.fix}")


CONTENT_FILE_LIMIT = SizeLimit(MAX_FILE_BYTES, "split it into smaller files")


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


#: A tag as written: verbatim ``!<...>``, or up to a space or a flow indicator.
_WRITTEN_TAG = re.compile(r"!(?:<[^>]*>|[^\s,\[\]{}]*)")

#: libyaml scans and parses several times faster than PyYAML's Python parser. Composing their events
#: (below) stays ours, so every refusal applies whichever one runs; the two differ only in a few
#: syntax corners (libyaml takes a tab after 'key:') and in how they word syntax errors.
#: Size, encoding and tab indentation are checked before either parser sees the text.
_EventParser = yaml.CBaseLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _Composer:
    """Builds :class:`Scalar`, :class:`Seq` and :class:`Map` straight from parser events.

    No constructor ever runs, so no YAML tag can create an object, and
    anchors, aliases, tags and deep nesting are refused as they are met:
    the first one ends the file with its position. Problems that leave the
    rest readable (duplicate and merge keys, forbidden characters, keys that
    are not words) are collected and composing goes on.
    """

    def __init__(self, text: str, shown_as: str, problems: list[Problem]):
        self._parser = _EventParser(text)
        self._shown_as = shown_as
        self._problems = problems
        self._text = text
        self._lines: list[str] | None = None
        # Only then can a plain value have lost text to a comment.
        self._has_comments = " #" in text or "\t#" in text
        # Escapes in double quotes are the only way a value can hold a character the text does not.
        self._check_characters = first_forbidden(text) is not None

    def dispose(self) -> None:
        if hasattr(self._parser, "dispose"):
            self._parser.dispose()

    def empty(self) -> bool:
        """True when the text holds no document at all (nothing, or only comments)."""
        self._parser.get_event()  # stream start
        return isinstance(self._parser.peek_event(), StreamEndEvent)

    def document(self) -> Node | None:
        """The single document's root, or None when problems make it unusable."""
        parser = self._parser
        parser.get_event()  # document start
        root = self._node(1)
        parser.get_event()  # document end
        following = parser.get_event()
        if not isinstance(following, StreamEndEvent):
            raise _Refused(
                following.start_mark,
                "a second YAML document starts here; keep one document per file and remove this '---'",
            )
        return root

    def _node(self, depth: int) -> Node | None:
        event = self._parser.get_event()
        kind = type(event)
        if kind is AliasEvent:
            raise _Refused(event.start_mark, f"alias '*{event.anchor}' is not allowed; write the value out in full")
        if event.anchor is not None:
            raise _Refused(event.start_mark, f"anchor '&{event.anchor}' is not allowed; write each value out in full")
        if event.tag is not None:
            raise _Refused(
                event.start_mark,
                f"tag '{self._tag_as_written(event)}' is not allowed; remove it (values are read as text)",
            )
        if depth > MAX_DEPTH:
            raise _Refused(
                event.start_mark, f"nesting is deeper than {MAX_DEPTH} levels; flatten this part of the file"
            )
        mark = event.start_mark
        pos = Position(self._shown_as, mark.line + 1, mark.column + 1)
        if kind is ScalarEvent:
            return self._scalar(event, pos)
        if kind is SequenceStartEvent:
            return self._sequence(depth, pos)
        return self._mapping(depth, pos)

    def _tag_as_written(self, event: yaml.NodeEvent) -> str:
        """The tag as the file spells it. The parsers disagree on where a tag ends before a flow
        indicator ('[!,' is tag '!' to libyaml and '!,' to PyYAML), and both expand '!!' to 'tag:yaml.org,2002:'."""
        mark = event.start_mark
        written = _WRITTEN_TAG.match(self._source_lines()[mark.line], mark.column)
        return written.group() if written else event.tag.replace("tag:yaml.org,2002:", "!!", 1)

    def _source_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self._text)
        return self._lines

    def _scalar(self, event: ScalarEvent, pos: Position) -> Scalar | None:
        value = event.value
        if self._check_characters or event.style == '"':
            forbidden = first_forbidden(value)
            if forbidden:
                self._problems.append(Problem(pos, forbidden_problem(forbidden)))
                return None
        plain = not event.style  # None from PyYAML, "" from libyaml
        comment_follows = False
        if plain and self._has_comments:
            lines, end = self._source_lines(), event.end_mark
            if end.line < len(lines):
                rest = lines[end.line][end.column :]
                comment_follows = rest[:1] in (" ", "\t") and rest.strip().startswith("#")
        return Scalar(value, pos, plain, comment_follows)

    def _sequence(self, depth: int, pos: Position) -> Seq | None:
        peek, node, items, ok = self._parser.peek_event, self._node, [], True
        depth += 1
        while type(peek()) is not SequenceEndEvent:
            item = node(depth)
            if item is None:
                ok = False
            items.append(item)
        self._parser.get_event()
        return Seq(tuple(items), pos) if ok else None

    def _mapping(self, depth: int, pos: Position) -> Map | None:
        peek, node, entries, ok = self._parser.peek_event, self._node, [], True
        seen: dict[str, Scalar] = {}
        depth += 1
        while type(peek()) is not MappingEndEvent:
            key = node(depth)
            value = node(depth)
            if type(key) is not Scalar:
                if key is not None:
                    self._problems.append(
                        Problem(key.pos, "a key must be a single word, not a list or mapping; rename it")
                    )
                ok = False
                continue
            if key.plain and key.text == "<<":
                self._problems.append(Problem(key.pos, "merge key '<<' is not allowed; write the keys out in full"))
                ok = False
                continue
            if key.text in seen:
                # The first value stays, so the rest of the file is still checked and reported in the same run.
                self._problems.append(
                    Problem(
                        key.pos,
                        f"duplicate key '{key.text}' (first at line {seen[key.text].pos.line}); keep one of them",
                    )
                )
                continue
            seen[key.text] = key
            if value is None:
                ok = False
                continue
            entries.append((key, value))
        self._parser.get_event()
        return Map(tuple(entries), pos) if ok else None


def read_text(path: Path, shown_as: str, problems: list[Problem],
              limit: SizeLimit = CONTENT_FILE_LIMIT) -> str | None:
    """The file's text as UTF-8 (a BOM is dropped), or None with a problem."""
    where = Position(shown_as)
    try:
        size = path.stat().st_size
        if size > limit.max_bytes:
            problems.append(limit.problem(where, size))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(where, f"cannot read the file ({exc.strerror}); check it exists and is readable"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        problems.append(
            Problem(
                Position(shown_as, line, column),
                f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save the file as UTF-8",
            )
        )
        return None
    return text.removeprefix(_BOM)


def load_yaml(path: Path, shown_as: str, problems: list[Problem],
              limit: SizeLimit = CONTENT_FILE_LIMIT) -> Map | None:
    """Load a content file into a position-carrying tree, or None with problems."""
    text = read_text(path, shown_as, problems, limit)
    if text is None:
        return None
    return parse_yaml(text, shown_as, problems)


def parse_yaml(
    text: str, shown_as: str, problems: list[Problem], *, allow_empty: bool = False
) -> Map | None:
    """Parse YAML text whose top level must be a mapping.

    Line numbers count from the start of ``text``; callers that parse part
    of a file pad it with blank lines so positions match the file.
    """
    tab_problems = _tab_indentation(text, shown_as)
    if tab_problems:
        problems.extend(tab_problems)
        return None
    found: list[Problem] = []
    composer = None
    try:
        composer = _Composer(text, shown_as, found)
        if composer.empty():
            if allow_empty:
                return Map((), Position(shown_as, 1, 1))
            problems.append(
                Problem(Position(shown_as, 1, 1), "file is empty; write the content's keys, starting with 'id:'")
            )
            return None
        root = composer.document()
    except _Refused as exc:
        # The first refusal ends the file: what came before it is not reported twice over.
        problems.append(Problem(_position(shown_as, exc.mark), exc.message))
        return None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        problems.append(
            Problem(
                Position(shown_as, line, column),
                f"character {char!r} (U+{ord(char):04X}) cannot appear in a content file; remove it",
            )
        )
        return None
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(shown_as, exc))
        return None
    finally:
        if composer is not None:
            composer.dispose()
    problems.extend(found)
    if not isinstance(root, Map):
        if root is not None:
            problems.append(
                Problem(
                    root.pos,
                    "the top level must be a mapping of keys (like 'title: ...'), not a "
                    + ("list" if isinstance(root, Seq) else "single value")
                    + "; write one 'key: value' per line",
                )
            )
        return None
    return root


def _position(shown_as: str, mark: yaml.Mark | None) -> Position:
    if mark is None:
        return Position(shown_as)
    return Position(shown_as, mark.line + 1, mark.column + 1)


def _tab_indentation(text: str, shown_as: str) -> list[Problem]:
    problems: list[Problem] = []
    if "\t" not in text:
        return problems
    for number, line in enumerate(split_lines(text), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                Problem(
                    Position(shown_as, number, indent.index("\t") + 1),
                    "tab used for indentation; indent with spaces",
                )
            )
    return problems


def _syntax_problem(shown_as: str, exc: yaml.MarkedYAMLError) -> Problem:
    what = exc.problem or "the file is not valid YAML"
    context = f" {exc.context}" if exc.context else ""
    return Problem(
        _position(shown_as, exc.problem_mark or exc.context_mark),
        f"YAML syntax error: {what}{context}; check the indentation and quote text that holds ': ' or ' #' "
        "(the file cannot be read past this point, so the rest of it was not checked)",
    )
