"""Check, render, stage and build: the steps behind ``playbook build``.

The site is built by MkDocs into a fresh temporary folder beside the site
folder and swapped in only when the whole build succeeded, so a failed build
leaves the previous site exactly as it was.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import overlap, privacy, render, siteconfig, speed, validate
from .model import Site
from .outputs import Refused, SyncReport, check_owned, locked, seal, sync_tree
from .problems import ContentError, Problem
from .training import TRAINER_FILES


@dataclass(frozen=True)
class Project:
    """Where a build reads and writes. Defaults sit beside the content folder."""

    content: Path
    site_dir: Path
    staging_dir: Path
    settings: Path
    #: The published address, overriding site_url in the settings (CI knows it, the settings may not).
    site_url: str | None = None

    @classmethod
    def at(
        cls,
        content: Path | str = "content",
        site_dir: Path | str | None = None,
        staging_dir: Path | str | None = None,
        settings: Path | str | None = None,
        site_url: str | None = None,
    ) -> Project:
        content = Path(content)
        root = content.parent
        return cls(
            content=content,
            site_dir=Path(site_dir) if site_dir is not None else root / "site",
            staging_dir=Path(staging_dir) if staging_dir is not None else root / "build",
            settings=Path(settings) if settings is not None else root / "mkdocs.yml",
            site_url=site_url,
        )


class SiteBuildError(Exception):
    """MkDocs refused the staged site (strict mode warnings or an error)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def _read_settings(project: Project) -> tuple[dict, list[Problem]]:
    """The project's site settings (with the published address), and their problems."""
    problems: list[Problem] = []
    base = siteconfig.load_base(project.settings, project.settings.as_posix(), problems)
    if project.site_url:
        base = {**base, "site_url": project.site_url}
    return base, problems


@speed.collector_paused()
def load(project: Project, read: tuple[dict, list[Problem]] | None = None) -> tuple[Site, dict]:
    """The validated content and the project's site settings (``read`` already, or read now), or
    ContentError with the settings' problems and the content's."""
    base, problems = read or _read_settings(project)
    try:
        site = validate.load_site(project.content)
    except ContentError as error:
        raise ContentError(problems + error.problems) from None
    if problems:
        raise ContentError(problems)
    return site, base


@speed.collector_paused()  # across loading and rendering, not only within each (see playbook.speed)
def generate(project: Project) -> tuple[Site, dict[str, str]]:
    """Load, validate and render: the staged files, or ContentError."""
    site, base = load(project)
    return site, render.render(site, base)


def stage(project: Project) -> SyncReport:
    """Generate and write the staging tree, rewriting only changed files."""
    _, files = generate(project)
    with locked(project.staging_dir):
        return _write_staging(project, files)


def _write_staging(project: Project, files: dict[str, str]) -> SyncReport:
    """Make the staging folder hold ``files``, under its lock (see :func:`playbook.outputs.sync_tree`)."""
    return sync_tree(project.staging_dir, project.staging_dir.as_posix(), files, ours_if_empty=overlap.OURS_IF_EMPTY)


def build(project: Project) -> SyncReport:
    """Load, stage, build with MkDocs (strict) and swap the result into the site folder."""
    _check_folders(project)
    _refuse_trainer_data(project.staging_dir)
    with locked(project.staging_dir):
        project.site_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(project.site_dir)
        fresh = Path(tempfile.mkdtemp(prefix=f".{project.site_dir.name}-new-", dir=project.site_dir.parent))
        try:
            fresh.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
            try:
                report = _stage_and_build(project, fresh)
            except ContentError:
                check_owned(project.site_dir, project.site_dir.as_posix())  # a refusal to touch site/ comes first
                raise
            _swap(fresh, project.site_dir)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
    return report


def _stage_and_build(project: Project, fresh: Path) -> SyncReport:
    """Load the content, check the site folder is ours, write the staging tree, build it into ``fresh``,
    scan and seal that; ContentError if the content has problems.

    Where a second process can, it loads, checks, renders and stages while MkDocs runs, then digests
    and privacy-scans each page once MkDocs has written it (see playbook.overlap), and MkDocs starts
    on the project's site settings before the content is read (see playbook.mkdocs_handoff).
    """
    config_file, display = project.staging_dir / "mkdocs.yml", project.site_dir.as_posix()
    read = _read_settings(project)  # read once, here: MkDocs starts on them, the loading process checks them
    if speed.can_fork():
        stream = overlap.Stream(functools.partial(_prepare, project, read), project.staging_dir, project.site_dir,
                                fresh)
        base, problems = read
        try:
            try:  # the content's commit time (asking git) is read once loading has started
                run_mkdocs(config_file, fresh, source_date_epoch(project.content), stream,
                           settings=None if problems else base)
            except Exception:
                # MkDocs may have failed before the content was checked: content problems, then a refusal
                # to stage, come first, as they did when MkDocs ran after both.
                with contextlib.suppress(overlap.Broken):
                    stream.written()
                raise
            report = stream.written()
            digests, problem = stream.site_checked()
            if problem:
                raise Refused(problem)
            seal(fresh, digests)
            return report
        except overlap.Broken:
            pass  # do it all here instead, so whatever went wrong shows as it would have
        finally:
            stream.close()
    site, base = load(project, read)
    check_owned(project.site_dir, display)
    report = _write_staging(project, render.made(render.plan(site, base)))
    run_mkdocs(config_file, fresh, source_date_epoch(project.content))
    privacy.scan(fresh, display, site.playbook.public_emails)
    seal(fresh)
    return report


