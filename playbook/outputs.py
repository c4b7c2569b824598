"""Folders the tool writes: only ever touching what it wrote itself.

Each output folder carries a manifest of the files the tool wrote there and
their SHA-256. A file that is not in the manifest, or that changed since, was
put there by someone else: the tool refuses to overwrite or delete it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".playbook-manifest"
#: How many foreign files a refusal names before summarising.
_LISTED = 5


class Refused(Exception):
    """Writing would destroy data the tool did not produce (exit 3)."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(folder: Path) -> list[str]:
    """Every file under ``folder``, relative, ``/``-separated, sorted."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            found.append((Path(root) / name).relative_to(folder).as_posix())
    return sorted(found)


def read_manifest(folder: Path) -> dict[str, str]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    entries = {}
    for line in path.read_text("utf-8").splitlines():
        digest, _, name = line.partition("  ")
        entries[name] = digest
    return entries


def write_manifest(folder: Path, digests: dict[str, str]) -> None:
    data = "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items())).encode("utf-8")
    path = folder / MANIFEST
    if not path.is_file() or path.read_bytes() != data:  # unchanged trees stay untouched
        path.write_bytes(data)


def check_owned(folder: Path, display: str) -> None:
    """Refuse unless every file in ``folder`` is one the tool wrote, unchanged."""
    if not folder.exists():
        return
    if not folder.is_dir() or folder.is_symlink():
        raise Refused(f"{display}: is not a folder the tool made; remove it or choose another folder")
    manifest = read_manifest(folder)
    foreign = []
    for name in _files(folder):
        if name == MANIFEST:
            continue
        expected = manifest.get(name)
        if expected is None or expected != _digest((folder / name).read_bytes()):
            foreign.append(name)
    if foreign:
        listed = ", ".join(f"{display}/{name}" for name in foreign[:_LISTED])
        more = f" and {len(foreign) - _LISTED} more" if len(foreign) > _LISTED else ""
        raise Refused(
            f"{display}: holds files playbook did not write (or that changed since): {listed}{more}; "
            "move them elsewhere or choose another folder"
        )


def manifest_of(folder: Path) -> dict[str, str]:
    """Digests of every file in a folder the tool has just produced."""
    return {name: _digest((folder / name).read_bytes()) for name in _files(folder) if name != MANIFEST}


@dataclass
class SyncReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def sync_tree(folder: Path, display: str, files: dict[str, str]) -> SyncReport:
    """Make ``folder`` hold exactly ``files``, rewriting only what changed.

    Unchanged files keep their bytes and timestamps, so a watcher (MkDocs'
    live reload) sees only real edits.
    """
    check_owned(folder, display)
    folder.mkdir(parents=True, exist_ok=True)
    report = SyncReport()
    digests = {}
    for name, text in files.items():
        data = text.encode("utf-8")
        digests[name] = _digest(data)
        target = folder / name
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        report.written.append(name)
    for name in read_manifest(folder):
        if name not in files and (folder / name).is_file():
            (folder / name).unlink()
            report.removed.append(name)
    _remove_empty_folders(folder)
    write_manifest(folder, digests)
    return report


def _remove_empty_folders(folder: Path) -> None:
    for root, _dirs, _files_here in os.walk(folder, topdown=False):
        if Path(root) != folder and not any(Path(root).iterdir()):
            Path(root).rmdir()
