"""Putting a built site in place: the checks before, the fresh folder beside ``site/``, the swap, the zip.

A site is built into a fresh folder beside the site folder and swapped in
only when everything succeeded, so a failed build leaves the previous site
exactly as it was.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import Refused
from .project import Project

#: Written into every offline zip, so playbook knows a zip at that path is its own.
OFFLINE_MARK = b"playbook offline site"
#: Zip entries get this timestamp: the same content always gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def check_folders(project: Project) -> None:
    """Site and staging folders must be apart, and apart from the content."""
    site, staging, content = (p.resolve() for p in (project.site_dir, project.staging_dir, project.content))
    for one, other in ((site, staging), (site, content), (staging, content)):
        if one == other or one in other.parents or other in one.parents:
            raise Refused(
                f"{project.site_dir.as_posix()}, {project.staging_dir.as_posix()} and {project.content.as_posix()} "
                "overlap; give the site and staging folders places of their own"
            )


def refuse_private_files(folder: Path, private_files: Iterable[str]) -> None:
    """Trainer data in a folder that gets published is a leak waiting to happen: stop (exit 3)."""
    if not folder.is_dir():
        return
    for name in private_files:
        for found in sorted(folder.rglob(name)):
            raise Refused(
                f"{found.as_posix()}: trainer data (people's names and emails) must never be in the staging "
                "folder, which is published; move it to a private folder such as training/"
            )


def remove_leftovers(site_dir: Path) -> None:
    """Folders an interrupted build left beside the site (named by :func:`fresh_folder` and :func:`swap`, so ours)."""
    for pattern in (f".{site_dir.name}-new-*", f".{site_dir.name}-old-*"):
        for leftover in site_dir.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)


@contextlib.contextmanager
def fresh_folder(site_dir: Path) -> Iterator[Path]:
    """An empty folder beside ``site_dir`` to build into; gone afterwards unless swapped in."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        fresh.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
        yield fresh
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def swap(fresh: Path, site_dir: Path) -> None:
    """Put the fresh build in place of the site folder, with the old one kept until it is."""
    if not site_dir.exists():
        fresh.rename(site_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
    old.rmdir()
    site_dir.rename(old)
    try:
        fresh.rename(site_dir)
    except OSError:
        old.rename(site_dir)
        raise
    shutil.rmtree(old)


def trim_for_disk(site_dir: Path) -> list[str]:
    """Drop from a built site what a copy read from disk never loads: source maps, and the search scripts of
    languages the site does not search in. The files dropped, relative and sorted."""
    config = json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))["config"]
    lunr = site_dir / "assets" / "javascripts" / "lunr"
    needed = {lunr / name for name in _lunr_scripts(config["lang"])}
    dropped = [path for path in site_dir.rglob("*.map") if path.is_file()]
    dropped += [path for path in lunr.rglob("*.js") if path not in needed]
    for path in dropped:
        path.unlink()
    return sorted(path.relative_to(site_dir).as_posix() for path in dropped)


def _lunr_scripts(languages: list[str]) -> set[str]:
    """The scripts Material's search worker imports for these languages (its ``Ie`` in workers/search.*.js)."""
    scripts = set()
    for language in languages:
        if language == "ja":
            scripts.add("tinyseg.js")
        if language in ("hi", "th"):
            scripts.add("wordcut.js")
        if language != "en":
            scripts.add(f"min/lunr.{language}.min.js")
    if len(languages) > 1:
        scripts.add("min/lunr.multi.min.js")
    if scripts:
        scripts.add("min/lunr.stemmer.support.min.js")
    return scripts


def refuse_foreign_zip(zip_path: Path) -> None:
    """A file at ``zip_path`` that is not an offline site playbook made is never overwritten (exit 3)."""
    if not zip_path.exists():
        return
    try:
        with zipfile.ZipFile(zip_path) as existing:
            if existing.comment == OFFLINE_MARK:
                return
    except (OSError, zipfile.BadZipFile):
        pass
    raise Refused(f"{zip_path.as_posix()}: is not an offline site playbook made; move it or choose another --out")


def write_zip(site_dir: Path, zip_path: Path) -> None:
    """A reproducible zip of ``site_dir`` (sorted entries, fixed timestamps, one top folder named after the zip),
    written beside and renamed into place."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".playbook-zip-", dir=zip_path.parent) as scratch:
        partial = Path(scratch) / "site.zip"
        with partial.open("wb") as stream:
            write_zip_entries(stream, OFFLINE_MARK, (
                (f"{zip_path.stem}/{path.relative_to(site_dir).as_posix()}", path.read_bytes())
                for path in sorted(p for p in site_dir.rglob("*") if p.is_file())))
        partial.replace(zip_path)


def write_zip_entries(stream: BinaryIO, comment: bytes, entries: Iterable[tuple[str, bytes]]) -> None:
    """A reproducible zip of ``entries`` (name, bytes), in the order given, into ``stream``: the same entries
    always give the same bytes (fixed timestamps and modes)."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.comment = comment
        for name, data in entries:
            entry = zipfile.ZipInfo(name, _ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
