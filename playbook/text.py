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
_LINE_START_MARKER = re.compile(r"^(\d+)([.)])|^([-+])")


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
    return Markup(_neutralise(value))


def _neutralise(text: str) -> str:
    """Escape every ``<`` but those opening a safe tag (the rest were refused by validation) and every
    ``{``; trailing line breaks dropped."""
    text = text.rstrip("\n")
    if "<" not in text:  # most text: no tag to look for
        return text.replace("{", "\\{")
    parts, last = [], 0
    for safe in _SAFE_TAG.finditer(text):
        parts += [text[last : safe.start()].replace("<", "&lt;"), safe.group()]
        last = safe.end()
    parts.append(text[last:].replace("<", "&lt;"))
    return "".join(parts).replace("{", "\\{")


def table_cell(value: str) -> Markup:
    """Markdown fit for one table cell: one line, and a ``|`` cannot end the cell."""
    # Split as plain text: a Markup's pieces would each be Markup, made one by one (the outcome matrix
    # has a cell for every action).
    return Markup(" ".join(_neutralise(value).split("\n")).replace("|", "\\|"))


def indent(value: str, spaces: int = 4) -> Markup:
    """Indent every line but the first (for Markdown nested in lists and admonitions)."""
    first, *rest = value.split("\n")
    pad = " " * spaces
    return Markup("\n".join([first, *[pad + line if line.strip() else "" for line in rest]]))


# --- What Markdown from the content may contain -------------------------------------------------

#: Inline HTML a trainer may use; with at most a title attribute. Everything else is refused.
SAFE_TAGS = frozenset({"abbr", "b", "br", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small",
                       "strong", "sub", "sup", "u"})
#: HTML element names: ``<first name>`` in prose is not a tag and simply shows as typed.
HTML_ELEMENTS = SAFE_TAGS | frozenset("""a address applet area article aside audio base basefont bdi bdo big blink
blockquote body button canvas caption center cite col colgroup data datalist dd details dfn dialog dir div dl dt
embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html
iframe image img input isindex keygen label legend li link listing main map marquee math menu meta meter nav
nobr noembed noframes noscript object ol optgroup option output p param picture plaintext portal pre progress q
rp rt ruby samp script search section select slot source span style summary svg table tbody td template textarea
tfoot th thead time title tr track tt ul var video wbr xmp""".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*/?>")
_SAFE_TAG = re.compile(r"</?(?:" + "|".join(sorted(SAFE_TAGS)) + r")(?:\s+title=\"[^\"<>]*\")?\s*/?>",
                       re.IGNORECASE)
#: A link or image target, with one level of balanced parentheses (as in javascript:alert(1)).
#: A reference definition ``[r]: target`` anywhere (inside lists, quotes and admonitions too).
_LINK = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)|\[[^\]\n]+\]:[ \t]*<?([^\s>]+)")
#: Link targets allowed everywhere; relative ones only where the page they sit on is known.
_SAFE_SCHEME = re.compile(r"(https?://|mailto:|tel:|#)", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
#: Python-Markdown's attribute lists ({: #id .class key=value }) could add attributes such as onclick.
_ATTRIBUTE_LIST = re.compile(r"\{:?\s*(?:[#.][\w-]|[\w-]+\s*=)[^}\n]*\}")


def markup_problems(text: str, *, relative_links: bool) -> list[tuple[int, str]]:
    """(line within ``text``, what is wrong; how to fix) for HTML and links the site must not carry."""
    if "<" not in text and "{" not in text and "]" not in text:
        return []  # no tag, attribute list or link can start without one of these (most text)
    found = []
    prose = text
    for match in _TAG.finditer(prose):
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        line = prose.count("\n", 0, match.start())
        if name not in HTML_ELEMENTS:
            continue  # not HTML: shows as typed
        if name not in SAFE_TAGS:
            if closing:
                continue  # its opening tag is reported
            found.append((line, f"HTML tag <{name}> is not allowed; use Markdown instead (allowed tags: "
                                f"{', '.join(sorted(SAFE_TAGS))})"))
        elif re.search(r"\bon\w+\s*=", attributes, re.IGNORECASE):
            found.append((line, f"event attribute in <{closing}{name}> is not allowed; remove it"))
        elif attributes.strip() and not re.fullmatch(r"\s*title=\"[^\"<>]*\"\s*", attributes, re.IGNORECASE):
            found.append((line, f"attributes in <{name}> are not allowed except title=\"...\"; remove them"))
    for match in _ATTRIBUTE_LIST.finditer(prose):
        found.append((prose.count("\n", 0, match.start()),
                      "attribute lists like '{: ...}' are not allowed in content; remove it"))
    for match in _LINK.finditer(prose):
        # Browsers decode entities and drop control characters before reading a scheme.
        target = html.unescape(match.group(1) or match.group(2) or "")
        target = re.sub(r"[\x00-\x20]", "", target)
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
