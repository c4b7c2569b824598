"""Learners' completion receipts (``playbook-receipts/1``): found in a file, checked against roster and content.

A receipts file is the JSON object the site lets a learner download (or
e-mail): who they are and, per module, the revision they completed, when,
with what score, and that they acknowledged it. It may arrive as the file
itself or inside other text (a saved e-mail, a pasted message), so the
object is looked for in the text.

Positions: the standard library's JSON decoder finds the object and proves
it is JSON, but keeps no positions. JSON is YAML's flow style, so the very
same characters then go through the project's strict YAML loader, padded so
that its lines and columns are those of the file as given: every value
keeps where it was written, the loader's refusals (duplicate keys, invisible
characters) apply, and no second parser of our own has to be trusted. The
loader's ``plain`` flag tells a JSON string (quoted) from a number or
``true`` (plain).

Receipts are the learner's own statement, checked for being consistent and
current, not proven: nothing here can tell who pressed the buttons.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..content import model, module_digest
from ..content.loader import MIB, Map, Node, Scalar, Seq, SizeLimit, parse_yaml, read_text
from ..errors import ContentError, Position, Problem, did_you_mean
from .data import DIGEST_PATTERN

FORMAT = "playbook-receipts/1"
#: A receipts file is some 150 bytes a module; a saved e-mail around it may carry more.
RECEIPTS_LIMIT = SizeLimit(4 * MIB, "save only the message that holds the receipts, or the receipts file itself")
_FORMAT_MARK = re.compile(r'"playbook-receipts/')
#: How many ``{`` before the format to try as the object's start: the format comes first in what the site
#: writes, so the nearest one is nearly always it.
_STARTS_TRIED = 10
#: How many mentions of the format to try: a message quoting receipts a few times is normal; thousands are
#: a crafted file, and trying each would take time quadratic in its size.
_MARKS_TRIED = 10
_ASK_AGAIN = "ask the learner to send their receipts again from the site"
WARNING = "warning: "


@dataclass(frozen=True)
class Receipt:
    """One completion a learner states, checked: ready to record."""

    person: str
    module: str
    revision: int
    completed: dt.date
    score: int | None
    digest: str | None
    pos: Position

    @property
    def key(self) -> tuple[str, str, int, dt.date]:
        """What makes a completion the same one: a receipt sent twice is recorded once."""
        return (self.person, self.module, self.revision, self.completed)


@dataclass(frozen=True)
class Checked:
    receipts: tuple[Receipt, ...]
    problems: tuple[Problem, ...]
    #: Not errors: the receipt is recorded, the trainer should know (a problem whose message starts "warning: ").
    warnings: tuple[Problem, ...]


class ReceiptError(ContentError):
    """Receipts with problems (exit 1): every problem and warning of every file, and nothing recorded."""

    def __init__(self, problems: list[Problem], warnings: list[Problem]):
        super().__init__(problems)
        self.warnings = warnings

    def lines(self) -> list[str]:
        told = sorted([*self.problems, *self.warnings], key=lambda p: (*p.position, p.message))
        return [*map(str, told), f"{len(self.problems)} problem(s) found; nothing was recorded"]


def check_receipts(files: list[Path], site: model.Site, people: set[str], today: dt.date) -> Checked:
    """Every receipt of every file, checked; problems and warnings for what is wrong."""
    receipts: list[Receipt] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in files:
        shown_as = path.as_posix()
        text = read_text(path, shown_as, problems, RECEIPTS_LIMIT)
        if text is None:
            continue
        tree = receipts_object(text, shown_as, problems)
        if tree is not None:
            receipts += _File(site, people, today, problems, warnings).receipts(tree)
    return Checked(tuple(receipts), tuple(problems), tuple(warnings))


def receipts_object(text: str, shown_as: str, problems: list[Problem]) -> Map | None:
    """The receipts object in ``text`` as a positioned tree (positions as in ``text``), or None with a problem."""
    decoder = json.JSONDecoder()
    furthest: json.JSONDecodeError | None = None
    for mark in itertools.islice(_FORMAT_MARK.finditer(text), _MARKS_TRIED):
        for start in _openings_before(text, mark.start()):
            try:
                value, end = decoder.raw_decode(text, start)
            except RecursionError:
                continue  # nested deeper than any receipts file: not the object
            except json.JSONDecodeError as error:
                furthest = error if furthest is None or error.pos > furthest.pos else furthest
                continue
            if isinstance(value, dict) and "format" in value and end > mark.start():
                return _positioned(text, start, end, shown_as, problems)
    if furthest is not None:
        problems.append(Problem(Position(shown_as, furthest.lineno, furthest.colno),
                                f"the receipts are not valid JSON here ({furthest.msg}); the text was changed "
                                f"after it left the site, {_ASK_AGAIN}"))
    else:
        problems.append(Problem(Position(shown_as), f"no receipts found (a JSON object with \"format\": "
                                                    f"\"{FORMAT}\"); name the file the learner downloaded or "
                                                    "the e-mail it came in"))
    return None


def _openings_before(text: str, end: int) -> Iterator[int]:
    """The positions of the nearest ``{`` before ``end``, nearest first, at most :data:`_STARTS_TRIED` of them."""
    for _ in range(_STARTS_TRIED):
        end = text.rfind("{", 0, end)
        if end < 0:
            return
        yield end


def _positioned(text: str, start: int, end: int, shown_as: str, problems: list[Problem]) -> Map | None:
    # Blank lines and spaces in place of what comes before, so the loader counts lines and columns as the file
    # does. A raw tab cannot sit inside a JSON string, so every tab is white space: a space keeps its column
    # (the loader refuses tabs as indentation, which YAML's block style forbids and JSON does not care about).
    line_start = text.rfind("\n", 0, start) + 1
    before = "\n" * text.count("\n", 0, start) + " " * (start - line_start)
    return parse_yaml(before + text[start:end].replace("\t", " "), shown_as, problems)


class _File:
    """The checks of one receipts file; problems and warnings go into the lists given."""

    def __init__(self, site: model.Site, people: set[str], today: dt.date, problems: list[Problem],
                 warnings: list[Problem]):
        self.site, self.people, self.today = site, people, today
        self.problems, self.warnings = problems, warnings
        self.modules = {module.id: module for module in site.modules}

    def problem(self, pos: Position, where: str, message: str) -> None:
        self.problems.append(Problem(pos, f"{where}: {message}"))

    def receipts(self, tree: Map) -> list[Receipt]:
        fmt = self.string(tree, "format", "")
        if fmt is not None and fmt.text != FORMAT:
            self.problem(fmt.pos, "format", f"{fmt.text!r} is not a receipts format this playbook reads; "
                                            f"it reads {FORMAT!r}, update playbook or {_ASK_AGAIN}")
            return []
        title = tree.get("playbook")
        # A learner may have read the site in any of its languages, each with its own title.
        titles = [self.site.playbook.title, *(t.site.playbook.title for t in self.site.translations)]
        if isinstance(title, Scalar) and title.text not in titles:
            self.warnings.append(Problem(title.pos, f"{WARNING}playbook: {title.text!r} is not this playbook's title "
                                                    f"({self.site.playbook.title!r}); check the receipts came from "
                                                    "this team's site"))
        person = self.string(tree, "person", "")
        if person is not None and person.text not in self.people:
            hint = did_you_mean(person.text, sorted(self.people)) or (
                " add them to roster.yml, or ask the learner to enter their own id on the site")
            self.problem(person.pos, "person", f"{person.text!r} is not on the roster;{hint}")
            person = None
        listed = tree.get("receipts")
        if listed is None:
            self.problem(tree.pos, "receipts", f"missing; the file holds no completions, {_ASK_AGAIN}")
            return []
        if not isinstance(listed, Seq):
            self.problem(listed.pos, "receipts", f"must be a list of receipts; {_ASK_AGAIN}")
            return []
        found = [self.receipt(item, f"receipts[{n}]", person) for n, item in enumerate(listed.items, 1)]
        return [receipt for receipt in found if receipt is not None]

    def receipt(self, node: Node, where: str, person: Scalar | None) -> Receipt | None:
        if not isinstance(node, Map):
            self.problem(node.pos, where, f"must be an object of one module's completion; {_ASK_AGAIN}")
            return None
        before = len(self.problems)
        module = self.module(node, where)
        revision = self.revision(node, where, module)
        digest = self.digest(node, where, module, revision)
        completed = self.completed(node, where)
        score = self.score(node, where, module)
        self.acknowledged(node, where)
        if person is None or module is None or len(self.problems) > before:
            return None
        return Receipt(person.text, module.id, revision, completed, score, digest, node.pos)

    def string(self, node: Map, key: str, where: str) -> Scalar | None:
        """The key's value when it is a JSON string, else None with a problem."""
        where = f"{where}.{key}" if where else key
        value = node.get(key)
        if value is None:
            self.problem(node.pos, where, f"missing; a receipt names it, {_ASK_AGAIN}")
        elif not isinstance(value, Scalar) or value.plain:
            self.problem(value.pos, where, f"must be text in quotes; {_ASK_AGAIN}")
        else:
            return value
        return None

    def whole_number(self, node: Map, key: str, where: str, minimum: int, maximum: int) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if not isinstance(value, Scalar) or not value.plain or not re.fullmatch(r"-?[0-9]{1,9}", value.text):
            shown = value.text if isinstance(value, Scalar) else "a list or object"
            self.problem(value.pos, f"{where}.{key}", f"{shown!r} is not a whole number; {_ASK_AGAIN}")
            return None
        number = int(value.text)
        if not minimum <= number <= maximum:
            self.problem(value.pos, f"{where}.{key}", f"{number} is out of range, {minimum} to {maximum}; "
                                                      f"{_ASK_AGAIN}")
            return None
        return number

    def module(self, node: Map, where: str) -> model.Module | None:
        value = self.string(node, "module", where)
        if value is None:
            return None
        if value.text not in self.modules:
            hint = did_you_mean(value.text, list(self.modules)) or (
                " the module may have been renamed or removed; check the module ids in the content")
            self.problem(value.pos, f"{where}.module", f"{value.text!r} is not a known module;{hint}")
            return None
        return self.modules[value.text]

    def revision(self, node: Map, where: str, module: model.Module | None) -> int:
        if node.get("revision") is None:
            self.problem(node.pos, f"{where}.revision", f"missing; a receipt names the revision read, {_ASK_AGAIN}")
            return 0
        revision = self.whole_number(node, "revision", where, 1, 1_000_000)
        if revision is not None and module is not None and revision > module.revision:
            self.problem(node.get("revision").pos, f"{where}.revision",
                         f"{revision} is newer than the revision of '{module.id}' in the content "
                         f"({module.revision}); pull the latest content, or check the receipt came from this site")
        return revision or 0

    def digest(self, node: Map, where: str, module: model.Module | None, revision: int) -> str | None:
        if node.get("digest") is None:
            return None  # optional: a receipt from before digests, or written by hand
        value = self.string(node, "digest", where)
        if value is None:
            return None
        if not DIGEST_PATTERN.fullmatch(value.text):
            self.problem(value.pos, f"{where}.digest",
                         f"{value.text!r} is not a digest ('sha256:' and 64 hex digits); {_ASK_AGAIN}")
            return None
        # Only the current revision's text is known: an older revision's digest cannot be compared.
        # The text read may be any language's: each translation's page carries the digest of its own text.
        if module is not None and revision == module.revision and value.text not in self.current_digests(module):
            self.warnings.append(Problem(value.pos, f"{WARNING}{where}.digest: does not match the current text of "
                                                    f"'{module.id}' revision {revision}; the learner read another "
                                                    "text of the same revision (recorded all the same)"))
        return value.text

    def current_digests(self, module: model.Module) -> set[str]:
        """The digests of the module's current text in every language of the site."""
        return {module_digest(module), *(module_digest(t.site.module(module.id)) for t in self.site.translations)}

    def completed(self, node: Map, where: str) -> dt.date:
        value = self.string(node, "completed", where)
        if value is None:
            return self.today
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.text):
                raise ValueError(value.text)
            date = dt.date.fromisoformat(value.text)
        except ValueError:
            self.problem(value.pos, f"{where}.completed", f"{value.text!r} is not a real date (YYYY-MM-DD); "
                                                          f"{_ASK_AGAIN}")
            return self.today
        if date > self.today:
            self.problem(value.pos, f"{where}.completed", f"{value.text} is in the future (today is "
                                                          f"{self.today.isoformat()}); check the date on the "
                                                          "learner's device, then ask for the receipts again")
        return date

    def score(self, node: Map, where: str, module: model.Module | None) -> int | None:
        score = self.whole_number(node, "score", where, 0, 100)
        if module is None or not module.checks:
            return score
        if node.get("score") is None:
            self.problem(node.pos, f"{where}.score", f"missing; '{module.id}' has a knowledge check, so a "
                                                     "completion needs its score: ask the learner to take it")
        elif score is not None and score < self.site.pass_mark(module):
            self.problem(node.get("score").pos, f"{where}.score",
                         f"{score} is below the pass mark of '{module.id}' ({self.site.pass_mark(module)}); "
                         "the learner has not passed its knowledge check yet")
        return score

    def acknowledged(self, node: Map, where: str) -> None:
        value = node.get("acknowledged")
        if not (isinstance(value, Scalar) and value.plain and value.text == "true"):
            self.problem(node.pos if value is None else value.pos, f"{where}.acknowledged",
                         "must be true: the learner has not acknowledged this revision; ask them to "
                         "acknowledge it on the module's page and send their receipts again")
