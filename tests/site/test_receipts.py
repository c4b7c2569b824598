"""The learner's record in real Chromium: who the learner is, completion that needs a passed knowledge check and
an acknowledged revision, the receipts file and e-mail for the trainer (served and from the offline zip), what
changed since a learner read a module, and checklist runs kept per incident."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from playbook.cli import main
from playbook.content import load_site, module_digest
from playbook.site import build, offline

from ..browser_fixtures import (  # noqa: F401
    WAIT_MS,
    _server,
    answer_checks,
    axe_violations,
    browser,
    built_site,
    complete_module,
    context,
    page,
    site_url,
)
from ..conftest import ROOT, project_at

pytestmark = pytest.mark.browser

SITE = load_site(ROOT / "content")
TRUST = SITE.module("trust-and-respect")
LISTENING = SITE.module("listening")
COMPLAINT = next(checklist for checklist in SITE.checklists if checklist.id == "complaint-call")
#: When the receipts in these tests are made (UTC, as the browser's clock and time zone are set).
NOW = dt.datetime(2026, 11, 30, 16, 20, tzinfo=dt.UTC)


@pytest.fixture
def learner(browser):
    """A fresh browser profile whose clock stands still at NOW, in UTC."""
    fresh = browser.new_context(accept_downloads=True, timezone_id="UTC")
    fresh.set_default_timeout(WAIT_MS)
    fresh.clock.set_fixed_time(NOW)
    try:
        yield fresh.new_page()
    finally:
        fresh.close()


def store(page, state: dict) -> None:
    """Puts `state` where playbook.js keeps this site's progress."""
    page.evaluate("""state => {
        const site = new URL('..', document.querySelector('script[src*="playbook.js"]').src).pathname;
        localStorage.setItem('playbook:' + site, JSON.stringify(state));
    }""", state)


def stored(page) -> dict:
    return page.evaluate("""() => {
        const site = new URL('..', document.querySelector('script[src*="playbook.js"]').src).pathname;
        return JSON.parse(localStorage.getItem('playbook:' + site));
    }""")


def set_person(page, person: str) -> None:
    page.locator(".pb-person__input").fill(person)
    page.locator(".pb-person__save").click()


# --- Who the learner is -----------------------------------------------------------------------------

