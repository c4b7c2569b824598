"""Completions at the size years of records reach: the limits of each trainer file, and completions/ for more."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from playbook.cli import main

from ..conftest import ROOT
from .test_training import data  # noqa: F401  (the writable example team)

EXAMPLE = ROOT / "examples" / "training"
PEOPLE = ("ana", "ben", "chloe", "dev", "eve")
#: The default content's modules; trust-and-respect is at revision 2, the others at 1.
MODULES = ("trust-and-respect", "listening", "making-clients-feel-important", "customers-as-friends",
           "guiding-new-customers", "care-like-a-parent")
FIRST_DAY = dt.date(2020, 1, 1)
MIB = 1024 * 1024
TOO_BIG_FOR_ONE_FILE = ("move older completions into a file of their own in completions/, one a year say")


def completion(n: int, revision: int = 1) -> tuple[str, str, dt.date, int]:
    """The n-th of a run that goes round every person and module (5 and 6 share no factor, so every pair comes up)."""
    return PEOPLE[n % len(PEOPLE)], MODULES[n % len(MODULES)], FIRST_DAY + dt.timedelta(days=n % 2000), revision


def completions_file(records: list[tuple[str, str, dt.date, int]]) -> str:
    return "completions:\n" + "".join(f"  - person: {person}\n    module: {module}\n    date: {day.isoformat()}\n"
                                      f"    score: 80\n    revision: {revision}\n"
                                      for person, module, day, revision in records)


def report(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["report", "--training", "training", "--today", "2026-11-23"]) == 0
    return capsys.readouterr().out.splitlines()


def refused(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["report", "--training", "training", "--today", "2026-11-23"]) == 1
    return capsys.readouterr().err.splitlines()


def completed(data: Path, person: str, module: str) -> tuple[str, str, str]:
    """The matrix cell's state, the date of the completion that counts and its revision."""
    text = (data / "report" / "matrix.csv").read_text("utf-8").removeprefix("\ufeff")
    row = next(row for row in csv.DictReader(io.StringIO(text, newline=""))
               if (row["person"], row["module"]) == (person, module))
    return row["state"], row["completed"], row["completed_revision"]


