"""End-to-end builds in a temporary folder, and what a failed build leaves behind."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from playbook.errors import ContentError, Refused, SiteBuildError
from playbook.site import Project, build, search, stage
from playbook.site.owned_folder import LOCK, MANIFEST, SCRATCH

from ..conftest import built_as_plain_mkdocs_builds, project_at, snapshot


@pytest.fixture
def project(content: Path) -> Project:
    return project_at(content)


@pytest.fixture
def built(project: Project) -> Project:
    build(project)
    return project


def test_build_makes_every_page_kind_and_a_search_index(built: Project) -> None:
    site = built.site_dir
    for page in [
        "index.html", "modules/index.html", "modules/listening.html", "modules/promises.html",
        "checklists/index.html", "checklists/complaint.html", "paths/index.html", "paths/agent-start.html",
        "roles/index.html", "roles/agent.html", "roles/lead.html", "outcomes/index.html", "outcomes/trust.html",
        "404.html", "sitemap.xml",
    ]:
        assert (site / page).is_file(), page
    pages = {fragment["url"]: fragment for fragment in map(json.loads, dict(search.fragments(site)).values())}
    titles = {page["meta"]["title"] for page in pages.values()}
    assert {"Listening & hearing", "Keeping promises", "A complaint call", "Outcome matrix"} <= titles
    # Every page of the site, in its language; not My progress, the printable sheets or the page for a broken link.
    assert set(pages) == {f"/{p.relative_to(site).as_posix()}" for p in site.rglob("*.html")} - {
        "/404.html", "/progress.html", *(f"/downloads/{p.name}" for p in site.glob("downloads/*.html"))}
    assert json.loads((site / "pagefind/pagefind-entry.json").read_text("utf-8"))["languages"].keys() == {"en"}
    assert (site / MANIFEST).is_file()
    # Nothing temporary is left beside the site, or in it.
    assert sorted(p.name for p in site.parent.iterdir()) == ["build", "content", "site"]
    assert not (site / SCRATCH).exists()


def _duplicate_ids(page: Path) -> list[str]:
    ids = re.findall(r'\sid="([^"]+)"', page.read_text("utf-8"))
    return sorted({found for found in ids if ids.count(found) > 1})


def test_generated_ids_cannot_collide(project: Project) -> None:
    """Check `q` with choice `two-a` and check `q-two` with choice `a` once made the same id."""
    module = project.content / "modules/listening.yml"
    text = module.read_text("utf-8").replace("  - id: first-step\n", "  - id: q\n").replace("  - id: both\n", "  - id: q-two\n")
    module.write_text(text.replace("      - id: a\n        text: Listen to the end.", "      - id: two-a\n        text: Listen to the end."),
                      "utf-8")
    build(project)
    page = project.site_dir / "modules/listening.html"
    assert 'id="pb-choice-q_two-a"' in page.read_text("utf-8") and 'id="pb-choice-q-two_a"' in page.read_text("utf-8")
    assert _duplicate_ids(page) == []


def test_no_page_of_the_default_site_repeats_an_id(default_content: Path) -> None:
    project = project_at(default_content)
    build(project)
    pages = sorted(project.site_dir.rglob("*.html"))
    assert len(pages) > 30
    assert {page.relative_to(project.site_dir).as_posix(): _duplicate_ids(page) for page in pages
            if _duplicate_ids(page)} == {}


def _meta_description(page: Path) -> list[str]:
    found: list[str] = []

    class Meta(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "meta" and ("name", "description") in attrs:
                found.append(dict(attrs)["content"] or "")

    Meta().feed(page.read_text("utf-8"))
    return found


def test_pages_describe_themselves_for_search_engines_and_link_previews(project: Project) -> None:
    module = project.content / "modules/listening.yml"
    module.write_text(module.read_text("utf-8").replace("summary: Hear the whole story before you answer.",
                                                        'summary: Hear the *whole* story & say "thanks".'), "utf-8")
    build(project)
    site = project.site_dir
    assert _meta_description(site / "modules/listening.html") == ['Hear the whole story & say "thanks".']
    assert _meta_description(site / "checklists/complaint.html") == ["Use it while a customer complains."]
    assert _meta_description(site / "tags/index.html") == ["A small playbook the tests build. It uses Markdown and a link."]


def test_html_escapes_text_from_yaml(built: Project) -> None:
    page = (built.site_dir / "modules/listening.html").read_text("utf-8")
    assert "Press <kbd>Ctrl</kbd> to stop, and 3 &lt; 4 shows as typed." in page
    assert "More &amp; better" in page


def test_a_second_build_rewrites_no_staged_file(built: Project) -> None:
    report = build(built)
    assert (report.written, report.removed) == ([], [])


def test_editing_one_module_restages_only_affected_pages(built: Project) -> None:
    assert sorted(stage(built).written) == [  # the preview adds its own files to the built site's tree
        "docs/assets/preview-problems.json", "docs/assets/preview.js", "mkdocs-preview.yml"]
    module = built.content / "modules/promises.yml"
    module.write_text(module.read_text("utf-8").replace("A time can be checked.", "A time can be verified."))
    report = stage(built)
    assert report.written == ["docs/modules/promises.md"]


def test_site_settings_are_merged(project: Project) -> None:
    project.settings.write_text("theme:\n  palette:\n    primary: teal\ncopyright: Ours\n", "utf-8")
    build(project)
    config = (project.staging_dir / "mkdocs.yml").read_text("utf-8")
    assert "primary: teal" in config and "copyright: Ours" in config and "navigation.prune" in config
    assert "Ours" in (project.site_dir / "index.html").read_text("utf-8")


def test_settings_may_not_set_what_the_generator_owns(project: Project) -> None:
    project.settings.write_text("nav:\n  - a.md\ndocs_dir: docs\ntheme:\n  custom_dir: overrides\n", "utf-8")
    with pytest.raises(ContentError) as error:
        build(project)
    settings = project.settings.as_posix()
    assert [str(p) for p in error.value.problems] == [
        f"{settings}: docs_dir: set by playbook from the content; remove it from {settings}",
        f"{settings}: nav: set by playbook from the content; remove it from {settings}",
        f"{settings}: theme.custom_dir: set by playbook (its header holds the site's search box); remove it from "
        f"{settings}",
    ]


def test_failed_content_check_leaves_the_site_untouched(built: Project) -> None:
    before = snapshot(built.site_dir)
    module = built.content / "modules/listening.yml"
    module.write_text(module.read_text("utf-8") + "title: Again\n", "utf-8")
    with pytest.raises(ContentError):
        build(built)
    assert snapshot(built.site_dir) == before


def test_failed_mkdocs_build_leaves_the_site_untouched(built: Project) -> None:
    before = snapshot(built.site_dir)
    intro = built.content / "modules/listening.md"
    # A page that exists, an anchor that does not: only MkDocs' strict build can tell.
    intro.write_text(intro.read_text("utf-8") + "\nSee [the notes](promises.md#missing).\n", "utf-8")
    with pytest.raises(SiteBuildError) as error:
        build(built)
    assert any("#missing" in message for message in error.value.messages), error.value.messages
    assert snapshot(built.site_dir) == before
    # The staging tree is written all the same, so the trainer can look at what MkDocs refused.
    assert "promises.md#missing" in (built.staging_dir / "docs/modules/listening.md").read_text("utf-8")
    assert sorted(p.name for p in built.site_dir.parent.iterdir()) == ["build", "content", "site"]


def test_refuses_to_replace_a_site_with_foreign_files(built: Project) -> None:
    (built.site_dir / "CNAME").write_text("care.example.org\n", "utf-8")
    before = snapshot(built.site_dir)
    with pytest.raises(Refused, match="site/CNAME"):
        build(built)
    assert snapshot(built.site_dir) == before


def test_refuses_a_site_folder_that_holds_other_work(project: Project) -> None:
    with pytest.raises(Refused, match="overlap; give the site and staging folders places of their own"):
        build(project_at(project.content, site_dir=project.content.parent))
    with pytest.raises(Refused, match="overlap"):
        build(project_at(project.content, staging_dir=project.site_dir))
    assert not project.site_dir.exists()


def test_refuses_a_staging_folder_with_foreign_files(project: Project) -> None:
    project.staging_dir.mkdir()
    (project.staging_dir / "draft.md").write_text("mine", "utf-8")
    with pytest.raises(Refused, match="build/draft.md"):
        build(project)
    assert not project.site_dir.exists()
    assert sorted(p.name for p in project.staging_dir.iterdir()) == [LOCK, "draft.md"]


def test_a_first_build_that_fails_leaves_nothing_staged(project: Project) -> None:
    """Nothing but the staging folder's lock: not even the empty docs folder made for MkDocs."""
    module = project.content / "modules/listening.yml"
    text = module.read_text("utf-8")
    module.write_text(text + "title: Again\n", "utf-8")
    with pytest.raises(ContentError):
        build(project)
    assert [p.name for p in project.staging_dir.iterdir()] == [LOCK]
    module.write_text(text, "utf-8")
    build(project)
    assert (project.site_dir / "index.html").is_file()


