"""The command line, through ``main(argv)``: output, exit codes, no tracebacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from playbook import __version__
from playbook.cli import main

from .conftest import ROOT, snapshot


@pytest.fixture
def project_dir(default_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's content and settings; the working folder is its root."""
    shutil.copy(ROOT / "mkdocs.yml", default_content.parent / "mkdocs.yml")
    monkeypatch.chdir(default_content.parent)
    return default_content.parent


def test_check_passes_on_the_default_content(project_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", "content"]) == 0
    out, err = capsys.readouterr()
    assert out == "content: ok (6 modules, 5 checklists, 3 learning paths, languages: en, fr)\n" and err == ""


def test_a_duplicate_title_fails_check_with_its_position(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = project_dir / "content/modules/trust-and-respect.yml"
    lines = module.read_text("utf-8").splitlines()
    first_title = next(n for n, line in enumerate(lines, 1) if line.startswith("title:"))
    module.write_text("\n".join(lines) + "\ntitle: A second title\n", "utf-8")

    assert main(["check", "--content", "content"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"content/modules/trust-and-respect.yml:{len(lines) + 1}:1: duplicate key 'title' "
        f"(first at line {first_title}); keep one of them",
        "1 problem(s) found; nothing was built",
    ]
    assert "Traceback" not in err


def test_build_then_a_broken_build_leaves_the_site_byte_identical(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build"]) == 0
    assert capsys.readouterr().out.startswith("built site (")
    before = snapshot(project_dir / "site")

    module = project_dir / "content/modules/trust-and-respect.yml"
    module.write_text(module.read_text("utf-8") + "title: A second title\n", "utf-8")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "content/modules/trust-and-respect.yml:" in err and "Traceback" not in err
    assert snapshot(project_dir / "site") == before


def test_a_site_mkdocs_refuses_is_exit_1(project_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    intro = project_dir / "content/modules/trust-and-respect.md"
    intro.write_text(intro.read_text("utf-8") + "\nSee [this](listening.md#nowhere).\n", "utf-8")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "#nowhere" in err
    assert err.rstrip().endswith("the site did not build; the previous site was left as it was")
    assert not (project_dir / "site").exists()


def test_build_refuses_to_overwrite_foreign_files_exit_3(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project_dir / "site").mkdir()
    (project_dir / "site/keep.html").write_text("mine", "utf-8")
    assert main(["build"]) == 3
    assert capsys.readouterr().err == (
        "refused: site: holds files playbook did not write (or that changed since): site/keep.html; "
        "move them elsewhere or choose another folder\n"
    )
    assert (project_dir / "site/keep.html").read_text("utf-8") == "mine"


def test_build_with_explicit_folders(project_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    code = main(["build", "--content", "content", "--site-dir", str(out / "site"), "--staging-dir", str(out / "stage")])
    assert code == 0
    assert (out / "site/index.html").is_file() and (out / "stage/mkdocs.yml").is_file()


def test_missing_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--content", "nowhere"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "nowhere: content folder not found; pass --content with the folder holding playbook.yml"
    )


@pytest.mark.parametrize("argv", [[], ["publish"], ["check", "--contents", "x"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: playbook" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"playbook {__version__}\n"


def test_an_unwritable_site_folder_is_reported_without_traceback(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = project_dir / "blocked"
    blocker.write_text("a file, not a folder", "utf-8")
    assert main(["build", "--site-dir", "blocked/site"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("blocked: ") and "check the folder exists and can be written" in err
    assert "Traceback" not in err


def test_a_missing_settings_file_is_a_usage_error(project_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--config", "nowhere.yml"]) == 2
    assert capsys.readouterr().err == "playbook: error: --config nowhere.yml: no such file\n"


def test_check_reports_site_settings_problems(project_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project_dir / "mkdocs.yml").write_text("site_name: Mine\n", "utf-8")
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "mkdocs.yml: site_name: set by playbook from the content; remove it from mkdocs.yml"
    )
