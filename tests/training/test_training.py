"""Trainer tools: plans, calendars, the training matrix, and the privacy of trainer data."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from playbook.cli import main
from playbook.content import load_site
from playbook.content.schema import Record
from playbook.errors import ContentError, Refused
from playbook.site import build
from playbook.training import load_training, matrix
from playbook.training.data import COMPLETION, PERSON
from playbook.training.plans import add_days, plan

from ..browser_fixtures import browser  # noqa: F401
from ..conftest import ROOT, project_at

EXAMPLE = ROOT / "examples" / "training"
TODAY = dt.date(2026, 11, 23)
SITE = load_site(ROOT / "content")


def rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the example trainer data at tmp_path/training; work from tmp_path."""
    shutil.copytree(EXAMPLE, tmp_path / "training")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "training"


def problems() -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_training(Path("training"), load_site("content"))
    return [str(problem) for problem in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


# --- Validation, same format as content --------------------------------------------------------

def test_unknown_person(data: Path) -> None:
    edit(data / "assignments.yml", "person: chloe", "person: chloé")
    assert problems() == [
        "training/assignments.yml:6:13: assignments[3].person: 'chloé' is not a valid id; use 1 to 64 lowercase "
        "letters, digits and '-', starting with a letter or digit"
    ]
    edit(data / "assignments.yml", "person: chloé", "person: cloe")
    assert problems() == [
        "training/assignments.yml:6:13: assignments[3].person: 'cloe' is not a known person; did you mean 'chloe'?"
    ]


def test_unknown_path_and_module(data: Path) -> None:
    edit(data / "assignments.yml", "path: front-line-onboarding", "path: frontline")
    edit(data / "assignments.yml", "modules: [listening]", "modules: [listen-well]")
    assert problems() == [
        "training/assignments.yml:3:11: assignments[1].path: 'frontline' is not a known learning path; did you "
        "mean 'front-line-onboarding'?",
        "training/assignments.yml:14:15: assignments[5].modules[1]: 'listen-well' is not a known module; did you "
        "mean 'listening'?",
    ]


def test_bad_dates(data: Path) -> None:
    edit(data / "roster.yml", "start: 2026-10-01", "start: 2026-02-30")
    edit(data / "completions.yml", "date: 2026-10-03", "date: 3/10/2026")
    assert problems() == [
        "training/completions.yml:4:11: completions[1].date: '3/10/2026' is not a date; write it as YYYY-MM-DD",
        "training/roster.yml:9:12: people[1].start: '2026-02-30' is not a real date; check the month and day "
        "(YYYY-MM-DD)",
    ]


def test_one_target_and_one_kind_of_work(data: Path) -> None:
    edit(data / "assignments.yml", "  - role: front-line\n    path: front-line-onboarding\n",
         "  - role: front-line\n    team: north\n    path: front-line-onboarding\n    modules: [listening]\n")
    assert problems() == [
        "training/assignments.yml:2:5: assignments[1]: assign either a 'path' or a list of 'modules', not both or "
        "neither",
        "training/assignments.yml:2:5: assignments[1]: name exactly one of 'person', 'role' or 'team' to assign to",
    ]


def test_due_override_must_be_assigned(data: Path) -> None:
    edit(data / "assignments.yml", "      - module: care-like-a-parent", "      - module: trust-and-respect\n"
         "        date: 2026-12-01\n      - module: customers-as-friends")
    load_training(Path("training"), load_site("content"))  # both are on the path
    edit(data / "assignments.yml", "modules: [listening]\n    due_days: 7",
         "modules: [listening]\n    due_days: 7\n    due:\n      - module: care-like-a-parent\n        date: 2026-12-01")
    assert problems() == [
        "training/assignments.yml:19:17: assignments[5].due[1].module: 'care-like-a-parent' is not part of this "
        "assignment; assign it or remove the due date"
    ]


def test_a_revision_newer_than_the_module(data: Path) -> None:
    edit(data / "completions.yml", "    score: 67\n    revision: 1", "    score: 67\n    revision: 3")
    assert problems() == [
        "training/completions.yml:7:5: completions[2].revision: 3 is newer than the module's revision 1; "
        "check the record"
    ]


def test_trainer_files_use_the_strict_loader(data: Path) -> None:
    edit(data / "roster.yml", "    team: south\n", "    team: south\n    team: west\n")
    assert problems() == ["training/roster.yml:15:5: duplicate key 'team' (first at line 14); keep one of them"]


def test_missing_roster(data: Path) -> None:
    (data / "roster.yml").unlink()
    found = problems()
    assert found[-1] == "training/roster.yml: missing; list the people in a roster.yml"


# --- Plans ------------------------------------------------------------------------------------------

def test_due_dates_from_start_and_offsets() -> None:
    training = load_training(EXAMPLE, SITE)
    ana = training.people[0]
    assert [(d.module.id, d.date.isoformat()) for d in plan(ana, training, SITE)] == [
        ("trust-and-respect", "2026-10-04"), ("listening", "2026-10-06"), ("making-clients-feel-important", "2026-10-08"),
        ("customers-as-friends", "2026-10-15"), ("guiding-new-customers", "2026-10-22"),
    ]


def test_overrides_and_the_earliest_of_two_assignments() -> None:
    training = load_training(EXAMPLE, SITE)
    chloe = next(p for p in training.people if p.id == "chloe")
    dues = {d.module.id: d.date.isoformat() for d in plan(chloe, training, SITE)}
    assert dues["care-like-a-parent"] == "2026-12-18"  # a date the trainer wrote beats the role path's day 21
    ben = next(p for p in training.people if p.id == "ben")
    dues = {d.module.id: (d.date.isoformat(), d.source) for d in plan(ben, training, SITE)}
    assert dues["listening"] == ("2026-11-21", "path front-line-onboarding")  # not the team's day 7


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [("2026-11-20", 1, "2026-11-23"), ("2026-11-20", 5, "2026-11-27"), ("2026-11-21", 1, "2026-11-24"),
     ("2026-11-16", 0, "2026-11-16"), ("2026-11-22", 0, "2026-11-23")],
)
def test_skipping_weekends(start: str, days: int, expected: str) -> None:
    assert add_days(dt.date.fromisoformat(start), days, skip_weekends=True).isoformat() == expected


