"""The playbook as frozen dataclasses, each carrying where it was written.

Built only by :func:`playbook.content.load_site`, so every instance is known good:
ids match the pattern, references resolve, outcomes come from the vocabulary.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from ..errors import Position
from .digest import published_digest


class PositionedId(str):
    """An id as written: a ``str`` that also remembers where, for messages about references."""

    pos: Position

    def __new__(cls, value: str, pos: Position) -> PositionedId:
        name = super().__new__(cls, value)
        name.pos = pos
        return name


@dataclass(frozen=True)
class Outcome:
    id: str
    title: str
    description: str
    pos: Position


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    description: str
    pos: Position


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    modules: tuple[str, ...]
    pos: Position


@dataclass(frozen=True)
class Playbook:
    title: str
    organisation: str
    description: str
    outcomes: tuple[Outcome, ...]
    roles: tuple[Role, ...]
    sections: tuple[Section, ...]
    #: False when the playbook lists 'modules' without sections (one implicit section).
    sectioned: bool
    badge_days: int
    #: How the site writes dates (a BCP 47 tag such as en-GB); None follows the page's language.
    locale: str | None
    #: The knowledge-check score (percent) that completes a module, unless the module sets its own.
    pass_mark: int
    #: Days to retrain once a completed module has a newer revision.
    retrain_days: int
    #: Where learners send their receipts; None: they download them only.
    trainer_email: str | None
    #: Email addresses the site may show (a support address, say); any other stops the build.
    public_emails: tuple[str, ...]
    #: The languages of the site, the source language first; empty for a site in one language.
    languages: tuple[str, ...]
    revision: int
    pos: Position

    @property
    def shown_emails(self) -> tuple[str, ...]:
        """Every address the site may carry: the public ones and the trainer's."""
        return (*self.public_emails, *([self.trainer_email] if self.trainer_email else []))


@dataclass(frozen=True)
class Action:
    id: str
    text: str
    pos: Position


@dataclass(frozen=True)
class Principle:
    id: str
    title: str
    outcome: str
    why: str
    actions: tuple[Action, ...]
    avoid: tuple[str, ...]
    example: str
    source: str
    #: Words search finds the principle by that its text does not use (the page does not show them).
    search_terms: tuple[str, ...]
    pos: Position


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    explanation: str
    pos: Position


@dataclass(frozen=True)
class Check:
    id: str
    question: str
    choices: tuple[Choice, ...]
    pos: Position

    @property
    def multiple(self) -> bool:
        """More than one right choice: answered with checkboxes, not radios."""
        return sum(choice.correct for choice in self.choices) > 1


@dataclass(frozen=True)
class Intro:
    """The optional ``<id>.md`` long-form introduction of a module."""

    title: str
    body: str
    pos: Position


@dataclass(frozen=True)
class Change:
    """One changelog entry: what a revision changed, for a learner who read an earlier one."""

    revision: int
    changes: str
    pos: Position


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    summary: str
    roles: tuple[str, ...]
    minutes: int
    revision: int
    owner: str
    review_by: dt.date
    added: dt.date | None
    updated: dt.date | None
    themes: tuple[str, ...]
    objectives: tuple[str, ...]
    principles: tuple[Principle, ...]
    checks: tuple[Check, ...]
    #: This module's pass mark; None takes the playbook's (see Site.pass_mark).
    pass_mark: int | None
    changelog: tuple[Change, ...]
    #: Words search finds the module by that its text does not use (the page does not show them).
    search_terms: tuple[str, ...]
    intro: Intro | None
    pos: Position

    @functools.cached_property
    def digest(self) -> str:
        """The digest of the module's published text (see :mod:`playbook.content.digest`), worked out once: the
        preview keeps unchanged modules between saves, and renders every page on each."""
        return published_digest(self)

    def action_key(self, principle: Principle, action: Action) -> str:
        """The stable key a tick or a checklist reference is stored under."""
        return f"{self.id}/{principle.id}/{action.id}"


@dataclass(frozen=True)
class ChecklistItem:
    """Either the checklist's own item (``id`` + ``text``) or a ``ref`` to a module action."""

    id: str | None
    text: str | None
    ref: str | None
    pos: Position


