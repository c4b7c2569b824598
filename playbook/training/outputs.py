"""Files for trainers: personal plans, calendars, team sheets and the training matrix.

All of it is private: written into a folder beside the trainer data, never
into the site. Output is deterministic for a given ``today``.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
import urllib.parse

from ..content import model
from ..exports.formats import csv_text
from ..templates import environment
from .data import Person, Training
from .plans import STATES, Due, Matrix, latest_completions, plan


def module_url(site_url: str, module: model.Module) -> str | None:
    """The module's page on the published site; None when the site's address is unknown, because a relative
    link from a plan (which lives beside the trainer data, not in the site) could never work."""
    return f"{site_url.rstrip('/')}/modules/{module.id}.html" if site_url else None


# --- playbook assign ---------------------------------------------------------------------

def assign_files(site: model.Site, training: Training, *, today: dt.date, site_url: str,
                 skip_weekends: bool) -> dict[str, str]:
    """Per person ``<id>.md``, ``<id>.html`` and ``<id>.ics``, plus ``team.csv``."""
    files: dict[str, str] = {}
    team_rows = []
    latest = latest_completions(training)
    for person in training.people:
        dues = plan(person, training, site, skip_weekends=skip_weekends)
        # Completed at the current revision: ticked in the plan, and no longer a date in anyone's calendar.
        done = {due.module.id: found for due in dues
                if (found := latest.get((person.id, due.module.id))) and found.revision >= due.module.revision}
        context = {"person": person, "dues": dues, "done": done, "playbook": site.playbook,
                   "url": lambda m: module_url(site_url, m), "minutes": sum(due.module.minutes for due in dues)}
        files[f"{person.id}.md"] = environment("playbook.training").get_template("plan.md.j2").render(context)
        files[f"{person.id}.html"] = environment("playbook.training").get_template("plan.html.j2").render(context)
        to_do = [due for due in dues if due.module.id not in done]
        if to_do:  # RFC 5545 wants at least one event in a calendar
            files[f"{person.id}.ics"] = calendar(person, to_do, site, today=today, site_url=site_url)
        team_rows += [[person.id, person.name, person.email, person.team, person.role, due.module.id,
                       due.module.title, due.date.isoformat(), due.source] for due in dues]
    files["team.csv"] = csv_text(("person", "name", "email", "team", "role", "module", "title", "due", "assigned_by"),
                             team_rows)
    return dict(sorted(files.items()))


def uid_domain(site: model.Site, site_url: str) -> str:
    """The right-hand side of the calendars' UIDs (RFC 5545 3.8.4.7): the site's host, else the organisation's
    name under ``.invalid`` (RFC 2606), so two organisations' events never share a UID."""
    host = urllib.parse.urlsplit(site_url).hostname if site_url else None
    if host:
        return host
    return (re.sub(r"[^a-z0-9]+", "-", site.playbook.organisation.lower()).strip("-") or "playbook") + ".invalid"


def calendar(person: Person, dues: list[Due], site: model.Site, *, today: dt.date, site_url: str) -> str:
    """An RFC 5545 calendar: one all-day event per module on its due date, with stable UIDs."""
    import icalendar  # here, not at the top: every other command, the build among them, starts without it

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//playbook//{site.playbook.title}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # TEXT as RFC 5545 3.3.11 has it (';' and ',' escaped): icalendar types only the properties it knows.
    cal.add("x-wr-calname", icalendar.vText(f"{site.playbook.title}: training plan"))
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    for due in dues:
        event = icalendar.Event()
        # Stable: the same person and module keep their event when dates move.
        event.add("uid", f"{person.id}.{due.module.id}@{uid_domain(site, site_url)}")
        event.add("dtstamp", stamp)
        event.add("dtstart", due.date)
        event.add("dtend", due.date + dt.timedelta(days=1))
        event.add("summary", f"Training due: {due.module.title}")
        url = module_url(site_url, due.module)
        where = f"Read it at {url}" if url else "Read it on the training site"
        event.add("description", f"{due.module.summary.strip()}\n\nAbout {due.module.minutes} minutes. {where}")
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


# --- playbook report -------------------------------------------------------------------------

def report_files(site: model.Site, grid: Matrix, training: Training) -> dict[str, str]:
    """``report.html`` (matrix, chart, overdue list), ``matrix.csv`` and ``overdue.csv``."""
    matrix_rows = []
    for person in grid.people:
        for module in grid.modules:
            cell = grid.cell(person, module)
            done = cell.completed
            matrix_rows.append([person.id, person.name, person.team, module.id, cell.state,
                                cell.due.isoformat() if cell.due else "", done.date.isoformat() if done else "",
                                done.revision if done else "", module.revision,
                                "" if done is None or done.score is None else done.score,
                                done.acknowledged.isoformat() if done and done.acknowledged else "",
                                cell.retrain.isoformat() if cell.retrain else ""])
    overdue_rows = [[p.id, p.name, p.email, m.id, m.title, cell.deadline.isoformat(), (grid.today - cell.deadline).days,
                     f"retrain: revision {m.revision}" if cell.state == "outdated" else "assigned"]
                    for p, m, cell in grid.overdue]
    return {
        "report.html": environment("playbook.training").get_template("report.html.j2").render(
            playbook=site.playbook, grid=grid, states=STATES, chart=completions_chart(training, grid.today)),
        "matrix.csv": csv_text(("person", "name", "team", "module", "state", "due", "completed", "completed_revision",
                            "current_revision", "score", "acknowledged", "retrain_by"), matrix_rows),
        "overdue.csv": csv_text(("person", "name", "email", "module", "title", "due", "days_overdue", "why"),
                                overdue_rows),
    }


def completions_chart(training: Training, today: dt.date) -> str:
    """An SVG line of completions over time (cumulative), drawn here: no script, no network."""
    dates = sorted(c.date for c in training.completions if c.date <= today)
    width, height, pad = 640, 220, 40
    if not dates:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" role="img" '
                'aria-label="No completions yet"><text x="10" y="35">No completions yet.</text></svg>')
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
    label = f"Completions over time: {total} from {first.isoformat()} to {last.isoformat()}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{label}">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#555"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#555"/>'
        f'<polyline fill="none" stroke="#1a5e9a" stroke-width="3" points="{" ".join(points)}"/>'
        f'<text x="{pad}" y="{height - 12}" font-size="12">{first.isoformat()}</text>'
        f'<text x="{width - pad}" y="{height - 12}" font-size="12" text-anchor="end">{last.isoformat()}</text>'
        f'<text x="{pad - 6}" y="{pad + 4}" font-size="12" text-anchor="end">{total}</text>'
        f'<text x="{pad - 6}" y="{height - pad}" font-size="12" text-anchor="end">0</text>'
        "</svg>"
    )
