"""The HTML a Markdown text from the content becomes, held to what a page may carry.

:mod:`.markup` judges what a trainer typed. Markdown has more ways to make a
link or an attribute than any pattern over the source knows: a reference
definition with its address on the next line, a link inside an allowed tag's
``title`` that closes the attribute and adds its own. So every text is also
rendered the way the site renders it (escaped by :func:`.markup.neutralise`,
then Markdown with the site's extensions) and every element, attribute and
address of the result is checked against the allowlist below. The search
index is made from the same page HTML, escaped by the theme, so it is as safe
as the page.

Checked rather than sanitised (for instance with nh3): a sanitiser would
quietly change a trainer's text; a refusal at the source position says what to
fix.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown

from .markup import MARKDOWN_EXTENSIONS, SAFE_TAGS, markup_problems, neutralise, target_problem

#: Elements the site's Markdown makes of content, each with the attributes it may carry.
_ALLOWED: dict[str, frozenset[str]] = {
    **{tag: frozenset({"title"}) for tag in SAFE_TAGS},
    **{tag: frozenset() for tag in ("p", "ul", "li", "blockquote", "hr", "table", "thead", "tbody", "tr")},
    **{f"h{level}": frozenset({"id"}) for level in range(1, 7)},
    "a": frozenset({"href", "title", "class"}),  # class: the headings' permalinks
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"style"}),
    "td": frozenset({"style"}),
    # Admonitions, folded blocks and highlighted code.
    "div": frozenset({"class"}),
    "p": frozenset({"class"}),
    "details": frozenset({"class", "open"}),
    "summary": frozenset(),
    "pre": frozenset({"class"}),
    "code": frozenset({"class"}),
    "span": frozenset({"class"}),
}
#: Limits that keep Markdown's time linear (see :func:`costly_markdown`), far above what prose needs: a long
#: paragraph is about 1,000 characters with a handful of links.
LONGEST_PARAGRAPH = 5_000
MOST_BRACKETS = 100
_MOST_NESTED = 3
_URL_ATTRIBUTES = frozenset({"href", "src"})
#: The only style the tables extension writes: a column's alignment.
_ALIGNMENT = re.compile(r"text-align: (left|right|center);")

_CONVERTER = markdown.Markdown(
    extensions=[name for name, _ in MARKDOWN_EXTENSIONS],
    extension_configs={name: options for name, options in MARKDOWN_EXTENSIONS if options},
)


def check_markdown(text: str, *, relative_links: bool) -> list[tuple[int, str]]:
    """(line within ``text``, what is wrong; how to fix) for a Markdown text: what it says, then what it makes.

    ``relative_links`` allows links to other pages (a module's ``.md`` introduction, whose page is known).
    """
    found = markup_problems(text, relative_links=relative_links)
    costly = costly_markdown(text)
    if costly:
        return found + costly  # refused before Markdown spends minutes on it
    if "[" not in text or found:
        # Nothing to make a link, an image or an attribute from (most text): the tags markup.py allows carry
        # a title of plain text, which only a link inside it could break out of. Or refused already: what it
        # renders to would only say the same again.
        return found
    return list(dict.fromkeys(_rendered_problems(text, relative_links)))


def costly_markdown(text: str) -> list[tuple[int, str]]:
    """What would make Markdown take time quadratic in a paragraph, in one pass: a paragraph over
    :data:`LONGEST_PARAGRAPH` characters or with more than :data:`MOST_BRACKETS` brackets, a ``[`` (or a
    link's ``(``) never closed in its paragraph, brackets nested more than :data:`_MOST_NESTED` deep.

    Python-Markdown reads each ``[`` by scanning for its ``]`` and rebuilds the paragraph for each link or
    entity it finds, so such paragraphs take minutes (https://github.com/Python-Markdown/markdown/issues/798,
    https://github.com/Python-Markdown/markdown/issues/1619), in this check and in the site build alike.
    A real text never needs them.
    """
    brackets = "[" in text  # only a '[' sets Markdown scanning (most text has none)
    if not brackets and len(text) <= LONGEST_PARAGRAPH:
        return []  # no paragraph of it can be too long either
    found: list[tuple[int, str]] = []
    paragraph = _Paragraph(0)
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip()
        if not stripped:  # a blank line ends the paragraph
            found += paragraph.problems()
            paragraph = _Paragraph(number + 1)
            continue
        paragraph.length += len(stripped.rstrip())
        before = ""
        for char in line if brackets else "":
            if before != "\\":  # an escaped character is plain text
                paragraph.read(char, before, number)
            before = "" if before == "\\" else char
    return found + paragraph.problems()


class _Paragraph:
    """The brackets of one paragraph as :func:`costly_markdown` reads it."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.length = 0
        self.openers: list[int] = []
        self.link_parens: list[int] = []
        self.brackets = 0
        self.too_deep: int | None = None

    def read(self, char: str, before: str, line: int) -> None:
        if char == "[":
            self.brackets += 1
            self.openers.append(line)
            if len(self.openers) > _MOST_NESTED and self.too_deep is None:
                self.too_deep = line
        elif char == "]" and self.openers:
            self.openers.pop()
        elif char == "(" and (before == "]" or self.link_parens):
            self.link_parens.append(line)
        elif char == ")" and self.link_parens:
            self.link_parens.pop()

    def problems(self) -> list[tuple[int, str]]:
        if self.length > LONGEST_PARAGRAPH:
            return [(self.first_line, f"a paragraph of {self.length:,} characters is too long to publish "
                                      f"(at most {LONGEST_PARAGRAPH:,}); split it with a blank line")]
        if self.brackets > MOST_BRACKETS:
            return [(self.first_line, f"a paragraph with {self.brackets:,} '[' is more than Markdown reads in "
                                      f"good time (at most {MOST_BRACKETS}); split it with a blank line")]
        found = []
        if self.too_deep is not None:
            found.append((self.too_deep, f"brackets nested more than {_MOST_NESTED} deep; take some out or write \\["))
        if self.openers:
            found.append((self.openers[0], "a '[' is never closed in its paragraph; close it with ']' or write \\["))
        if self.link_parens:
            found.append((self.link_parens[0], "a link's '(' is never closed in its paragraph; close it with ')'"))
        return found


def _rendered_problems(text: str, relative_links: bool) -> list[tuple[int, str]]:
    elements = _Elements()
    elements.feed(_CONVERTER.reset().convert(neutralise(text)))
    elements.close()
    found = []
    for tag, attributes in elements.found:
        allowed = _ALLOWED.get(tag)
        if allowed is None:
            found.append((0, f"this makes an HTML <{tag}> element, which pages may not carry; write it another way"))
            continue
        refused = [name for name, value in attributes
                   if name not in allowed or (name == "style" and not _ALIGNMENT.fullmatch(value or ""))]
        if refused:
            names = ", ".join(repr(name) for name in refused)
            found.append((_line_of(text, f"<{tag}"), f"this makes HTML with {names} in <{tag}>, which pages may "
                                                     "not carry; keep links and other Markdown out of HTML tags"))
        found += [problem for name, value in attributes if name in _URL_ATTRIBUTES
                  for problem in _target_problems(text, value or "", relative_links)]
    # A definition a text does not use itself can still be used by another text on the same page.
    for target, _title in _CONVERTER.references.values():
        found += _target_problems(text, html.unescape(target), relative_links)
    return found


def _target_problems(text: str, target: str, relative_links: bool) -> list[tuple[int, str]]:
    # Browsers drop control characters and white space before reading a scheme.
    target = re.sub(r"[\x00-\x20]", "", target)
    problem = target_problem(target, relative_links)
    return [] if problem is None else [(_line_of(text, target), problem)]


def _line_of(text: str, typed: str) -> int:
    """The line (from 0) where ``typed`` (or its scheme, when typed with entities) first appears, else the
    first: the HTML does not say where it came from."""
    for needle in (typed[:20], typed.partition(":")[0]):
        start = text.find(needle) if len(needle) > 1 else -1
        if start >= 0:
            return text.count("\n", 0, start)
    return 0


class _Elements(HTMLParser):
    """Every start tag of an HTML text, with its attributes as a browser reads them (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag
