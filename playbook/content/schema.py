"""The schema engine: content file kinds as data (the declarations are in :mod:`playbook.content.files`).

Each file kind is a :class:`Record` of :class:`Field` s. Converting a loaded
tree through a schema checks types, required and unknown keys, and builds the
model dataclass, appending a positioned :class:`Problem` for everything
wrong instead of stopping at the first. Cross-file rules (references between
files, declared order) live in :mod:`playbook.content.rules`.

Items in a list are counted from 1 in messages (``principles[2]`` is the
second principle), the way a trainer counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import Position, Problem, did_you_mean
from . import model
from .loader import Map, Node, Scalar, Seq, unify_line_breaks
from .rendered import check_markdown

#: Use with fullmatch: ``$`` would also accept a trailing newline.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
#: Ids that would clash with pages, folders or files the site makes itself.
RESERVED_IDS = frozenset(
    {"404", "assets", "index", "javascripts", "progress", "search", "sitemap", "stylesheets", "tags"}
)

#: How text still to be written starts (``playbook new`` writes it so): check reports it until someone does.
PLACEHOLDER = "TODO:"
_STILL_TO_WRITE = "still the placeholder"


def is_placeholder(problem: Problem) -> bool:
    """Whether the problem is text still to be written (see :data:`PLACEHOLDER`)."""
    return _STILL_TO_WRITE in problem.message


#: Returned by a conversion that failed (its problems are already recorded).
INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()


class Kind:
    """A type of value: converts a node, or records problems and returns INVALID."""

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        raise NotImplementedError

    def salvage(self, node: Node) -> Any:
        """What of the node converts, for the rules across files while its file has problems (already
        reported): a value, or INVALID."""
        return self.convert(node, "", [])

    def json_schema(self) -> dict[str, Any]:
        """The same rules as JSON Schema (draft 2020-12), for editors."""
        raise NotImplementedError


def fail(problems: list[Problem], pos: Position, where: str, message: str) -> Any:
    problems.append(Problem(pos, f"{where}: {message}" if where else message))
    return INVALID


def _scalar(node: Node, where: str, problems: list[Problem], what: str) -> Scalar | None:
    if isinstance(node, Scalar):
        if node.plain and node.text == "":
            fail(problems, node.pos, where, f"is empty; write {what} or remove the key")
            return None
        return node
    shape = "a list" if isinstance(node, Seq) else "a mapping"
    fail(problems, node.pos, where, f"must be {what}, not {shape}; write a single value")
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
            return fail(
                problems,
                scalar.pos,
                where,
                "the text after ' #' was read as a comment and dropped; put the whole text in quotes",
            )
        text = unify_line_breaks(scalar.text).strip()
        if not text:
            return fail(problems, scalar.pos, where, "is empty; write the text")
        if text.startswith(PLACEHOLDER):
            return fail(problems, scalar.pos, where, f"{_STILL_TO_WRITE} {text.splitlines()[0]!r}; write it in "
                                                     "your own words")
        if self.markdown:
            found = check_markdown(text, relative_links=False)
            for _line, message in found[1:]:
                fail(problems, scalar.pos, where, message)
            if found:
                return fail(problems, scalar.pos, where, found[0][1])
            return text + "\n"
        if "\n" in text:
            return fail(problems, scalar.pos, where, "must be one line; shorten it or join the lines")
        if "<" in text or ">" in text:
            return fail(
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
            return fail(
                problems,
                scalar.pos,
                where,
                f"{value!r} is not a valid id; use 1 to 64 lowercase letters, digits and '-', "
                "starting with a letter or digit",
            )
        if self.page and value in RESERVED_IDS:
            return fail(
                problems,
                scalar.pos,
                where,
                f"{value!r} is a name the site uses itself; choose another id "
                f"(reserved: {', '.join(sorted(RESERVED_IDS))})",
            )
        return model.PositionedId(value, scalar.pos)

    def salvage(self, node: Node) -> Any:
        """The id as written, even when it is not a valid one: references to it are not then reported too."""
        return model.PositionedId(node.text, node.pos) if isinstance(node, Scalar) and node.text else INVALID

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
            return fail(problems, scalar.pos, where,
                        f"{scalar.text!r} is not a whole number; write digits only, like 20")
        value = int(scalar.text)
        if not self.minimum <= value <= self.maximum:
            return fail(
                problems, scalar.pos, where,
                f"{value} is out of range; write a number from {self.minimum} to {self.maximum}",
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
        return fail(problems, scalar.pos, where, f"{scalar.text!r} is not true or false; write true or false")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Date(Kind):
    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        scalar = _scalar(node, where, problems, "a date")
        if scalar is None:
            return INVALID
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", scalar.text):
            return fail(problems, scalar.pos, where, f"{scalar.text!r} is not a date; write it as YYYY-MM-DD")
        if scalar.text[:4] > "2999":
            return fail(problems, scalar.pos, where,
                        f"{scalar.text!r} is too far in the future; use a year before 3000")
        try:
            return dt.date.fromisoformat(scalar.text)
        except ValueError:
            return fail(
                problems, scalar.pos, where, f"{scalar.text!r} is not a real date; check the month and day (YYYY-MM-DD)"
            )

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


#: The parts of a BCP 47 language tag that decide how dates are written: a language (ISO 639), then
#: optionally a script (ISO 15924) and a region (ISO 3166 letters or UN M.49 digits): en-GB, sr-Latn-RS, es-419.
#: Explicit letter ranges rather than a flag, so JSON Schema can use the same pattern.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?")


@dataclass(frozen=True)
class Matching(Kind):
    """One line of a fixed shape (a language tag, an address), checked by a pattern editors use too."""

    pattern: re.Pattern[str]
    #: What the value is, for messages: "a language tag".
    what: str
    #: What is wrong with a value that does not match, and how to fix it.
    mismatch: Callable[[str], str]

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        scalar = _scalar(node, where, problems, self.what)
        if scalar is None:
            return INVALID
        if self.pattern.fullmatch(scalar.text):
            return scalar.text
        return fail(problems, scalar.pos, where, self.mismatch(scalar.text))

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{self.pattern.pattern}$"}


def _not_a_language_tag(text: str) -> str:
    # Locale names elsewhere (gettext, Python, Java) join the parts with '_'.
    hyphenated = text.replace("_", "-")
    fix = (f"write {hyphenated!r}, the parts joined by '-'" if LANGUAGE_TAG.fullmatch(hyphenated)
           else "write a language code and a region code joined by '-', such as en-GB or fr-CA")
    return f"{text!r} is not a BCP 47 language tag; {fix}"


#: A language as ``languages`` in playbook.yml names it, and as its site's folder and Material's ``theme.language``
#: do: a lowercase language code, optionally a region or script (fr, pt-BR, zh-Hant).
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?")


def language_code() -> Matching:
    return Matching(LANGUAGE_CODE, "a language code",
                    lambda text: f"{text!r} is not a language code; write a lowercase code such as en or fr "
                                 "(a region after '-' in capitals, such as pt-BR)")


def language_tag() -> Matching:
    """A BCP 47 language tag such as en-GB, as browsers' Intl API reads it."""
    return Matching(LANGUAGE_TAG, "a language tag", _not_a_language_tag)


