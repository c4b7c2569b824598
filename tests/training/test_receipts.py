"""playbook record: learners' receipts checked with positions and merged into completions.yml."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playbook.cli import main
from playbook.content import load_site, module_digest
from playbook.training import load_training
from playbook.training.records import LOCK

from ..conftest import ROOT, snapshot
from .test_training import data  # noqa: F401  (the writable example team)

EXAMPLE = ROOT / "examples" / "training"
GOLDENS = ROOT / "tests" / "goldens" / "training"
SITE = load_site(ROOT / "content")
TODAY = "2026-11-30"
LISTENING = module_digest(SITE.module("listening"))


def receipt(module: str = "listening", **fields: object) -> dict[str, object]:
    return {"module": module, "revision": 1, "completed": "2026-11-30", "score": 100, "acknowledged": True,
            **fields}


def receipts_file(name: str, *receipts: dict[str, object], person: str = "ben", **top: object) -> str:
    """A receipts file as the site writes it (indented JSON), one receipt a line; returns its name."""
    head = {"format": "playbook-receipts/1", "playbook": "Customer Care Playbook", "person": person,
            "made": "2026-11-30T16:20:00Z", **top}
    lines = ",\n".join(f"    {json.dumps(item)}" for item in receipts)
    text = json.dumps(head, indent=2)[:-2] + ',\n  "receipts": [\n' + lines + "\n  ]\n}\n"
    Path(name).write_text(text, "utf-8")
    return name


def record(*args: str) -> int:
    return main(["record", "--training", "training", "--today", TODAY, *args])


def test_a_receipt_is_recorded_with_its_score_acknowledgement_and_digest(data: Path, capsys) -> None:
    name = receipts_file("ben.json", receipt(digest=LISTENING))
    assert record(name) == 0
    assert capsys.readouterr().out.splitlines() == [
        "added: ben listening revision 1, completed 2026-11-30, score 100",
        "training/completions.yml: 1 completion(s) added, 0 already recorded",
    ]
    completion = load_training(data, SITE).completions[-1]
    assert (completion.person, completion.module, completion.revision, completion.score) == ("ben", "listening", 1,
                                                                                             100)
    assert completion.acknowledged.isoformat() == "2026-11-30" and completion.digest == LISTENING


def test_a_receipt_from_the_french_site_is_recorded_without_warnings(data: Path, capsys) -> None:
    french = SITE.translation("fr").site
    name = receipts_file("ben.json", receipt(digest=module_digest(french.module("listening"))),
                         playbook=french.playbook.title)
    assert record(name) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "added: ben listening revision 1, completed 2026-11-30, score 100" and err == ""


def test_every_problem_of_every_receipt_with_its_position_and_nothing_written(data: Path, capsys) -> None:
    before = snapshot(data)
    receipts_file("ben.json",
                  receipt("listen"),
                  receipt("trust-and-respect", revision=3, completed="2026-12-01", score=79, acknowledged=False),
                  receipt(revision="1", completed="2026-02-30", score=101, digest="sha256:abc"),
                  {"module": "listening", "revision": 0, "completed": "30/11/2026", "score": 95.5},
                  {"module": "care-like-a-parent", "revision": 1, "completed": "2026-11-30", "acknowledged": "yes"})
    receipts_file("anna.json", receipt(), person="anna")
    receipts_file("other.json", receipt(), format="playbook-receipts/2")
    assert record("ben.json", "anna.json", "other.json") == 1
    assert capsys.readouterr().err.splitlines() == [
        "anna.json:4:13: person: 'anna' is not on the roster; did you mean 'ana'?",
        "ben.json:7:16: receipts[1].module: 'listen' is not a known module; did you mean 'listening'?",
        "ben.json:8:49: receipts[2].revision: 3 is newer than the revision of 'trust-and-respect' in the content (2); "
        "pull the latest content, or check the receipt came from this site",
        "ben.json:8:65: receipts[2].completed: 2026-12-01 is in the future (today is 2026-11-30); check the date on "
        "the learner's device, then ask for the receipts again",
        "ben.json:8:88: receipts[2].score: 79 is below the pass mark of 'trust-and-respect' (80); the learner has "
        "not passed its knowledge check yet",
        "ben.json:8:108: receipts[2].acknowledged: must be true: the learner has not acknowledged this revision; ask "
        "them to acknowledge it on the module's page and send their receipts again",
        "ben.json:9:41: receipts[3].revision: '1' is not a whole number; ask the learner to send their receipts "
        "again from the site",
        "ben.json:9:59: receipts[3].completed: '2026-02-30' is not a real date (YYYY-MM-DD); ask the learner to "
        "send their receipts again from the site",
        "ben.json:9:82: receipts[3].score: 101 is out of range, 0 to 100; ask the learner to send their receipts "
        "again from the site",
        "ben.json:9:119: receipts[3].digest: 'sha256:abc' is not a digest ('sha256:' and 64 hex digits); ask the "
        "learner to send their receipts again from the site",
        "ben.json:10:5: receipts[4].acknowledged: must be true: the learner has not acknowledged this revision; ask "
        "them to acknowledge it on the module's page and send their receipts again",
        "ben.json:10:41: receipts[4].revision: 0 is out of range, 1 to 1000000; ask the learner to send their "
        "receipts again from the site",
        "ben.json:10:57: receipts[4].completed: '30/11/2026' is not a real date (YYYY-MM-DD); ask the learner to "
        "send their receipts again from the site",
        "ben.json:10:80: receipts[4].score: '95.5' is not a whole number; ask the learner to send their receipts "
        "again from the site",
        "ben.json:11:5: receipts[5].score: missing; 'care-like-a-parent' has a knowledge check, so a completion "
        "needs its score: ask the learner to take it",
        "ben.json:11:96: receipts[5].acknowledged: must be true: the learner has not acknowledged this revision; "
        "ask them to acknowledge it on the module's page and send their receipts again",
        "other.json:2:13: format: 'playbook-receipts/2' is not a receipts format this playbook reads; it reads "
        "'playbook-receipts/1', update playbook or ask the learner to send their receipts again from the site",
        "17 problem(s) found; nothing was recorded",
    ]
    assert snapshot(data) == before


def test_files_without_receipts_or_with_broken_json(data: Path, capsys) -> None:
    Path("note.txt").write_text("Hi, I finished listening today!\n", "utf-8")
    Path("cut.json").write_text('{"format": "playbook-receipts/1", "person": "ben",\n "receipts": [}\n', "utf-8")
    Path("dup.json").write_text('{"format": "playbook-receipts/1", "person": "ben", "person": "ana",'
                                ' "receipts": []}\n', "utf-8")
    assert record("note.txt", "cut.json", "dup.json") == 1
    assert capsys.readouterr().err.splitlines() == [
        "cut.json:2:15: the receipts are not valid JSON here (Expecting value); the text was changed after it left "
        "the site, ask the learner to send their receipts again from the site",
        "dup.json:1:52: duplicate key 'person' (first at line 1); keep one of them",
        'note.txt: no receipts found (a JSON object with "format": "playbook-receipts/1"); name the file the '
        "learner downloaded or the e-mail it came in",
        "3 problem(s) found; nothing was recorded",
    ]


def test_a_receipt_pasted_into_an_e_mail_is_found_with_positions_in_the_mail(data: Path, capsys) -> None:
    mail = ("From: Ben Example <ben.example@example.org>\nSubject: my receipts {as asked}\n\n"
            "Hi, here they are:\n\n"
            '\t{"format": "playbook-receipts/1", "playbook": "Customer Care Playbook", "person": "ben",\n'
            '\t "made": "2026-11-30T16:20:00Z", "receipts": [\n'
            '\t  {"module": "listening", "revision": 1, "completed": "2026-11-30", "score": 100,'
            ' "acknowledged": true, "digest": "sha256:' + "0" * 64 + '"},\n'
            '\t  {"module": "listening", "revision": 1, "completed": "2026-11-30", "score": 40}]}\n\nThanks, Ben\n')
    Path("mail.eml").write_text(mail, "utf-8")
    assert record("mail.eml") == 1
    assert capsys.readouterr().err.splitlines() == [
        "mail.eml:8:116: warning: receipts[1].digest: does not match the current text of 'listening' revision 1; "
        "the learner read another text of the same revision (recorded all the same)",
        "mail.eml:9:4: receipts[2].acknowledged: must be true: the learner has not acknowledged this revision; ask "
        "them to acknowledge it on the module's page and send their receipts again",
        "mail.eml:9:79: receipts[2].score: 40 is below the pass mark of 'listening' (80); the learner has not "
        "passed its knowledge check yet",
        "2 problem(s) found; nothing was recorded",
    ]
    Path("mail.eml").write_text(mail.replace(', "score": 40}', ', "score": 90, "acknowledged": true, '
                                                               '"completed": "2026-11-29"}'), "utf-8")
    assert record("mail.eml") == 1  # a duplicate key, found by the loader: completed twice
    assert "mail.eml:9:105: duplicate key 'completed' (first at line 9); keep one of them" in capsys.readouterr().err


def test_the_same_receipt_twice_records_once_across_all_completions_files(data: Path, capsys) -> None:
    (data / "completions").mkdir()
    (data / "completions" / "2025.yml").write_text(
        "completions:\n  - person: ben\n    module: trust-and-respect\n    date: 2026-11-20\n    revision: 2\n",
        "utf-8")
    receipts_file("ben.json", receipt(), receipt("trust-and-respect", revision=2, completed="2026-11-20"))
    receipts_file("again.json", receipt())
    assert record("ben.json", "again.json") == 0
    assert capsys.readouterr().out.splitlines()[-1] == ("training/completions.yml: 1 completion(s) added, "
                                                         "2 already recorded")
    once = (data / "completions.yml").read_bytes()
    assert record("ben.json") == 0
    assert capsys.readouterr().out.splitlines() == ["training/completions.yml: 0 completion(s) added, "
                                                    "2 already recorded"]
    assert (data / "completions.yml").read_bytes() == once


def test_an_older_completion_is_kept_as_history(data: Path) -> None:
    receipts_file("ana.json", receipt("trust-and-respect", revision=2), person="ana")
    assert record("ana.json") == 0
    mine = [c for c in load_training(data, SITE).completions if (c.person, c.module) == ("ana", "trust-and-respect")]
    assert [(c.revision, c.date.isoformat()) for c in mine] == [(1, "2026-10-03"), (2, "2026-11-30")]


def test_appending_keeps_comments_order_and_the_files_own_style(data: Path, update_goldens: bool) -> None:
    (data / "completions.yml").write_text(
        "# Our records. Keep the newest at the end.\n"
        "completions:\n"
        "- person: 'dev'   # team lead\n"
        "  revision: 1\n"
        "  module: 'listening'\n"
        "  date: '2026-09-07'\n"
        "  score: 100\n"
        "# chloe has no score: listening had no check then\n"
        "- person: 'chloe'\n"
        "  revision: 1\n"
        "  module: 'listening'\n"
        "  date: '2026-11-06'\n", "utf-8")
    receipts_file("ben.json", receipt(digest=LISTENING), receipt("care-like-a-parent", score=80))
    assert record("ben.json") == 0
    golden, text = GOLDENS / "completions-recorded.yml", (data / "completions.yml").read_text("utf-8")
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8"), "completions-recorded.yml differs; run pytest --update-goldens"
    assert len(load_training(data, SITE).completions) == 4


def test_a_missing_or_empty_completions_file_is_started(data: Path) -> None:
    (data / "completions.yml").unlink()
    receipts_file("ben.json", receipt())
    assert record("ben.json") == 0
    text = (data / "completions.yml").read_text("utf-8")
    assert text.startswith("# Who completed which module") and "  - person: ben\n    module: listening\n" in text
    (data / "completions.yml").write_text("completions: []  # none yet\n", "utf-8")
    assert record("ben.json") == 0
    assert (data / "completions.yml").read_text("utf-8").startswith("completions:  # none yet\n  # recorded")


def test_dry_run_prints_what_it_would_add_and_writes_nothing(data: Path, capsys) -> None:
    (data / "completions.yml").unlink()
    before = snapshot(data)
    receipts_file("ben.json", receipt())
    assert record("--dry-run", "ben.json") == 0
    assert capsys.readouterr().out.splitlines() == [
        "would add: ben listening revision 1, completed 2026-11-30, score 100",
        "training/completions.yml: 1 completion(s) to add, 0 already recorded (dry run: nothing written)",
    ]
    assert snapshot(data) == before


def test_two_record_runs_at_once_lose_nothing(data: Path) -> None:
    receipts_file("ana.json", receipt("customers-as-friends"), person="ana")
    receipts_file("ben.json", receipt(), receipt("care-like-a-parent", score=90))
    command = [sys.executable, "-m", "playbook", "record", "--training", "training", "--today", TODAY]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # The test holds the lock while both start, so both wait on it and then run one after the other as soon as
    # it is let go: each must read what the other wrote.
    with open(data / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runs = [subprocess.Popen([*command, name], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for name in ("ana.json", "ben.json")]
        fcntl.flock(lock, fcntl.LOCK_UN)
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    recorded = {(c.person, c.module, c.date.isoformat()) for c in load_training(data, SITE).completions}
    assert {("ana", "customers-as-friends", TODAY), ("ben", "listening", TODAY),
            ("ben", "care-like-a-parent", TODAY)} <= recorded
    assert len(load_training(data, SITE).completions) == 13


def test_the_report_shows_score_acknowledgement_and_an_outdated_completion_with_its_retrain_date(data: Path,
                                                                                                 capsys) -> None:
    receipts_file("ben.json", receipt(completed="2026-11-20"))
    assert main(["record", "--training", "training", "--today", "2026-11-20", "ben.json"]) == 0
    module = Path("content/modules/listening.yml")
    module.write_text(module.read_text("utf-8").replace("\nrevision: 1\n", "\nrevision: 2\n", 1)
                      + "updated: 2026-11-25\n", "utf-8")
    assert main(["report", "--training", "training", "--today", "2026-12-09"]) == 0
    html = (data / "report" / "report.html").read_text("utf-8")
    assert ("outdated<small>2026-11-20 · score 100% · acknowledged 2026-11-20 · revision 1, retrain by 2026-12-09"
            "</small>") in html
    matrix = {(r["person"], r["module"]): r for r in csv_rows(data / "report" / "matrix.csv")}
    ben = matrix[("ben", "listening")]
    assert (ben["state"], ben["score"], ben["acknowledged"], ben["retrain_by"]) == ("outdated", "100", "2026-11-20",
                                                                                    "2026-12-09")
    # Without an 'updated' date, the retrain date counts from the completion: ana did trust-and-respect on 10-03.
    assert matrix[("ana", "trust-and-respect")]["retrain_by"] == "2026-10-17"
    assert ("ben", "listening") not in {(r["person"], r["module"]) for r in csv_rows(data / "report" / "overdue.csv")}
    capsys.readouterr()
    assert main(["report", "--training", "training", "--today", "2026-12-10"]) == 0
    assert "overdue: ben listening (retrain by 2026-12-09)" in capsys.readouterr().out.splitlines()
    late = {(r["person"], r["module"]): r for r in csv_rows(data / "report" / "overdue.csv")}[("ben", "listening")]
    assert (late["due"], late["days_overdue"], late["why"]) == ("2026-12-09", "1", "retrain: revision 2")


def test_assign_ticks_what_is_done_and_leaves_it_out_of_the_calendar(data: Path, capsys) -> None:
    assert main(["assign", "--training", "training", "--today", "2026-11-23"]) == 0
    before = (data / "plans" / "ben.ics").read_text("utf-8")
    assert "UID:ben.listening@northwind-care.invalid" in before
    receipts_file("ben.json", receipt(completed="2026-11-23"))
    assert main(["record", "--training", "training", "--today", "2026-11-23", "ben.json"]) == 0
    assert main(["assign", "--training", "training", "--today", "2026-11-23"]) == 0
    after = (data / "plans" / "ben.ics").read_text("utf-8")
    assert "ben.listening@" not in after
    # The other events stay as they were, UIDs and all.
    assert [line for line in after.splitlines() if line.startswith("UID:")] == [
        line for line in before.splitlines() if line.startswith("UID:") and "ben.listening@" not in line]
    plan = (data / "plans" / "ben.md").read_text("utf-8")
    assert "| ✓ 2026-11-23 | 2026-11-21 | Listening well |" in plan
    assert "done</span> 2026-11-23</td>" in (data / "plans" / "ben.html").read_text("utf-8")


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8").removeprefix("\ufeff"), newline="")))


@pytest.mark.parametrize("crafted", [
    '"playbook-receipts/ ' * 20_000,  # thousands of mentions of the format: not each one tried
    '{"playbook-receipts/ ' * 20_000,
    '{"format": "playbook-receipts/1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",  # deeper than JSON goes
])
def test_a_crafted_file_is_refused_quickly_and_cleanly(data: Path, capsys, crafted: str) -> None:
    Path("crafted.txt").write_text(crafted, "utf-8")
    start = time.perf_counter()
    assert record("crafted.txt") == 1
    assert time.perf_counter() - start < 2.0
    assert capsys.readouterr().err.splitlines()[-1] == "1 problem(s) found; nothing was recorded"