def test_the_learner_sets_and_changes_their_person_id(page, site_url: str) -> None:
    page.goto(site_url + "modules/trust-and-respect.html")
    ask = page.locator(".pb-person")
    expect(ask).to_be_visible()  # asked where it matters: at the end of a module
    page.goto(site_url + "progress.html")
    shown = page.locator(".pb-person__shown")
    expect(shown).to_have_text("No person id set yet.")
    set_person(page, "Ana Smith")
    expect(page.locator(".pb-person__message")).to_have_text(
        "\u201cAna Smith\u201d is not a person id: use lowercase letters, digits and '-', exactly as your trainer gave it.")
    expect(page.locator(".pb-person__input")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    # By keyboard: type the id and press Enter.
    page.locator(".pb-person__input").fill("ana-2")
    page.locator(".pb-person__input").press("Enter")
    expect(page.locator(".pb-person__message")).to_have_text("Saved: your receipts will carry the id ana-2.")
    expect(shown).to_have_text("Your person id: ana-2.")
    page.reload()
    expect(shown).to_have_text("Your person id: ana-2.")
    expect(page.locator(".pb-person__save")).to_have_text("Change my id")
    set_person(page, "ana")
    expect(shown).to_have_text("Your person id: ana.")
    assert stored(page)["person"] == "ana"
    page.goto(site_url + "modules/trust-and-respect.html")
    expect(page.locator(".pb-complete__status")).to_have_text("Not marked complete yet.")
    expect(ask).to_be_hidden()  # asked once


# --- Completion means something -----------------------------------------------------------------------

def test_completion_needs_a_passed_check_and_an_acknowledged_revision(learner, site_url: str) -> None:
    page = learner
    page.goto(site_url + "modules/trust-and-respect.html")
    toggle, message = page.locator(".pb-complete__toggle"), page.locator(".pb-complete__message")
    assert page.locator(".pb-complete").get_attribute("data-pb-pass-mark") == str(SITE.pass_mark(TRUST))
    toggle.click()
    expect(message).to_have_text("Pass the knowledge check first: answer every question and check it; "
                                 "the pass mark is 80%.")
    answer_checks(page, TRUST, wrong=1)
    score = page.locator(".pb-quiz__score")
    failed = ("Score: 2 of 3 right. That is 67%, below the pass mark of 80%: start the questions again to retry.")
    expect(score).to_have_text(failed)
    # Answers, feedback and score come back after a reload.
    page.reload()
    expect(score).to_have_text(failed)
    first = TRUST.checks[0]
    assert page.locator(f"fieldset[data-pb-question='{first.id}'] input:checked").count() == 1
    expect(page.locator(f"fieldset[data-pb-question='{first.id}'] .pb-question__feedback")).to_contain_text("Not quite.")
    page.locator(".pb-complete__ack").check()
    toggle.click()
    expect(message).to_have_text("Pass the knowledge check first: your score is 67%, and the pass mark is 80%.")
    assert "trust-and-respect" not in stored(page)["complete"]
    page.goto(site_url + "progress.html")
    expect(page.locator(".pb-progress__score[data-pb-module='trust-and-respect']")).to_have_text(
        "67%: below the pass mark of 80%")

    page.goto(site_url + "modules/trust-and-respect.html")
    page.locator(".pb-quiz__retry").click()  # a retry replaces the attempt
    assert "trust-and-respect" not in stored(page)["quiz"]
    answer_checks(page, TRUST)
    expect(score).to_have_text("Score: 3 of 3 right. You passed: 100%, and the pass mark is 80%.")
    toggle.click()
    expect(message).to_have_text(f"Tick \u201cI have read and understood revision {TRUST.revision}\u201d first.")
    assert page.evaluate("document.activeElement.classList.contains('pb-complete__ack')")
    page.keyboard.press("Space")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pb-complete__status")).to_have_text(
        f"Completed 30 November 2026 (revision {TRUST.revision}, score 100%).")
    assert stored(page)["complete"]["trust-and-respect"] == {
        "date": "2026-11-30", "revision": TRUST.revision, "score": 100, "digest": module_digest(TRUST),
        "acknowledged": True}
    assert axe_violations(page) == []
    page.reload()
    expect(page.locator(".pb-complete__ack")).to_be_checked()
    page.goto(site_url + "progress.html")
    expect(page.locator(".pb-progress__score[data-pb-module='trust-and-respect']")).to_have_text("100%: passed")
    expect(page.locator(".pb-progress__status[data-pb-module='trust-and-respect']")).to_have_text(
        "Completed 30 November 2026")


# --- Receipts out of the browser ---------------------------------------------------------------------

def expected_receipts(*modules) -> dict:
    return {
        "format": "playbook-receipts/1",
        "playbook": SITE.playbook.title,
        "person": "ana",
        "made": "2026-11-30T16:20:00Z",
        "receipts": [{"module": module.id, "revision": module.revision, "digest": module_digest(module),
                      "completed": "2026-11-30", "score": 100, "acknowledged": True} for module in modules],
    }


def send_receipts(page, progress_url: str, tmp_path: Path) -> tuple[str, str, str]:
    """Downloads the receipts from My progress: (file name, file text, the e-mail link's address)."""
    page.goto(progress_url)
    with page.expect_download() as download:
        page.locator(".pb-receipts__download").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    return download.value.suggested_filename, saved.read_text("utf-8"), page.locator(".pb-receipts__mail").get_attribute("href")


def test_receipts_download_and_mail_in_the_design_format(learner, site_url: str, tmp_path: Path) -> None:
    page = learner
    page.goto(site_url + "progress.html")
    page.locator(".pb-receipts__download").click()
    expect(page.locator(".pb-receipts__message")).to_have_text(
        "Set your person id first (under Who you are): your trainer's records need it.")
    set_person(page, "ana")
    expect(page.locator(".pb-receipts__summary")).to_have_text("No receipts yet: complete a module first.")
    for module in (LISTENING, TRUST):
        page.goto(site_url + f"modules/{module.id}.html")
        complete_module(page, module)
    name, text, mail = send_receipts(page, site_url + "progress.html", tmp_path)
    assert name == "receipts-ana-2026-11-30.json"
    # In the site's order, whatever order they were completed in.
    assert json.loads(text) == expected_receipts(TRUST, LISTENING)
    assert list(json.loads(text)) == ["format", "playbook", "person", "made", "receipts"]
    expect(page.locator(".pb-receipts__message")).to_have_text(
        f"Saved 2 receipts to {name}. Send that file to your trainer.")
    expect(page.locator(".pb-receipts__summary")).to_have_text("2 receipts ready to send, as ana.")
    # The e-mail carries the same JSON, to the playbook's trainer_email and nowhere else.
    address = urllib.parse.urlsplit(mail)
    assert (address.scheme, address.path) == ("mailto", SITE.playbook.trainer_email)
    assert urllib.parse.parse_qs(address.query)["body"] == [text]
    # Said plainly beside the buttons.
    assert "Receipts are your own statement" in page.locator(".pb-receipts").inner_text()
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def offline_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("offline")
    offline(project_at(built_site / "content", staging_dir=where / "stage"), where / "playbook-offline.zip")
    with zipfile.ZipFile(where / "playbook-offline.zip") as archive:
        archive.extractall(where / "unzipped")
    return where / "unzipped" / "playbook-offline"


