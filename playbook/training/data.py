"""Trainer data: who is assigned what, by when, and who finished what.

Private by design: it lives in a folder the trainer names (``--training`` or
``PLAYBOOK_TRAINING``), never under ``content/``, and ``playbook build``
never reads it. Three files, read by the same strict loader and schema
machinery as the content, so problems come out as ``path:line:col``:

``roster.yml``       people: id, name, email, role, team, start date
``assignments.yml``  a person, role or team -> a learning path or modules, with optional start and due dates
``completions.yml``  person, module, date, score, module revision, and (for a completion recorded from a
                     learner's receipt) the date they acknowledged the revision and the digest of the text read

and ``completions/``, a folder of more files like ``completions.yml`` (one a
year, say): completions grow with people x modules x revisions, for as long
as the team keeps records, so they need somewhere to go when one file is full.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import model
from ..content.loader import MIB, Map, Node, SizeLimit, load_yaml
from ..content.schema import INVALID, Date, Field, Id, Int, Kind, ListOf, Record, Text, fail
from ..errors import ContentError, Position, Problem, did_you_mean

#: The folder of further completions files, read after completions.yml in name order.
COMPLETIONS_FOLDER = "completions"
#: The files (and the folder) of a training folder; their names also mark trainer data found where it must not be.
TRAINER_FILES = ("roster.yml", "assignments.yml", "completions.yml", COMPLETIONS_FOLDER)
_SPLIT_COMPLETIONS = f"move older completions into a file of their own in {COMPLETIONS_FOLDER}/, one a year say"
#: Roster and assignments grow with the team, not with time: 1 MiB, as for content, holds some 7,000 people.
TEAM_FILE_LIMIT = SizeLimit(MIB, "keep a training folder for each department rather than one for everyone")
#: Completions grow every year. 500 people doing 60 modules, each revision once, write about 30,000 (3 MB) a
#: year: a file holds two or three such years, and reading one at the limit takes some 6 s and 400 MB.
COMPLETIONS_LIMIT = SizeLimit(8 * MIB, _SPLIT_COMPLETIONS)
#: More than 8 MiB of real completions can hold (each takes 57 bytes or more): a guard against a file of
#: millions of tiny items, each of which would be a problem of its own.
MAX_COMPLETIONS = 150_000
#: Days after the start date that modules assigned without a path are due.
DEFAULT_DUE_DAYS = 14


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str
    role: str
    team: str
    start: dt.date
    pos: Position


@dataclass(frozen=True)
class DueOverride:
    module: str
    date: dt.date
    pos: Position


@dataclass(frozen=True)
class Assignment:
    person: str | None
    role: str | None
    team: str | None
    path: str | None
    modules: tuple[str, ...]
    due_days: int
    start: dt.date | None
    due: tuple[DueOverride, ...]
    pos: Position

    @property
    def target(self) -> str:
        return f"person {self.person}" if self.person else f"role {self.role}" if self.role else f"team {self.team}"


@dataclass(frozen=True)
class Completion:
    person: str
    module: str
    date: dt.date
    score: int | None
    revision: int
    #: When the learner acknowledged the revision (from their receipt); None for completions written by hand.
    acknowledged: dt.date | None
    #: ``sha256:<hex>`` of the module text the learner read, when their receipt named it.
    digest: str | None
    pos: Position


@dataclass(frozen=True)
class Training:
    people: tuple[Person, ...]
    assignments: tuple[Assignment, ...]
    completions: tuple[Completion, ...]


def _one_target(values: dict[str, Any], node: Map, where: str, problems: list[Problem]) -> bool:
    ok = True
    targets = [key for key in ("person", "role", "team") if values[key] is not None]
    if len(targets) != 1:
        problems.append(Problem(node.pos, f"{where}: name exactly one of 'person', 'role' or 'team' to assign to"))
        ok = False
    if (values["path"] is None) == (not values["modules"]):
        problems.append(Problem(node.pos,
                                f"{where}: assign either a 'path' or a list of 'modules', not both or neither"))
        ok = False
    return ok


PERSON = Record(
    Person,
    {
        "id": Field(Id(), "A short id for the person (not their name), used in file names."),
        "name": Field(Text(), "Their name, for their plan."),
        "email": Field(Text(), "Their email address."),
        "role": Field(Id(), "Their role, from the playbook's roles."),
        "team": Field(Id(), "Their team, for assigning to a whole team."),
        "start": Field(Date(), "Their start date (YYYY-MM-DD); due days count from it."),
    },
)
DUE_OVERRIDE = Record(
    DueOverride,
    {
        "module": Field(Id(), "The module whose due date changes."),
        "date": Field(Date(), "The new due date (YYYY-MM-DD)."),
    },
)
ASSIGNMENT = Record(
    Assignment,
    {
        "person": Field(Id(), "A person's id.", required=False),
        "role": Field(Id(), "A role: everyone on the roster with it.", required=False),
        "team": Field(Id(), "A team: everyone on the roster in it.", required=False),
        "path": Field(Id(), "A learning path; its due days apply.", required=False),
        "modules": Field(ListOf(Id(), min_items=0), "Modules to complete, without a path.", required=False,
                         default=()),
        "due_days": Field(Int(0, 3650), "Days after the start that 'modules' are due.", required=False,
                          default=DEFAULT_DUE_DAYS),
        "start": Field(Date(), "Start date for everyone assigned (default: each person's own).", required=False),
        "due": Field(ListOf(DUE_OVERRIDE, min_items=0), "Due dates that replace the computed ones.",
                     required=False, default=()),
    },
    rule=_one_target,
)
#: What :func:`playbook.content.module_digest` gives: "sha256:" and 64 lowercase hex digits.
DIGEST_PATTERN = re.compile(r"sha256:[0-9a-f]{64}")


class Digest(Kind):
    """The digest of a module's published text, as a receipt names it."""

    def convert(self, node: Node, where: str, problems: list[Problem]) -> Any:
        text = Text().convert(node, where, problems)
        if text is INVALID or DIGEST_PATTERN.fullmatch(text):
            return text
        return fail(problems, node.pos, where, f"{text!r} is not a digest; write 'sha256:' and 64 hex digits, "
                                              "as the learner's receipt has it")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{DIGEST_PATTERN.pattern}$"}


