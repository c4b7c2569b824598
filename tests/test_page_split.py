"""Converting pages on a helper process gives exactly the site, and the errors, of one process."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

from playbook import page_split, speed
from playbook.build import Project, SiteBuildError, build, stage
from playbook.mkdocs_handoff import Handoff

from .conftest import built_as_plain_mkdocs_builds, snapshot

PARENT = os.getpid()
BROKEN_LINK = "\nSee [the notes](missing.md).\n"


@pytest.fixture(autouse=True)
def _forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even if other tests left threads running (a session's web server): none of them is touched here."""
    monkeypatch.setattr(speed, "can_fork", lambda: hasattr(os, "fork"))


@pytest.fixture
def converted_there(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Source paths of the pages the helper converted, in the last build."""
    pages: list[str] = []
    finish = page_split.Split.finish

    def finish_and_note(self: page_split.Split, *args: object) -> None:
        finish(self, *args)  # type: ignore[arg-type]
        pages[:] = self.converted_there

    monkeypatch.setattr(page_split.Split, "finish", finish_and_note)
    return pages


def snapshot_docs(project: Project) -> list[str]:
    """The staged pages, as MkDocs names them."""
    docs = project.staging_dir / "docs"
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


@contextlib.contextmanager
def without_helper(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Within this, MkDocs converts every page in this process."""
    with monkeypatch.context() as patch:
        patch.setattr(page_split, "can_split", lambda *args: False)
        yield


def built_alone(content: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The playbook built with every page converted in this process (no helper)."""
    alone = Project.at(content, site_dir=content.parent / "alone", staging_dir=content.parent / "alone-build")
    with without_helper(monkeypatch):
        build(alone)
    return alone


def refusals_alone_and_with_every_page_on_the_helper(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], list[str]]:
    """MkDocs' messages for content that fails the build: with no helper, then with the helper converting every page."""
    with pytest.raises(SiteBuildError) as alone, without_helper(monkeypatch):
        build(Project.at(content))
    monkeypatch.setattr(page_split.Split, "_take_results", every_page_to_the_helper)
    with pytest.raises(SiteBuildError) as split:
        build(Project.at(content))
    return alone.value.messages, split.value.messages


def render_in_the_helper(monkeypatch: pytest.MonkeyPatch, first: Callable[[Page], None]) -> None:
    """In the helper process only, ``Page.render`` calls ``first`` with the page before converting it."""
    render = Page.render

    def render_there(page: Page, *args: object) -> None:
        if os.getpid() != PARENT:
            first(page)
        render(page, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Page, "render", render_there)


take_results = page_split.Split._take_results


def every_page_to_the_helper(split: page_split.Split, files: object, *, wait: bool) -> None:
    """Results are only taken in at the end, so the helper seems to have nothing in hand at each page."""
    if wait:
        take_results(split, files, wait=True)  # type: ignore[arg-type]
    split._in_hand = 0


def test_the_helper_converts_pages_and_the_site_is_the_same(
    default_content: Path, tmp_path: Path, converted_there: list[str]
) -> None:
    project = Project.at(default_content)
    build(project)
    docs = project.staging_dir / "docs"
    assert set(converted_there) <= {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    assert converted_there  # how many depends on how fast the helper goes; the first page always goes there
    built_as_plain_mkdocs_builds(project.site_dir, project.staging_dir, tmp_path / "plain")
    assert multiprocessing.active_children() == []


def test_a_page_the_helper_cannot_convert_is_converted_here(
    content: Path, monkeypatch: pytest.MonkeyPatch, converted_there: list[str]
) -> None:
    expected = built_alone(content, monkeypatch)
    refused: list[str] = []

    def failing_once(page: Page) -> None:
        if not refused:
            refused.append(page.file.src_uri)
            raise RuntimeError("a bug that only bites in the helper")

    render_in_the_helper(monkeypatch, failing_once)
    monkeypatch.setattr(page_split.Split, "_take_results", every_page_to_the_helper)
    project = Project.at(content)
    build(project)
    assert len(converted_there) == len(snapshot_docs(project)) - 1  # all but the first were converted there
    assert snapshot(project.site_dir) == snapshot(expected.site_dir)
    assert multiprocessing.active_children() == []


def test_pages_of_a_helper_that_stopped_are_converted_here(
    content: Path, monkeypatch: pytest.MonkeyPatch, converted_there: list[str]
) -> None:
    expected = built_alone(content, monkeypatch)
    render_in_the_helper(monkeypatch, lambda page: os._exit(3))
    project = Project.at(content)
    build(project)
    assert converted_there == []
    assert snapshot(project.site_dir) == snapshot(expected.site_dir)
    assert multiprocessing.active_children() == []


def test_warnings_from_the_helper_fail_the_build_as_they_would_here(
    content: Path, monkeypatch: pytest.MonkeyPatch, converted_there: list[str]
) -> None:
    listening = content / "modules/listening.md"
    listening.write_text(listening.read_text("utf-8") + BROKEN_LINK, "utf-8")
    (content / "modules/promises.md").write_text("Keep them." + BROKEN_LINK, "utf-8")
    alone, split = refusals_alone_and_with_every_page_on_the_helper(content, monkeypatch)
    assert {"modules/listening.md", "modules/promises.md"} <= set(converted_there)
    assert split == alone
    assert [message for message in split if "'missing.md'" in message] == [
        f"mkdocs: warning: Doc file 'modules/{page}.md' contains a link 'missing.md', but the target "
        "'modules/missing.md' is not found among documentation files." for page in ("listening", "promises")
    ]
    assert multiprocessing.active_children() == []


def test_an_error_on_a_page_the_helper_had_is_reported_as_mkdocs_reports_it(
    content: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    render = Page.render

    def failing_on_listening(page: Page, *args: object) -> None:
        if page.file.src_uri == "modules/listening.md":
            raise RuntimeError("an extension's bug")
        render(page, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Page, "render", failing_on_listening)
    with pytest.raises(RuntimeError, match="an extension's bug"), caplog.at_level(logging.ERROR, "mkdocs"):
        build(Project.at(content))
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == [
        "Error reading page 'modules/listening.md': an extension's bug"
    ]
    assert multiprocessing.active_children() == []


class _Rewriter(BasePlugin):
    def on_page_content(self, html: str, **kwargs: object) -> str:
        return html


@pytest.fixture
def staged_config(content: Path) -> tuple[MkDocsConfig, Handoff]:
    """The staged site's MkDocs configuration with playbook's plugin in it, and that plugin."""
    project = Project.at(content)
    stage(project)
    config = load_config(str(project.staging_dir / "mkdocs.yml"))
    ours = Handoff(stream=None)  # type: ignore[arg-type]
    config.plugins["playbook-handoff"] = ours
    return config, ours


def test_no_helper_where_another_plugin_would_see_a_page_before_its_html(
    staged_config: tuple[MkDocsConfig, Handoff],
) -> None:
    config, ours = staged_config
    assert page_split.can_split(config, ours)
    config.plugins["rewriter"] = _Rewriter()
    assert not page_split.can_split(config, ours)


def test_no_helper_where_an_extension_is_shared_between_pages(staged_config: tuple[MkDocsConfig, Handoff]) -> None:
    from markdown.extensions.abbr import AbbrExtension

    config, ours = staged_config
    assert page_split.can_split(config, ours)
    config.markdown_extensions.append(AbbrExtension())  # one instance for every page
    assert not page_split.can_split(config, ours)


def test_links_to_anchors_on_pages_the_helper_had_are_checked_as_here(
    content: Path, monkeypatch: pytest.MonkeyPatch, converted_there: list[str]
) -> None:
    (content / "modules/promises.md").write_text("See [why](listening.md#no-such-anchor).\n", "utf-8")
    alone, split = refusals_alone_and_with_every_page_on_the_helper(content, monkeypatch)
    assert "modules/promises.md" in converted_there
    assert split == alone
    assert any("'#no-such-anchor'" in message for message in split), split


def test_a_failure_while_the_helper_has_pages_stops_it(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    convert = page_split.Split._convert_somewhere
    seen: list[str] = []

    def failing_on_the_third_page(split: page_split.Split, page: Page, *args: object) -> None:
        seen.append(page.file.src_uri)
        if len(seen) == 3:
            raise RuntimeError("a bug on the third page")
        convert(split, page, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(page_split.Split, "_take_results", every_page_to_the_helper)
    monkeypatch.setattr(page_split.Split, "_convert_somewhere", failing_on_the_third_page)
    with pytest.raises(RuntimeError, match="a bug on the third page"):
        build(Project.at(content))
    assert multiprocessing.active_children() == []
