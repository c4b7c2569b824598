"""Trainer files in one of the playbook's languages (--lang): plans, calendars and the report, with goldens that
keep the default output as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import icalendar
import pytest

from playbook.cli import main
from playbook.messages import readable_date

from ..browser_fixtures import browser  # noqa: F401
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


@pytest.mark.parametrize("lang", [None, "fr"])
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


def rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_assign_in_french(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Plans, calendars and the team sheet in French: French titles (the source's where a module is not translated
    yet), playbook's own words from the catalogue, dates as fr-CA writes them, links to the French pages."""
    files = written("assign", "--lang", "fr")
    plan = files["ana.md"]
    assert plan.startswith("# Plan de formation : Ana Fictional\n\nGuide du service à la clientèle · front-line · "
                           "équipe north · arrivée le 1 octobre 2026\n")
    assert "| Fait | Échéance | Module | Durée | Provenance |" in plan
    assert ("|  | 4 octobre 2026 | [Confiance et respect](https://care.example.org/playbook/fr/modules/"
            "trust-and-respect.html) | 25 min | parcours front-line-onboarding |") in plan
    assert "| ✓ 6 octobre 2026 | 6 octobre 2026 | [Bien écouter](" in plan
    assert "[Traiter la clientèle comme des amis](https://care.example.org/playbook/fr/modules/" \
        "customers-as-friends.html)" in plan
    # Not translated yet: the French page shows the source text, and so does the plan.
    assert "[Care for clients like a good parent](https://care.example.org/playbook/fr/modules/" \
        "care-like-a-parent.html)" in files["eve.md"]
    assert plan.endswith("Total : 5 modules, environ 130 minutes.\n")
    page = files["ana.html"]
    assert '<html lang="fr">' in page and "<h1>Plan de formation : Ana Fictional</h1>" in page
    assert "<p>Rôle front-line · équipe north · arrivée le 1 octobre 2026</p>" in page
    assert '<span class="visually-hidden">terminé</span> 6 octobre 2026</td><td>6 octobre 2026</td>' in page
    assert "<p>5 modules, environ 130 minutes en tout.</p>" in page
    calendar = icalendar.Calendar.from_ical(files["ana.ics"].encode("utf-8"))
    assert str(calendar["x-wr-calname"]) == "Guide du service à la clientèle : plan de formation"
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == "Formation à terminer : Confiance et respect"
    assert str(event["url"]) == "https://care.example.org/playbook/fr/modules/trust-and-respect.html"
    assert str(event["description"]).endswith(
        "\n\nEnviron 25 minutes. Lisez-le à l’adresse https://care.example.org/playbook/fr/modules/trust-and-respect.html")
    team = rows(files["team.csv"])
    assert team[0] == ["personne", "nom", "courriel", "équipe", "rôle", "module", "titre", "à faire", "provenance"]
    # Spreadsheets read ISO dates as dates, so they stay ISO in every language.
    assert team[1][6:] == ["Confiance et respect", "2026-10-04", "parcours front-line-onboarding"]


