"""What Markdown from the content may contain: the raw-HTML and link policy that validation enforces.

This module judges what a trainer typed, which is where the friendly messages
come from; :mod:`.rendered` holds the HTML that text becomes to the same
policy. Escaping for output (:mod:`playbook.escape`) relies on it: a ``<``
that opens one of :data:`SAFE_TAGS` is the only one left as a tag.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from typing import Any

#: Inline HTML a trainer may use; with at most a title attribute. Everything else is refused.
SAFE_TAGS = frozenset({"abbr", "b", "br", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small",
                       "strong", "sub", "sup", "u"})
#: The Markdown extensions content is written for: the site renders with them (all supported by Zensical too),
#: and validation renders with them to see the HTML a page will carry.
MARKDOWN_EXTENSIONS: tuple[tuple[str, dict[str, Any] | None], ...] = (
    ("admonition", None),
    ("attr_list", None),
    ("md_in_html", None),
    ("tables", None),
    ("toc", {"permalink": True}),
    ("pymdownx.details", None),
    ("pymdownx.superfences", None),
)
#: HTML element names: ``<first name>`` in prose is not a tag and simply shows as typed.
HTML_ELEMENTS = SAFE_TAGS | frozenset("""a address applet area article aside audio base basefont bdi bdo big blink
blockquote body button canvas caption center cite col colgroup data datalist dd details dfn dialog dir div dl dt
embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html
iframe image img input isindex keygen label legend li link listing main map marquee math menu meta meter nav
nobr noembed noframes noscript object ol optgroup option output p param picture plaintext portal pre progress q
rp rt ruby samp script search section select slot source span style summary svg table tbody td template textarea
tfoot th thead time title tr track tt ul var video wbr xmp""".split())
#: Every pattern here runs in time linear in its input: no match may start at one '<' (or '[' or '{') and scan
#: past the next one, or a crafted line (a tag followed by thousands of spaces) would take minutes.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?/?>")
#: An allowed tag as it may be written; escaping lets these through and nothing else.
SAFE_TAG = re.compile(r"</?(?:" + "|".join(sorted(SAFE_TAGS)) + r")(?:\s+title=\"[^\"<>]*\")?\s*/?>",
                       re.IGNORECASE)
#: A link or image target, with one level of balanced parentheses (as in javascript:alert(1)).
#: A reference definition ``[r]: target`` anywhere (inside lists, quotes, admonitions and code too), its target
#: on the same line or the next.
_LINK = re.compile(r"\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)|\[[^\[\]\n]+\]:[ \t]*\n?[ \t]*<?([^\s>]+)")
#: Link targets allowed everywhere; relative ones only where the page they sit on is known.
SAFE_SCHEME = re.compile(r"(https?://|mailto:|tel:|#)", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
#: Python-Markdown's attribute lists ({: #id .class key=value }) could add attributes such as onclick.
_ATTRIBUTE_LIST = re.compile(r"\{:?\s*(?:[#.][\w-]|[\w-]+\s*=)[^}\n]*\}")


def markup_problems(text: str, *, relative_links: bool) -> list[tuple[int, str]]:
    """(line within ``text``, what is wrong; how to fix) for raw HTML, attribute lists and link targets as typed.

    Links are judged wherever they stand, in code too: a template may place a text where its code is no
    longer code (joined into one line, or indented under a list item), so only a target allowed anywhere is
    allowed at all.
    """
    found = []
    if "<" in text or "{" in text:  # no tag or attribute list can start without one of these (most text)
        found += [*_tag_problems(text, _line_finder(text)), *_attribute_list_problems(text)]
    return found + link_problems(text, relative_links)


def target_problem(target: str, relative_links: bool) -> str | None:
    """What is wrong with a link target as a browser reads it, or None when it is allowed."""
    relative = not _ANY_SCHEME.match(target) and not target.startswith("//")
    if SAFE_SCHEME.match(target) or (relative_links and relative):
        return None
    if relative_links:
        fix = "use https://, mailto:, tel: or a relative link to another page"
    else:
        fix = ("link to a full https:// address, mailto: or tel: "
               "(links to other pages go in a module's .md introduction)")
    return f"link target {target!r} is not allowed; {fix}"


def link_problems(text: str, relative_links: bool) -> list[tuple[int, str]]:
    return [(line, problem) for line, target in link_targets(text)
            if (problem := target_problem(target, relative_links)) is not None]


def neutralise(text: str) -> str:
    """The text as the site hands it to Markdown: every ``<`` escaped but those opening a safe tag (validation
    refused the rest) and every ``{`` (no attribute list); trailing line breaks dropped."""
    text = text.rstrip("\n")
    if "<" not in text:  # most text: no tag to look for
        return text.replace("{", "\\{")
    parts, last = [], 0
    for safe in SAFE_TAG.finditer(text):
        parts += [text[last : safe.start()].replace("<", "&lt;"), safe.group()]
        last = safe.end()
    parts.append(text[last:].replace("<", "&lt;"))
    return "".join(parts).replace("{", "\\{")


def _line_finder(text: str) -> Callable[[re.Match[str]], int]:
    """The line (from 0) a match starts on, found by bisection: counting from the top for every problem
    would make a file with many problems take time quadratic in its size."""
    breaks: list[int] = []

    def line(match: re.Match[str]) -> int:
        if not breaks:  # most text has no problem: the breaks are found only for the first one
            breaks.extend(found.start() for found in re.finditer("\n", text))
            breaks.append(len(text))
        return bisect.bisect_left(breaks, match.start())

    return line


def _tag_problems(text: str, line: Callable[[re.Match[str]], int]) -> list[tuple[int, str]]:
    found = []
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        attributes = (match.group(3) or "").rstrip().removesuffix("/")
        if name not in HTML_ELEMENTS or (closing and name not in SAFE_TAGS):
            continue  # not HTML, so it shows as typed; or the closing tag of one reported where it opens
        if name not in SAFE_TAGS:
            found.append((line(match), f"HTML tag <{name}> is not allowed; use Markdown instead "
                                              f"(allowed tags: {', '.join(sorted(SAFE_TAGS))})"))
        elif re.search(r"\bon\w+\s*=", attributes, re.IGNORECASE):
            found.append((line(match), f"event attribute in <{closing}{name}> is not allowed; remove it"))
        elif attributes.strip() and not re.fullmatch(r"\s*title=\"[^\"<>]*\"\s*", attributes, re.IGNORECASE):
            found.append((line(match),
                          f"attributes in <{name}> are not allowed except title=\"...\"; remove them"))
        elif "[" in attributes or "]" in attributes:
            found.append((line(match), f"the title of <{name}> may not hold '[' or ']' (Markdown would make a "
                                       "link inside the tag); write it without them"))
    return found


def _attribute_list_problems(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.split("\n")):
        # Only up to the line's last '}': every start that can match then does, so no start scans in vain.
        end = line.rfind("}") + 1
        found += [(number, "attribute lists like '{: ...}' are not allowed in content; remove it")
                  for _ in _ATTRIBUTE_LIST.finditer(line, 0, end)]
    return found


def link_targets(text: str) -> list[tuple[int, str]]:
    """(line within ``text``, target) of every link and image, as a browser would read the target."""
    if "]" not in text:
        return []
    line = _line_finder(text)
    return [(line(match), _target(match)) for match in _LINK.finditer(text)]


def _target(match: re.Match[str]) -> str:
    # Browsers decode entities and drop control characters before reading a scheme.
    return re.sub(r"[\x00-\x20]", "", html.unescape(match.group(1) or match.group(2) or ""))

