"""Folders playbook owns: only ever touching what it wrote itself.

Each output folder carries a manifest of the files the tool wrote there and
their SHA-256. A file that is not in the manifest, or that changed since, was
put there by someone else: the tool refuses to overwrite or delete it (exit 3).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import Refused

MANIFEST = ".playbook-manifest"
LOCK = ".playbook-lock"
#: Files are written here first, then renamed into place.
SCRATCH = ".playbook-tmp"
_BOOKKEEPING = frozenset({MANIFEST, LOCK, SCRATCH})
#: How many foreign files a refusal names before summarising.
_LISTED = 5


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entries(folder: Path) -> tuple[list[str], list[str]]:
    """Files, and symbolic links or empty folders, under ``folder``: relative and sorted."""
    files, odd = [], []
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        if here == folder:
            dirs[:] = [d for d in dirs if d not in _BOOKKEEPING]
            names = [n for n in names if n not in _BOOKKEEPING]
        for name in dirs:
            path = here / name
            name = path.relative_to(folder).as_posix()
            if path.is_symlink() or not any(path.iterdir()):
                odd.append(name)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for name in names:
            path = here / name
            (odd if path.is_symlink() else files).append(path.relative_to(folder).as_posix())
    return sorted(files), sorted(odd)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and "\\" not in name and not path.is_absolute() and ".." not in path.parts


def read_manifest(folder: Path, shown_as: str) -> dict[str, set[str]]:
    """File name -> digests the tool wrote under that name."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    entries: dict[str, set[str]] = {}
    try:
        lines = path.read_text("utf-8").splitlines()
    except UnicodeDecodeError:
        lines = ["?"]
    for line in lines:
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not _safe_name(name):
            raise Refused(
                f"{shown_as}/{MANIFEST}: is damaged, so playbook cannot tell its own files from others; "
                f"check {shown_as} and delete it if it holds nothing of yours"
            )
        entries.setdefault(name, set()).add(digest)
    return entries


def _write_manifest(folder: Path, entries: dict[str, set[str]]) -> None:
    """One ``<sha256>  <name>`` line per file and digest, sorted by name."""
    rows = sorted((name, digest) for name, digests in entries.items() for digest in digests)
    data = "".join(f"{digest}  {name}\n" for name, digest in rows).encode("utf-8")
    path = folder / MANIFEST
    if path.is_file() and path.read_bytes() == data:  # unchanged trees stay untouched
        return
    _atomic_write(folder, MANIFEST, data)


def _atomic_write(folder: Path, name: str, data: bytes) -> None:
    scratch = folder / SCRATCH
    scratch.mkdir(exist_ok=True)
    temporary = scratch / name.replace("/", "__")
    temporary.write_bytes(data)
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, target)


def _current_digest(path: Path) -> str | None:
    """The digest of the regular file at ``path``; None for anything else (missing, a folder, a link)."""
    if path.is_symlink() or not path.is_file():
        return None
    return _digest(path.read_bytes())


def _is_ours(name: str, digest: str | None, manifest: dict[str, set[str]]) -> bool:
    """The file under ``name``, whose content now has ``digest``, is one the tool wrote, unchanged since."""
    return digest is not None and digest in manifest.get(name, set())


def _listing(shown_as: str, names: list[str]) -> str:
    listed = ", ".join(f"{shown_as}/{name}" for name in names[:_LISTED])
    return listed + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")


def check_owned(folder: Path, shown_as: str) -> dict[str, str | None]:
    """Refuse unless every file in ``folder`` is one the tool wrote, unchanged; else each file's digest."""
    if not folder.exists() and not folder.is_symlink():
        return {}
    if not folder.is_dir() or folder.is_symlink():
        raise Refused(f"{shown_as}: is not a folder playbook made; remove it or choose another folder")
    manifest = read_manifest(folder, shown_as)
    files, odd = _entries(folder)
    digests = {name: _current_digest(folder / name) for name in files}
    foreign = sorted([name for name in files if not _is_ours(name, digests[name], manifest)] + odd)
    if foreign:
        raise Refused(
            f"{shown_as}: holds files playbook did not write (or that changed since): {_listing(shown_as, foreign)}; "
            "move them elsewhere or choose another folder"
        )
    return digests