def test_twenty_thousand_completions_in_one_file_are_read_and_reported(data: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    records = [completion(n) for n in range(20_000)]
    (data / "completions.yml").write_text(completions_file(records), "utf-8")
    assert (data / "completions.yml").stat().st_size > MIB
    # Everyone completed every module, trust-and-respect only in the revision before its current one.
    assert report(capsys)[1] == "as of 2026-11-23: 25 done, 5 outdated, 0 overdue, 0 due, 0 not assigned"
    html = (data / "report" / "report.html").read_text("utf-8")
    assert 'aria-label="Completions over time: 20000 from 2020-01-01 to 2026-11-23"' in html
    latest = max(day for person, module, day, _ in records if (person, module) == ("ana", "listening"))
    assert completed(data, "ana", "listening") == ("done", latest.isoformat(), "1")


def test_a_completions_file_over_8_mib_is_refused_before_it_is_read(data: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with (data / "completions.yml").open("w", encoding="utf-8") as out:
        out.write("completions: []\n")
        out.write("#" * (8 * MIB - 16) + "\n")
    assert (data / "completions.yml").stat().st_size == 8 * MIB + 1
    assert refused(capsys) == [
        f"training/completions.yml: file is 8388609 bytes, over the 8 MiB limit; {TOO_BIG_FOR_ONE_FILE}",
        "1 problem(s) found; nothing was built",
    ]


def test_a_roster_over_1_mib_is_refused_with_what_to_do(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = data / "roster.yml"
    roster.write_text(roster.read_text("utf-8") + "#" * MIB + "\n", "utf-8")
    size = roster.stat().st_size
    assert refused(capsys)[0] == (f"training/roster.yml: file is {size} bytes, over the 1 MiB limit; keep a training "
                                  "folder for each department rather than one for everyone")


def test_more_completions_than_8_mib_of_real_ones_could_hold_are_refused(data: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Tiny items, each a problem of its own, would flood the trainer with lines: the list is refused whole."""
    (data / "completions.yml").write_text("completions:\n" + "  - x\n" * 150_001, "utf-8")
    assert refused(capsys)[0] == (f"training/completions.yml:2:3: completions: has 150001 items, more than 150000; "
                                  f"{TOO_BIG_FOR_ONE_FILE}")


def test_an_alias_cannot_make_a_small_file_big(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A YAML bomb is refused at its first anchor: no file reads as more than its bytes."""
    (data / "completions.yml").write_text(
        "completions: &a [{person: ana, module: listening, date: 2026-10-06, revision: 1}]\n"
        "more: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n", "utf-8")
    assert refused(capsys)[0] == (
        "training/completions.yml:1:14: anchor '&a' is not allowed; write each value out in full")


# --- completions/ --------------------------------------------------------------------------------

def test_completions_in_the_folder_count_with_completions_yml(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "completions").mkdir()
    older = [completion(n) for n in range(30)]
    (data / "completions" / "2020.yml").write_text(completions_file(older[:15]), "utf-8")
    (data / "completions" / "2021.yml").write_text(completions_file(older[15:]), "utf-8")
    (data / "completions" / ".2021.yml.swp").write_bytes(b"\x00an editor's file")
    (data / "completions.yml").write_text(completions_file([("eve", "trust-and-respect", dt.date(2026, 11, 2), 2)]),
                                          "utf-8")
    assert report(capsys)[1] == "as of 2026-11-23: 26 done, 4 outdated, 0 overdue, 0 due, 0 not assigned"
    html = (data / "report" / "report.html").read_text("utf-8")
    assert 'aria-label="Completions over time: 31 from 2020-01-01 to 2026-11-23"' in html
    assert completed(data, "eve", "trust-and-respect") == ("done", "2026-11-02", "2")
    assert completed(data, "eve", "listening") == ("done", "2020-01-20", "1")


def test_each_completions_file_is_checked_on_its_own_with_every_problem_found(data: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = data / "completions"
    folder.mkdir()
    (folder / "2024.yml").write_text(completions_file([completion(0), ("zoe", "listening", FIRST_DAY, 1)]), "utf-8")
    (folder / "2025.yml").write_text(completions_file([completion(1, revision=3)]), "utf-8")
    (folder / "2026.yaml").write_text(completions_file([completion(2)]), "utf-8")
    (folder / "notes.txt").write_text("who still owes us a receipt", "utf-8")
    (folder / "north").mkdir()
    edit = data / "completions.yml"
    edit.write_text(edit.read_text("utf-8").replace("date: 2026-10-03", "date: 3/10/2026", 1), "utf-8")
    assert refused(capsys) == [
        "training/completions.yml:4:11: completions[1].date: '3/10/2026' is not a date; write it as YYYY-MM-DD",
        "training/completions/2024.yml:7:13: completions[2].person: 'zoe' is not a known person; check the person ids",
        "training/completions/2025.yml:2:5: completions[1].revision: 3 is newer than the module's revision 1; check "
        "the record",
        "training/completions/2026.yaml: rename it to 2026.yml; completions files end in .yml",
        "training/completions/north: unexpected here; completions/ holds only .yml files of completions, like "
        "completions.yml",
        "training/completions/notes.txt: unexpected here; completions/ holds only .yml files of completions, like "
        "completions.yml",
        "6 problem(s) found; nothing was built",
    ]


def test_each_file_in_the_folder_has_the_completions_limit(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "completions").mkdir()
    (data / "completions" / "2025.yml").write_text("completions: []\n" + "#" * 8 * MIB + "\n", "utf-8")
    assert refused(capsys)[0] == (f"training/completions/2025.yml: file is {8 * MIB + 17} bytes, over the 8 MiB "
                                  f"limit; {TOO_BIG_FOR_ONE_FILE}")


def test_a_file_named_completions_is_not_the_folder(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy2(data / "completions.yml", data / "completions")
    assert refused(capsys)[0] == ("training/completions: must be a folder of .yml files of completions, not a file; "
                                  "move it out of the way")


def test_a_completions_folder_inside_content_is_refused_as_trainer_data(data: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (Path("content") / "completions").mkdir()
    shutil.copy2(data / "completions.yml", Path("content") / "completions" / "2025.yml")
    assert main(["build"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/completions: trainer data (people's names and emails) must never be in the content folder, which "
        "is published; move it to a private folder such as training/ beside content/"
    )
    assert not Path("site").exists()
