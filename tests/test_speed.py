"""Generation on two cores gives exactly what it gives on one, and falls back to one safely."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import threading
from pathlib import Path

import pytest

from playbook import render, speed, validate
from playbook.problems import ContentError

from .conftest import DEFAULT_CONTENT

PARENT = os.getpid()


@pytest.fixture(autouse=True)
def _forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even if other tests left threads running (a session's web server): none of them is touched here."""
    monkeypatch.setattr(speed, "can_fork", lambda: hasattr(os, "fork"))


def test_the_second_half_runs_in_a_child_process() -> None:
    mine, theirs = speed.both(os.getpid, os.getpid)
    assert mine == PARENT and theirs != PARENT
    assert multiprocessing.active_children() == []


def test_small_work_stays_in_one_process() -> None:
    assert speed.both(os.getpid, os.getpid, worth_it=False) == (PARENT, PARENT)


def test_other_threads_keep_it_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real test of whether forking is safe
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not speed.can_fork()
        assert speed.both(os.getpid, os.getpid) == (PARENT, PARENT)
    finally:
        stop.set()
        other.join()


def test_a_failed_child_is_redone_here_so_its_error_shows() -> None:
    def fails_in_a_child() -> int:
        if os.getpid() != PARENT:
            raise RuntimeError("only in the child")
        return os.getpid()

    assert speed.both(os.getpid, fails_in_a_child) == (PARENT, PARENT)

    def always_fails() -> int:
        raise ValueError("content is broken")

    with pytest.raises(ValueError, match="content is broken"):
        speed.both(os.getpid, always_fails)


def test_a_result_that_cannot_travel_is_redone_here() -> None:
    mine, theirs = speed.both(os.getpid, lambda: (os.getpid(), lambda: None))
    assert mine == PARENT and theirs[0] == PARENT


def test_when_this_half_fails_the_child_is_stopped() -> None:
    def fails() -> None:
        raise KeyError("here")

    with pytest.raises(KeyError):
        speed.both(fails, lambda: threading.Event().wait(60))
    assert multiprocessing.active_children() == []


@pytest.fixture
def many_files(tmp_path: Path) -> Path:
    """The default playbook with 30 more modules, enough files for two processes."""
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT, content)
    template = (content / "modules" / "listening.yml").read_text("utf-8")
    ids = [f"copy-{n:02d}" for n in range(30)]
    for module_id in ids:
        (content / "modules" / f"{module_id}.yml").write_text(template.replace("id: listening", f"id: {module_id}", 1))
    playbook = content / "playbook.yml"
    text = playbook.read_text("utf-8")
    text = text.replace("sections:\n", f"sections:\n  - id: copies\n    title: Copies\n    modules: [{', '.join(ids)}]\n", 1)
    playbook.write_text(text, "utf-8")
    return content


def _both_ways(monkeypatch: pytest.MonkeyPatch, setting: str, module: object, action):  # type: ignore[no-untyped-def]
    results = []
    for threshold in (0, 10**9):
        monkeypatch.setattr(module, setting, threshold)
        results.append(action())
    return results


def test_two_processes_load_the_same_site(many_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    two, one = _both_ways(monkeypatch, "PARALLEL_FILES", validate, lambda: validate.load_site(many_files))
    assert two == one
    assert [module.id for module in two.modules][:3] == ["copy-00", "copy-01", "copy-02"]


def test_two_processes_report_the_same_problems_in_the_same_order(
    many_files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for broken in ("copy-01", "copy-28"):  # one in each half
        path = many_files / "modules" / f"{broken}.yml"
        path.write_text(path.read_text("utf-8").replace("minutes:", "minutes: ten\nminutes:", 1), "utf-8")
    (many_files / "checklists" / "strategy-session.yml").write_text("id: [strategy-session\n", "utf-8")

    def problems() -> list[str]:
        with pytest.raises(ContentError) as caught:
            validate.load_site(many_files)
        return [str(problem) for problem in caught.value.problems]

    two, one = _both_ways(monkeypatch, "PARALLEL_FILES", validate, problems)
    assert two == one
    assert len(one) >= 3 and any("copy-01.yml" in p for p in one) and any("copy-28.yml" in p for p in one)


def test_two_processes_render_the_same_bytes(many_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = validate.load_site(many_files)
    two, one = _both_ways(monkeypatch, "PARALLEL_MODULES", render, lambda: render.render(site))
    assert list(two) == list(one) and two == one


def test_the_collector_is_paused_while_generating_and_restored_after(many_files: Path) -> None:
    seen = []

    @speed.collector_paused()
    def generating() -> None:
        seen.append(gc.isenabled())

    generating()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        generating()
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
    with pytest.raises(ContentError):
        validate.load_site(many_files / "modules")
    assert gc.isenabled()


def test_a_failing_child_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    def fails_in_a_child() -> object:
        return (lambda: None) if os.getpid() != PARENT else "redone here"

    assert speed.both(os.getpid, fails_in_a_child) == (PARENT, "redone here")
    assert capfd.readouterr() == ("", "")