def file_names(folder: Path) -> list[str]:
    """The files under ``folder`` (not links, not the tool's bookkeeping), relative and sorted."""
    return _entries(folder)[0]


def record_ownership(folder: Path) -> None:
    """Record every file of a folder the tool has just produced as its own."""
    try:
        _write_manifest(folder, {name: {_digest((folder / name).read_bytes())} for name in file_names(folder)})
    finally:
        shutil.rmtree(folder / SCRATCH, ignore_errors=True)  # an empty folder would be published with the site


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock, so two runs (a build and a preview) never write it at once."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@dataclass
class SyncReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def sync_tree(folder: Path, shown_as: str, files: dict[str, str]) -> SyncReport:
    """Make ``folder`` hold exactly ``files``, rewriting only what changed.

    Unchanged files keep their bytes and timestamps, so a watcher (MkDocs'
    live reload) sees only real edits. The manifest lists old and new
    contents while files are replaced, so an interrupted run leaves a folder
    the next run still recognises as its own. Call it under :func:`locked`.
    """
    current = check_owned(folder, shown_as)
    folder.mkdir(parents=True, exist_ok=True)
    old = read_manifest(folder, shown_as)
    new = {name: text.encode("utf-8") for name, text in files.items()}
    new_digests = {name: _digest(data) for name, data in new.items()}
    # Old and new digests side by side while files are replaced.
    _write_manifest(folder, {**old, **{name: old.get(name, set()) | {digest} for name, digest in new_digests.items()}})
    try:
        report = _write_changed(folder, new, new_digests, current)
        for name in sorted(old):
            if name not in new and (folder / name).is_file():
                (folder / name).unlink()
                report.removed.append(name)
        _remove_empty_folders(folder)
        _write_manifest(folder, {name: {digest} for name, digest in new_digests.items()})
    finally:
        shutil.rmtree(folder / SCRATCH, ignore_errors=True)  # a half-written file never stays behind
    return report


def write_owned(folder: Path, shown_as: str, files: dict[str, str] | dict[str, bytes]) -> SyncReport:
    """Write ``files`` (text, or bytes such as a zip) into a folder that may hold other things, overwriting only
    the tool's own files.

    Unlike :func:`sync_tree` nothing is removed: an export of some
    checklists leaves the others in place. Call it under :func:`locked`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(folder, shown_as)
    new = {name: data if isinstance(data, bytes) else data.encode("utf-8") for name, data in files.items()}
    new_digests = {name: _digest(data) for name, data in new.items()}
    current = {name: _current_digest(folder / name) for name in new}
    foreign = [name for name in sorted(new) if ((folder / name).exists() or (folder / name).is_symlink())
               and not _is_ours(name, current[name], manifest)]
    if foreign:
        raise Refused(
            f"{_listing(shown_as, foreign)}: not written by playbook (or changed since), so not overwritten; "
            "move it elsewhere or choose another --out"
        )
    _write_manifest(folder, {**manifest, **{name: manifest.get(name, set()) | {new_digests[name]} for name in new}})
    try:
        report = _write_changed(folder, new, new_digests, current)
        _write_manifest(folder, {**manifest, **{name: {digest} for name, digest in new_digests.items()}})
    finally:
        shutil.rmtree(folder / SCRATCH, ignore_errors=True)
    return report


def _write_changed(folder: Path, new: dict[str, bytes], new_digests: dict[str, str],
                   current: dict[str, str | None]) -> SyncReport:
    """Write each file whose bytes are not there already; the report counts both."""
    report = SyncReport()
    for name, data in new.items():
        if current.get(name) == new_digests[name]:
            report.unchanged += 1
            continue
        _atomic_write(folder, name, data)
        report.written.append(name)
    return report


def _remove_empty_folders(folder: Path) -> None:
    for root, _dirs, _names in os.walk(folder, topdown=False):
        here = Path(root)
        if here != folder and here.name != SCRATCH and not any(here.iterdir()):
            here.rmdir()