#: An e-mail address: the one shape the schema accepts and the privacy scan looks for in a built site.
EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def email() -> Matching:
    """One e-mail address."""
    return Matching(EMAIL_PATTERN, "an e-mail address",
                    lambda text: f"{text!r} is not an e-mail address; write one like training@example.org")


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind
    min_items: int = 1
    max_items: int = 10_000
    #: Items are records whose ``id`` must be unique in the list.
    unique_ids: bool = False
    #: What to do with a list over ``max_items``.
    too_many: str = "remove some"
    #: Items are texts that must differ from each other, whatever their case.
    unique_texts: bool = False
    #: A translation of a list of texts gives one item per source item, in order (objectives, which say the same
    #: thing in each language); False: a list of its own (search terms, the words staff type in that language).
    translated_item_by_item: bool = True

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        if not isinstance(node, Seq):
            if isinstance(node, Scalar) and node.plain and node.text == "":
                return fail(problems, node.pos, where, "is empty; write one '- item' per line")
            return fail(problems, node.pos, where, "must be a list; write one '- item' per line, or [a, b]")
        if len(node.items) < self.min_items:
            return fail(
                problems, node.pos, where,
                f"needs at least {self.min_items} item(s); add {'it' if self.min_items == 1 else 'them'}",
            )
        if len(node.items) > self.max_items:
            return fail(
                problems, node.pos, where, f"has {len(node.items)} items, more than {self.max_items}; {self.too_many}"
            )
        values = [self.item.convert(item, f"{where}[{n}]", problems) for n, item in enumerate(node.items, 1)]
        if self.unique_ids:
            _ids_once(values, where, problems)
        if self.unique_texts:
            _texts_once(node, values, where, problems)
        if any(value is INVALID for value in values):
            return INVALID
        return tuple(values)

    def salvage(self, node: Node) -> Any:
        """The items that convert; none when the node is no list."""
        if not isinstance(node, Seq):
            return ()
        return tuple(value for value in map(self.item.salvage, node.items) if value is not INVALID)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items}
        if self.max_items < 10_000:
            schema["maxItems"] = self.max_items
        if self.unique_texts:
            schema["uniqueItems"] = True
        return schema


