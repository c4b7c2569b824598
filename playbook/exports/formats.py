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
import io
import re

from markupsafe import Markup

from ..content import model
from ..escape import escape_markdown, escape_text, markdown_html
from ..messages import Messages, messages
from ..templates import environment
from .sheets import Sheet, sheets

FORMATS = ("md", "html", "csv")
#: What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAKS = re.compile(r"[\r\n]+")


def export(site: model.Site, fmt: str, names: list[str] | None = None,
           words: Messages | None = None) -> dict[str, str]:
    """``{file name: text}`` for the chosen sheets (all when ``names`` is empty), in the language of ``site``
    (a translation's model) with playbook's own words from ``words`` (English by default)."""
    words = words or messages(None)
    writer = {"md": to_markdown, "html": to_html, "csv": to_csv}[fmt]
    return {f"{sheet.name}.{fmt}": writer(site, sheet, words) for sheet in sheets(site, words)
            if not names or sheet.name in names}


def _one_line(text: str) -> str:
    """The text's lines joined by single spaces, the white space around each line break dropped."""
    if "\n" not in text and "\r" not in text:
        return text.strip()
    return " ".join(line for line in (part.strip() for part in _LINE_BREAKS.split(text)) if line)


# --- Markdown -------------------------------------------------------------------------

def to_markdown(site: model.Site, sheet: Sheet, words: Messages) -> str:
    lines = [f"## {escape_text(sheet.title)}", "", _one_line(escape_markdown(sheet.summary)), ""]
    if sheet.revisions:
        lines += [f"<sub>{site.playbook.title} · {sheet.kind} · {'; '.join(sheet.revisions)}</sub>", ""]
    for section, items in sheet.sections:
        lines += [f"### {escape_text(section)}", ""]
        for item in items:
            outcome = f" _({words('builds {outcome}', outcome=item.outcome.lower())})_" if item.outcome else ""
            lines.append(f"- [ ] {_one_line(escape_markdown(item.text))}{outcome} <!-- {item.key} -->")
        lines.append("")
    return "\n".join(lines)


# --- HTML ----------------------------------------------------------------------------------

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
    """Python-Markdown's HTML for one line."""
    html = markdown_html(line)
    return Markup(html.removeprefix("<p>").removesuffix("</p>"))


def to_html(site: model.Site, sheet: Sheet, words: Messages) -> str:
    env = environment("playbook.exports", inline=_inline)
    return env.get_template("sheet.html.j2").render(playbook=site.playbook, sheet=sheet, _=words.markup,
                                                     lang=words.language)


# --- CSV ------------------------------------------------------------------------------------------

CSV_COLUMNS = ("key", "section", "text", "outcome", "module")


def spreadsheet_safe(value: str) -> str:
    """One line, and never a formula: a leading ``=``, ``+``, ``-`` or ``@`` gets a quote mark."""
    flat = _one_line(value) if value.strip() else ""
    if value.startswith(_FORMULA_START) or flat.startswith(_FORMULA_START):
        return "'" + flat
    return flat


def to_csv(site: model.Site, sheet: Sheet, words: Messages) -> str:
    rows = [[item.key, item.section, item.text, item.outcome, item.module] for item in sheet.items]
    return csv_text(CSV_COLUMNS, rows)


def csv_text(header: tuple[str, ...], rows: list[list[object]]) -> str:
    """The one CSV writer: UTF-8 with a BOM (so spreadsheets read accents), CRLF, every cell spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[spreadsheet_safe(str(value)) for value in row] for row in rows])
    return "\ufeff" + buffer.getvalue()