# --- The matrix, cell by cell ---------------------------------------------------------------------

EXPECTED = {
    "ana": ["outdated", "done", "done", "overdue", "overdue", "not assigned"],
    "ben": ["done", "overdue", "due", "due", "due", "not assigned"],
    "chloe": ["done", "done", "overdue", "overdue", "overdue", "due"],
    "dev": ["outdated", "done", "done", "done", "overdue", "overdue"],
    "eve": ["due", "due", "due", "due", "due", "due"],
}


def test_matrix_cell_by_cell() -> None:
    grid = matrix(SITE, load_training(EXAMPLE, SITE), today=TODAY)
    assert [m.id for m in grid.modules] == [
        "trust-and-respect", "listening", "making-clients-feel-important", "customers-as-friends",
        "guiding-new-customers", "care-like-a-parent",
    ]
    assert {p.id: [grid.cell(p, m).state for m in grid.modules] for p in grid.people} == EXPECTED


def test_a_typo_fix_does_not_ask_anyone_to_retrain(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    module = content / "modules" / "listening.yml"
    module.write_text(module.read_text("utf-8").replace("Listening well", "Listening  well"), "utf-8")
    site = load_site(content)
    grid = matrix(site, load_training(EXAMPLE, site), today=TODAY)
    assert {p.id: [grid.cell(p, m).state for m in grid.modules] for p in grid.people} == EXPECTED


# --- Commands and files ----------------------------------------------------------------------------

def test_assign_writes_plans_calendars_and_a_team_sheet(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assign", "--training", "training", "--today", "2026-11-23", "--site-url",
                 "https://care.example.org/playbook/"]) == 0
    out = data / "plans"
    people = ["ana", "ben", "chloe", "dev", "eve"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [f"{p}.{ext}" for p in people for ext in ("html", "ics", "md")] + ["team.csv"]
    )
    calendar = icalendar.Calendar.from_ical((out / "ana.ics").read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    # listening and making-clients-feel-important are done at their current revision: no dates left in the calendar.
    assert [str(e["uid"]) for e in events] == [
        "ana.trust-and-respect@care.example.org", "ana.customers-as-friends@care.example.org",
        "ana.guiding-new-customers@care.example.org",
    ]
    first = events[0]
    assert first.decoded("dtstart") == dt.date(2026, 10, 4) and first.decoded("dtend") == dt.date(2026, 10, 5)
    assert str(first["summary"]) == "Training due: Trust and respect"
    assert "https://care.example.org/playbook/modules/trust-and-respect.html" in str(first["description"])
    assert (out / "ana.ics").read_bytes().count(b"\r\n") > 10  # RFC 5545 line ends
    team = rows((out / "team.csv").read_text("utf-8"))
    assert list(team[0]) == ["person", "name", "email", "team", "role", "module", "title", "due", "assigned_by"]
    training = load_training(data, load_site("content"))
    assert len(team) == sum(len(plan(person, training, load_site("content"))) for person in training.people) == 28
    assert "|  | 2026-10-04 | [Trust and respect](https://care.example.org/playbook/modules/trust-and-respect.html)" \
        in (out / "ana.md").read_text("utf-8")
    html = (out / "ana.html").read_text("utf-8")
    assert "<h1>Training plan: Ana Fictional</h1>" in html and "<script" not in html


def test_the_calendar_name_is_escaped_as_text(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    playbook = Path("content/playbook.yml")
    title = next(line for line in playbook.read_text("utf-8").splitlines() if line.startswith("title: "))
    playbook.write_text(playbook.read_text("utf-8").replace(title, "title: Care; calls, chats", 1), "utf-8")
    assert main(["assign", "--training", "training", "--today", "2026-11-23"]) == 0
    lines = (data / "plans" / "ana.ics").read_text("utf-8").splitlines()
    assert "X-WR-CALNAME:Care\\; calls\\, chats: training plan" in lines


def test_without_a_site_address_plans_carry_no_links_that_cannot_work(data: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assign", "--training", "training", "--today", "2026-11-23"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "playbook assign: no site address, so plans and calendars name their modules without links; "
        "give --site-url or set site_url in mkdocs.yml"
    ]
    plans = data / "plans"
    assert "<a href" not in (plans / "ana.html").read_text("utf-8")
    assert "](" not in (plans / "ana.md").read_text("utf-8")
    calendar = (plans / "ana.ics").read_text("utf-8")
    assert "modules/" not in calendar and "Read it on the training site" in calendar


@pytest.mark.parametrize(("given", "expected"), [
    ("https://care.example.org/play book/über/",
     "https://care.example.org/play%20book/%C3%BCber/modules/guiding-new-customers.html"),
    ("https://bücher.example/", "https://xn--bcher-kva.example/modules/guiding-new-customers.html"),
])
def test_the_site_address_is_encoded(data: Path, given: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assign", "--training", "training", "--today", "2026-11-23", "--site-url", given]) == 0
    calendar = icalendar.Calendar.from_ical((data / "plans" / "ana.ics").read_bytes())
    assert expected in [str(event["url"]) for event in calendar.walk("VEVENT")]


@pytest.mark.parametrize("given", ["care.example.org/playbook/", "ftp://care.example.org/", "https://", "https://a b/"])
def test_a_site_address_that_is_not_one_is_a_usage_error(data: Path, given: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assign", "--training", "training", "--today", "2026-11-23", "--site-url", given]) == 2
    assert capsys.readouterr().err == (f"playbook assign: error: --site-url: {given!r} is not a web address; write it "
                                       "in full, like https://care.example.org/playbook/\n")


def test_calendar_uids_name_the_organisation_without_a_site_address(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assign", "--training", "training", "--today", "2026-11-23"]) == 0
    calendar = icalendar.Calendar.from_ical((data / "plans" / "ana.ics").read_bytes())
    assert {str(event["uid"]).split("@")[1] for event in calendar.walk("VEVENT")} == {"northwind-care.invalid"}


def test_calendar_uids_stay_when_dates_move(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assign", "--training", "training", "--today", "2026-11-23"]) == 0
    before = icalendar.Calendar.from_ical((data / "plans" / "ben.ics").read_bytes())
    edit(data / "roster.yml", "start: 2026-11-16", "start: 2026-11-20")
    assert main(["assign", "--training", "training", "--today", "2026-11-23", "--skip-weekends"]) == 0
    after = icalendar.Calendar.from_ical((data / "plans" / "ben.ics").read_bytes())
    assert [str(e["uid"]) for e in before.walk("VEVENT")] == [str(e["uid"]) for e in after.walk("VEVENT")]
    # trust-and-respect is done (revision 2), so listening comes first: 5 weekdays from Friday 2026-11-20.
    assert str(after.walk("VEVENT")[0]["uid"]).startswith("ben.listening@")
    assert after.walk("VEVENT")[0].decoded("dtstart") == dt.date(2026, 11, 27)


@pytest.mark.parametrize(("file", "record"), [("roster.yml", PERSON), ("completions.yml", COMPLETION)])
def test_the_readme_says_which_fields_are_required(file: str, record: Record) -> None:
    """The README's line on each trainer file names its required fields as required and the others as optional."""
    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    line = readme[readme.index(f"- `{file}`:"):].split(". ", 1)[0]
    required, _, optional = line.partition("all required")
    assert {name for name, spec in record.fields.items() if spec.required} == set(re.findall(r"`(\w+)`", required)[1:])
    assert {name for name, spec in record.fields.items() if not spec.required} == set(re.findall(r"`(\w+)`", optional))


def test_a_reader_that_stops_reading_is_no_folder_problem(data: Path) -> None:
    """`playbook report | head`: the pipe closes before the report is printed."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run([sys.executable, "-m", "playbook", "report", "--training", "training", "--today", "2026-11-23"],
                          stdout=write_end, stderr=subprocess.PIPE, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    os.close(write_end)
    assert (done.returncode, done.stderr) == (1, "")
    assert (data / "report" / "report.html").is_file()  # the work itself was done


def test_report_writes_matrix_chart_and_overdue_list(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--training", "training", "--today", "2026-11-23"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "as of 2026-11-23: 8 done, 2 outdated, 8 overdue, 10 due, 2 not assigned"
    assert out[2:4] == ["overdue: dev trust-and-respect (retrain by 2026-09-19)",
                        "overdue: dev guiding-new-customers (due 2026-09-22)"]
    report = data / "report"
    html = (report / "report.html").read_text("utf-8")
    assert "<svg" in html and 'aria-label="Completions over time: 10 from 2026-09-05 to 2026-11-23"' in html
    for state in ("done", "outdated", "overdue", "due", "not assigned"):
        assert f'class="state {state.replace(" ", "-")}"' in html
    cells = {(r["person"], r["module"]): r["state"] for r in rows((report / "matrix.csv").read_text("utf-8"))}
    assert cells[("ana", "trust-and-respect")] == "outdated" and cells[("eve", "listening")] == "due"
    overdue = rows((report / "overdue.csv").read_text("utf-8"))
    assert [(r["person"], r["module"], r["days_overdue"], r["why"]) for r in overdue][:3] == [
        ("dev", "trust-and-respect", "65", "retrain: revision 2"), ("dev", "guiding-new-customers", "62", "assigned"),
        ("dev", "care-like-a-parent", "55", "assigned")]


@pytest.mark.browser
def test_the_report_fits_a_phone_and_has_its_landmarks(data: Path, browser, capsys: pytest.CaptureFixture[str]) -> None:
    """The matrix scrolls inside its own region; the page itself never scrolls sideways on a 375 px phone."""
    from axe_playwright_python.sync_playwright import Axe

    assert main(["report", "--training", "training", "--today", "2026-11-23"]) == 0
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = phone.new_page()
        page.goto((data / "report" / "report.html").resolve().as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.locator("main h1").inner_text() == "Training matrix"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the matrix"
        page.keyboard.press("Enter")  # the matrix's region takes the focus, so it scrolls from the keyboard too
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Training matrix: people by modules"
        wcag = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
        assert Axe().run(page, options=wcag).response["violations"] == []
    finally:
        phone.close()


def test_fail_on_overdue_for_ci(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--training", "training", "--today", "2026-11-23", "--fail-on-overdue"]) == 4
    assert main(["report", "--training", "training", "--today", "2026-09-01", "--fail-on-overdue"]) == 0


def test_outputs_are_reproducible_and_protected(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["report", "--training", "training", "--today", "2026-11-23"]
    assert main(argv) == 0
    first = (data / "report" / "report.html").read_bytes()
    assert main(argv) == 0
    assert (data / "report" / "report.html").read_bytes() == first
    (data / "report" / "matrix.csv").write_text("edited by hand", "utf-8")
    assert main(argv) == 3
    assert "matrix.csv: not written by playbook" in capsys.readouterr().err


def test_the_training_folder_comes_from_the_environment(data: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--today", "2026-11-23"]) == 2
    assert "name the trainer data folder with --training or $PLAYBOOK_TRAINING" in capsys.readouterr().err
    monkeypatch.setenv("PLAYBOOK_TRAINING", str(data))
    assert main(["report", "--today", "2026-11-23"]) == 0


def test_a_bad_today_is_a_usage_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--training", "training", "--today", "23/11/2026"]) == 2
    assert "'23/11/2026' is not a date; write YYYY-MM-DD" in capsys.readouterr().err


# --- Privacy ------------------------------------------------------------------------------------------

def _private_words() -> list[str]:
    roster = load_training(EXAMPLE, SITE).people
    return [word for person in roster for word in (person.name, person.email)]


def test_no_roster_name_or_email_reaches_the_site(tmp_path: Path) -> None:
    """The repository's example roster sits beside the content; the built site holds none of it."""
    project = tmp_path / "repo"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "examples", project / "examples")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    build(project_at(project / "content"))
    site = project / "site"
    checked = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        texts = [data.decode("utf-8", errors="replace")]
        if path.suffix == ".pf_fragment":  # the text search shows, compressed
            texts.append(gzip.decompress(data).decode("utf-8"))
        for word in _private_words():
            assert all(word.lower() not in text.lower() for text in texts), f"{word!r} leaked into {path}"
        checked += 1
    assert checked > 50 and list(site.glob("pagefind/fragment/*.pf_fragment")) and (site / "sitemap.xml").is_file()


def test_trainer_data_inside_content_is_refused(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy2(data / "roster.yml", Path("content") / "roster.yml")
    assert main(["build"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/roster.yml: trainer data (people's names and emails) must never be in the content folder, which is "
        "published; move it to a private folder such as training/ beside content/"
    )
    assert not Path("site").exists()


def test_trainer_data_inside_the_staging_folder_is_refused(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data.parent / "build" / "docs").mkdir(parents=True)
    shutil.copy2(data / "completions.yml", data.parent / "build" / "docs" / "completions.yml")
    assert main(["build"]) == 3
    assert capsys.readouterr().err.splitlines() == [
        "refused: build/docs/completions.yml: trainer data (people's names and emails) must never be in the staging "
        "folder, which is published; move it to a private folder such as training/"
    ]
    with pytest.raises(Refused, match="build/docs/completions.yml: trainer data"):
        build(project_at("content"))
    assert not Path("site").exists()


def test_the_real_training_folder_is_kept_out_of_git() -> None:
    assert "/training/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()


def test_trainer_outputs_never_go_into_published_folders(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 0
    for out in ("site", "build/docs", "content/extra"):
        assert main(["assign", "--training", "training", "--out", out]) == 3
    err = capsys.readouterr().err
    assert "refused: site: is inside site, which is published; trainer outputs hold people's names" in err
    assert not list(Path("site").glob("*.ics"))


def test_dates_far_in_the_future_are_refused(data: Path) -> None:
    edit(data / "roster.yml", "start: 2026-10-01", "start: 9999-12-25")
    assert problems() == ["training/roster.yml:9:12: people[1].start: '9999-12-25' is too far in the future; "
                          "use a year before 3000"]


def test_nobody_gets_an_empty_calendar(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(data / "roster.yml", "people:\n", "people:\n  - id: zed\n    name: Zed Nobody\n    email: z@example.org\n"
         "    role: team-lead\n    team: west\n    start: 2026-11-01\n")
    edit(data / "assignments.yml", "  - person: dev\n    path: team-lead-onboarding\n", "")
    assert main(["assign", "--training", "training", "--today", "2026-11-23"]) == 0
    assert (data / "plans" / "zed.md").is_file() and not (data / "plans" / "zed.ics").exists()
