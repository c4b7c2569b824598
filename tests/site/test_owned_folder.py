"""Output folders: only what changed is rewritten; what the tool did not write is never touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from playbook.errors import Refused
from playbook.site.owned_folder import MANIFEST, check_owned, read_manifest, sync_tree


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
    assert str(refused.value) == "out: is not a folder playbook made; remove it or choose another folder"


def test_missing_and_empty_folders_are_fine(tmp_path: Path) -> None:
    check_owned(tmp_path / "missing", "missing")
    (tmp_path / "empty").mkdir()
    check_owned(tmp_path / "empty", "empty")


def test_symlinks_and_empty_folders_count_as_foreign(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_tree(out, "out", {"a.md": "A\n"})
    (out / "uploads").mkdir()
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(Refused) as refused:
        check_owned(out, "out")
    assert "out/link, out/uploads;" in str(refused.value)


@pytest.mark.parametrize("name", ["../victim.txt", "/etc/passwd", "a/../../b", ""])
def test_a_manifest_naming_files_outside_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    sync_tree(out, "out", {"a.md": "A\n"})
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    with open(out / MANIFEST, "a", encoding="utf-8") as manifest:
        manifest.write(f"{'0' * 64}  {name}\n")
    with pytest.raises(Refused, match="is damaged"):
        sync_tree(out, "out", {"a.md": "A\n"})
    assert victim.read_text("utf-8") == "precious"


def test_an_undecodable_manifest_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_tree(out, "out", {"a.md": "A\n"})
    with open(out / MANIFEST, "ab") as manifest:
        manifest.write(b"\xff\n")
    with pytest.raises(Refused, match="is damaged"):
        check_owned(out, "out")


def test_a_run_interrupted_mid_write_is_recognised_next_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    sync_tree(out, "out", {"a.md": "A\n", "b.md": "B\n"})
    import playbook.site.owned_folder as outputs

    real_write = outputs._atomic_write
    calls = []

    def dying_write(folder: Path, name: str, data: bytes) -> None:
        calls.append(name)
        if name == "b.md":
            raise OSError(28, "No space left on device")
        real_write(folder, name, data)

    monkeypatch.setattr(outputs, "_atomic_write", dying_write)
    with pytest.raises(OSError):
        sync_tree(out, "out", {"a.md": "A2\n", "b.md": "B2\n"})
    assert (out / "a.md").read_text("utf-8") == "A2\n" and (out / "b.md").read_text("utf-8") == "B\n"
    monkeypatch.setattr(outputs, "_atomic_write", real_write)
    report = sync_tree(out, "out", {"a.md": "A2\n", "b.md": "B2\n"})
    assert report.written == ["b.md"]
    assert read_manifest(out, "out") == {
        "a.md": {outputs._digest(b"A2\n")}, "b.md": {outputs._digest(b"B2\n")}
    }
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "a.md", "b.md"]
