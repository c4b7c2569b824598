"""Rendering beside MkDocs in a second process gives exactly the site a plain MkDocs build gives."""

from __future__ import annotations

import multiprocessing
import os
import random
from pathlib import Path

import pytest

from playbook import overlap, render, speed
from playbook.build import Project, build, run_mkdocs, stage
from playbook.outputs import MANIFEST, Refused, seal

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


def test_the_manifest_holds_what_is_on_disk(content: Path) -> None:
    project = Project.at(content)
    build(project)
    streamed = (project.site_dir / MANIFEST).read_text("utf-8")
    seal(project.site_dir)  # digests read back from disk
    assert (project.site_dir / MANIFEST).read_text("utf-8") == streamed
    assert len(streamed.splitlines()) == len(snapshot(project.site_dir)) - 1


def test_the_first_page_by_path_with_an_email_address_stops_the_build(content: Path) -> None:
    project = Project.at(content)
    build(project)
    before = snapshot(project.site_dir)
    playbook = content / "playbook.yml"
    playbook.write_text(playbook.read_text("utf-8").replace(
        "description: |\n", "description: |\n  Write to help@northwind.example with questions.\n"), "utf-8")
    with pytest.raises(Refused) as refused:
        build(project)
    assert str(refused.value) == (
        f"{project.site_dir.as_posix()}/index.html: contains the email address help@northwind.example; remove it "
        "from the content, or list it under public_emails in playbook.yml if it is meant to be public"
    )
    assert snapshot(project.site_dir) == before
    assert multiprocessing.active_children() == []
