"""``playbook build``, ``playbook offline`` and what the preview restages: the pipeline, top to bottom.

check folders -> load + validate -> render -> stage -> mkdocs build + search index (each language) -> privacy scan
-> record ownership -> swap
"""

from __future__ import annotations

import contextlib
import gc
import posixpath
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..content import FileCache, Site, load_site
from ..content.markup import SAFE_SCHEME, link_targets
from ..errors import ContentError, Position, Problem
from . import privacy, publish, search
from .editions import editions
from .mkdocs_config import OFFLINE_CONFIG, load_project_settings
from .mkdocs_run import run_mkdocs, source_date_epoch
from .owned_folder import SyncReport, check_owned, locked, record_ownership, sync_tree
from .preview import preview_files
from .project import Project
from .render import render


def build(project: Project) -> SyncReport:
    """Load, stage, build with MkDocs (strict) and swap the result into the site folder."""
    # Refuse before reading anything: folders that overlap, trainer data where it would be published.
    publish.check_folders(project)
    publish.refuse_private_files(project.staging_dir, project.private_files)
    with locked(project.staging_dir):
        # A site folder holding files playbook did not write is refused before any content problem is told;
        # what an interrupted build left beside it goes.
        check_owned(project.site_dir, project.site_dir.as_posix())
        publish.remove_leftovers(project.site_dir)
        # Load and validate the content and the site settings, then render every staged file.
        site, files = generate(project)
        # Stage: only the files whose bytes changed are rewritten.
        report = sync_tree(project.staging_dir, project.staging_dir.as_posix(), files)
        with publish.fresh_folder(project.site_dir) as fresh:
            # MkDocs builds each language's staged tree (strict) into a fresh folder beside the site: the source
            # language's first, since a build empties its folder, then each translation's into its own folder;
            # Pagefind indexes each language's pages for that language's search.
            epoch = source_date_epoch(project.content)
            for edition in editions(site):
                run_mkdocs(project.staging_dir / edition.folder / "mkdocs.yml", fresh / edition.folder, epoch)
                search.index(fresh / edition.folder)
            # Nothing that looks like trainer data is published.
            privacy.scan(fresh, project.site_dir.as_posix(), site.playbook.shown_emails, project.roster_words)
            # The new site is playbook's own, then takes the old one's place.
            record_ownership(fresh)
            publish.swap(fresh, project.site_dir)
    return report


def offline(project: Project, zip_path: Path) -> SyncReport:
    """Build the site for reading from disk (search included) and pack it as one zip."""
    publish.refuse_foreign_zip(zip_path)
    site, files = generate(project)
    with locked(project.staging_dir):
        report = sync_tree(project.staging_dir, project.staging_dir.as_posix(), files)
        with tempfile.TemporaryDirectory(prefix=".playbook-offline-") as scratch:
            site_dir = Path(scratch) / "site"
            epoch, folders = source_date_epoch(project.content), [edition.folder for edition in editions(site)]
            for folder in folders:
                run_mkdocs(project.staging_dir / folder / OFFLINE_CONFIG, site_dir / folder, epoch)
            privacy.scan(site_dir, zip_path.as_posix(), site.playbook.shown_emails, project.roster_words)
            for folder in folders:
                publish.trim_for_disk(site_dir / folder)
            publish.write_zip(site_dir, zip_path)
    return report


def stage(project: Project, cache: FileCache | None = None) -> SyncReport:
    """Generate and write the preview's staging tree, rewriting only changed files; ``cache`` is the preview's."""
    _, files = generate(project, cache)
    with locked(project.staging_dir):
        return sync_tree(project.staging_dir, project.staging_dir.as_posix(), preview_files(files))


def generate(project: Project, cache: FileCache | None = None) -> tuple[Site, dict[str, str]]:
    """Load, validate and render: the site model and the staged files, or ContentError."""
    with _collector_paused():
        site, settings = load(project, cache)
        files = render(site, settings)
    problems = intro_link_problems(site, files)
    if problems:
        raise ContentError(problems)
    return site, files


def intro_link_problems(site: Site, files: dict[str, str]) -> list[Problem]:
    """A relative link in a module's introduction must lead to a page of the site: said here, at the line of
    the ``.md`` file, rather than by MkDocs about the staged copy."""
    problems = []
    for module in site.modules:
        if module.intro is None:
            continue
        for line, target in link_targets(module.intro.body):
            page = target.split("#", 1)[0]
            if not page or SAFE_SCHEME.match(page):
                continue  # an anchor on the page itself, or an address outside the site
            if f"docs/{posixpath.normpath(posixpath.join('modules', page))}" not in files:
                problems.append(Problem(Position(module.intro.pos.path, module.intro.pos.line + line, 1),
                                        f"link target {target!r} is not a page of the site; link to another module "
                                        "as other-id.md, or to a checklist as ../checklists/its-id.md"))
    return problems


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the site is generated, as it was before afterwards.

    Generation makes hundreds of thousands of short-lived objects and almost no reference cycles, so
    the collector's passes find little: they were a sixth of generation's time at 500 modules
    (``make bench``), where a preview waits for all of it after every save.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(project: Project, cache: FileCache | None = None) -> tuple[Site, dict]:
    """The validated content and the project's site settings, or ContentError with the problems of both."""
    problems: list[Problem] = []
    settings = load_project_settings(project.settings, project.settings.as_posix(), problems)
    if project.site_url:
        settings = {**settings, "site_url": project.site_url}
    try:
        site = load_site(project.content, project.private_files, cache)
    except ContentError as error:
        raise ContentError(problems + error.problems) from None
    if problems:
        raise ContentError(problems)
    return site, settings
