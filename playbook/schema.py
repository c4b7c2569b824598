"""The content files' schemas, as data.

Each file kind is a :class:`Record` of :class:`Field` s. Converting a loaded
tree through a schema checks types, required and unknown keys, and builds the
model dataclass, appending a positioned :class:`Problem` for everything
wrong instead of stopping at the first. Cross-file rules (references between
files, declared order) live in :mod:`playbook.validate`.

Items in a list are counted from 1 in messages (``principles[2]`` is the
second principle), the way a trainer counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import model
from .loader import Map, Node, Scalar, Seq, unify_line_breaks
from .problems import Position, Problem, did_you_mean
from .text import markup_problems

#: Use with fullmatch: ``$`` would also accept a trailing newline.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
#: Ids that would clash with pages, folders or files the site makes itself.
RESERVED_IDS = frozenset(
    {"404", "assets", "index", "javascripts", "progress", "search", "sitemap", "stylesheets", "tags"}
)

#: Returned by a conversion that failed (its problems are already recorded).
INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()


class Kind:
    """A type of value: converts a node, or records problems and returns INVALID."""

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        """The same rules as JSON Schema (draft 2020-12), for editors."""
        raise NotImplementedError


def _fail(problems: list[Problem], pos: Position, where: str, message: str) -> Any:
    problems.append(Problem(pos, f"{where}: {message}" if where else message))
    return INVALID


def _scalar(node: Node, where: str, problems: list[Problem], what: str) -> Scalar | None:
    if isinstance(node, Scalar):
        if node.plain and node.text == "":
            _fail(problems, node.pos, where, f"is empty; write {what} or remove the key")
            return None
        return node
    shape = "a list" if isinstance(node, Seq) else "a mapping"
    _fail(problems, node.pos, where, f"must be {what}, not {shape}; write a single value")
    return None


@dataclass(frozen=True)
class Text(Kind):
    """Text. ``markdown`` texts may span lines and use Markdown; others are one line."""

    markdown: bool = False

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        scalar = _scalar(node, where, problems, "text")
        if scalar is None:
            return INVALID
        if scalar.comment_follows:
            return _fail(
                problems,
                scalar.pos,
                where,
                "the text after ' #' was read as a comment and dropped; put the whole text in quotes",
            )
        text = unify_line_breaks(scalar.text).strip()
        if not text:
            return _fail(problems, scalar.pos, where, "is empty; write the text")
        if self.markdown:
            found = markup_problems(text, relative_links=False)
            if found:
                return _fail(problems, scalar.pos, where, found[0][1])
            return text + "\n"
        if "\n" in text:
            return _fail(problems, scalar.pos, where, "must be one line; shorten it or join the lines")
        if "<" in text or ">" in text:
            return _fail(
                problems, scalar.pos, where, "'<' and '>' are not allowed in one-line text; write them out in words"
            )
        return text

    def json_schema(self) -> dict[str, Any]:
        if self.markdown:
            return {"type": "string", "minLength": 1}
        return {"type": "string", "minLength": 1, "pattern": "^[^<>\\n\\r]*$"}


@dataclass(frozen=True)
class Id(Kind):
    """An id: lowercase letters, digits and '-', used in file names and addresses."""

    #: Ids of pages get reserved-name checks; ids inside a file do not need them.
    page: bool = False

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        scalar = _scalar(node, where, problems, "an id")
        if scalar is None:
            return INVALID
        value = scalar.text
        if not ID_PATTERN.fullmatch(value):
            return _fail(
                problems,
                scalar.pos,
                where,
                f"{value!r} is not a valid id; use 1 to 64 lowercase letters, digits and '-', "
                "starting with a letter or digit",
            )
        if self.page and value in RESERVED_IDS:
            return _fail(
                problems,
                scalar.pos,
                where,
                f"{value!r} is a name the site uses itself; choose another id "
                f"(reserved: {', '.join(sorted(RESERVED_IDS))})",
            )
        return model.Name(value, scalar.pos)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}
        if self.page:
            schema["not"] = {"enum": sorted(RESERVED_IDS)}
        return schema


@dataclass(frozen=True)
class Int(Kind):
    minimum: int = 0
    maximum: int = 100_000

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        scalar = _scalar(node, where, problems, "a whole number")
        if scalar is None:
            return INVALID
        if not re.fullmatch(r"[0-9]{1,9}", scalar.text):
            return _fail(problems, scalar.pos, where, f"{scalar.text!r} is not a whole number; write digits only, like 20")
        value = int(scalar.text)
        if not self.minimum <= value <= self.maximum:
            return _fail(
                problems, scalar.pos, where, f"{value} is out of range; write a number from {self.minimum} to {self.maximum}"
            )
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Bool(Kind):
    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        scalar = _scalar(node, where, problems, "true or false")
        if scalar is None:
            return INVALID
        word = scalar.text.lower()
        if word in ("true", "false"):
            return word == "true"
        return _fail(problems, scalar.pos, where, f"{scalar.text!r} is not true or false; write true or false")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Date(Kind):
    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        scalar = _scalar(node, where, problems, "a date")
        if scalar is None:
            return INVALID
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", scalar.text):
            return _fail(problems, scalar.pos, where, f"{scalar.text!r} is not a date; write it as YYYY-MM-DD")
        if scalar.text[:4] > "2999":
            return _fail(problems, scalar.pos, where, f"{scalar.text!r} is too far in the future; use a year before 3000")
        try:
            return dt.date.fromisoformat(scalar.text)
        except ValueError:
            return _fail(
                problems, scalar.pos, where, f"{scalar.text!r} is not a real date; check the month and day (YYYY-MM-DD)"
            )

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind
    min_items: int = 1
    max_items: int = 10_000
    #: Items are records whose ``id`` must be unique in the list.
    unique_ids: bool = False

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        if not isinstance(node, Seq):
            if isinstance(node, Scalar) and node.plain and node.text == "":
                return _fail(problems, node.pos, where, "is empty; write one '- item' per line")
            return _fail(problems, node.pos, where, "must be a list; write one '- item' per line, or [a, b]")
        if len(node.items) < self.min_items:
            return _fail(
                problems, node.pos, where, f"needs at least {self.min_items} item(s); add {'it' if self.min_items == 1 else 'them'}"
            )
        if len(node.items) > self.max_items:
            return _fail(
                problems, node.pos, where, f"has {len(node.items)} items, more than {self.max_items}; remove some"
            )
        values = [self.item.convert(item, f"{where}[{n}]", problems) for n, item in enumerate(node.items, 1)]
        if self.unique_ids:
            first_seen: dict[str, Position] = {}
            for n, (item, value) in enumerate(zip(node.items, values), 1):
                item_id = getattr(value, "id", None)
                if value is INVALID or item_id is None:
                    continue
                if item_id in first_seen:
                    values[n - 1] = _fail(
                        problems,
                        value.pos,
                        f"{where}[{n}].id",
                        f"duplicate id {item_id!r} (first at line {first_seen[item_id].line}); give each its own id",
                    )
                else:
                    first_seen[item_id] = value.pos
        if any(value is INVALID for value in values):
            return INVALID
        return tuple(values)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items}
        if self.max_items < 10_000:
            schema["maxItems"] = self.max_items
        return schema


@dataclass(frozen=True)
class Field:
    kind: Kind
    doc: str
    required: bool = True
    default: Any = None


@dataclass(frozen=True)
class Record(Kind):
    """A mapping with known keys, built into a model dataclass."""

    build: Callable[..., Any]
    fields: dict[str, Field]
    #: Rules across this record's fields: (values, node, where, problems) -> ok.
    rule: Callable[[dict[str, Any], Map, str, list[Problem]], bool] | None = None
    #: Accept a bare id as shorthand for {id: ...}: (id, pos) -> instance.
    shorthand: Callable[[str, Position], Any] | None = None

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        if self.shorthand is not None and isinstance(node, Scalar):
            value = Id().convert(node, where, problems)
            return INVALID if value is INVALID else self.shorthand(value, node.pos)
        if not isinstance(node, Map):
            shape = "a list" if isinstance(node, Seq) else "a single value"
            return _fail(problems, node.pos, where, f"must be a mapping, not {shape}; write one 'key: value' per line")
        prefix = f"{where}." if where else ""
        values: dict[str, Any] = {}
        ok = True
        for key, value_node in node.entries:
            spec = self.fields.get(key.text)
            if spec is None:
                hint = did_you_mean(key.text, list(self.fields)) or " remove or rename it"
                shown = key.text if re.fullmatch(r"[\w-]+", key.text) else repr(key.text)
                problems.append(
                    Problem(key.pos, f"{prefix}{shown}: unknown key;{hint} (allowed: {', '.join(self.fields)})")
                )
                ok = False
                continue
            values[key.text] = spec.kind.convert(value_node, f"{prefix}{key.text}", problems)
            ok = ok and values[key.text] is not INVALID
        for name, spec in self.fields.items():
            if name in values:
                continue
            if spec.required:
                _fail(problems, node.pos, where, f"missing key '{name}'; add '{name}: ...' ({spec.doc})")
                ok = False
            else:
                values[name] = spec.default
        if ok and self.rule is not None:
            ok = self.rule(values, node, where, problems)
        if not ok:
            return INVALID
        return self.build(pos=node.pos, **values)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {name: {**spec.kind.json_schema(), "description": spec.doc} for name, spec in self.fields.items()},
            "required": [name for name, spec in self.fields.items() if spec.required],
            "additionalProperties": False,
        }
        if self.shorthand is not None:
            return {"anyOf": [Id().json_schema(), schema]}
        return schema


# --- Document schemas -------------------------------------------------------

TITLE = Text()
MARKDOWN = Text(markdown=True)


def _exactly_one_of(first: str, second: str) -> Callable[[dict[str, Any], Map, str, list[Problem]], bool]:
    def rule(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
        if (values[first] is None) == (values[second] is None):
            both = values[first] is not None
            _fail(
                problems,
                node.pos,
                where,
                f"write either '{first}' or '{second}', not "
                + ("both" if both else "neither"),
            )
            return False
        return True

    return rule


OUTCOME = Record(
    model.Outcome,
    {
        "id": Field(Id(), "The outcome's id, used in principles' 'outcome' key."),
        "title": Field(TITLE, "The outcome's name as shown on the site."),
        "description": Field(MARKDOWN, "What this outcome means for customers.", required=False, default=""),
    },
    shorthand=lambda outcome_id, pos: model.Outcome(outcome_id, outcome_id.replace("-", " ").capitalize(), "", pos),
)

ROLE = Record(
    model.Role,
    {
        "id": Field(Id(page=True), "The role's id, used by modules, checklists and paths."),
        "title": Field(TITLE, "The role's name as shown on the site."),
        "description": Field(MARKDOWN, "What people in this role do."),
    },
)

SECTION = Record(
    model.Section,
    {
        "id": Field(Id(), "The section's id."),
        "title": Field(TITLE, "The section's heading in the navigation."),
        "modules": Field(ListOf(Id()), "Module ids in this section, in reading order."),
    },
)


def _playbook(pos: Position, modules: tuple[str, ...] | None, sections: tuple[model.Section, ...] | None,
              **values: Any) -> model.Playbook:
    if sections is None:
        return model.Playbook(sections=(model.Section("modules", "Modules", modules or (), pos),),
                              sectioned=False, pos=pos, **values)
    return model.Playbook(sections=sections, sectioned=True, pos=pos, **values)


PLAYBOOK = Record(
    _playbook,
    {
        "title": Field(TITLE, "The playbook's name: the site's title."),
        "organisation": Field(TITLE, "Who the playbook belongs to."),
        "description": Field(MARKDOWN, "What the playbook is for; opens the home page."),
        "outcomes": Field(
            ListOf(OUTCOME, unique_ids=True), "The outcome vocabulary principles build (e.g. trust, respect)."
        ),
        "roles": Field(ListOf(ROLE, unique_ids=True), "The roles staff have."),
        "modules": Field(
            ListOf(Id()), "Module ids in reading order (or use 'sections').", required=False
        ),
        "sections": Field(
            ListOf(SECTION, unique_ids=True),
            "Navigation sections, each with its modules in reading order (or use 'modules').",
            required=False,
        ),
        "badge_days": Field(
            Int(0, 365),
            "Days a module shows its 'New' or 'Updated' badge after its 'added' or 'updated' date.",
            required=False,
            default=30,
        ),
        "public_emails": Field(
            ListOf(TITLE, min_items=0),
            "Email addresses the site may show; the build stops on any other, to keep people's addresses private.",
            required=False,
            default=(),
        ),
    },
    rule=_exactly_one_of("modules", "sections"),
)

ACTION = Record(
    model.Action,
    {
        "id": Field(Id(), "The action's id, unique in its principle; part of its stable key."),
        "text": Field(MARKDOWN, "What to do, as one instruction."),
    },
)

PRINCIPLE = Record(
    model.Principle,
    {
        "id": Field(Id(), "The principle's id, unique in its module."),
        "title": Field(TITLE, "The principle in a few words."),
        "outcome": Field(Id(), "The outcome it builds, from the playbook's outcomes."),
        "why": Field(MARKDOWN, "Why it matters."),
        "actions": Field(ListOf(ACTION, unique_ids=True), "What to do."),
        "avoid": Field(ListOf(MARKDOWN), "What to avoid."),
        "example": Field(MARKDOWN, "A worked example from everyday work."),
        "source": Field(TITLE, "The article this principle draws on."),
    },
)


def _one_right_choice(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    if not any(choice.correct for choice in values["choices"]):
        prefix = f"{where}." if where else ""
        _fail(problems, node.pos, f"{prefix}choices", "no choice is marked 'correct: true'; mark the right answer")
        return False
    return True


CHOICE = Record(
    model.Choice,
    {
        "id": Field(Id(), "The choice's id, unique in its question."),
        "text": Field(MARKDOWN, "The answer as the learner sees it."),
        "correct": Field(Bool(), "true for a right answer.", required=False, default=False),
        "explanation": Field(MARKDOWN, "Why this choice is right or wrong."),
    },
)

CHECK = Record(
    model.Check,
    {
        "id": Field(Id(), "The question's id, unique in its module."),
        "question": Field(MARKDOWN, "The question."),
        "choices": Field(ListOf(CHOICE, min_items=2, max_items=10, unique_ids=True), "The possible answers (2 to 10)."),
    },
    rule=_one_right_choice,
)

MODULE = Record(
    lambda intro=None, **values: model.Module(intro=intro, **values),
    {
        "id": Field(Id(page=True), "The module's id; the file is named <id>.yml."),
        "title": Field(TITLE, "The module's title."),
        "summary": Field(MARKDOWN, "One or two sentences on what the module covers."),
        "roles": Field(ListOf(Id()), "Ids of the roles this module is for."),
        "minutes": Field(Int(1, 600), "Minutes it takes to study."),
        "revision": Field(
            Int(1), "Bumped when a change matters enough to retrain; typo fixes leave it.", required=False, default=1
        ),
        "owner": Field(TITLE, "Who keeps the module current (a job title, not a person)."),
        "review_by": Field(Date(), "When the module is next reviewed (YYYY-MM-DD)."),
        "added": Field(Date(), "When the module was first published (YYYY-MM-DD); shows a 'New' badge.", required=False),
        "updated": Field(
            Date(), "When the module last changed in substance (YYYY-MM-DD); shows an 'Updated' badge.", required=False
        ),
        "themes": Field(
            ListOf(Id(page=True), min_items=0), "Theme tags (ids) that group modules across sections.",
            required=False, default=()
        ),
        "objectives": Field(ListOf(MARKDOWN), "What a learner can do after the module."),
        "principles": Field(ListOf(PRINCIPLE, unique_ids=True), "The module's principles."),
        "checks": Field(ListOf(CHECK, unique_ids=True), "Knowledge-check questions."),
    },
)

INTRO_FRONT_MATTER = Record(
    lambda pos, title: title,
    {"title": Field(TITLE, "Heading of the introduction.", required=False, default="Introduction")},
)


def _item_shape(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    if values["ref"] is not None:
        if values["id"] is not None or values["text"] is not None:
            _fail(problems, node.pos, where, "an item with 'ref' takes its text from the module; remove 'id' and 'text'")
            return False
        return True
    if values["id"] is None or values["text"] is None:
        _fail(problems, node.pos, where, "an item needs 'id' and 'text', or a 'ref' to a module action")
        return False
    return True


ITEM = Record(
    model.ChecklistItem,
    {
        "id": Field(Id(), "The item's id, unique in its checklist.", required=False),
        "text": Field(MARKDOWN, "What to do.", required=False),
        "ref": Field(TITLE, "A module action's key, module/principle/action.", required=False),
    },
    rule=_item_shape,
)

CHECKLIST_SECTION = Record(
    model.ChecklistSection,
    {
        "title": Field(TITLE, "The section's heading."),
        "items": Field(ListOf(ITEM), "The section's items in order."),
    },
)

CHECKLIST = Record(
    model.Checklist,
    {
        "id": Field(Id(page=True), "The checklist's id; the file is named <id>.yml."),
        "title": Field(TITLE, "The checklist's title."),
        "summary": Field(MARKDOWN, "When to use it."),
        "roles": Field(ListOf(Id(), min_items=0), "Ids of the roles that use it.", required=False, default=()),
        "owner": Field(TITLE, "Who keeps the checklist current (a job title).", required=False),
        "review_by": Field(Date(), "When the checklist is next reviewed (YYYY-MM-DD).", required=False),
        "sections": Field(ListOf(CHECKLIST_SECTION), "The checklist's sections."),
    },
)


def _due_days_increase(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    ok = True
    steps = node.get("steps")
    for n, (before, step) in enumerate(zip(values["steps"], values["steps"][1:]), 2):
        if step.due_days < before.due_days:
            step_node = steps.items[n - 1] if isinstance(steps, Seq) else None
            due_node = step_node.get("due_days") if isinstance(step_node, Map) else None
            _fail(
                problems,
                due_node.pos if due_node is not None else step.pos,
                f"steps[{n}].due_days",
                f"{step.due_days} is earlier than the step before ({before.due_days}); "
                "order the steps by due day",
            )
            ok = False
    return ok


PATH_STEP = Record(
    model.PathStep,
    {
        "module": Field(Id(), "The module to complete."),
        "due_days": Field(Int(0, 3650), "Days after the learner's start date it is due."),
    },
)

PATH = Record(
    model.LearningPath,
    {
        "id": Field(Id(page=True), "The path's id; the file is named <id>.yml."),
        "title": Field(TITLE, "The path's title."),
        "role": Field(Id(), "The role this path trains."),
        "summary": Field(MARKDOWN, "What the path is for."),
        "owner": Field(TITLE, "Who keeps the path current (a job title).", required=False),
        "review_by": Field(Date(), "When the path is next reviewed (YYYY-MM-DD).", required=False),
        "steps": Field(ListOf(PATH_STEP), "Modules in order with their due days."),
    },
    rule=_due_days_increase,
)


#: The content files editors can check as they type, by file kind.
DOCUMENTS = {"playbook": PLAYBOOK, "module": MODULE, "checklist": CHECKLIST, "path": PATH}
_TITLES = {
    "playbook": "content/playbook.yml: the playbook's title, outcomes, roles and reading order",
    "module": "content/modules/<id>.yml: one training module",
    "checklist": "content/checklists/<id>.yml: a situational checklist",
    "path": "content/paths/<id>.yml: a learning path for a role",
}


def json_schema(kind: str) -> dict[str, Any]:
    """A draft 2020-12 JSON Schema for one kind of content file, a description on every field."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": _TITLES[kind],
        **DOCUMENTS[kind].json_schema(),
    }
    if kind == "playbook":
        schema["oneOf"] = [{"required": ["modules"]}, {"required": ["sections"]}]
    return schema