def _prepare(project: Project, read: tuple[dict, list[Problem]]) -> tuple[render.Plan, privacy.Scanner]:
    """The staged tree as planned, and the scanner for the built site; ContentError for content with problems."""
    site, base = load(project, read)
    return render.plan(site, base), privacy.Scanner(project.site_dir.as_posix(), site.playbook.public_emails)


#: Written into every offline zip, so playbook knows a zip at that path is its own.
OFFLINE_MARK = b"playbook offline site"
#: Zip entries get this timestamp: the same content always gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def offline(project: Project, zip_path: Path) -> SyncReport:
    """Build the site for reading from disk (search included) and pack it as one zip."""
    if zip_path.exists() and not _is_offline_zip(zip_path):
        raise Refused(f"{zip_path.as_posix()}: is not an offline site playbook made; move it or choose another --out")
    site, files = generate(project)
    with locked(project.staging_dir):
        report = _write_staging(project, files)
        with tempfile.TemporaryDirectory(prefix=".playbook-offline-") as scratch:
            site_dir = Path(scratch) / "site"
            run_mkdocs(project.staging_dir / siteconfig.OFFLINE_CONFIG, site_dir, source_date_epoch(project.content))
            privacy.scan(site_dir, zip_path.as_posix(), site.playbook.public_emails)
            zip_path.parent.mkdir(parents=True, exist_ok=True)
            partial = Path(scratch) / "site.zip"
            _write_zip(site_dir, partial, folder=zip_path.stem)
            shutil.move(partial, zip_path)
    return report


def _is_offline_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as existing:
            return existing.comment == OFFLINE_MARK
    except (OSError, zipfile.BadZipFile):
        return False


def _write_zip(site_dir: Path, zip_path: Path, folder: str) -> None:
    """A reproducible zip: sorted entries, fixed timestamps, one top folder."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.comment = OFFLINE_MARK
        for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(f"{folder}/{path.relative_to(site_dir).as_posix()}", _ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())


def _refuse_trainer_data(folder: Path) -> None:
    """Trainer data in a folder that gets published is a leak waiting to happen: stop (exit 3)."""
    if not folder.is_dir():
        return
    for name in TRAINER_FILES:
        for found in sorted(folder.rglob(name)):
            raise Refused(
                f"{found.as_posix()}: trainer data (people's names and emails) must never be in the staging "
                "folder, which is published; move it to a private folder such as training/"
            )


def _check_folders(project: Project) -> None:
    """Site and staging folders must be apart, and apart from the content."""
    site, staging, content = (p.resolve() for p in (project.site_dir, project.staging_dir, project.content))
    for one, other in ((site, staging), (site, content), (staging, content)):
        if one == other or one in other.parents or other in one.parents:
            raise Refused(
                f"{project.site_dir.as_posix()}, {project.staging_dir.as_posix()} and {project.content.as_posix()} "
                "overlap; give the site and staging folders places of their own"
            )


def _remove_leftovers(site_dir: Path) -> None:
    """Folders an interrupted build left beside the site (named by this module, so ours)."""
    for pattern in (f".{site_dir.name}-new-*", f".{site_dir.name}-old-*"):
        for leftover in site_dir.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)


def source_date_epoch(content: Path) -> str | None:
    """SOURCE_DATE_EPOCH as given, else the content's last commit time, else None (not in git)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        done = subprocess.run(["git", "-C", str(content), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=30, check=False)
    except OSError:  # no git on this machine
        return None
    stamp = done.stdout.strip()
    return stamp if done.returncode == 0 and stamp.isdigit() else None


def run_mkdocs(
    config_file: Path,
    site_dir: Path,
    epoch: str | None = None,
    stream: overlap.Stream | None = None,
    *,
    settings: dict | None = None,
) -> None:
    """``mkdocs build --strict`` in this process; MkDocs' warnings become SiteBuildError.

    ``epoch`` becomes SOURCE_DATE_EPOCH for the build, so sitemap dates and
    the gzip header come from the content's commit, not the clock. With a
    ``stream``, MkDocs takes the staged files from it as they are rendered;
    given the project's site ``settings`` as well, it starts on those where
    it can, before the content is read.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        _run_mkdocs(config_file, site_dir, stream, settings)
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _run_mkdocs(config_file: Path, site_dir: Path, stream: overlap.Stream | None, settings: dict | None) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collected = _Collector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collected)
    try:
        if stream is None:
            config = load_config(config_file=str(config_file), site_dir=str(site_dir.resolve()), strict=True)
        else:
            from .mkdocs_handoff import Handoff, can_start_early

            early = settings is not None and can_start_early(settings)
            text = siteconfig.settings_only(settings) if early else stream.config()
            # The staged mkdocs.yml may not be on disk yet; its paths still count from where it will be.
            config = load_config(io.StringIO(text), config_file_path=os.path.abspath(config_file),
                                 site_dir=str(site_dir.resolve()), strict=True)
            config.plugins["playbook-handoff"] = Handoff(stream, started_on=text if early else None)
        mkdocs_build(config)
    except MkDocsException as exc:
        raise SiteBuildError(collected.messages + [f"mkdocs: {exc}"]) from None
    finally:
        logger.removeHandler(collected)
    if collected.messages:
        raise SiteBuildError(collected.messages)


def serve_staged(config_file: Path, dev_addr: str) -> None:
    """MkDocs' live-reloading server on the staged tree, until interrupted."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=dev_addr)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"mkdocs: {record.levelname.lower()}: {record.getMessage()}")


def _swap(fresh: Path, site_dir: Path) -> None:
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


__all__ = ["Project", "Refused", "SiteBuildError", "build", "generate", "load", "offline", "run_mkdocs", "stage"]
