"""Rules that span files: the reading order, and references between modules, checklists and paths.

Each rule group is one function taking the :class:`Context` and the problem
list; :func:`check_references` runs them all, so every problem is reported
in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import Position, Problem, did_you_mean
from . import model
from .schema import INVALID


@dataclass(frozen=True)
class Context:
    """The files as far as they convert (a value that did not is INVALID; its problem is already reported), and
    the ids of modules whose file could not be read at all."""

    playbook: model.Playbook
    modules: list[model.Module]
    checklists: list[model.Checklist]
    paths: list[model.LearningPath]
    #: References to these are not reported: the module's own problems are, and would only repeat.
    broken_modules: set[str]

    @property
    def roles(self) -> list[str]:
        return [role.id for role in self.playbook.roles]

    @property
    def module_ids(self) -> list[str]:
        return [module.id for module in self.modules]

    def unknown(self, pos: Position, where: str, kind: str, value: str, known: Iterable[str],
                fix: str) -> Problem | None:
        """``where: 'value' is not a kind; did you mean ...?``, or None for a reference that did not convert or
        is to a broken module."""
        if value is INVALID or (kind.startswith("module") and value.split("/")[0] in self.broken_modules):
            return None
        pos = getattr(value, "pos", pos)  # ids remember where they were written
        known = list(known)
        hint = did_you_mean(value, known) or f" {fix}"
        listing = f" ({kind}s: {', '.join(known)})" if known and len(known) <= 12 else ""
        article = "an" if kind[0] in "aeiou" else "a"
        return Problem(pos, f"{where}: {value!r} is not {article} {kind};{hint}{listing}")


def check_references(context: Context, problems: list[Problem]) -> None:
    for rule in (reading_order, module_references, checklist_references, path_references):
        rule(context, problems)


def _add(problems: list[Problem], problem: Problem | None) -> None:
    if problem is not None:
        problems.append(problem)


def reading_order(context: Context, problems: list[Problem]) -> None:
    """Every module is listed once in the playbook's reading order, and everything listed exists."""
    playbook, module_ids = context.playbook, context.module_ids
    listed: set[str] = set()
    for s_index, section in enumerate(playbook.sections, 1):
        for m_index, module_id in enumerate(section.modules, 1):
            where = f"sections[{s_index}].modules[{m_index}]" if playbook.sectioned else f"modules[{m_index}]"
            if module_id in listed:
                problems.append(Problem(module_id.pos, f"{where}: {module_id!r} is listed twice; keep it in one place"))
            elif module_id not in module_ids:
                _add(problems, context.unknown(section.pos, where, "module", module_id, module_ids,
                                               f"add modules/{module_id}.yml or remove it"))
            listed.add(module_id)
    for module in context.modules:
        if module.id not in listed:
            problems.append(Problem(module.pos, f"module {module.id!r} is not in the reading order; add it to "
                                                f"'sections' (or 'modules') in {playbook.pos.path}"))


def module_references(context: Context, problems: list[Problem]) -> None:
    """A module's roles and its principles' outcomes are the playbook's."""
    roles = context.roles
    outcomes = [outcome.id for outcome in context.playbook.outcomes]
    for module in context.modules:
        for n, role in enumerate(module.roles, 1):
            if role not in roles:
                _add(problems, context.unknown(module.pos, f"roles[{n}]", "role", role, roles,
                                               "add it to the playbook's roles"))
        for n, principle in enumerate(module.principles, 1):
            if principle.outcome not in outcomes:
                _add(problems, context.unknown(principle.pos, f"principles[{n}].outcome", "outcome", principle.outcome,
                                               outcomes, "add it to the playbook's outcomes"))


def checklist_references(context: Context, problems: list[Problem]) -> None:
    """A checklist's roles exist, each ref names a module action once, and item ids are unique."""
    action_keys = [module.action_key(principle, action) for module in context.modules
                   for principle in module.principles for action in principle.actions]
    for checklist in context.checklists:
        for n, role in enumerate(checklist.roles, 1):
            if role not in context.roles:
                _add(problems, context.unknown(checklist.pos, f"roles[{n}]", "role", role, context.roles,
                                               "add it to the playbook's roles"))
        seen_ids: dict[str, Position] = {}
        seen_refs: dict[str, Position] = {}
        for s_index, section in enumerate(checklist.sections, 1):
            for i_index, item in enumerate(section.items, 1):
                where = f"sections[{s_index}].items[{i_index}]"
                if item.ref is not None:
                    _item_ref(context, item, where, action_keys, seen_refs, problems)
                if item.id is not None and item.id is not INVALID:
                    if item.id in seen_ids:
                        problems.append(Problem(item.pos, f"{where}.id: duplicate id {item.id!r} (first at line "
                                                          f"{seen_ids[item.id].line}); give each item its own id"))
                    seen_ids.setdefault(item.id, item.pos)


def _item_ref(context: Context, item: model.ChecklistItem, where: str, action_keys: list[str],
              seen_refs: dict[str, Position], problems: list[Problem]) -> None:
    assert item.ref is not None
    if item.ref in seen_refs:
        problems.append(Problem(item.pos, f"{where}.ref: {item.ref!r} is already item at line "
                                          f"{seen_refs[item.ref].line}; list each action once"))
    seen_refs.setdefault(item.ref, item.pos)
    if item.ref not in action_keys:
        _add(problems, context.unknown(item.pos, f"{where}.ref", "module action", item.ref, action_keys,
                                       "write module/principle/action with ids that exist"))


def path_references(context: Context, problems: list[Problem]) -> None:
    """A path's role and every step's module exist."""
    for path in context.paths:
        if path.role not in context.roles:
            _add(problems, context.unknown(path.pos, "role", "role", path.role, context.roles,
                                           "add it to the playbook's roles"))
        for n, step in enumerate(path.steps, 1):
            if step.module not in context.module_ids:
                _add(problems, context.unknown(step.pos, f"steps[{n}].module", "module", step.module,
                                               context.module_ids, f"add modules/{step.module}.yml or fix the id"))
