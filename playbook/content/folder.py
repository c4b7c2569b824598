"""What is in a content folder: the files it may hold, under the names users will recognise.

Anything that is not content is reported here with its path: unknown files
and folders, symbolic links, ``.yaml`` names, names that are not ids, and
files the caller names as private (trainer data, which must never be
published).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..errors import Position, Problem, did_you_mean
from .schema import ID_PATTERN

PLAYBOOK_FILE = "playbook.yml"
#: Sub-folders of the content folder, in the order they are read.
FOLDERS = ("modules", "checklists", "paths")
#: Where translations are, one sub-folder per language (see :mod:`playbook.content.translations`).
TRANSLATIONS_FOLDER = "translations"
#: Names in the content folder that are not content but may sit there.
IGNORED_TOP_LEVEL = frozenset({"README.md"})
#: A folder of that name is trainer data too, whatever it holds.
PRIVATE_FOLDER = "training"


@dataclass(frozen=True)
class Source:
    """A content file found on disk, under the name the user will recognise."""

    path: Path
    shown_as: str

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Found:
    """A sub-folder's files: ``<id>.yml`` and (in ``modules/``) ``<id>.md``."""

    yml: list[Source]
    md: list[Source]


def check_top_level(content_dir: Path, shown_as: str, private: Collection[str], problems: list[Problem],
                    expected: tuple[str, ...] = (PLAYBOOK_FILE, *FOLDERS, TRANSLATIONS_FOLDER),
                    what: str = "a playbook", home: str = "the content folder") -> None:
    """Report what does not belong at the top of the content folder, or (``expected``, ``what`` and ``home``
    saying so) of another folder of the same kind, such as one language's translation."""
    for entry in sorted(os.scandir(content_dir), key=lambda e: e.name):
        where = f"{shown_as}/{entry.name}"
        if entry.name in private or entry.name == PRIVATE_FOLDER:
            problems.append(_private_problem(where))
        elif entry.name in expected:
            if entry.is_symlink():
                problems.append(_symlink_problem(where))
        elif not (entry.name.startswith(".") or entry.name in IGNORED_TOP_LEVEL):
            hint = did_you_mean(entry.name, list(expected)) or f" move it out of {home}"
            problems.append(Problem(Position(where), f"not part of {what};{hint} ({home} holds {', '.join(expected)})"))


def scan(folder: Path, shown_as: str, private: Collection[str], problems: list[Problem]) -> Found:
    """The folder's ``.yml`` and ``.md`` files; anything else is a problem."""
    found = Found([], [])
    if folder.is_symlink() or not folder.exists():
        return found  # a symbolic link is reported with the top level
    if not folder.is_dir():
        problems.append(Problem(Position(shown_as), "must be a folder, not a file; move the file away"))
        return found
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(Position(shown_as), f"cannot read the folder ({exc.strerror}); check its permissions"))
        return found
    names = {entry.name for entry in entries}
    for entry in entries:
        if entry.name.startswith("."):
            continue  # editor and OS files (.DS_Store, .swp) are not content
        problem = _entry_problem(entry, shown_as, folder.name == "modules", names, private)
        if problem is not None:
            problems.append(problem)
        else:
            getattr(found, entry.name.rpartition(".")[2]).append(Source(Path(entry.path), f"{shown_as}/{entry.name}"))
    return found


def _entry_problem(entry: os.DirEntry[str], shown_as: str, markdown_allowed: bool, names: set[str],
                   private: Collection[str]) -> Problem | None:
    """Why this entry of the sub-folder ``shown_as`` is not a content file, or None when it is one."""
    name, where = entry.name, f"{shown_as}/{entry.name}"
    allowed = "<id>.yml and <id>.md" if markdown_allowed else "<id>.yml"
    stem, dot, suffix = name.rpartition(".")
    if name in private:
        return _private_problem(where)
    if entry.is_symlink():
        return _symlink_problem(where)
    # Regular files only: reading a named pipe or a device would wait forever.
    content_file = entry.is_file() and dot and suffix in ("yml", "yaml", "md" if markdown_allowed else "yml")
    if not content_file:
        return Problem(Position(where), f"unexpected here; {shown_as} holds only {allowed} files")
    if suffix == "yaml":
        return Problem(Position(where), f"rename it to {stem}.yml; content files end in .yml")
    if not ID_PATTERN.fullmatch(stem):
        # Ids are lowercase, so files named after them can never clash on a case-insensitive disk.
        twin = name.lower()
        clashes = twin != name and twin in names
        clash = f" (it would also clash with {twin} on Windows and macOS disks)" if clashes else ""
        return Problem(Position(where), f"file name {stem!r} is not a valid id{clash}; name the file after its id "
                                        "(lowercase letters, digits and '-')")
    return None


def _private_problem(where: str) -> Problem:
    return Problem(
        Position(where),
        "trainer data (people's names and emails) must never be in the content folder, which is published; "
        "move it to a private folder such as training/ beside content/",
    )


def _symlink_problem(where: str) -> Problem:
    return Problem(Position(where), "is a symbolic link; put the real file or folder here instead")
