"""Load and validate a content folder into a :class:`model.Site`.

Reads every file (see :mod:`playbook.loader`), converts each through its
schema (:mod:`playbook.schema`), then checks what spans files: ids against
file names, references between files, the declared module order. Every
problem is collected; :func:`load_site` raises one :class:`ContentError`
holding them all, sorted by position.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import model, schema, speed
from .loader import load_markdown, load_yaml
from .problems import ContentError, Position, Problem, did_you_mean
from .text import markup_problems
from .training import TRAINER_FILES

PLAYBOOK_FILE = "playbook.yml"
#: Sub-folders of the content folder and the schema of their files.
FOLDERS = {"modules": schema.MODULE, "checklists": schema.CHECKLIST, "paths": schema.PATH}
#: Names in the content folder that are not content but may sit there.
IGNORED_TOP_LEVEL = frozenset({"README.md"})


@dataclass(frozen=True)
class _Source:
    """A content file found on disk, under the name the user will recognise."""

    path: Path
    display: str

    @property
    def stem(self) -> str:
        return self.path.stem


@speed.collector_paused()
def load_site(content_dir: Path | str) -> model.Site:
    """The validated site model, or ContentError with every problem found."""
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    display_root = content_dir.as_posix().rstrip("/") or "."

    if not content_dir.is_dir():
        raise ContentError(
            [Problem(Position(display_root), "content folder not found; pass --content with the folder holding playbook.yml")]
        )
    _check_top_level(content_dir, display_root, problems)

    playbook = None
    playbook_path = content_dir / PLAYBOOK_FILE
    if playbook_path.is_file():
        playbook = _convert_file(_Source(playbook_path, f"{display_root}/{PLAYBOOK_FILE}"), schema.PLAYBOOK, problems)
    elif playbook_path.exists():
        problems.append(Problem(Position(f"{display_root}/{PLAYBOOK_FILE}"), "must be a file, not a folder; move it away"))
    else:
        problems.append(
            Problem(Position(f"{display_root}/{PLAYBOOK_FILE}"), "missing; every content folder needs a playbook.yml")
        )

    found = {folder: _scan(content_dir / folder, f"{display_root}/{folder}", problems) for folder in FOLDERS}
    documents: dict[str, list[Any]] = {}
    #: Modules whose file has problems: references to them are not reported again.
    broken_modules: set[str] = set()
    jobs = [(kind, source) for folder, kind in FOLDERS.items() for source in found[folder]["yml"]]
    converted = iter(_convert_files(jobs))
    for folder in FOLDERS:
        documents[folder] = []
        for source in found[folder]["yml"]:
            item, file_problems = next(converted)
            problems.extend(file_problems)
            if item is not None:
                documents[folder].append(item)
            elif folder == "modules":
                broken_modules.add(source.stem)
        documents[folder] = _unique_by_id(documents[folder], folder, problems)

    modules = _attach_intros(documents["modules"], found["modules"]["md"], problems)
    if playbook is not None:
        _check_references(playbook, modules, broken_modules, documents["checklists"], documents["paths"], problems)

    if problems or playbook is None:
        raise ContentError(problems)
    order = [module_id for section in playbook.sections for module_id in section.modules]
    by_id = {module.id: module for module in modules}
    return model.Site(
        playbook=playbook,
        modules=tuple(by_id[module_id] for module_id in order),
        checklists=tuple(sorted(documents["checklists"], key=lambda c: c.id)),
        paths=tuple(sorted(documents["paths"], key=lambda p: p.id)),
    )


def _trainer_data_problem(display: str) -> Problem:
    return Problem(
        Position(display),
        "trainer data (people's names and emails) must never be in the content folder, which is published; "
        "move it to a private folder such as training/ beside content/",
    )


def _check_top_level(content_dir: Path, display_root: str, problems: list[Problem]) -> None:
    expected = [PLAYBOOK_FILE, *FOLDERS]
    for entry in sorted(os.scandir(content_dir), key=lambda e: e.name):
        if entry.name in TRAINER_FILES or entry.name == "training":
            problems.append(_trainer_data_problem(f"{display_root}/{entry.name}"))
            continue
        if entry.name.startswith(".") or entry.name in IGNORED_TOP_LEVEL or entry.name in expected:
            if entry.name in expected and entry.is_symlink():
                problems.append(_symlink_problem(f"{display_root}/{entry.name}"))
            continue
        hint = did_you_mean(entry.name, expected) or " move it out of the content folder"
        problems.append(
            Problem(
                Position(f"{display_root}/{entry.name}"),
                f"not part of a playbook;{hint} (the content folder holds {', '.join(expected)})",
            )
        )


def _symlink_problem(display: str) -> Problem:
    return Problem(Position(display), "is a symbolic link; put the real file or folder here instead")


def _scan(folder: Path, display: str, problems: list[Problem]) -> dict[str, list[_Source]]:
    """The folder's ``.yml`` and ``.md`` files; anything else is a problem."""
    found: dict[str, list[_Source]] = {"yml": [], "md": []}
    if folder.is_symlink() or not folder.exists():
        return found  # a symbolic link is reported with the top level
    if not folder.is_dir():
        problems.append(Problem(Position(display), "must be a folder, not a file; move the file away"))
        return found
    markdown_allowed = folder.name == "modules"
    allowed = "<id>.yml and <id>.md" if markdown_allowed else "<id>.yml"
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(Position(display), f"cannot read the folder ({exc.strerror}); check its permissions"))
        return found
    names = {entry.name for entry in entries}
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue  # editor and OS files (.DS_Store, .swp) are not content
        where = f"{display}/{name}"
        if name in TRAINER_FILES:
            problems.append(_trainer_data_problem(where))
            continue
        if entry.is_symlink():
            problems.append(_symlink_problem(where))
            continue
        stem, dot, suffix = name.rpartition(".")
        if entry.is_dir() or not dot:
            problems.append(Problem(Position(where), f"unexpected here; {display} holds only {allowed} files"))
            continue
        if suffix == "yaml":
            problems.append(Problem(Position(where), f"rename it to {stem}.yml; content files end in .yml"))
            continue
        if suffix not in ("yml", "md") or (suffix == "md" and not markdown_allowed):
            problems.append(Problem(Position(where), f"unexpected here; {display} holds only {allowed} files"))
            continue
        if not schema.ID_PATTERN.fullmatch(stem):
            # Ids are lowercase, so files named after them can never clash on a case-insensitive disk.
            twin = name.lower()
            clash = f" (it would also clash with {twin} on Windows and macOS disks)" if twin in names else ""
            problems.append(
                Problem(
                    Position(where),
                    f"file name {stem!r} is not a valid id{clash}; name the file after its id "
                    "(lowercase letters, digits and '-')",
                )
            )
            continue
        found[suffix].append(_Source(Path(entry.path), where))
    return found