def test_calendar_uids_are_the_same_in_every_language(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A French calendar imported after the English one moves the same events; it does not add a second set."""
    def uids(*options: str) -> list[str]:
        assert main(["assign", "--training", "training", "--today", "2026-11-23", *options]) == 0
        calendar = icalendar.Calendar.from_ical((data / "plans" / "ben.ics").read_bytes())
        return [str(event["uid"]) for event in calendar.walk("VEVENT")]

    playbook = Path("content/translations/fr/playbook.yml")
    playbook.write_text(playbook.read_text("utf-8").replace("organisation: Northwind Care", "organisation: Soins Northwind"),
                        "utf-8")
    assert uids() == uids("--lang", "fr") and uids()[0] == "ben.listening@northwind-care.invalid"


def test_the_source_language_asked_for_writes_its_dates(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--lang en: the source's words and pages, with dates as its locale (en-GB) writes them; without --lang
    dates stay YYYY-MM-DD, as the goldens show."""
    plan = written("assign", "--lang", "en")["ana.md"]
    assert "|  | 4 October 2026 | [Trust and respect](https://care.example.org/playbook/modules/trust-and-respect.html)" \
        in plan


def test_report_in_french(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = written("report", "--lang", "fr")
    page = files["report.html"]
    assert '<html lang="fr">' in page and "<h1>Matrice de formation</h1>" in page
    assert "<p>Guide du service à la clientèle · au 23 novembre 2026 · 5 personnes, 6 modules</p>" in page
    assert ('<span class="done">terminé : 8</span><span class="outdated">dépassé : 2</span>'
            '<span class="overdue">en retard : 8</span><span class="due">à faire : 10</span>'
            '<span class="not-assigned">non assigné : 2</span>') in page
    assert "<th scope=\"col\">Confiance et respect <small>révision 2</small></th>" in page
    assert ('<td class="state outdated">dépassé<small>3 octobre 2026 · note 100 % · révision 1, à refaire d’ici le '
            "17 octobre 2026</small></td>") in page
    assert '<td class="state overdue">en retard<small>échéance le 15 octobre 2026</small></td>' in page
    assert 'aria-label="Modules terminés au fil du temps : 10 du 5 septembre 2026 au 23 novembre 2026"' in page
    assert ("<tr><td>Dev Placeholder</td><td>dev.placeholder@example.org</td><td>Confiance et respect</td>"
            "<td>19 septembre 2026</td><td>65</td><td>à refaire : révision 2</td></tr>") in page
    matrix = rows(files["matrix.csv"])
    assert matrix[0] == ["personne", "nom", "équipe", "module", "état", "à faire", "terminé le", "révision terminée",
                         "révision actuelle", "note", "confirmé le", "à refaire d’ici le"]
    assert matrix[1] == ["ana", "Ana Fictional", "north", "trust-and-respect", "dépassé", "2026-10-04", "2026-10-03",
                         "1", "2", "100", "", "2026-10-17"]
    overdue = rows(files["overdue.csv"])
    assert overdue[0] == ["personne", "nom", "courriel", "module", "titre", "à faire", "jours de retard", "motif"]
    assert [row[-1] for row in overdue[1:3]] == ["à refaire : révision 2", "assigné"]
    # What the command prints stays in English, like every other command's output.
    assert "as of 2026-11-23: 8 done, 2 outdated, 8 overdue, 10 due, 2 not assigned" in capsys.readouterr().out


def test_a_report_with_no_completions_says_so_in_its_language(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "completions.yml").write_text("completions: []\n", "utf-8")
    page = written("report", "--lang", "fr")["report.html"]
    assert ('aria-label="Aucun module terminé pour l’instant"><text x="10" y="35">Aucun module terminé pour '
            "l’instant.</text></svg>") in page


@pytest.mark.parametrize("command", ["assign", "report"])
def test_a_language_the_playbook_lacks_is_a_usage_error(data: Path, command: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--training", "training", "--lang", "de"]) == 2
    assert capsys.readouterr().err == (f"playbook {command}: error: --lang de: not one of the playbook's languages "
                                       "(en, fr)\n")
    assert not (data / ("plans" if command == "assign" else "report")).exists()


@pytest.mark.parametrize(("locale", "expected"), [
    ("en-GB", "5 March 2026"), ("en-US", "March 5, 2026"), ("fr-CA", "5 mars 2026"), ("fr", "5 mars 2026"),
    ("fr-ZZ", "5 mars 2026"), ("zz", "2026-03-05"),
])
def test_dates_as_each_locale_writes_them(locale: str, expected: str) -> None:
    """A locale CLDR does not know falls back to its primary language, then to ISO 8601."""
    assert readable_date(dt.date(2026, 3, 5), locale) == expected


@pytest.mark.browser
def test_plans_write_dates_as_the_site_does(browser) -> None:
    """The site's scripts write dates with Intl.DateTimeFormat; a plan writes the same for the same locale."""
    page = browser.new_page()
    try:
        days = [dt.date(2026, 3, 5), dt.date(2026, 10, 1), dt.date(2027, 12, 31)]
        for locale in ("en-GB", "en-US", "fr-CA", "fr", "de", "pt-BR"):
            site = page.evaluate(
                "([locale, days]) => days.map(([y, m, d]) => new Intl.DateTimeFormat(locale, "
                "{day: 'numeric', month: 'long', year: 'numeric'}).format(new Date(y, m - 1, d)))",
                [locale, [[day.year, day.month, day.day] for day in days]])
            assert [readable_date(day, locale) for day in days] == site, locale
    finally:
        page.close()
