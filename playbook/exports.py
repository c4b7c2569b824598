"""Checklists outside the site: task lists to paste, printable sheets, spreadsheet rows.

Every checklist comes from the same model as the site: each situational
checklist, each module's actions and each learning path's steps. Three
formats, one file per checklist, named ``<kind>-<id>.<ext>``:

``md``
    GitHub task lists (``- [ ] ...``) to paste into an issue, with the
    outcome each item builds and its stable key kept in an HTML comment.
``html``
    A sheet that prints on A4 and Letter with no external files: titles,
    module revisions, boxes, a notes column and sign-off lines.
``csv``
    One row per item (key, section, text, outcome, module), UTF-8 with a BOM,
    with anything a spreadsheet would run as a formula made plain text.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import jinja2
import markdown
from markupsafe import Markup

from . import model
from .text import escape_markdown, escape_text

FORMATS = ("md", "html", "csv")
#: What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    #: Markdown, as written in the content.
    text: str
    outcome: str
    module: str


@dataclass(frozen=True)
class Sheet:
    """One checklist, whatever it came from."""

    name: str
    kind: str
    title: str
    summary: str
    #: "Module title (revision N)" for every module the items come from.
    revisions: tuple[str, ...]
    items: tuple[Item, ...]

    @property
    def sections(self) -> list[tuple[str, list[Item]]]:
        grouped: dict[str, list[Item]] = {}
        for item in self.items:
            grouped.setdefault(item.section, []).append(item)
        return list(grouped.items())


def sheets(site: model.Site) -> list[Sheet]:
    """Every checklist of the site: situational ones, then modules, then paths."""
    return [make() for make in _sheet_makers(site).values()]


def _sheet_makers(site: model.Site) -> dict[str, Callable[[], Sheet]]:
    """Each sheet's name, in :func:`sheets`' order, and the function that makes the sheet."""
    makers: dict[str, Callable[[], Sheet]] = {}
    for kind, items, make in (
        ("checklist", site.checklists, _from_checklist),
        ("module", site.modules, _from_module),
        ("path", site.paths, _from_path),
    ):
        for item in items:
            name = f"{kind}-{item.id}"
            makers[name] = functools.partial(make, name, site, item)
    return makers


def _revision(module: model.Module) -> str:
    return f"{module.title} (revision {module.revision})"


def _from_checklist(name: str, site: model.Site, checklist: model.Checklist) -> Sheet:
    items, modules = [], []
    for section in checklist.sections:
        for item in section.items:
            if item.ref is None:
                assert item.text is not None  # the schema requires text without ref
                items.append(Item(checklist.item_key(item), section.title, item.text, "", ""))
                continue
            found = site.action(item.ref)
            outcome = site.outcome(found.principle.outcome).title
            items.append(Item(item.ref, section.title, found.action.text, outcome, found.module.id))
            if found.module not in modules:
                modules.append(found.module)
    return Sheet(name, "Checklist", checklist.title, checklist.summary,
                 tuple(_revision(module) for module in modules), tuple(items))


def _from_module(name: str, site: model.Site, module: model.Module) -> Sheet:
    items = tuple(
        Item(module.action_key(principle, action), principle.title, action.text,
             site.outcome(principle.outcome).title, module.id)
        for principle in module.principles
        for action in principle.actions
    )
    return Sheet(name, "Module checklist", module.title, module.summary,
                 (_revision(module),), items)


def _from_path(name: str, site: model.Site, path: model.LearningPath) -> Sheet:
    items = []
    for step in path.steps:
        module = site.module(step.module)
        due = "on the start day" if step.due_days == 0 else f"by day {step.due_days}"
        text = f"Complete {module.title} ({module.minutes} min), {due}"
        items.append(Item(f"{path.id}/{module.id}", "Modules to complete", text, "", module.id))
    modules = [site.module(step.module) for step in path.steps]
    return Sheet(name, "Onboarding checklist", path.title, path.summary,
                 tuple(_revision(module) for module in modules), tuple(items))


def export(site: model.Site, fmt: str, names: list[str] | None = None) -> dict[str, str]:
    """``{file name: text}`` for the chosen sheets (all when ``names`` is empty)."""
    return {name: write() for name, write in planned(site, fmt, names).items()}


def planned(site: model.Site, fmt: str, names: list[str] | None = None) -> dict[str, Callable[[], str]]:
    """Like :func:`export`, each text made only when its function is called."""
    writer = {"md": to_markdown, "html": to_html, "csv": to_csv}[fmt]

    def write(make: Callable[[], Sheet]) -> str:
        return writer(site, make())

    return {f"{name}.{fmt}": functools.partial(write, make)
            for name, make in _sheet_makers(site).items() if not names or name in names}


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).strip()


# --- Markdown -------------------------------------------------------------------------

def to_markdown(site: model.Site, sheet: Sheet) -> str:
    lines = [f"## {escape_text(sheet.title)}", "", _one_line(escape_markdown(sheet.summary)), ""]
    if sheet.revisions:
        lines += [f"<sub>{site.playbook.title} · {sheet.kind} · {'; '.join(sheet.revisions)}</sub>", ""]
    for section, items in sheet.sections:
        lines += [f"### {escape_text(section)}", ""]
        for item in items:
            outcome = f" _(builds {item.outcome.lower()})_" if item.outcome else ""
            lines.append(f"- [ ] {_one_line(escape_markdown(item.text))}{outcome} <!-- {item.key} -->")
        lines.append("")
    return "\n".join(lines)


# --- HTML ----------------------------------------------------------------------------------

_HTML = jinja2.Environment(
    loader=jinja2.PackageLoader("playbook", "templates"),
    undefined=jinja2.StrictUndefined,
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_MARKDOWN = markdown.Markdown()


#: Characters that can start Markdown syntax (or an HTML escape) on one line. Without them, and not
#: starting like a list, quote or heading, Markdown gives the text back unchanged, so it is not run.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&!#{}|~^=+]|^[-+*>\d]")


def _inline(text: str) -> Markup:
    """One line of Markdown as HTML without the paragraph around it."""
    line = _one_line(text)
    if _MARKDOWN_SYNTAX.search(line) is None:
        return Markup(line)
    return _markdown_inline(line)


def _markdown_inline(line: str) -> Markup:
    """Python-Markdown's HTML for one line (one converter, reset each time)."""
    html = _MARKDOWN.reset().convert(escape_markdown(line))
    return Markup(html.removeprefix("<p>").removesuffix("</p>"))


_HTML.filters["inline"] = _inline


def to_html(site: model.Site, sheet: Sheet) -> str:
    return _HTML.get_template("sheet.html.j2").render(playbook=site.playbook, sheet=sheet)


# --- CSV ------------------------------------------------------------------------------------------

CSV_COLUMNS = ("key", "section", "text", "outcome", "module")


def spreadsheet_safe(value: str) -> str:
    """One line, and never a formula: a leading ``=``, ``+``, ``-`` or ``@`` gets a quote mark."""
    flat = _one_line(value) if value.strip() else ""
    if value.startswith(_FORMULA_START) or flat.startswith(_FORMULA_START):
        return "'" + flat
    return flat


def to_csv(site: model.Site, sheet: Sheet) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in sheet.items:
        writer.writerow(
            [spreadsheet_safe(value) for value in (item.key, item.section, item.text, item.outcome, item.module)]
        )
    return "\ufeff" + buffer.getvalue()
