"""How text from YAML is made safe for Markdown and HTML.

``escape_text``
    one line of plain text (titles, labels): HTML-escaped and with Markdown's
    punctuation escaped, so it shows exactly as typed.
``escape_markdown``
    Markdown (summaries, explanations, examples): Markdown syntax works, raw
    HTML and attribute lists do not (outside code, where they show as typed).
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}#|])")
#: Fenced code blocks and code spans: their text is shown literally, so left as written.
_CODE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[ \t]*$|\Z)|(`+).+?\2", re.MULTILINE | re.DOTALL)
_LINE_START_MARKER = re.compile(r"^(\d+)([.)])|^([-+])")


def escape_text(value: str) -> Markup:
    """Plain text made safe for Markdown and HTML: shows exactly as typed."""
    escaped = html.escape(value, quote=False)
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped)
    escaped = _LINE_START_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)
    return Markup(escaped)


def escape_markdown(value: str) -> Markup:
    """Markdown with raw HTML and attribute lists disabled, outside code.

    A ``<`` can never open a tag and a ``{`` never starts an attribute list
    (which could add ``onclick=``); inside code they show as typed.
    """
    parts, last = [], 0
    for code in _CODE.finditer(value):
        parts += [_neutralise(value[last : code.start()]), code.group()]
        last = code.end()
    parts.append(_neutralise(value[last:]))
    return Markup("".join(parts).rstrip("\n"))


def _neutralise(text: str) -> str:
    return text.replace("<", "&lt;").replace("{", "\\{")


def table_cell(value: str) -> Markup:
    """Markdown fit for one table cell: one line, and a ``|`` cannot end the cell."""
    return Markup(" ".join(escape_markdown(value).split("\n")).replace("|", "\\|"))


def indent(value: str, spaces: int = 4) -> Markup:
    """Indent every line but the first (for Markdown nested in lists and admonitions)."""
    first, *rest = value.split("\n")
    pad = " " * spaces
    return Markup("\n".join([first, *[pad + line if line.strip() else "" for line in rest]]))
