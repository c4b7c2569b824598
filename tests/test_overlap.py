"""Rendering beside MkDocs in a second process gives exactly the site a plain MkDocs build gives."""

from __future__ import annotations

import multiprocessing
import os
import random
from pathlib import Path

import pytest

from playbook import overlap, render, speed
from playbook.build import Project, build, run_mkdocs, stage
from playbook.outputs import MANIFEST

PARENT = os.getpid()


@pytest.fixture(autouse=True)
def _forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even if other tests left threads running (a session's web server): none of them is touched here."""
    monkeypatch.setattr(speed, "can_fork", lambda: hasattr(os, "fork"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pages_are_handed_over_in_the_order_mkdocs_reads_them(default_content: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    project = Project.at(default_content)
    stage(project)
    config = load_config(str(project.staging_dir / "mkdocs.yml"))
    walked = [file.src_uri for file in get_files(config)]
    shuffled = random.Random(7).sample(walked, len(walked))
    assert overlap.docs_order(shuffled) == walked
    assert {"index.md", "modules/index.md", "downloads/checklist-complaint-call.csv"} <= set(walked)


def test_the_site_is_what_plain_mkdocs_makes_of_the_staged_tree(default_content: Path, tmp_path: Path) -> None:
    project = Project.at(default_content)
    build(project)
    run_mkdocs(project.staging_dir / "mkdocs.yml", tmp_path / "plain")
    built = snapshot(project.site_dir)
    assert built.pop(MANIFEST)
    assert built == snapshot(tmp_path / "plain")
    assert multiprocessing.active_children() == []


def test_a_rendering_process_that_fails_is_redone_here(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = Project.at(content, site_dir=content.parent / "expected", staging_dir=content.parent / "expected-build")
    build(expected)
    planned = render.plan

    def failing_in_a_child(*args: object) -> render.Plan:
        def outcomes() -> str:
            if os.getpid() != PARENT:
                raise RuntimeError("a bug that only bites in the child")
            return made()

        files = planned(*args)  # type: ignore[arg-type]
        made = files["docs/outcomes.md"]
        return {**files, "docs/outcomes.md": outcomes}

    monkeypatch.setattr(render, "plan", failing_in_a_child)
    project = Project.at(content)
    report = build(project)
    assert snapshot(project.site_dir) == snapshot(expected.site_dir)
    assert snapshot(project.staging_dir) == snapshot(expected.staging_dir)
    assert "docs/outcomes.md" in report.written
    assert multiprocessing.active_children() == []