def test_receipts_work_from_the_offline_zip_opened_from_disk(learner, offline_site: Path, tmp_path: Path) -> None:
    page = learner
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: None if request.url.startswith(("file:", "blob:", "data:"))
            else problems.append(f"request to {request.url}"))
    page.goto((offline_site / "modules" / "trust-and-respect.html").as_uri())
    set_person(page, "ana")
    complete_module(page, TRUST)
    name, text, mail = send_receipts(page, (offline_site / "progress.html").as_uri(), tmp_path)
    assert name == "receipts-ana-2026-11-30.json"
    assert json.loads(text) == expected_receipts(TRUST)
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(mail).query)["body"] == [text]
    assert problems == []


# --- What changed since you read it -------------------------------------------------------------------

def test_a_module_changed_since_it_was_read_says_what_changed(learner, site_url: str) -> None:
    page = learner
    assert TRUST.revision == 2 and [change.revision for change in TRUST.changelog] == [2]
    change = "Revision 2: " + " ".join(TRUST.changelog[0].changes.split())
    page.goto(site_url + "progress.html")
    store(page, {"version": 1, "person": "ana", "ticks": {}, "quiz": {}, "runs": {}, "complete": {
        "trust-and-respect": {"date": "2026-06-01", "revision": 1, "score": 100, "acknowledged": True}}})
    page.reload()
    status = page.locator(".pb-progress__status[data-pb-module='trust-and-respect']")
    expect(status).to_have_text("Changed since you read it: you completed revision 1, and it is now at revision 2")
    # My progress lists every module, so it links to what changed rather than carrying every changelog.
    changed = page.locator(".pb-progress__changed-module[data-pb-module='trust-and-respect']")
    expect(changed).to_be_visible()
    expect(changed.get_by_role("link")).to_have_text(f"What changed in {TRUST.title}")
    assert changed.get_by_role("link").get_attribute("href").endswith("modules/trust-and-respect.html#pb_finish")
    expect(page.locator(".pb-progress__changed-module[data-pb-module='listening']")).to_have_count(0)
    assert axe_violations(page) == []

    page.goto(site_url + "paths/front-line-onboarding.html")
    step = page.locator(".pb-flow__step[data-pb-module='trust-and-respect']")
    expect(step.locator(".pb-flow__status")).to_have_text(
        "Changed since you read it: you completed revision 1, and it is now at revision 2")
    expect(step.locator(".pb-changes__entry")).to_have_text(change)
    assert axe_violations(page) == []

    page.goto(site_url + "modules/trust-and-respect.html")
    expect(page.locator(".pb-complete__status")).to_have_text(
        "Changed since you read it: you completed revision 1, and it is now at revision 2. "
        "Read what changed, then acknowledge revision 2.")
    expect(page.locator(".pb-complete .pb-changes__title")).to_have_text("What changed since you read it:")
    expect(page.locator(".pb-complete .pb-changes__entry")).to_have_text(change)
    expect(page.locator(".pb-complete__ack")).not_to_be_checked()
    assert axe_violations(page) == []
    # The learner re-reads, passes and acknowledges revision 2.
    complete_module(page, TRUST)
    expect(page.locator(".pb-complete__status")).to_have_text("Completed 30 November 2026 (revision 2, score 100%).")
    expect(page.locator(".pb-complete .pb-changes")).to_be_hidden()
    page.goto(site_url + "progress.html")
    expect(changed).to_be_hidden()


