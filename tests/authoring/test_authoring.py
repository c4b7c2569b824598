"""Authoring help: ``playbook new`` starts files that pass check, ``playbook review`` lists what is due."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.authoring.new import add_to_reading_order
from playbook.cli import main

# --- Scaffolding and review ------------------------------------------------------------------------------

@pytest.fixture
def project_dir(default_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(default_content.parent)
    return default_content


PLACEHOLDERS = {"module": 13, "checklist": 2, "path": 1}


@pytest.mark.parametrize("kind", ["module", "checklist", "path"])
def test_check_points_at_every_placeholder_a_new_file_leaves(project_dir: Path, kind: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", kind, "x"]) == 0
    folder = {"module": "modules", "checklist": "checklists", "path": "paths"}[kind]
    out = capsys.readouterr().out.splitlines()
    assert f"wrote content/{folder}/x.yml" in out
    assert f"{PLACEHOLDERS[kind]} placeholder(s) to write; check reports them until they are:" in out
    # The file is well formed: what check reports is exactly the placeholders, each where it is.
    assert main(["check"]) == 1
    problems = capsys.readouterr().err.splitlines()[:-1]
    assert len(problems) == PLACEHOLDERS[kind]
    assert all(re.fullmatch(rf"content/{folder}/x\.yml:\d+:\d+: [\w\[\].]+: still the placeholder 'TODO: .*'; "
                            "write it in your own words", line) for line in problems), problems
    if kind == "module":
        assert "care-like-a-parent, x]" in (project_dir / "playbook.yml").read_text("utf-8")


def test_a_placeholder_left_in_a_file_is_reported_where_it_is(project_dir: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    module = project_dir / "modules/listening.yml"
    module.write_text(module.read_text("utf-8").replace("summary: |\n", "summary: |\n  TODO: say it better.\n", 1),
                      "utf-8")
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0].startswith(
        "content/modules/listening.yml:3:10: summary: still the placeholder 'TODO: say it better.'")


def test_new_adds_to_a_block_list(tmp_path: Path) -> None:
    text = "title: T\nmodules:\n  - a\n  - b  # last\noutcomes: [x]\n"
    assert add_to_reading_order(text, "c") == "title: T\nmodules:\n  - a\n  - b  # last\n  - c\noutcomes: [x]\n"
    assert add_to_reading_order("modules: []\n", "c") == "modules: [c]\n"
    assert add_to_reading_order("modules: [a,]\n", "c") == "modules: [a,c]\n"
    assert add_to_reading_order("modules:\r\n  - a\r\nz: 1\r\n", "c") == "modules:\r\n  - a\r\n  - c\r\nz: 1\r\n"


def test_new_refuses_existing_files_and_bad_ids(project_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "module", "listening"]) == 3
    assert main(["new", "module", "Bad Id"]) == 2
    assert main(["new", "checklist", "index"]) == 2
    err = capsys.readouterr().err
    assert "content/modules/listening.yml: already exists" in err
    assert "'Bad Id' is not a valid id" in err and "'index' is a name the site uses itself" in err


def test_review_lists_what_is_due(project_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--strict", "--today", "2026-11-23"]) == 0
    assert capsys.readouterr().out == "0 item(s) to review\n"
    assert main(["review", "--strict", "--today", "2027-06-15"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "content/modules/trust-and-respect.yml:1:1: module 'trust-and-respect' was due for review on " \
           "2027-05-31 (15 days ago); review it, then set a new 'review_by'" in out
    text = (project_dir / "paths/front-line-onboarding.yml").read_text("utf-8")
    (project_dir / "paths/front-line-onboarding.yml").write_text(
        text.replace("owner: Head of Customer Care\n", ""), "utf-8")
    assert main(["review", "--today", "2026-11-23"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "content/paths/front-line-onboarding.yml:1:1: path 'front-line-onboarding' has no owner; "
        "add 'owner:' with a job title"
    )