#: From this many content files on, half of them are read in a second process (see playbook.speed).
PARALLEL_FILES = 24


def _convert_files(jobs: list[tuple[schema.Record, _Source]]) -> list[tuple[Any, list[Problem]]]:
    """Each file's value (None when it has problems) and its problems, in the order given."""

    def convert(part: list[tuple[schema.Record, _Source]]) -> list[tuple[Any, list[Problem]]]:
        results = []
        for kind, source in part:
            file_problems: list[Problem] = []
            results.append((_convert_file(source, kind, file_problems), file_problems))
        return results

    middle = len(jobs) // 2
    first, second = speed.both(
        lambda: convert(jobs[:middle]), lambda: convert(jobs[middle:]), worth_it=len(jobs) >= PARALLEL_FILES
    )
    return first + second


def _convert_file(source: _Source, kind: schema.Record, problems: list[Problem]) -> Any:
    tree = load_yaml(source.path, source.display, problems)
    if tree is None:
        return None
    value = kind.convert(tree, "", problems)
    if value is schema.INVALID:
        return None
    item_id = getattr(value, "id", None)
    if item_id is not None and item_id != source.stem:
        id_node = tree.get("id")
        problems.append(
            Problem(
                id_node.pos if id_node is not None else tree.pos,
                f"id: {item_id!r} does not match the file name {source.path.name!r}; "
                f"rename the file to {item_id}.yml or change the id to {source.stem!r}",
            )
        )
    return value


def _unique_by_id(items: list[Any], folder: str, problems: list[Problem]) -> list[Any]:
    """Drop items whose id another file already uses, naming both files."""
    first: dict[str, Any] = {}
    unique = []
    for item in items:
        if item.id in first:
            problems.append(
                Problem(
                    item.pos,
                    f"id: {item.id!r} is also the id of {first[item.id].pos.path}; "
                    f"give each of the {folder} its own id",
                )
            )
            continue
        first[item.id] = item
        unique.append(item)
    return unique


def _attach_intros(modules: list[model.Module], intros: list[_Source], problems: list[Problem]) -> list[model.Module]:
    by_id = {module.id: module for module in modules}
    for source in intros:
        module = by_id.get(source.stem)
        yml_twin = source.path.with_suffix(".yml")
        if module is None:
            if not yml_twin.exists():
                problems.append(
                    Problem(
                        Position(source.display),
                        f"introduction without a module; add {source.stem}.yml or rename this file "
                        "after an existing module",
                    )
                )
            continue
        document = load_markdown(source.path, source.display, problems)
        if document is None:
            continue
        title = "Introduction"
        if document.front_matter is not None:
            title = schema.INTRO_FRONT_MATTER.convert(document.front_matter, "", problems)
            if title is schema.INVALID:
                continue
        if not document.body.strip():
            problems.append(Problem(document.body_pos, "the introduction is empty; write it or delete the file"))
            continue
        markup = markup_problems(document.body, relative_links=True)
        for line, message in markup:
            problems.append(Problem(Position(source.display, document.body_pos.line + line, 1), message))
        if markup:
            continue
        if re.match(r"\s*(# |[^\n]+\n=+[ \t]*(\n|$))", document.body):
            problems.append(
                Problem(
                    document.body_pos,
                    "the introduction starts with a '# ' title; remove it (the page takes the module's title) "
                    "or use '## ' for a subheading",
                )
            )
            continue
        by_id[module.id] = replace(module, intro=model.Intro(title, document.body.strip() + "\n", document.body_pos))
    return [by_id[module.id] for module in modules]


