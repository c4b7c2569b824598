"""When each person's training is due, and where each person stands on each module."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content import model
from .data import Completion, Person, Training


@dataclass(frozen=True)
class Due:
    """One module a person must complete, and by when."""

    module: model.Module
    date: dt.date
    #: Where it comes from: "path <id>" or "modules".
    source: str


def add_days(start: dt.date, days: int, *, skip_weekends: bool) -> dt.date:
    """``start`` plus ``days``; with ``skip_weekends`` only Monday to Friday count."""
    if not skip_weekends:
        return start + dt.timedelta(days=days)
    day = start
    while day.weekday() >= 5:  # a start on a weekend counts from Monday
        day += dt.timedelta(days=1)
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def plan(person: Person, training: Training, site: model.Site, *, skip_weekends: bool = False) -> list[Due]:
    """What ``person`` is assigned, earliest due first (a module assigned twice keeps its earliest date)."""
    dues: dict[str, Due] = {}
    mine = [a for a in training.assignments
            if a.person == person.id or a.role == person.role or a.team == person.team]
    # A date a trainer wrote down beats any computed one; among several, the earliest.
    overridden: dict[str, dt.date] = {}
    for assignment in mine:
        for override in assignment.due:
            if override.module not in overridden or override.date < overridden[override.module]:
                overridden[override.module] = override.date
    for assignment in mine:
        start = assignment.start or person.start
        if assignment.path is not None:
            path = next(p for p in site.paths if p.id == assignment.path)
            offsets = [(step.module, step.due_days) for step in path.steps]
            source = f"path {path.id}"
        else:
            offsets = [(module_id, assignment.due_days) for module_id in assignment.modules]
            source = "modules"
        for module_id, days in offsets:
            date = overridden.get(module_id) or add_days(start, days, skip_weekends=skip_weekends)
            if module_id not in dues or date < dues[module_id].date:
                dues[module_id] = Due(site.module(module_id), date, source)
    order = {module.id: n for n, module in enumerate(site.modules)}
    return sorted(dues.values(), key=lambda due: (due.date, order[due.module.id]))


#: Matrix cell states, in the order the legend shows them.
STATES = ("done", "outdated", "overdue", "due", "not assigned")


@dataclass(frozen=True)
class Cell:
    state: str
    due: dt.date | None
    completed: Completion | None
    #: For an outdated cell: the date the newer revision must be completed by.
    retrain: dt.date | None = None

    @property
    def deadline(self) -> dt.date | None:
        """The date that makes the cell overdue once it has passed: the retrain date of an outdated module, else
        the due date."""
        return self.retrain if self.state == "outdated" else self.due


def latest_completions(training: Training) -> dict[tuple[str, str], Completion]:
    """By person and module, the completion that counts: of the highest revision, the latest.

    One pass over every completion, so the matrix looks each cell up instead of searching them all.
    """
    latest: dict[tuple[str, str], Completion] = {}
    for completion in training.completions:
        key = (completion.person, completion.module)
        known = latest.get(key)
        if known is None or (completion.revision, completion.date) > (known.revision, known.date):
            latest[key] = completion
    return latest


def retrain_by(module: model.Module, completed: Completion, retrain_days: int) -> dt.date:
    """When a person who completed an older revision must have completed the current one.

    ``retrain_days`` after the module was updated (its ``updated`` date says when the new revision came out);
    without that date, or with one from before the completion (``updated`` not kept up), the completion date
    is the only date known to count from.
    """
    start = module.updated if module.updated is not None and module.updated > completed.date else completed.date
    return start + dt.timedelta(days=retrain_days)


def status(module: model.Module, dues: dict[str, Due], latest: Completion | None, today: dt.date,
           retrain_days: int = 14) -> Cell:
    """Where a person stands on a module today, given their plan and the completion of it that counts.

    A completion of the current revision is done; of an older one, outdated
    (the module changed materially since), with a date to retrain by.
    Otherwise an assigned module is due, or overdue once its date has passed.
    """
    due = dues.get(module.id)
    due_date = due.date if due else None
    if latest is not None and latest.revision >= module.revision:
        return Cell("done", due_date, latest)
    if latest is not None:
        return Cell("outdated", due_date, latest, retrain_by(module, latest, retrain_days))
    if due is None:
        return Cell("not assigned", None, None)
    return Cell("overdue" if due.date < today else "due", due.date, None)


@dataclass(frozen=True)
class Matrix:
    people: tuple[Person, ...]
    modules: tuple[model.Module, ...]
    cells: dict[tuple[str, str], Cell]
    today: dt.date

    def cell(self, person: Person, module: model.Module) -> Cell:
        return self.cells[(person.id, module.id)]

    def count(self, state: str) -> int:
        return sum(cell.state == state for cell in self.cells.values())

    @property
    def overdue(self) -> list[tuple[Person, model.Module, Cell]]:
        """What is past its date: overdue modules, and outdated ones past their retrain date."""
        late = [(p, m, cell) for p in self.people for m in self.modules
                if (cell := self.cell(p, m)).state in ("overdue", "outdated") and cell.deadline is not None
                and cell.deadline < self.today]
        return sorted(late, key=lambda row: (row[2].deadline, row[0].id, row[1].id))


def matrix(site: model.Site, training: Training, *, today: dt.date, skip_weekends: bool = False) -> Matrix:
    cells = {}
    latest = latest_completions(training)
    for person in training.people:
        dues = {due.module.id: due for due in plan(person, training, site, skip_weekends=skip_weekends)}
        for module in site.modules:
            cells[(person.id, module.id)] = status(module, dues, latest.get((person.id, module.id)), today,
                                                   site.playbook.retrain_days)
    return Matrix(training.people, site.modules, cells, today)