def test_an_empty_folder_elsewhere_in_the_staging_folder_is_someone_elses(project: Project) -> None:
    (project.staging_dir / "drafts").mkdir(parents=True)
    with pytest.raises(Refused, match="build/drafts"):
        build(project)


def test_content_problems_come_before_mkdocs_refusing_the_settings(project: Project) -> None:
    """Settings MkDocs refuses are reported after the content's problems, which come first."""
    project.settings.write_text("copyright: [1, 2]\n", "utf-8")
    module = project.content / "modules/listening.yml"
    text = module.read_text("utf-8")
    module.write_text(text + "title: Again\n", "utf-8")
    with pytest.raises(ContentError) as problems:
        build(project)
    assert [str(p) for p in problems.value.problems] == [
        f"{module.as_posix()}:56:1: duplicate key 'title' (first at line 2); keep one of them"
    ]
    module.write_text(text, "utf-8")
    with pytest.raises(SiteBuildError) as refused:
        build(project)
    assert refused.value.messages == [
        "mkdocs: error: Config value 'copyright': Expected type: <class 'str'> but received: <class 'list'>",
        "mkdocs: Aborted with a configuration error!",
    ]
    assert not project.site_dir.exists()


def test_default_content_builds(default_content: Path) -> None:
    project = project_at(default_content)
    build(project)
    assert (project.site_dir / "modules/trust-and-respect.html").is_file()
    assert (project.site_dir / "outcomes/index.html").is_file()


