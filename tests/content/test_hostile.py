"""Hostile and broken input beyond the corpus: interrupted writes, a full disk, killed builds,
privacy scans of the built site, and property tests of the loader and validator."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.cli import main
from playbook.content import load_site
from playbook.content.loader import parse_yaml
from playbook.errors import ContentError, Problem
from playbook.site import Project, build
from playbook.site import owned_folder as outputs

from ..conftest import FIXTURE_CONTENT, ROOT, project_at, snapshot


@pytest.fixture
def built(content: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(content.parent)
    monkeypatch.delenv("PLAYBOOK_TRAINING", raising=False)
    project = project_at("content")
    build(project)
    return project


# --- A full disk, a crash, a kill ------------------------------------------------------------------

def test_a_full_disk_while_staging_keeps_outputs_and_leaves_no_temporary_files(
    built: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_before = snapshot(built.site_dir)
    module = built.content / "modules/promises.yml"
    module.write_text(module.read_text("utf-8").replace("A time can be checked.", "A time can be verified."))
    real_replace = os.replace

    def disk_full(source: str | Path, target: str | Path) -> None:
        if str(target).endswith("promises.md"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", disk_full)
    with pytest.raises(OSError):
        build(built)
    assert snapshot(built.site_dir) == site_before
    assert not list(built.staging_dir.rglob(".playbook-tmp"))
    assert sorted(p.name for p in Path(".").iterdir()) == ["build", "content", "site"]
    monkeypatch.setattr(outputs.os, "replace", real_replace)
    build(built)  # the next run recognises the half-updated staging folder as its own
    assert "A time can be verified." in (built.site_dir / "modules/promises.html").read_text("utf-8")


def test_a_full_disk_while_building_the_site_keeps_the_old_site(built: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    site_before = snapshot(built.site_dir)
    import playbook.site.pipeline as build_module

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_module, "record_ownership", no_space)
    assert main(["build"]) == 1
    assert snapshot(built.site_dir) == site_before
    assert sorted(p.name for p in Path(".").iterdir()) == ["build", "content", "site"]


def test_a_killed_build_leaves_the_old_site_and_the_next_build_cleans_up(built: Project) -> None:
    site_before = snapshot(built.site_dir)
    module = built.content / "modules/promises.yml"
    module.write_text(module.read_text("utf-8").replace("A time can be checked.", "A time can be measured."))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    process = subprocess.Popen([sys.executable, "-m", "playbook", "build"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Killed once MkDocs has started writing the new site beside the old one, before the swap.
    deadline = time.monotonic() + 60
    while not list(Path(".").glob(".site-new-*/*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed mid-way"
    assert snapshot(built.site_dir) == site_before
    assert list(Path(".").glob(".site-new-*")), "the half-built site was expected beside the old one"
    build(built)
    assert sorted(p.name for p in Path(".").iterdir()) == ["build", "content", "site"]
    assert "A time can be measured." in (built.site_dir / "modules/promises.html").read_text("utf-8")


# --- Privacy scan -------------------------------------------------------------------------------------

def test_an_email_address_in_the_site_stops_the_build(built: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site_before = snapshot(built.site_dir)
    playbook = built.content / "playbook.yml"
    playbook.write_text(playbook.read_text("utf-8").replace(
        "description: |\n", "description: |\n  Write to help@northwind.example with questions.\n"), "utf-8")
    assert main(["build"]) == 3
    assert capsys.readouterr().err == (
        # The playbook's description describes every page (its <meta name="description">): 404.html comes first.
        "refused: site/404.html: contains the email address help@northwind.example; remove it from the content, "
        "or list it under public_emails in playbook.yml if it is meant to be public\n"
    )
    assert snapshot(built.site_dir) == site_before
    playbook.write_text(playbook.read_text("utf-8") + "public_emails: [help@northwind.example]\n", "utf-8")
    assert main(["build"]) == 0


def test_a_roster_name_in_the_site_stops_the_build(built: Project, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLAYBOOK_TRAINING", str(ROOT / "examples" / "training"))
    assert main(["build"]) == 0  # the roster is only searched for
    module = built.content / "modules/promises.yml"
    module.write_text(module.read_text("utf-8").replace("A time can be checked.", "Ask Ana Fictional."), "utf-8")
    assert main(["build"]) == 3
    assert capsys.readouterr().err.endswith(
        "refused: site/modules/promises.html: contains a name or email from the trainer roster; remove it from the "
        "content before publishing\n"
    )


@pytest.mark.parametrize("written", ["Ask *Ana* Fictional.", "Ask Ana\n          Fictional.", "Ask A<b>na</b> FICTIONAL.",
                                     "Ask Ána Fictional.", "Ask Ana&nbsp;Fictional.", "Ask A&shy;na Fictional.",
                                     "Ask Ana Fic&#x200C;tional.", "Ask Ana Fict\u200dional."])
def test_a_roster_name_is_found_however_it_is_written(built: Project, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], written: str) -> None:
    """Split across lines, in emphasis, split by a tag or by a character that draws nothing, in capitals, with an
    accent or an entity: the scan compares what a reader sees, in the pages and in the search index alike."""
    monkeypatch.setenv("PLAYBOOK_TRAINING", str(ROOT / "examples" / "training"))
    module = built.content / "modules/promises.yml"
    module.write_text(module.read_text("utf-8").replace("explanation: A time can be checked.",
                                                        f"explanation: |-\n          {written}"), "utf-8")
    assert main(["build"]) == 3
    assert "contains a name or email from the trainer roster" in capsys.readouterr().err


def test_a_broken_roster_stops_the_build_instead_of_switching_the_scan_off(
        built: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "examples" / "training", "training")
    roster = Path("training/roster.yml")
    roster.write_text(roster.read_text("utf-8").replace("people:\n", "people:\n  - id: [broken\n", 1), "utf-8")
    monkeypatch.setenv("PLAYBOOK_TRAINING", "training")
    site_before = snapshot(built.site_dir)
    module = built.content / "modules/promises.yml"
    module.write_text(module.read_text("utf-8").replace("A time can be checked.", "Ask Ana Fictional."), "utf-8")
    assert main(["build"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "training/roster.yml: the site is checked for every name on the roster before it is published; "
        "fix the roster first",
        "training/roster.yml:5:7: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence; "
        "check the indentation and quote text that holds ': ' or ' #' "
        "(the file cannot be read past this point, so the rest of it was not checked)",
        "2 problem(s) found; nothing was built",
    ]
    assert snapshot(built.site_dir) == site_before


# --- Properties -------------------------------------------------------------------------------------------

KEYS = st.sampled_from(["id", "title", "summary", "roles", "minutes", "revision", "owner", "review_by", "objectives",
                        "principles", "checks", "outcome", "why", "actions", "text", "avoid", "example", "source",
                        "choices", "correct", "explanation", "question", "themes", "x"])
SCALARS = st.one_of(st.sampled_from(["promises", "no", "yes", "2027-02-30", "2027-01-01", "15", "-1", "true", "",
                                     "<script>", "[x](javascript:y)", "trust", "agent", "a/b/c", "../x", "#"]),
                    st.text(max_size=12))
VALUES = st.recursive(SCALARS, lambda children: st.one_of(st.lists(children, max_size=3),
                                                          st.dictionaries(KEYS, children, max_size=4)), max_leaves=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(KEYS, VALUES, max_size=10))
def test_any_module_document_gives_a_site_or_positioned_problems(content: Path, document: dict) -> None:
    import yaml

    target = content / "modules" / "promises.yml"
    target.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    try:
        load_site(content)
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.position.path.startswith(str(content)), problem
            assert "; " in problem.message, problem


def _calls(text: str) -> int:
    counted = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal counted
        if event == "call":
            counted += 1

    sys.setprofile(count)
    try:
        parse_yaml(text, "f.yml", [])
    finally:
        sys.setprofile(None)
    return counted


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([
    "  - id: item-{n}\n    text: Item {n} with some words.\n",
    "key{n}: value {n}\n",
    "  - 'quoted {n}'\n",
    "# comment {n}\n",
]))
def test_loading_work_grows_linearly_with_the_input(line: str) -> None:
    """Counted in function calls, not seconds: the same on any machine."""
    prefix = "items:\n" if line.startswith("  ") else ""
    small = prefix + "".join(line.format(n=n) for n in range(200))
    large = prefix + "".join(line.format(n=n) for n in range(800))
    assert _calls(large) <= 4.5 * max(_calls(small), 1)


def test_every_fixture_file_round_trips_without_problems() -> None:
    problems: list[Problem] = []
    for path in sorted(FIXTURE_CONTENT.rglob("*.yml")):
        assert parse_yaml(path.read_text("utf-8"), path.name, problems) is not None
    assert problems == []


def test_content_symlinked_folders_are_refused(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)
    shutil.move("content/paths", "elsewhere")
    os.symlink(Path("elsewhere").resolve(), "content/paths")
    with pytest.raises(ContentError) as error:
        load_site("content")
    assert [str(p) for p in error.value.problems] == [
        "content/paths: is a symbolic link; put the real file or folder here instead"
    ]