def _check_references(
    playbook: model.Playbook,
    modules: list[model.Module],
    broken_modules: set[str],
    checklists: list[model.Checklist],
    paths: list[model.LearningPath],
    problems: list[Problem],
) -> None:
    roles = [role.id for role in playbook.roles]
    outcomes = [outcome.id for outcome in playbook.outcomes]
    module_ids = [module.id for module in modules]

    def unknown(pos: Position, where: str, kind: str, value: str, known: Iterable[str], fix: str) -> None:
        if kind.startswith("module") and value.split("/")[0] in broken_modules:
            return  # that module's own problems are reported; a missing key here would only repeat them
        pos = getattr(value, "pos", pos)  # ids remember where they were written
        known = list(known)
        hint = did_you_mean(value, known) or f" {fix}"
        listing = f" ({kind}s: {', '.join(known)})" if known and len(known) <= 12 else ""
        problems.append(Problem(pos, f"{where}: {value!r} is not {_article(kind)} {kind};{hint}{listing}"))

    listed: dict[str, Position] = {}
    for s_index, section in enumerate(playbook.sections, 1):
        for m_index, module_id in enumerate(section.modules, 1):
            where = f"sections[{s_index}].modules[{m_index}]" if playbook.sectioned else f"modules[{m_index}]"
            if module_id in listed:
                problems.append(
                    Problem(module_id.pos, f"{where}: {module_id!r} is listed twice; keep it in one place")
                )
            elif module_id not in module_ids:
                unknown(section.pos, where, "module", module_id, module_ids, f"add modules/{module_id}.yml or remove it")
            listed.setdefault(module_id, section.pos)
    for module in modules:
        if module.id not in listed:
            problems.append(
                Problem(
                    module.pos,
                    f"module {module.id!r} is not in the reading order; add it to 'sections' "
                    f"(or 'modules') in {playbook.pos.path}",
                )
            )
        for n, role in enumerate(module.roles, 1):
            if role not in roles:
                unknown(module.pos, f"roles[{n}]", "role", role, roles, "add it to the playbook's roles")
        for n, principle in enumerate(module.principles, 1):
            if principle.outcome not in outcomes:
                unknown(
                    principle.pos, f"principles[{n}].outcome", "outcome", principle.outcome, outcomes,
                    "add it to the playbook's outcomes",
                )

    action_keys = [
        module.action_key(principle, action)
        for module in modules
        for principle in module.principles
        for action in principle.actions
    ]
    for checklist in checklists:
        for n, role in enumerate(checklist.roles, 1):
            if role not in roles:
                unknown(checklist.pos, f"roles[{n}]", "role", role, roles, "add it to the playbook's roles")
        seen_ids: dict[str, Position] = {}
        seen_refs: dict[str, Position] = {}
        for s_index, section in enumerate(checklist.sections, 1):
            for i_index, item in enumerate(section.items, 1):
                where = f"sections[{s_index}].items[{i_index}]"
                if item.ref is not None:
                    if item.ref in seen_refs:
                        problems.append(Problem(item.pos, f"{where}.ref: {item.ref!r} is already item at line "
                                                          f"{seen_refs[item.ref].line}; list each action once"))
                    seen_refs.setdefault(item.ref, item.pos)
                if item.ref is not None and item.ref not in action_keys:
                    unknown(item.pos, f"{where}.ref", "module action", item.ref, action_keys,
                            "write module/principle/action with ids that exist")
                if item.id is not None:
                    if item.id in seen_ids:
                        problems.append(
                            Problem(
                                item.pos,
                                f"{where}.id: duplicate id {item.id!r} (first at line {seen_ids[item.id].line}); "
                                "give each item its own id",
                            )
                        )
                    seen_ids.setdefault(item.id, item.pos)

    for path in paths:
        if path.role not in roles:
            unknown(path.pos, "role", "role", path.role, roles, "add it to the playbook's roles")
        for n, step in enumerate(path.steps, 1):
            if step.module not in module_ids:
                unknown(step.pos, f"steps[{n}].module", "module", step.module, module_ids,
                        f"add modules/{step.module}.yml or fix the id")


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
