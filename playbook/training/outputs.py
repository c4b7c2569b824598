"""Files for trainers: personal plans, calendars, team sheets and the training matrix.

All of it is private: written into a folder beside the trainer data, never
into the site. Output is deterministic for a given ``today``. Each file is
written in one language (:class:`Writing`): the words playbook writes come
from its message catalogue, the titles from the model in that language.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass
from html import escape

from ..content import model
from ..exports.formats import csv_text
from ..messages import Messages, messages, readable_date
from ..templates import environment
from .data import Person, Training
from .plans import STATES, Due, Matrix, latest_completions, plan


@dataclass(frozen=True)
class Writing:
    """The language trainer files are written in."""

    words: Messages
    #: How dates are written: None for ISO 8601 (2026-03-05), else a BCP 47 locale (5 mars 2026 in fr-CA).
    locale: str | None = None
    #: The language's pages on the site, from its address: "" for the source language's, else "fr/".
    folder: str = ""

    def date(self, day: dt.date) -> str:
        return readable_date(day, self.locale) if self.locale else day.isoformat()


def writing(source: model.Site, language: str | None) -> Writing:
    """How trainer files are written for ``--lang language`` (one of the playbook's languages): without it, in
    the source language's words with ISO dates; with it, in its words, with its dates (its locale, else the
    language's own) and links to its pages."""
    if language is None:
        return Writing(messages(source.language))
    if language == source.language:
        return Writing(messages(language), source.playbook.locale or language)
    translated = source.translation(language).site
    return Writing(messages(language), translated.playbook.locale or language, f"{language}/")


def module_url(site_url: str, module: model.Module, folder: str = "") -> str | None:
    """The module's page on the published site, in the language whose pages are under ``folder``; None when the
    site's address is unknown, because a relative link from a plan (which lives beside the trainer data, not in
    the site) could never work."""
    return f"{site_url.rstrip('/')}/{folder}modules/{module.id}.html" if site_url else None


def assigned_by(due: Due, words: Messages) -> str:
    """Where a due date comes from, in the plan's words: "path <id>" or "modules"."""
    path_id = due.source.removeprefix("path ") if due.source.startswith("path ") else None
    return words("path {id}", id=path_id) if path_id else words("modules")


def state_words(words: Messages) -> dict[str, str]:
    """Each matrix state (see STATES) as the report writes it."""
    return {"done": words("done"), "outdated": words("outdated"), "overdue": words("overdue"), "due": words("due"),
            "not assigned": words("not assigned")}


# --- playbook assign ---------------------------------------------------------------------

def assign_files(site: model.Site, training: Training, *, today: dt.date, site_url: str, skip_weekends: bool,
                 writing: Writing, source: model.Site) -> dict[str, str]:
    """Per person ``<id>.md``, ``<id>.html`` and ``<id>.ics``, plus ``team.csv``, from ``site`` in the language
    of ``writing``; ``source`` is the playbook in its source language, whose organisation names the calendars'
    UIDs, so an event keeps its UID in every language."""
    files: dict[str, str] = {}
    team_rows = []
    latest = latest_completions(training)
    words = writing.words
    domain = uid_domain(source, site_url)
    for person in training.people:
        dues = plan(person, training, site, skip_weekends=skip_weekends)
        # Completed at the current revision: ticked in the plan, and no longer a date in anyone's calendar.
        done = {due.module.id: found for due in dues
                if (found := latest.get((person.id, due.module.id))) and found.revision >= due.module.revision}
        context = {"person": person, "dues": dues, "done": done, "playbook": site.playbook,
                   "url": lambda m: module_url(site_url, m, writing.folder),
                   "minutes": sum(due.module.minutes for due in dues), "_": words.markup, "date": writing.date,
                   "lang": words.language, "assigned_by": lambda due: assigned_by(due, words)}
        files[f"{person.id}.md"] = environment("playbook.training").get_template("plan.md.j2").render(context)
        files[f"{person.id}.html"] = environment("playbook.training").get_template("plan.html.j2").render(context)
        to_do = [due for due in dues if due.module.id not in done]
        if to_do:  # RFC 5545 wants at least one event in a calendar
            files[f"{person.id}.ics"] = calendar(person, to_do, site, today=today, site_url=site_url,
                                                 writing=writing, domain=domain)
        # Dates stay ISO 8601 in spreadsheets, which sort and filter them as dates.
        team_rows += [[person.id, person.name, person.email, person.team, person.role, due.module.id,
                       due.module.title, due.date.isoformat(), assigned_by(due, words)] for due in dues]
    files["team.csv"] = csv_text((words("person"), words("name"), words("email"), words("team"), words("role"),
                                  words("module"), words("title"), words("due"), words("assigned_by")), team_rows)
    return dict(sorted(files.items()))


def uid_domain(site: model.Site, site_url: str) -> str:
    """The right-hand side of the calendars' UIDs (RFC 5545 3.8.4.7): the site's host, else the organisation's
    name under ``.invalid`` (RFC 2606), so two organisations' events never share a UID."""
    host = urllib.parse.urlsplit(site_url).hostname if site_url else None
    if host:
        return host
    return (re.sub(r"[^a-z0-9]+", "-", site.playbook.organisation.lower()).strip("-") or "playbook") + ".invalid"


def calendar(person: Person, dues: list[Due], site: model.Site, *, today: dt.date, site_url: str,
             writing: Writing, domain: str) -> str:
    """An RFC 5545 calendar: one all-day event per module on its due date, with stable UIDs at ``domain``
    (see :func:`uid_domain`)."""
    import icalendar  # here, not at the top: every other command, the build among them, starts without it

    words = writing.words
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//playbook//{site.playbook.title}//{words.language.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # TEXT as RFC 5545 3.3.11 has it (';' and ',' escaped): icalendar types only the properties it knows.
    cal.add("x-wr-calname", icalendar.vText(words("{title}: training plan", title=site.playbook.title)))
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    for due in dues:
        event = icalendar.Event()
        # Stable: the same person and module keep their event when dates move.
        event.add("uid", f"{person.id}.{due.module.id}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", due.date)
        event.add("dtend", due.date + dt.timedelta(days=1))
        event.add("summary", words("Training due: {title}", title=due.module.title))
        url = module_url(site_url, due.module, writing.folder)
        where = words("Read it at {url}", url=url) if url else words("Read it on the training site")
        about = words("About {minutes} minutes.", minutes=due.module.minutes)
        event.add("description", f"{due.module.summary.strip()}\n\n{about} {where}")
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


# --- playbook report -------------------------------------------------------------------------

def report_files(site: model.Site, grid: Matrix, training: Training, writing: Writing) -> dict[str, str]:
    """``report.html`` (matrix, chart, overdue list), ``matrix.csv`` and ``overdue.csv``, in the language of
    ``writing`` (the spreadsheets' dates stay ISO 8601, which spreadsheets read as dates)."""
    words = writing.words
    states = state_words(words)
    matrix_rows = []
    for person in grid.people:
        for module in grid.modules:
            cell = grid.cell(person, module)
            done = cell.completed
            matrix_rows.append([person.id, person.name, person.team, module.id, states[cell.state],
                                cell.due.isoformat() if cell.due else "", done.date.isoformat() if done else "",
                                done.revision if done else "", module.revision,
                                "" if done is None or done.score is None else done.score,
                                done.acknowledged.isoformat() if done and done.acknowledged else "",
                                cell.retrain.isoformat() if cell.retrain else ""])
    overdue_rows = [[p.id, p.name, p.email, m.id, m.title, cell.deadline.isoformat(), (grid.today - cell.deadline).days,
                     words("retrain: revision {revision}", revision=m.revision) if cell.state == "outdated"
                     else words("assigned")]
                    for p, m, cell in grid.overdue]
    return {
        "report.html": environment("playbook.training").get_template("report.html.j2").render(
            playbook=site.playbook, grid=grid, states=STATES, state_words=states, _=words.markup, date=writing.date,
            lang=words.language, chart=completions_chart(training, grid.today, writing)),
        "matrix.csv": csv_text((words("person"), words("name"), words("team"), words("module"), words("state"),
                                words("due"), words("completed"), words("completed_revision"),
                                words("current_revision"), words("score"), words("acknowledged"),
                                words("retrain_by")), matrix_rows),
        "overdue.csv": csv_text((words("person"), words("name"), words("email"), words("module"), words("title"),
                                 words("due"), words("days_overdue"), words("why")), overdue_rows),
    }


def completions_chart(training: Training, today: dt.date, writing: Writing) -> str:
    """An SVG line of completions over time (cumulative), drawn here: no script, no network. Its words are
    escaped here, as the template puts the drawing in as it is."""
    words = writing.words
    dates = sorted(c.date for c in training.completions if c.date <= today)
    width, height, pad = 640, 220, 40
    if not dates:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" role="img" '
                f'aria-label="{escape(words("No completions yet"))}"><text x="10" y="35">'
                f'{escape(words("No completions yet."))}</text></svg>')
    first, last = dates[0], max(today, dates[-1])
    span = max((last - first).days, 1)
    total = len(dates)
    points, count = [], 0
    per_day = collections.Counter(dates)
    for day in sorted(per_day):
        count += per_day[day]
        x = pad + (width - 2 * pad) * (day - first).days / span
        y = height - pad - (height - 2 * pad) * count / total
        points.append(f"{x:.1f},{y:.1f}")
    points.append(f"{width - pad:.1f},{height - pad - (height - 2 * pad):.1f}")
    first_day, last_day = escape(writing.date(first)), escape(writing.date(last))
    label = escape(words("Completions over time: {total} from {first} to {last}", total=total,
                         first=writing.date(first), last=writing.date(last)))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{label}">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#555"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#555"/>'
        f'<polyline fill="none" stroke="#1a5e9a" stroke-width="3" points="{" ".join(points)}"/>'
        f'<text x="{pad}" y="{height - 12}" font-size="12">{first_day}</text>'
        f'<text x="{width - pad}" y="{height - 12}" font-size="12" text-anchor="end">{last_day}</text>'
        f'<text x="{pad - 6}" y="{pad + 4}" font-size="12" text-anchor="end">{total}</text>'
        f'<text x="{pad - 6}" y="{height - pad}" font-size="12" text-anchor="end">0</text>'
        "</svg>"
    )