COMPLETION = Record(
    Completion,
    {
        "person": Field(Id(), "The person's id."),
        "module": Field(Id(), "The module completed."),
        "date": Field(Date(), "When (YYYY-MM-DD)."),
        "score": Field(Int(0, 100), "Knowledge-check score in percent.", required=False),
        "revision": Field(Int(1), "The module's revision they completed."),
        "acknowledged": Field(Date(), "When they acknowledged that revision (YYYY-MM-DD), from their receipt.",
                              required=False),
        "digest": Field(Digest(), "The digest of the module text they read (sha256:...), from their receipt.",
                        required=False),
    },
)
ROSTER = Record(lambda pos, people: people, {"people": Field(ListOf(PERSON, unique_ids=True), "Everyone.")})
ASSIGNMENTS = Record(lambda pos, assignments: assignments,
                     {"assignments": Field(ListOf(ASSIGNMENT, min_items=0), "Who does what.")})
COMPLETIONS = Record(lambda pos, completions: completions,
                     {"completions": Field(ListOf(COMPLETION, min_items=0, max_items=MAX_COMPLETIONS,
                                                  too_many=_SPLIT_COMPLETIONS), "What was finished.")})


def load_training(folder: Path, site: model.Site) -> Training:
    """The validated trainer data, or ContentError with every problem found."""
    problems: list[Problem] = []
    shown_as = folder.as_posix()
    if not folder.is_dir():
        raise ContentError([Problem(Position(shown_as), "training folder not found; pass --training with the folder "
                                                       "holding roster.yml (or set PLAYBOOK_TRAINING)")])
    people = _load(folder / "roster.yml", f"{shown_as}/roster.yml", ROSTER, TEAM_FILE_LIMIT, problems)
    if people is None:
        problems.append(Problem(Position(f"{shown_as}/roster.yml"), "missing; list the people in a roster.yml"))
    assignments = _load(folder / "assignments.yml", f"{shown_as}/assignments.yml", ASSIGNMENTS, TEAM_FILE_LIMIT,
                        problems)
    # Each file's completions apart: a message numbers a completion within its own file.
    by_file = [_usable(_load(path, where, COMPLETIONS, COMPLETIONS_LIMIT, problems))
               for path, where in _completions_files(folder, shown_as, problems)]
    training = Training(_usable(people), _usable(assignments),
                        tuple(completion for completions in by_file for completion in completions))
    if training.people:  # references to people and teams mean nothing while the roster is missing or has problems
        _check_references(training, site, problems)
        for completions in by_file:
            _check_completions(completions, training, site, problems)
    if problems:
        raise ContentError(problems)
    return training


def _load(path: Path, shown_as: str, kind: Record, limit: SizeLimit, problems: list[Problem]) -> Any:
    """The file's value; None when there is no such file, INVALID when it has problems."""
    if not path.is_file():
        return None
    tree = load_yaml(path, shown_as, problems, limit)
    return kind.convert(tree, "", problems) if tree is not None else INVALID


def _usable(value: Any) -> tuple[Any, ...]:
    return () if value is None or value is INVALID else value