# --- Checklist runs, one per incident ------------------------------------------------------------------

def test_a_new_checklist_run_starts_empty_and_keeps_the_last_one(learner, site_url: str) -> None:
    page = learner
    total = sum(len(section.items) for section in COMPLAINT.sections)
    page.clock.set_fixed_time(dt.datetime(2026, 3, 5, 14, 5, tzinfo=dt.UTC))
    page.goto(site_url + "checklists/complaint-call.html")
    boxes = page.locator("input.pb-tick__box")
    first_label = page.locator(f"label[for='{boxes.nth(0).get_attribute('id')}']").inner_text().strip()
    boxes.nth(0).check()
    expect(page.locator(f"[id='{boxes.nth(0).get_attribute('id')}-date']")).to_have_text("Ticked 5 March 2026 at 14:05")
    page.clock.set_fixed_time(dt.datetime(2026, 3, 5, 14, 30, tzinfo=dt.UTC))
    boxes.nth(1).check()
    page.clock.set_fixed_time(dt.datetime(2026, 3, 5, 14, 40, tzinfo=dt.UTC))
    runs = page.locator(".pb-runs")
    expect(runs).to_be_hidden()
    reset = page.locator(".pb-tally__reset")
    expect(reset).to_have_text("Start a new run")
    reset.focus()
    page.keyboard.press("Enter")
    note = page.locator(".pb-tally__note")
    expect(note).to_have_text("Started a new run. The last one (2 ticks) is kept under Earlier runs. Undo")
    assert page.locator("input.pb-tick__box:checked").count() == 0
    expect(page.locator(".pb-tally__count")).to_have_text(f"0 of {total} items done")
    summary = f"Run of 5 March 2026 at 14:05 to 5 March 2026 at 14:40: 2 of {total} items ticked"
    expect(runs.locator("summary")).to_have_text([summary])
    assert axe_violations(page) == []

    # Undo puts the run back as the current one; starting again files it once more.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(note).to_have_text("Put back the last run (2 ticks).")
    expect(runs).to_be_hidden()
    assert page.locator("input.pb-tick__box:checked").count() == 2
    reset.click()
    page.reload()
    expect(runs.locator("summary")).to_have_text([summary])
    runs.locator("summary").first.click()  # open it
    entries = runs.locator("details li")
    expect(entries.first).to_have_text(f"{first_label}: ticked 5 March 2026 at 14:05")
    expect(entries.nth(1)).to_contain_text(": ticked 5 March 2026 at 14:30")
    assert axe_violations(page) == []

    # A second incident: the newest run comes first, and only the last ten are kept.
    for minute in range(11):
        page.clock.set_fixed_time(dt.datetime(2026, 3, 6, 9, minute, tzinfo=dt.UTC))
        boxes.nth(2).check()
        reset.click()
    expect(runs.locator("summary")).to_have_count(10)
    expect(runs.locator("summary").first).to_have_text(
        f"Run of 6 March 2026 at 09:10 to 6 March 2026 at 09:10: 1 of {total} items ticked")


def test_an_earlier_run_prints_on_its_own(learner, site_url: str) -> None:
    page = learner
    page.add_init_script("window.print = () => { window.__printed = true; };")  # no print dialog in a test
    page.goto(site_url + "checklists/complaint-call.html")
    boxes = page.locator("input.pb-tick__box")
    boxes.nth(0).check()
    page.locator(".pb-tally__reset").click()
    boxes.nth(1).check()
    page.locator(".pb-tally__reset").click()
    runs = page.locator(".pb-runs__item")
    expect(runs).to_have_count(2)
    runs.nth(1).locator("summary").click()
    runs.nth(1).locator(".pb-runs__print").click()
    assert page.evaluate("window.__printed === true")
    page.emulate_media(media="print")
    expect(page.locator("article h1")).to_be_visible()
    expect(runs.nth(1).locator("details li")).to_be_visible()
    expect(runs.nth(0)).to_be_hidden()
    expect(page.locator(".pb-checklist")).to_be_hidden()
    expect(runs.nth(1).locator(".pb-runs__print")).to_be_hidden()


# --- The whole loop -------------------------------------------------------------------------------------