def _ids_once(values: list[Any], where: str, problems: list[Problem]) -> None:
    """Mark each record whose id an earlier one has INVALID, with a problem at the repeat."""
    first_seen: dict[str, Position] = {}
    for n, value in enumerate(values, 1):
        item_id = getattr(value, "id", None)
        if value is INVALID or item_id is None:
            continue
        if item_id in first_seen:
            values[n - 1] = fail(
                problems,
                value.pos,
                f"{where}[{n}].id",
                f"duplicate id {item_id!r} (first at line {first_seen[item_id].line}); give each its own id",
            )
        else:
            first_seen[item_id] = value.pos


def _texts_once(node: Seq, values: list[Any], where: str, problems: list[Problem]) -> None:
    """Mark each text that repeats an earlier one (case aside) INVALID, with a problem at the repeat."""
    first_seen: dict[str, Position] = {}
    for n, (item, value) in enumerate(zip(node.items, values, strict=True), 1):
        if value is INVALID:
            continue
        if value.casefold() in first_seen:
            values[n - 1] = fail(problems, item.pos, f"{where}[{n}]",
                                 f"{value!r} is listed already (line {first_seen[value.casefold()].line}); "
                                 "list each once")
        else:
            first_seen[value.casefold()] = item.pos


@dataclass(frozen=True)
class Field:
    kind: Kind
    doc: str
    required: bool = True
    default: Any = None
    #: Whether a translation (content/translations/<lang>/) may give this field in its language. None: text is
    #: translated and nothing else is (see :mod:`playbook.content.translations`).
    translated: bool | None = None


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
            value = self.fields["id"].kind.convert(node, where, problems)
            return INVALID if value is INVALID else self.shorthand(value, node.pos)
        if not isinstance(node, Map):
            shape = "a list" if isinstance(node, Seq) else "a single value"
            return fail(problems, node.pos, where, f"must be a mapping, not {shape}; write one 'key: value' per line")
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
                fail(problems, node.pos, where, f"missing key '{name}'; add '{name}: ...' ({spec.doc})")
                ok = False
            else:
                values[name] = spec.default
        if ok and self.rule is not None:
            ok = self.rule(values, node, where, problems)
        if not ok:
            return INVALID
        return self.build(pos=node.pos, **values)

    def salvage(self, node: Node) -> Any:
        """The record with what converts (fields that do not are INVALID), so references from and to a file
        with a problem are still checked in the same run; INVALID when it has no usable id."""
        if not isinstance(node, Map):
            return self.convert(node, "", []) if self.shorthand is not None else INVALID
        values = {name: spec.default if not spec.required else () if isinstance(spec.kind, ListOf) else INVALID
                  for name, spec in self.fields.items()}
        for key, value_node in node.entries:
            if key.text in self.fields:
                values[key.text] = self.fields[key.text].kind.salvage(value_node)
        if values.get("id", None) is INVALID:
            return INVALID
        return self.build(pos=node.pos, **values)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {
                name: {**spec.kind.json_schema(), "description": spec.doc} for name, spec in self.fields.items()
            },
            "required": [name for name, spec in self.fields.items() if spec.required],
            "additionalProperties": False,
        }
        if self.shorthand is not None:
            return {"anyOf": [self.fields["id"].kind.json_schema(), schema]}
        return schema
