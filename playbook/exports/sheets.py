"""Every checklist of the site as a :class:`Sheet`: each situational checklist, each module's
actions and each learning path's steps, named ``<kind>-<id>``."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import model
from ..messages import Messages, messages


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    #: Markdown, as written in the content.
    text: str
    outcome: str
    module: str


@dataclass(frozen=True)
class Sheet:
    """One checklist, whatever it came from."""

    name: str
    kind: str
    title: str
    summary: str
    #: "Module title (revision N)" for every module the items come from.
    revisions: tuple[str, ...]
    items: tuple[Item, ...]

    @property
    def sections(self) -> list[tuple[str, list[Item]]]:
        grouped: dict[str, list[Item]] = {}
        for item in self.items:
            grouped.setdefault(item.section, []).append(item)
        return list(grouped.items())


def sheets(site: model.Site, words: Messages | None = None) -> list[Sheet]:
    """Every checklist of the site: situational ones, then modules, then paths; their own words in ``words``'
    language (English by default)."""
    _ = words or messages(None)
    return ([_from_checklist(site, checklist, _) for checklist in site.checklists]
            + [_from_module(site, module, _) for module in site.modules]
            + [_from_path(site, path, _) for path in site.paths])


def _revision(module: model.Module, _: Messages) -> str:
    return _("{title} (revision {revision})", title=module.title, revision=module.revision)


def _from_checklist(site: model.Site, checklist: model.Checklist, _: Messages) -> Sheet:
    items, modules = [], []
    for entry in site.checklist_items(checklist):
        found = entry.source
        outcome = site.outcome(found.principle.outcome).title if found else ""
        items.append(Item(entry.key, entry.section.title, entry.text, outcome, found.module.id if found else ""))
        if found and found.module not in modules:
            modules.append(found.module)
    return Sheet(f"checklist-{checklist.id}", _("Checklist"), checklist.title, checklist.summary,
                 tuple(_revision(module, _) for module in modules), tuple(items))


def _from_module(site: model.Site, module: model.Module, _: Messages) -> Sheet:
    items = tuple(
        Item(module.action_key(principle, action), principle.title, action.text,
             site.outcome(principle.outcome).title, module.id)
        for principle in module.principles
        for action in principle.actions
    )
    return Sheet(f"module-{module.id}", _("Module checklist"), module.title, module.summary,
                 (_revision(module, _),), items)


def _from_path(site: model.Site, path: model.LearningPath, _: Messages) -> Sheet:
    items = []
    for step in path.steps:
        module = site.module(step.module)
        due = _("on the start day") if step.due_days == 0 else _("by day {day}", day=step.due_days)
        text = _("Complete {title} ({minutes} min), {due}", title=module.title, minutes=module.minutes, due=due)
        items.append(Item(f"{path.id}/{module.id}", _("Modules to complete"), text, "", module.id))
    modules = [site.module(step.module) for step in path.steps]
    return Sheet(f"path-{path.id}", _("Onboarding checklist"), path.title, path.summary,
                 tuple(_revision(module, _) for module in modules), tuple(items))