@dataclass(frozen=True)
class ChecklistSection:
    title: str
    items: tuple[ChecklistItem, ...]
    pos: Position


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    summary: str
    roles: tuple[str, ...]
    owner: str | None
    review_by: dt.date | None
    revision: int
    sections: tuple[ChecklistSection, ...]
    #: Words search finds the checklist by that its text does not use (the page does not show them).
    search_terms: tuple[str, ...]
    pos: Position

    def item_key(self, item: ChecklistItem) -> str:
        return item.ref or f"{self.id}/{item.id}"


@dataclass(frozen=True)
class PathStep:
    module: str
    due_days: int
    pos: Position


@dataclass(frozen=True)
class LearningPath:
    id: str
    title: str
    role: str
    summary: str
    owner: str | None
    review_by: dt.date | None
    revision: int
    steps: tuple[PathStep, ...]
    pos: Position


@dataclass(frozen=True)
class ResolvedAction:
    """A module action found by its stable key."""

    module: Module
    principle: Principle
    action: Action


@dataclass(frozen=True)
class ResolvedItem:
    """A checklist item as it shows: its stable key, its Markdown text, and the module action it refers to."""

    section: ChecklistSection
    key: str
    text: str
    #: None for the checklist's own items.
    source: ResolvedAction | None


#: How far a file is translated, in the order ``playbook translations`` sorts them.
STATES = ("missing", "stale", "partial", "translated")


@dataclass(frozen=True)
class FileState:
    """How far one source file (a module, checklist, path or playbook.yml) is translated into one language."""

    #: "module", "checklist", "path" or "playbook".
    kind: str
    #: The item's id ("playbook" for playbook.yml).
    id: str
    #: One of :data:`STATES`: missing (no translation file), stale (it translates an older revision), partial
    #: (some text falls back to the source language) or translated.
    state: str
    #: The source revision the translation says it translates; None when missing.
    revision: int | None
    source_revision: int
    #: The fields that show the source text, as messages name them (principles[2].example).
    untranslated: tuple[str, ...]
    #: The translation file, or where it would be when missing.
    pos: Position
    source_pos: Position
    owner: str | None


@dataclass(frozen=True)
class Translation:
    """The site in one more language: the model with its text translated (the source's where it is not)."""

    language: str
    site: Site
    states: tuple[FileState, ...]

    def state(self, kind: str, item_id: str) -> FileState:
        return next(state for state in self.states if state.kind == kind and state.id == item_id)


@dataclass(frozen=True)
class Site:
    """Everything one build needs, in the playbook's declared order."""

    playbook: Playbook
    modules: tuple[Module, ...]
    checklists: tuple[Checklist, ...]
    paths: tuple[LearningPath, ...]
    #: The other languages, in the order ``languages`` lists them (empty in a translation's own site).
    translations: tuple[Translation, ...] = ()

    @property
    def language(self) -> str | None:
        """The source language; None when the playbook names no languages."""
        return self.playbook.languages[0] if self.playbook.languages else None

    def translation(self, language: str) -> Translation:
        return next(translation for translation in self.translations if translation.language == language)

    @functools.cached_property
    def _modules_by_id(self) -> dict[str, Module]:
        return {module.id: module for module in self.modules}

    def module(self, module_id: str) -> Module:
        return self._modules_by_id[module_id]

    def pass_mark(self, module: Module) -> int:
        """The score in percent that passes the module's knowledge check."""
        return self.playbook.pass_mark if module.pass_mark is None else module.pass_mark

    def role(self, role_id: str) -> Role:
        return next(role for role in self.playbook.roles if role.id == role_id)

    def outcome(self, outcome_id: str) -> Outcome:
        return next(outcome for outcome in self.playbook.outcomes if outcome.id == outcome_id)

    def action(self, key: str) -> ResolvedAction:
        module_id, principle_id, action_id = key.split("/")
        module = self.module(module_id)
        principle = next(p for p in module.principles if p.id == principle_id)
        action = next(a for a in principle.actions if a.id == action_id)
        return ResolvedAction(module, principle, action)

    def checklist_items(self, checklist: Checklist, only: ChecklistSection | None = None) -> list[ResolvedItem]:
        """The items of a checklist (or of its section ``only``) in order, references resolved to their action."""
        resolved = []
        for section in checklist.sections if only is None else (only,):
            for item in section.items:
                if item.ref is None:
                    assert item.text is not None  # the schema requires text without ref
                    resolved.append(ResolvedItem(section, checklist.item_key(item), item.text, None))
                else:
                    found = self.action(item.ref)
                    resolved.append(ResolvedItem(section, item.ref, found.action.text, found))
        return resolved
