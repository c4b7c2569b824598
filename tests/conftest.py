"""Shared fixtures. ``pytest --update-goldens`` rewrites the golden files."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from playbook.site import Project
from playbook.training import TRAINER_FILES

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"
#: A French translation of the fixture content: partial, with one stale file (promises) and one missing (the path).
FIXTURE_TRANSLATIONS = Path(__file__).resolve().parent / "fixtures" / "translations"
DEFAULT_CONTENT = ROOT / "content"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/goldens from the current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(autouse=True)
def _quiet_mkdocs(monkeypatch: pytest.MonkeyPatch) -> None:
    # Material prints a notice about MkDocs 2.0 unless told not to.
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the small test playbook, at tmp_path/content."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def bilingual_content(content: Path) -> Path:
    """The test playbook in English and French: ``content`` with ``languages: [en, fr]`` and the fixture's
    French translation."""
    shutil.copytree(FIXTURE_TRANSLATIONS, content / "translations")
    playbook = content / "playbook.yml"
    playbook.write_text("languages: [en, fr]\n" + playbook.read_text("utf-8"), "utf-8")
    return content


@pytest.fixture
def default_content(tmp_path: Path) -> Path:
    """A writable copy of the shipped default playbook, at tmp_path/content."""
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, target)
    return target


def project_at(content: Path | str, *folders: Path | str, **options: object) -> Project:
    """The project around ``content`` as the command line makes it, for a trainer with no roster at hand."""
    return Project.at(content, *folders, private_files=TRAINER_FILES, roster_words=(), **options)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def built_as_plain_mkdocs_builds(site: Path, staging: Path, plain: Path) -> dict[str, bytes]:
    """The files of ``site``, after asserting they are those a plain ``mkdocs build`` of ``staging``
    writes into ``plain`` and Pagefind's index of it, plus playbook's manifest."""
    from playbook.site import search
    from playbook.site.mkdocs_run import run_mkdocs
    from playbook.site.owned_folder import MANIFEST

    run_mkdocs(staging / "mkdocs.yml", plain)
    search.index(plain)
    # Each translation's tree (build/<language>/mkdocs.yml) builds into its folder of the site, with its own index.
    for tree in sorted(p.parent for p in staging.glob("*/mkdocs.yml")):
        run_mkdocs(tree / "mkdocs.yml", plain / tree.name)
        search.index(plain / tree.name)
    built = snapshot(site)
    assert built.pop(MANIFEST)
    assert built == snapshot(plain)
    return built


def zensical() -> str:
    """The zensical command of the test tools: missing fails the test in CI and skips it elsewhere."""
    found = shutil.which("zensical") or str(Path(sys.executable).parent / "zensical")
    if not Path(found).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("zensical is not installed; it is in the test extra")
        pytest.skip("zensical is not installed")
    return found
