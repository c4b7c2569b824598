"""Trainer files in one of the playbook's languages (--lang): plans, calendars and the report, with goldens that
keep the default output as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from playbook.cli import main

from ..conftest import ROOT

GOLDENS = ROOT / "tests" / "goldens" / "training"
SITE_URL = "https://care.example.org/playbook/"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example trainer data at tmp_path/training beside the default content; work from tmp_path."""
    shutil.copytree(ROOT / "examples" / "training", tmp_path / "training")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "training"


def written(command: str, *options: str) -> dict[str, str]:
    """What ``playbook <command>`` writes for the example team on 2026-11-23, by file name."""
    site_url = ["--site-url", SITE_URL] if command == "assign" else []
    assert main([command, "--training", "training", "--today", "2026-11-23", "--out", "out", *site_url, *options]) == 0
    return {path.name: path.read_bytes().decode("utf-8") for path in sorted(Path("out").iterdir())
            if not path.name.startswith(".")}


@pytest.mark.parametrize("lang", [None])
@pytest.mark.parametrize("command", ["assign", "report"])
def test_goldens(data: Path, command: str, lang: str | None, update_goldens: bool,
                 capsys: pytest.CaptureFixture[str]) -> None:
    """Each file matches tests/goldens/training/<command>[-<lang>]/ (``pytest --update-goldens`` rewrites them)."""
    files = written(command, *(["--lang", lang] if lang else []))
    folder = GOLDENS / (command if lang is None else f"{command}-{lang}")
    if update_goldens:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
    assert sorted(path.name for path in folder.iterdir()) == sorted(files), "run pytest --update-goldens"
    for name, text in files.items():
        assert (folder / name).read_bytes() == text.encode("utf-8"), f"{name} differs; run pytest --update-goldens"