def test_from_a_click_in_the_browser_to_the_trainers_matrix(learner, site_url: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Ben sets his id, fails then passes Listening's check, reloads, acknowledges, sends his receipts; the
    trainer records them into a copy of the example team, and the matrix shows his score."""
    page = learner
    page.goto(site_url + "progress.html")
    set_person(page, "ben")
    page.goto(site_url + "modules/listening.html")
    answer_checks(page, LISTENING, wrong=1)
    score = page.locator(".pb-quiz__score")
    expect(score).to_contain_text("below the pass mark of 80%")
    page.reload()
    expect(score).to_contain_text("below the pass mark of 80%")  # the attempt is kept
    page.locator(".pb-quiz__retry").click()
    complete_module(page, LISTENING)
    _, text, _ = send_receipts(page, site_url + "progress.html", tmp_path)
    receipts = tmp_path / "receipts.json"
    receipts.write_text(text, "utf-8")

    shutil.copytree(ROOT / "examples" / "training", tmp_path / "training")
    monkeypatch.chdir(tmp_path)
    content = str(ROOT / "content")
    assert main(["record", "--training", "training", "--content", content, "--today", "2026-11-30",
                 str(receipts)]) == 0
    assert main(["record", "--training", "training", "--content", content, "--today", "2026-11-30",
                 str(receipts)]) == 0  # sent twice, recorded once
    assert main(["report", "--training", "training", "--content", content, "--today", "2026-11-30"]) == 0
    capsys.readouterr()
    with open(tmp_path / "training" / "report" / "matrix.csv", encoding="utf-8-sig", newline="") as matrix:
        cells = [row for row in csv.DictReader(matrix) if (row["person"], row["module"]) == ("ben", "listening")]
    assert [(cell["state"], cell["completed"], cell["completed_revision"], cell["score"], cell["acknowledged"])
            for cell in cells] == [("done", "2026-11-30", str(LISTENING.revision), "100", "2026-11-30")]
    report_html = (tmp_path / "training" / "report" / "report.html").read_text("utf-8")
    assert "2026-11-30 · score 100% · acknowledged 2026-11-30" in report_html


def test_a_new_revision_reaches_the_learner_and_the_trainer(learner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Complete revision 1; the module goes to revision 2 with a changelog line and the site is rebuilt: the page
    shows what changed, and the trainer's matrix shows the recorded completion as outdated with its retrain date."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "examples" / "training", tmp_path / "training")
    monkeypatch.chdir(tmp_path)
    build(project_at("content"))
    module_page = (tmp_path / "site" / "modules" / "listening.html").as_uri()
    page = learner
    page.goto(module_page)
    set_person(page, "ben")
    complete_module(page, LISTENING)
    expect(page.locator(".pb-complete__status")).to_have_text("Completed 30 November 2026 (revision 1, score 100%).")
    _, text, _ = send_receipts(page, (tmp_path / "site" / "progress.html").as_uri(), tmp_path)
    (tmp_path / "ben.json").write_text(text, "utf-8")

    listening = tmp_path / "content" / "modules" / "listening.yml"
    source = listening.read_text("utf-8")
    assert "revision: 1\n" in source and "\nupdated:" not in source
    listening.write_text(source.replace("revision: 1\n", "revision: 2\nupdated: 2026-12-01\nchangelog:\n"
                                        "  - revision: 2\n    changes: Say back what you heard before you answer.\n"),
                         "utf-8")
    build(project_at("content"))
    page.goto(module_page)
    expect(page.locator(".pb-complete__status")).to_have_text(
        "Changed since you read it: you completed revision 1, and it is now at revision 2. "
        "Read what changed, then acknowledge revision 2.")
    expect(page.locator(".pb-complete .pb-changes__entry")).to_have_text(
        "Revision 2: Say back what you heard before you answer.")

    arguments = ["--training", "training", "--content", "content", "--today", "2026-12-01"]
    assert main(["record", *arguments, "ben.json"]) == 0  # revision 1 existed: recorded as it was read
    assert main(["report", *arguments]) == 0
    capsys.readouterr()
    with open(tmp_path / "training" / "report" / "matrix.csv", encoding="utf-8-sig", newline="") as matrix:
        cells = [row for row in csv.DictReader(matrix) if (row["person"], row["module"]) == ("ben", "listening")]
    assert [(cell["state"], cell["completed_revision"], cell["current_revision"], cell["retrain_by"])
            for cell in cells] == [("outdated", "1", "2", "2026-12-15")]  # retrain_days (14) after the update
