"""Load and validate a content folder into a :class:`model.Site`.

1. :mod:`.folder` finds the files and reports what does not belong;
2. each file is read strictly (:mod:`.loader`) and converted through its
   schema (:mod:`.files`);
3. :mod:`.rules` checks what spans files.

Every problem is collected; :func:`load_site` raises one :class:`ContentError`
holding them all, sorted by position.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ContentError, Position, Problem
from . import model
from .cache import FileCache
from .files import CHECKLIST, INTRO_FRONT_MATTER, MODULE, PATH, PLAYBOOK
from .folder import FOLDERS, PLAYBOOK_FILE, Found, Source, check_top_level, scan
from .loader import load_yaml
from .markdown_file import load_markdown
from .rendered import check_markdown
from .rules import Context, check_references
from .schema import ID_PATTERN, INVALID, Record
from .translations import load_translations

#: The schema of each sub-folder's files, in the order they are read.
SCHEMAS = {"modules": MODULE, "checklists": CHECKLIST, "paths": PATH}
assert tuple(SCHEMAS) == FOLDERS


def load_site(content_dir: Path | str, private: Collection[str] = (), cache: FileCache | None = None) -> model.Site:
    """The validated site model, or ContentError with every problem found.

    ``private`` names files that must never be in the content folder (the
    trainer data's, which hold people's names): each one found is a problem.
    With a ``cache`` (the preview's), files whose bytes did not change since
    the last load with it are not converted again.
    """
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    shown_as = content_dir.as_posix().rstrip("/") or "."
    if not content_dir.is_dir():
        raise ContentError([Problem(Position(shown_as),
                                    "content folder not found; pass --content with the folder holding playbook.yml")])
    check_top_level(content_dir, shown_as, private, problems)
    playbook = _load_playbook(content_dir, shown_as, cache, problems)
    found = {folder: scan(content_dir / folder, f"{shown_as}/{folder}", private, problems) for folder in FOLDERS}
    documents, broken_modules = _convert_folders(found, cache, problems)
    modules = _attach_intros(documents["modules"], found["modules"].md, cache, problems)
    if playbook is not None:
        context = Context(playbook, modules, documents["checklists"], documents["paths"], broken_modules)
        check_references(context, problems)
    if problems or playbook is None:
        raise ContentError(problems)
    order = [module_id for section in playbook.sections for module_id in section.modules]
    by_id = {module.id: module for module in modules}
    site = model.Site(
        playbook=playbook,
        modules=tuple(by_id[module_id] for module_id in order),
        checklists=tuple(sorted(documents["checklists"], key=lambda c: c.id)),
        paths=tuple(sorted(documents["paths"], key=lambda p: p.id)),
    )
    # Translations are checked against the source once it is sound: against a broken one they would only repeat it.
    translations = load_translations(content_dir, shown_as, site, private, _load_intro, problems)
    if problems:
        raise ContentError(problems)
    return replace(site, translations=translations)


def _load_playbook(content_dir: Path, shown_as: str, cache: FileCache | None,
                   problems: list[Problem]) -> model.Playbook | None:
    path, where = content_dir / PLAYBOOK_FILE, f"{shown_as}/{PLAYBOOK_FILE}"
    if path.is_file():
        return _convert_file(Source(path, where), PLAYBOOK, cache, problems)
    if path.exists():
        problems.append(Problem(Position(where), "must be a file, not a folder; move it away"))
    else:
        problems.append(Problem(Position(where), "missing; every content folder needs a playbook.yml"))
    return None


def _convert_folders(found: dict[str, Found], cache: FileCache | None,
                     problems: list[Problem]) -> tuple[dict[str, list[Any]], set[str]]:
    """Each folder's converted files (one per id), and the ids of modules whose file has problems."""
    documents: dict[str, list[Any]] = {}
    broken_modules: set[str] = set()
    for folder, kind in SCHEMAS.items():
        converted = []
        for source in found[folder].yml:
            item = _convert_file(source, kind, cache, problems)
            if item is not None:
                converted.append(item)
            elif folder == "modules":
                broken_modules.add(source.stem)
        documents[folder] = _unique_by_id(converted, folder, problems)
    return documents, broken_modules


def _convert_file(source: Source, kind: Record, cache: FileCache | None, problems: list[Problem]) -> Any:
    return _converted(source, functools.partial(_convert_yaml, source, kind), cache, problems)


def _converted(source: Source, convert: Callable[[list[Problem]], Any], cache: FileCache | None,
               problems: list[Problem]) -> Any:
    """``convert(problems)``, through the preview's cache where there is one."""
    return convert(problems) if cache is None else cache.convert(source, convert, problems)


def _convert_yaml(source: Source, kind: Record, problems: list[Problem]) -> Any:
    tree = load_yaml(source.path, source.shown_as, problems)
    if tree is None:
        return None
    value = kind.convert(tree, "", problems)
    if value is INVALID:
        # Its problems are reported; what of it converts still takes part in the rules across files.
        value = kind.salvage(tree)
    if value is INVALID:
        return None
    item_id = getattr(value, "id", None)
    # An id that is no valid id at all is reported as such; that it differs from the file name would only repeat it.
    if item_id is not None and item_id != source.stem and ID_PATTERN.fullmatch(item_id):
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


def _attach_intros(modules: list[model.Module], intros: list[Source], cache: FileCache | None,
                   problems: list[Problem]) -> list[model.Module]:
    """The modules, each with its ``<id>.md`` introduction where it has a good one."""
    by_id = {module.id: module for module in modules}
    for source in intros:
        if source.stem not in by_id:
            if not source.path.with_suffix(".yml").exists():  # else the module's own file has problems
                problems.append(Problem(Position(source.shown_as),
                                        f"introduction without a module; add {source.stem}.yml or rename this file "
                                        "after an existing module"))
            continue
        intro = _converted(source, functools.partial(_load_intro, source), cache, problems)
        if intro is not None:
            by_id[source.stem] = replace(by_id[source.stem], intro=intro)
    return [by_id[module.id] for module in modules]


def _load_intro(source: Source, problems: list[Problem]) -> model.Intro | None:
    """A module's introduction: optional front matter with a title, then Markdown under the site's policy."""
    document = load_markdown(source.path, source.shown_as, problems)
    if document is None:
        return None
    title = "Introduction"
    if document.front_matter is not None:
        title = INTRO_FRONT_MATTER.convert(document.front_matter, "", problems)
        if title is INVALID:
            return None
    if not document.body.strip():
        problems.append(Problem(document.body_pos, "the introduction is empty; write it or delete the file"))
        return None
    markup = check_markdown(document.body, relative_links=True)
    for line, message in markup:
        problems.append(Problem(Position(source.shown_as, document.body_pos.line + line, 1), message))
    if markup:
        return None
    # The line of a setext title starts with what is not white space: one way only to split the text.
    if re.match(r"\s*(# |\S[^\n]*\n=+[ \t]*(\n|$))", document.body):
        problems.append(Problem(document.body_pos,
                                "the introduction starts with a '# ' title; remove it (the page takes the module's "
                                "title) or use '## ' for a subheading"))
        return None
    return model.Intro(title, document.body.strip() + "\n", document.body_pos)
