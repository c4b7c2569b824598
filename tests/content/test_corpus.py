"""Hostile and broken input: every case of tests/corpus/cases.yml ends in its exact message and exit code,
with no traceback, and the previous site untouched.

Each case changes one file of the small test playbook (``file``) by ``replace``
(``find`` -> ``text``), ``append``, ``write``, ``bytes`` (base64) or ``symlink``
(to ``text``); ``repeat`` repeats ``text``. Then it runs ``playbook build``.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
import yaml

from playbook.cli import main
from playbook.site import build

from ..conftest import project_at, snapshot

CASES = yaml.safe_load((Path(__file__).resolve().parents[1] / "corpus" / "cases.yml").read_text("utf-8"))


def apply(case: dict, content: Path) -> None:
    target = content / case["file"]
    mode = case["mode"]
    case = {**case, "text": case["text"] * case.get("repeat", 1)}
    if mode == "replace":
        text = target.read_text("utf-8")
        assert case["find"] in text, case["find"]
        target.write_text(text.replace(case["find"], case["text"], 1), "utf-8")
    elif mode == "append":
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(case["text"])
    elif mode == "write":
        target.write_text(case["text"], "utf-8")
    elif mode == "bytes":
        target.write_bytes(base64.b64decode(case["text"]))
    elif mode == "symlink":
        os.symlink(case["text"], target)
    else:
        raise AssertionError(f"unknown mode {mode!r}")


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 30
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case: dict, content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(content.parent)
    monkeypatch.delenv("PLAYBOOK_TRAINING", raising=False)
    build(project_at("content"))
    before = snapshot(Path("site"))
    capsys.readouterr()

    apply(case, Path("content"))
    code = main(["build"])
    out, err = capsys.readouterr()

    assert (code, err.splitlines()) == (case["exit"], case["messages"])
    assert "Traceback" not in out + err
    assert snapshot(Path("site")) == before, "the previous site changed"
    assert sorted(p.name for p in Path(".").iterdir()) == ["build", "content", "site"], "something was left behind"
