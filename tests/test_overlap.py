"""Rendering beside MkDocs in a second process gives exactly the site a plain MkDocs build gives."""

from __future__ import annotations

import io
import multiprocessing
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from playbook import mkdocs_handoff, overlap, render, siteconfig, speed, validate
from playbook.build import Project, build, stage
from playbook.outputs import MANIFEST, Refused, seal

from .conftest import built_as_plain_mkdocs_builds, snapshot

PARENT = os.getpid()


@pytest.fixture(autouse=True)
def _forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even if other tests left threads running (a session's web server): none of them is touched here."""
    monkeypatch.setattr(speed, "can_fork", lambda: hasattr(os, "fork"))


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
    built_as_plain_mkdocs_builds(project.site_dir, project.staging_dir, tmp_path / "plain")
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


# --- MkDocs starts on the site settings while the content is read ----------------------------------


@pytest.fixture
def settles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The staged site names MkDocs was given after starting on the settings alone, one per build."""
    settled: list[str] = []
    settle = mkdocs_handoff.settle

    def recorded(config: MkDocsConfig, started_on: str, staged: str) -> None:
        settle(config, started_on, staged)
        settled.append(config.site_name)

    monkeypatch.setattr(mkdocs_handoff, "settle", recorded)
    return settled


def test_mkdocs_starts_on_the_settings_while_another_process_reads_the_content(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settles: list[str]
) -> None:
    loaded_in = tmp_path / "loaded-in"
    load_site = validate.load_site

    def noting_the_process(folder: Path) -> object:
        loaded_in.write_text(str(os.getpid()), "utf-8")
        return load_site(folder)

    monkeypatch.setattr(validate, "load_site", noting_the_process)
    build(Project.at(content))
    assert settles == ["Test Playbook"]
    assert int(loaded_in.read_text("utf-8")) != PARENT
    assert multiprocessing.active_children() == []


def test_started_on_the_settings_the_site_is_what_plain_mkdocs_makes(
    default_content: Path, tmp_path: Path, settles: list[str]
) -> None:
    project = Project.at(default_content, site_url="https://care.example.org/playbook/")
    project.settings.write_text(
        "theme:\n  palette:\n    primary: teal\n  features: [content.code.copy]\ncopyright: Ours\n"
        "plugins:\n  - search:\n      separator: '[\\s\\-]+'\nextra:\n  generator: false\n", "utf-8")
    build(project)
    assert settles == ["Customer Care Playbook"]
    built = built_as_plain_mkdocs_builds(project.site_dir, project.staging_dir, tmp_path / "plain")
    assert "Ours" in built["index.html"].decode("utf-8")


def test_a_staged_config_that_cannot_be_settled_is_built_one_step_after_another(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settles: list[str]
) -> None:
    settings_only = siteconfig.settings_only
    monkeypatch.setattr(siteconfig, "settings_only", lambda base: settings_only({**base, "copyright": "Other"}))
    project = Project.at(content)
    build(project)
    assert settles == []
    built = built_as_plain_mkdocs_builds(project.site_dir, project.staging_dir, tmp_path / "plain")
    assert "Other" not in built["index.html"].decode("utf-8")
    assert multiprocessing.active_children() == []


def test_the_settings_alone_and_the_staged_site_name_and_nav_make_the_staged_config(
    default_content: Path, tmp_path: Path
) -> None:
    site, base = validate.load_site(default_content), {"copyright": "Ours", "theme": {"palette": {"primary": "teal"}}}
    (tmp_path / "docs").mkdir()
    where = {"config_file_path": str(tmp_path / "mkdocs.yml"), "site_dir": str(tmp_path / "site")}
    started_on, staged = siteconfig.settings_only(base), siteconfig.site_config(site, base)
    config = load_config(io.StringIO(started_on), **where)
    assert config.site_name == siteconfig.UNREAD_SITE_NAME and config.nav is None
    mkdocs_handoff.settle(config, started_on, staged)
    assert dict(config) == dict(load_config(io.StringIO(staged), **where))
    assert config.nav[0] == {"Home": "index.md"}


@pytest.mark.parametrize(
    ("change", "why"),
    [
        pytest.param(lambda text: text.replace("use_directory_urls: false", "use_directory_urls: true"),
                     "the staged mkdocs.yml differs from the settings MkDocs started on", id="another setting"),
        pytest.param(lambda text: text.replace("site_name: ", "site_name: [", 1).replace("\n", "]\n", 2),
                     "MkDocs finds fault with the staged site_name", id="a site name that is no text"),
        pytest.param(lambda text: text[: text.index("\nnav:") + 1] + "nav: 5\n",
                     "MkDocs finds fault with the staged nav", id="a nav that is no list"),
    ],
)
def test_a_staged_config_that_differs_otherwise_is_not_settled(
    default_content: Path, tmp_path: Path, change: Callable[[str], str], why: str
) -> None:
    site = validate.load_site(default_content)
    (tmp_path / "docs").mkdir()
    started_on = siteconfig.settings_only({})
    config = load_config(io.StringIO(started_on), config_file_path=str(tmp_path / "mkdocs.yml"))
    staged = change(siteconfig.site_config(site, {}))
    assert staged != siteconfig.site_config(site, {})
    with pytest.raises(overlap.Broken) as broken:
        mkdocs_handoff.settle(config, started_on, staged)
    assert str(broken.value) == why
    assert config.site_name == siteconfig.UNREAD_SITE_NAME and config.nav is None


@pytest.mark.parametrize(
    ("settings", "early"),
    [
        ({}, True),
        ({"copyright": "Ours", "plugins": ["search"]}, True),
        ({"plugins": [{"search": {"lang": "en"}}]}, True),
        ({"plugins": ["search", "tags"]}, False),
        ({"hooks": ["hooks.py"]}, False),
        ({"INHERIT": "../shared.yml"}, False),
    ],
)
def test_mkdocs_starts_early_only_where_no_plugin_could_look_at_the_nav(settings: dict, early: bool) -> None:
    assert mkdocs_handoff.can_start_early(settings) is early


def test_with_a_plugin_or_hook_in_the_settings_mkdocs_waits_for_the_staged_config(
    content: Path, tmp_path: Path, settles: list[str]
) -> None:
    """A hook's on_config sees the real site name and nav: it might use them."""
    seen = tmp_path / "seen"
    hook = tmp_path / "hook.py"
    hook.write_text(
        "from pathlib import Path\n\n"
        "def on_config(config):\n"
        f"    Path({str(seen)!r}).write_text(f'{{config.site_name}}: {{len(config.nav)}} tabs', 'utf-8')\n",
        "utf-8",
    )
    project = Project.at(content)
    project.settings.write_text(f"hooks:\n  - {hook.as_posix()}\n", "utf-8")
    build(project)
    assert seen.read_text("utf-8") == "Test Playbook: 8 tabs"
    assert settles == []
    built_as_plain_mkdocs_builds(project.site_dir, project.staging_dir, tmp_path / "plain")
