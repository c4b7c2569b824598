"""The content files as data: what each kind of file holds, each field documented where it is declared.

Converted by the engine in :mod:`playbook.content.schema`; ``playbook schema``
prints the same declarations as JSON Schema for editors.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from ..errors import Position, Problem
from . import model
from .loader import Map, Seq
from .schema import Bool, Date, Field, Id, Int, ListOf, Record, Text, email, fail, language_code, language_tag

TITLE = Text()
#: What a translation names: the source revision it translates (see :mod:`playbook.content.translations`).
REVISION_DOC = "Bumped when a change matters enough to retrain; typo fixes leave it."
MARKDOWN = Text(markdown=True)
EMAIL = email()


def _search_terms(what: str) -> Field:
    return Field(
        ListOf(TITLE, min_items=0, max_items=40, unique_texts=True, too_many="keep the 40 that staff type most",
               translated_item_by_item=False),
        f"Words staff might search with to find {what} that its text does not use: synonyms, the customer's "
        "words, other spellings, common misspellings. Search finds them; the page does not show them. A "
        "translation gives its own list, of the words staff type in its language.",
        required=False, default=(),
    )


def _exactly_one_of(first: str, second: str) -> Callable[[dict[str, Any], Map, str, list[Problem]], bool]:
    def rule(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
        if (values[first] is None) == (values[second] is None):
            both = values[first] is not None
            fail(
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
        "id": Field(Id(page=True), "The outcome's id, used in principles' 'outcome' key; its page is outcomes/<id>."),
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
        "locale": Field(
            language_tag(),
            "How the site writes dates, as a BCP 47 language tag: en-GB gives 5 March 2026, en-US March 5, 2026. "
            "Without it, dates follow the site's language (theme.language in mkdocs.yml). A translation "
            "sets its own (fr-CA), else its dates follow its language.",
            required=False,
            translated=True,
        ),
        "pass_mark": Field(
            Int(0, 100),
            "The knowledge-check score in percent a learner needs to complete a module (a module may set its own).",
            required=False,
            default=80,
        ),
        "retrain_days": Field(
            Int(1, 365),
            "Days a person has to retrain once a module they completed gets a new revision.",
            required=False,
            default=14,
        ),
        "trainer_email": Field(
            EMAIL,
            "Where learners send their receipts: the site offers an e-mail with them. It may show on the site.",
            required=False,
        ),
        "public_emails": Field(
            ListOf(TITLE, min_items=0),
            "Email addresses the site may show; the build stops on any other, to keep people's addresses private.",
            required=False,
            default=(),
            translated=False,
        ),
        "languages": Field(
            ListOf(language_code(), unique_texts=True),
            "The languages the site is made in, the source language first (en, fr, ...); translations are in "
            "translations/<language>/. Without it the site has one language, theme.language in mkdocs.yml.",
            required=False,
            default=(),
        ),
        "revision": Field(
            Int(1), "Bumped when a change to this file's text matters enough that translations must follow.",
            required=False, default=1,
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
        "search_terms": _search_terms("this principle"),
    },
)


def _one_right_choice(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    if not any(choice.correct for choice in values["choices"]):
        prefix = f"{where}." if where else ""
        fail(problems, node.pos, f"{prefix}choices", "no choice is marked 'correct: true'; mark the right answer")
        return False
    return True


#: How an explanation must not start: the page says right or wrong itself, just before it.
_VERDICT = re.compile(r"(right|correct|yes|no|wrong|incorrect|not quite)[.!,:;—–]+", re.IGNORECASE)


def _no_verdict(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    verdict = _VERDICT.match(values["explanation"])
    if verdict is None:
        return True
    prefix = f"{where}." if where else ""
    explanation = node.get("explanation")
    fail(problems, explanation.pos if explanation is not None else node.pos, f"{prefix}explanation",
         f"starts with the verdict {verdict.group()!r}; leave it out, the page says right or wrong itself")
    return False


CHOICE = Record(
    model.Choice,
    {
        "id": Field(Id(), "The choice's id, unique in its question."),
        "text": Field(MARKDOWN, "The answer as the learner sees it."),
        "correct": Field(Bool(), "true for a right answer.", required=False, default=False),
        "explanation": Field(MARKDOWN, "Why this choice is right or wrong, without saying which: the page does."),
    },
    rule=_no_verdict,
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

CHANGE = Record(
    model.Change,
    {
        "revision": Field(Int(2), "The revision this entry describes."),
        "changes": Field(MARKDOWN, "One or two lines: what changed in this revision and why."),
    },
)


def _changelog_fits(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    """Each changelog entry names a revision the module has had, once."""
    ok, seen = True, set()
    for n, change in enumerate(values["changelog"], 1):
        if change.revision > values["revision"] or change.revision in seen:
            why = ("is newer than the module's revision "
                   f"{values['revision']}; bump 'revision' or fix the entry" if change.revision not in seen
                   else "has another entry already; keep one per revision")
            fail(problems, change.pos, f"changelog[{n}].revision", f"{change.revision} {why}")
            ok = False
        seen.add(change.revision)
    return ok


MODULE = Record(
    lambda intro=None, **values: model.Module(intro=intro, **values),
    {
        "id": Field(Id(page=True), "The module's id; the file is named <id>.yml."),
        "title": Field(TITLE, "The module's title."),
        "summary": Field(MARKDOWN, "One or two sentences on what the module covers."),
        "roles": Field(ListOf(Id()), "Ids of the roles this module is for."),
        "minutes": Field(Int(1, 600), "Minutes it takes to study."),
        "revision": Field(Int(1), REVISION_DOC, required=False, default=1),
        "owner": Field(TITLE, "Who keeps the module current (a job title, not a person)."),
        "review_by": Field(Date(), "When the module is next reviewed (YYYY-MM-DD)."),
        "added": Field(Date(), "When the module was first published (YYYY-MM-DD); shows a 'New' badge.",
                       required=False),
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
        "pass_mark": Field(Int(0, 100), "This module's pass mark in percent, instead of the playbook's.",
                           required=False),
        "changelog": Field(
            ListOf(CHANGE, min_items=0),
            "What changed in each revision after the first, for learners who read an earlier one.",
            required=False, default=(),
        ),
        "search_terms": _search_terms("this module"),
    },
    rule=_changelog_fits,
)

INTRO_FRONT_MATTER = Record(
    lambda pos, title: title,
    {"title": Field(TITLE, "Heading of the introduction.", required=False, default="Introduction")},
)


def _item_shape(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    if values["ref"] is not None:
        if values["id"] is not None or values["text"] is not None:
            fail(problems, node.pos, where, "an item with 'ref' takes its text from the module; remove 'id' and 'text'")
            return False
        return True
    if values["id"] is None or values["text"] is None:
        fail(problems, node.pos, where, "an item needs 'id' and 'text', or a 'ref' to a module action")
        return False
    return True


ITEM = Record(
    model.ChecklistItem,
    {
        "id": Field(Id(), "The item's id, unique in its checklist.", required=False),
        "text": Field(MARKDOWN, "What to do.", required=False),
        "ref": Field(TITLE, "A module action's key, module/principle/action.", required=False, translated=False),
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
        "revision": Field(Int(1), REVISION_DOC, required=False, default=1),
        "sections": Field(ListOf(CHECKLIST_SECTION), "The checklist's sections."),
        "search_terms": _search_terms("this checklist"),
    },
)


def _due_days_increase(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    ok = True
    steps = node.get("steps")
    for n, (before, step) in enumerate(itertools.pairwise(values["steps"]), 2):
        if step.due_days < before.due_days:
            step_node = steps.items[n - 1] if isinstance(steps, Seq) else None
            due_node = step_node.get("due_days") if isinstance(step_node, Map) else None
            fail(
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
        "revision": Field(Int(1), REVISION_DOC, required=False, default=1),
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
