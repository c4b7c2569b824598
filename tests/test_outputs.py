"""Output folders: only what changed is rewritten; what the tool did not write is never touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from playbook.outputs import MANIFEST, Refused, check_owned, sync_tree


def test_sync_writes_then_rewrites_only_changes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = sync_tree(out, "out", {"a.md": "A\n", "sub/b.md": "B\n"})
    assert (first.written, first.removed, first.unchanged) == (["a.md", "sub/b.md"], [], 0)
    before = os.stat(out / "a.md").st_mtime_ns
    second = sync_tree(out, "out", {"a.md": "A\n", "sub/b.md": "B2\n"})
    assert (second.written, second.unchanged) == (["sub/b.md"], 1)
    assert os.stat(out / "a.md").st_mtime_ns == before
    assert (out / "sub/b.md").read_text("utf-8") == "B2\n"


def test_sync_removes_files_it_wrote_that_are_gone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_tree(out, "out", {"a.md": "A\n", "old/b.md": "B\n"})
    report = sync_tree(out, "out", {"a.md": "A\n"})
    assert report.removed == ["old/b.md"]
    assert sorted(p.name for p in out.rglob("*")) == [MANIFEST, "a.md"]


def test_sync_leaves_no_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_tree(out, "out", {"a.md": "A\n"})
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "a.md"]


def test_sync_refuses_a_folder_with_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(Refused) as refused:
        sync_tree(out, "out", {"a.md": "A\n"})
    assert str(refused.value) == (
        "out: holds files playbook did not write (or that changed since): out/notes.txt; "
        "move them elsewhere or choose another folder"
    )
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_a_hand_edited_file_counts_as_foreign(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_tree(out, "out", {"a.md": "A\n"})
    (out / "a.md").write_text("edited by hand\n", "utf-8")
    with pytest.raises(Refused, match="out/a.md"):
        check_owned(out, "out")


def test_refusal_names_five_files_then_counts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for n in range(7):
        (out / f"f{n}.txt").write_text("x", "utf-8")
    with pytest.raises(Refused) as refused:
        check_owned(out, "out")
    assert "out/f4.txt and 2 more;" in str(refused.value)


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder", "utf-8")
    with pytest.raises(Refused) as refused:
        check_owned(out, "out")
    assert str(refused.value) == "out: is not a folder the tool made; remove it or choose another folder"


def test_missing_and_empty_folders_are_fine(tmp_path: Path) -> None:
    check_owned(tmp_path / "missing", "missing")
    (tmp_path / "empty").mkdir()
    check_owned(tmp_path / "empty", "empty")