def test_the_site_is_what_plain_mkdocs_makes_of_the_staged_tree(default_content: Path, tmp_path: Path) -> None:
    """The staged tree is the whole contract with the engine: nothing of playbook's reaches MkDocs besides it."""
    project = project_at(default_content)
    build(project)
    built_as_plain_mkdocs_builds(project.site_dir, project.staging_dir, tmp_path / "plain")


def test_the_manifest_lists_every_file_of_the_site_with_its_digest(built: Project) -> None:
    files = snapshot(built.site_dir)
    manifest = files.pop(MANIFEST).decode("utf-8").splitlines()
    assert manifest == [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in sorted(files.items())]


def test_the_site_is_readable_by_a_web_server(built: Project) -> None:
    assert built.site_dir.stat().st_mode & 0o777 == 0o755


def test_leftovers_of_an_interrupted_build_are_cleared(built: Project) -> None:
    leftover = built.site_dir.parent / ".site-new-abc123"
    leftover.mkdir()
    (leftover / "index.html").write_text("half", "utf-8")
    build(built)
    assert not leftover.exists()


def test_a_foreign_site_folder_is_reported_before_content_errors(built: Project) -> None:
    (built.site_dir / "CNAME").write_text("care.example.org\n", "utf-8")
    module = built.content / "modules/listening.yml"
    module.write_text(module.read_text("utf-8") + "title: Again\n", "utf-8")
    with pytest.raises(Refused, match="site/CNAME"):
        build(built)


def test_a_foreign_site_folder_leaves_the_staging_tree_alone(built: Project) -> None:
    (built.site_dir / "CNAME").write_text("care.example.org\n", "utf-8")
    module = built.content / "modules/listening.yml"
    module.write_text(module.read_text("utf-8").replace("Listening", "Hearing"), "utf-8")
    before = snapshot(built.staging_dir)
    with pytest.raises(Refused, match="site/CNAME"):
        build(built)
    assert snapshot(built.staging_dir) == before


def test_a_foreign_file_among_the_staged_pages_is_refused(built: Project) -> None:
    (built.staging_dir / "docs/notes.md").write_text("mine", "utf-8")
    before = snapshot(built.site_dir)
    with pytest.raises(Refused, match="build/docs/notes.md"):
        build(built)
    assert snapshot(built.site_dir) == before
    assert (built.staging_dir / "docs/notes.md").read_text("utf-8") == "mine"


def test_a_copy_for_disk_keeps_the_search_scripts_of_its_languages(tmp_path: Path) -> None:
    from playbook.site import publish

    lunr = tmp_path / "assets/javascripts/lunr"
    for name in ("min/lunr.fr.min.js", "min/lunr.th.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js",
                 "tinyseg.js", "wordcut.js"):
        (lunr / name).parent.mkdir(parents=True, exist_ok=True)
        (lunr / name).write_text("//", "utf-8")
    (tmp_path / "search").mkdir()
    (tmp_path / "search/search_index.json").write_text(json.dumps({"config": {"lang": ["en", "fr"]}, "docs": []}))
    (tmp_path / "assets/javascripts/bundle.js.map").write_text("{}", "utf-8")
    assert publish.trim_for_disk(tmp_path) == [
        "assets/javascripts/bundle.js.map", "assets/javascripts/lunr/min/lunr.th.min.js",
        "assets/javascripts/lunr/tinyseg.js", "assets/javascripts/lunr/wordcut.js",
    ]
    assert sorted(p.relative_to(lunr).as_posix() for p in lunr.rglob("*.js")) == [
        "min/lunr.fr.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js",
    ]


def test_a_broken_link_in_an_introduction_is_reported_where_it_is_written(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    intro = project.content / "modules/listening.md"
    intro.write_text(intro.read_text("utf-8") + "\nSee [promises](promises.md), [the call](../checklists/complaint.md#section-1)"
                     " and [this one](promise.md#confirm).\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        build(project)
    line = len(intro.read_text("utf-8").splitlines())
    assert [str(problem) for problem in caught.value.problems] == [
        f"{intro.as_posix()}:{line}:1: link target 'promise.md#confirm' is not a page of the site; link to another "
        "module as other-id.md, or to a checklist as ../checklists/its-id.md"
    ]
    intro.write_text(intro.read_text("utf-8").replace("promise.md#confirm", "promises.md#confirm"), "utf-8")
    build(project)


def test_the_built_site_carries_nothing_of_the_preview(content: Path) -> None:
    """The problem banner is the preview's alone (playbook serve): a built site neither has it nor fetches it."""
    build(project_at(content))
    site = content.parent / "site"
    assert not [path for path in site.rglob("*") if path.name.startswith("preview")]
    assert "preview" not in (site / "modules" / "promises.html").read_text("utf-8")
