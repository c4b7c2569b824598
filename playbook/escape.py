"""How text from the content is made safe for Markdown and HTML, wherever playbook writes pages or sheets.

``escape_text``
    one line of plain text (titles, labels): HTML-escaped and with Markdown's
    punctuation escaped, so it shows exactly as typed.
``escape_markdown``
    Markdown (summaries, explanations, examples): Markdown syntax works, raw
    HTML and attribute lists do not (outside code, where they show as typed).
``search_words``
    Markdown's words for search to index, markup and link targets left out
    (for an attribute: Jinja escapes it there).
"""

from __future__ import annotations

import html
import json
import re

import markdown
from markupsafe import Markup

from .content.markup import neutralise

#: One Python-Markdown converter for text playbook turns into HTML itself (descriptions, sheets), reset each use.
_MARKDOWN = markdown.Markdown()
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}#|])")
_LINE_START_MARKER = re.compile(r"^(\d+)([.)])|^([-+])")


#: What Markdown and HTML add to the words: link targets, tags and the punctuation of emphasis, code and links.
_NOT_WORDS = re.compile(r"\]\([^()]*\)|<[^<>]*>|[`*_\[\]]")


def search_words(markdown_text: str) -> str:
    """The words of a Markdown text on one line, for search: cheap, as it runs for every action of every page."""
    return " ".join(html.unescape(_NOT_WORDS.sub(" ", markdown_text)).split())


def escape_text(value: str) -> Markup:
    """Plain text made safe for Markdown and HTML: shows exactly as typed."""
    escaped = html.escape(value, quote=False)
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped)
    escaped = _LINE_START_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)
    return Markup(escaped)


def escape_markdown(value: str) -> Markup:
    """Markdown with raw HTML and attribute lists disabled.

    A ``<`` can only open one of the safe tags and a ``{`` never starts an
    attribute list (which could add ``onclick=``). This holds inside code as
    well: deciding what is code the way Markdown does is where escapes go
    wrong, so code shows ``&lt;`` rather than risk a live tag.
    """
    return Markup(neutralise(value))


def table_cell(value: str) -> Markup:
    """Markdown fit for one table cell: one line, and a ``|`` cannot end the cell."""
    # Split as plain text: a Markup's pieces would each be Markup, made one by one.
    return Markup(" ".join(neutralise(value).split("\n")).replace("|", "\\|"))


def markdown_html(markdown_text: str) -> str:
    """The HTML Python-Markdown makes of text from the content, raw HTML and attribute lists neutralised first."""
    return _MARKDOWN.reset().convert(neutralise(markdown_text))


def description(markdown_text: str) -> Markup:
    """A page's ``description`` front matter from Markdown, as a YAML string (see :func:`plain_text`)."""
    return Markup(json.dumps(plain_text(markdown_text), ensure_ascii=False))


def plain_text(markdown_text: str, limit: int = 160) -> str:
    """Markdown's text for a ``<meta name="description">``, cut at a word near ``limit`` and HTML-escaped:
    the theme writes it into the attribute as it is."""
    # Markdown puts a line break between blocks, so tags can go without gluing words together.
    words = html.unescape(re.sub(r"<[^<>]+>", "", markdown_html(markdown_text))).split()
    text = ""
    for word in words:
        if len(text) + len(word) + 1 > limit:
            text += "…"
            break
        text = f"{text} {word}" if text else word
    return html.escape(text, quote=True)


def indent(value: str, spaces: int = 4) -> Markup:
    """Indent every line but the first (for Markdown nested in lists and admonitions)."""
    first, *rest = value.split("\n")
    pad = " " * spaces
    return Markup("\n".join([first, *[pad + line if line.strip() else "" for line in rest]]))