def _completions_files(folder: Path, shown_as: str, problems: list[Problem]) -> list[tuple[Path, str]]:
    """completions.yml, then each ``.yml`` file of completions/ in name order, with the names shown for them."""
    found = [(folder / "completions.yml", f"{shown_as}/completions.yml")]
    archive, archive_shown = folder / COMPLETIONS_FOLDER, f"{shown_as}/{COMPLETIONS_FOLDER}"
    if not archive.exists():
        return found
    if not archive.is_dir():
        problems.append(Problem(Position(archive_shown), "must be a folder of .yml files of completions, not a file; "
                                                         "move it out of the way"))
        return found
    for entry in sorted(archive.iterdir()):
        where = f"{archive_shown}/{entry.name}"
        if entry.name.startswith("."):
            continue  # editor and OS files (.DS_Store, .swp) are not records
        if entry.suffix == ".yaml" and entry.is_file():
            problems.append(Problem(Position(where), f"rename it to {entry.stem}.yml; completions files end in .yml"))
        elif entry.suffix != ".yml" or not entry.is_file():
            problems.append(Problem(Position(where), f"unexpected here; {COMPLETIONS_FOLDER}/ holds only .yml files "
                                                     "of completions, like completions.yml"))
        else:
            found.append((entry, where))
    return found


def _check_references(training: Training, site: model.Site, problems: list[Problem]) -> None:
    """Every role, person, team, path and module the roster and the assignments name exists."""
    # Dictionaries: looked up once per value, in the order they were written for suggestions.
    people = dict.fromkeys(person.id for person in training.people)
    roles = dict.fromkeys(role.id for role in site.playbook.roles)
    teams = dict.fromkeys(sorted({person.team for person in training.people}))
    modules = dict.fromkeys(module.id for module in site.modules)
    paths = dict.fromkeys(path.id for path in site.paths)
    for n, person in enumerate(training.people, 1):
        _known(person.role, roles, "role", f"people[{n}].role", person.pos, problems)
    for n, assignment in enumerate(training.assignments, 1):
        where = f"assignments[{n}]"
        _known(assignment.person, people, "person", f"{where}.person", assignment.pos, problems)
        _known(assignment.role, roles, "role", f"{where}.role", assignment.pos, problems)
        _known(assignment.team, teams, "team", f"{where}.team", assignment.pos, problems)
        _known(assignment.path, paths, "learning path", f"{where}.path", assignment.pos, problems)
        for m, module_id in enumerate(assignment.modules, 1):
            _known(module_id, modules, "module", f"{where}.modules[{m}]", assignment.pos, problems)
        assigned = assigned_modules(assignment, site)
        for m, override in enumerate(assignment.due, 1):
            if _known(override.module, modules, "module", f"{where}.due[{m}].module", override.pos, problems):
                _check_override_assigned(override, assigned, f"{where}.due[{m}].module", problems)


def _check_completions(completions: tuple[Completion, ...], training: Training, site: model.Site,
                       problems: list[Problem]) -> None:
    """Each completion of one file names a person on the roster and a module, at a revision it has had."""
    people = dict.fromkeys(person.id for person in training.people)
    modules = {module.id: module for module in site.modules}
    for n, completion in enumerate(completions, 1):
        where = f"completions[{n}]"
        _known(completion.person, people, "person", f"{where}.person", completion.pos, problems)
        if _known(completion.module, modules, "module", f"{where}.module", completion.pos, problems):
            _check_revision(completion, modules[completion.module], where, problems)


def _known(value: str | None, known: dict[str, Any], kind: str, where: str, fallback: Position,
           problems: list[Problem]) -> bool:
    """Whether ``value`` (when given) is one of the ``known`` ids; if not, a problem that suggests the closest."""
    if value is None or value in known:
        return True
    hint = did_you_mean(value, list(known)) or f" check the {kind} ids"
    problems.append(Problem(getattr(value, "pos", fallback), f"{where}: {value!r} is not a known {kind};{hint}"))
    return False


def _check_revision(completion: Completion, module: model.Module, where: str, problems: list[Problem]) -> None:
    if completion.revision > module.revision:
        problems.append(Problem(completion.pos, f"{where}.revision: {completion.revision} is newer than "
                                                f"the module's revision {module.revision}; check the record"))


def _check_override_assigned(override: DueOverride, assigned: list[str], where: str, problems: list[Problem]) -> None:
    if override.module not in assigned:
        problems.append(Problem(getattr(override.module, "pos", override.pos), f"{where}: {override.module!r} is not "
                                "part of this assignment; assign it or remove the due date"))


def assigned_modules(assignment: Assignment, site: model.Site) -> list[str]:
    if assignment.path is not None:
        path = next((p for p in site.paths if p.id == assignment.path), None)
        return [step.module for step in path.steps] if path else []
    return list(assignment.modules)


def roster_words(folder: Path) -> list[str]:
    """Names and emails on a roster, for the site's privacy scan to look for.

    A roster that cannot be read stops the build with its problems: reading what it could would leave the
    people on a broken entry unprotected, without anyone knowing.
    """
    path = folder / "roster.yml"
    problems: list[Problem] = []
    people = _usable(_load(path, path.as_posix(), ROSTER, TEAM_FILE_LIMIT, problems))
    if problems:
        problems.append(Problem(Position(path.as_posix()), "the site is checked for every name on the roster "
                                                           "before it is published; fix the roster first"))
        raise ContentError(problems)
    return [word for person in people for word in (person.name, person.email) if len(word.strip()) >= 3]
