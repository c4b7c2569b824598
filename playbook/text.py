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
    """Escape every ``<`` but those opening a safe tag (the rest were refused by validation)."""
    parts, last = [], 0
    for safe in _SAFE_TAG.finditer(text):
        parts += [text[last : safe.start()].replace("<", "&lt;"), safe.group()]
        last = safe.end()
    parts.append(text[last:].replace("<", "&lt;"))
    return "".join(parts).replace("{", "\\{")


def table_cell(value: str) -> Markup:
    """Markdown fit for one table cell: one line, and a ``|`` cannot end the cell."""
    return Markup(" ".join(escape_markdown(value).split("\n")).replace("|", "\\|"))


def indent(value: str, spaces: int = 4) -> Markup:
    """Indent every line but the first (for Markdown nested in lists and admonitions)."""
    first, *rest = value.split("\n")
    pad = " " * spaces
    return Markup("\n".join([first, *[pad + line if line.strip() else "" for line in rest]]))


# --- What Markdown from the content may contain -------------------------------------------------

#: Inline HTML a trainer may use; with at most a title attribute. Everything else is refused.
SAFE_TAGS = frozenset({"abbr", "b", "br", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small",
                       "strong", "sub", "sup", "u"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*/?>")
_SAFE_TAG = re.compile(r"</?(?:" + "|".join(sorted(SAFE_TAGS)) + r")(?:\s+title=\"[^\"<>]*\")?\s*/?>")
#: A link or image target, with one level of balanced parentheses (as in javascript:alert(1)).
_LINK = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)|^\s{0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)",
                   re.MULTILINE)
#: Link targets allowed everywhere; relative ones only where the page they sit on is known.
_SAFE_SCHEME = re.compile(r"(https?://|mailto:|tel:|#)", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
#: Python-Markdown's attribute lists ({: #id .class key=value }) could add attributes such as onclick.
_ATTRIBUTE_LIST = re.compile(r"\{:?\s*(?:[#.][\w-]|[\w-]+\s*=)[^}\n]*\}")


def markup_problems(text: str, *, relative_links: bool) -> list[tuple[int, str]]:
    """(line within ``text``, what is wrong; how to fix) for HTML and links the site must not carry."""
    found = []
    prose = _CODE.sub(lambda code: re.sub(r"[^\n]", " ", code.group()), text)  # code shows as typed
    for match in _TAG.finditer(prose):
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        line = prose.count("\n", 0, match.start())
        if name not in SAFE_TAGS:
            if closing:
                continue  # its opening tag is reported
            found.append((line, f"HTML tag <{name}> is not allowed; use Markdown instead (allowed tags: "
                                f"{', '.join(sorted(SAFE_TAGS))})"))
        elif re.search(r"\bon\w+\s*=", attributes, re.IGNORECASE):
            found.append((line, f"event attribute in <{closing}{name}> is not allowed; remove it"))
        elif attributes.strip() and not re.fullmatch(r"\s*title=\"[^\"<>]*\"\s*", attributes):
            found.append((line, f"attributes in <{name}> are not allowed except title=\"...\"; remove them"))
    for match in _ATTRIBUTE_LIST.finditer(prose):
        found.append((prose.count("\n", 0, match.start()),
                      "attribute lists like '{: ...}' are not allowed in content; remove it"))
    for match in _LINK.finditer(prose):
        target = match.group(1) or match.group(2) or ""
        line = prose.count("\n", 0, match.start())
        if _SAFE_SCHEME.match(target):
            continue
        if relative_links and not _ANY_SCHEME.match(target) and not target.startswith("//"):
            continue
        if relative_links:
            found.append((line, f"link target {target!r} is not allowed; use https://, mailto:, tel: or a "
                                "relative link to another page"))
        else:
            found.append((line, f"link target {target!r} is not allowed; link to a full https:// address, "
                                "mailto: or tel: (links to other pages go in a module's .md introduction)"))
    return found
