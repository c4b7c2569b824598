"""The last check before a site is published: nothing in it looks like trainer data.

A built site is scanned for email addresses (any not listed as public in
``playbook.yml``'s ``public_emails``) and for the names and emails the
caller passes in (the CLI reads them from the trainer's roster; this module
never reads trainer data). A hit stops the build (exit 3) and the previous
site stays.

Names are compared as a reader sees them, not as bytes: markup removed (a name
in emphasis, or split by a tag), entities and JSON strings decoded (the search
index, and Pagefind's fragments once decompressed), white space and line breaks collapsed, case, width and accents
folded, and whole words only.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..content.schema import EMAIL_PATTERN
from ..errors import Refused
from . import search

#: Starts only where a run of address characters starts, so a long run is scanned once, not once per character.
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])" + EMAIL_PATTERN.pattern)
#: Files made from the content; the theme's own assets (licence headers and all) are not.
SCANNED = frozenset({".html", ".json", ".xml", ".csv", ".md", ".txt", ".ics"})


def scan(site: Path, shown_as: str, public_emails: Iterable[str], roster_words: Iterable[str] = ()) -> None:
    """Refuse (exit 3) when the built site holds an unlisted email address or a roster name."""
    words = [folded for folded in map(_reading, roster_words) if folded.strip()]
    allowed = {email.lower() for email in public_emails}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and path.suffix in SCANNED and not relative.startswith("assets/"):
            problem = _problem(path.read_bytes(), words, allowed)
            if problem:
                raise Refused(f"{shown_as}/{relative}: {problem}")
    # Search shows the pages' text from Pagefind's fragments, which are compressed; its index chunks hold only
    # the words of that text.
    for path, data in search.fragments(site):
        problem = _problem(data, words, allowed)
        if problem:
            raise Refused(f"{shown_as}/{path.relative_to(site).as_posix()}: {problem}")


def _problem(data: bytes, words: list[str], allowed: set[str]) -> str | None:
    """Why a file with these bytes may not be published, or None."""
    if not words and b"@" not in data:
        return None  # most pages: nothing to decode, and the address pattern need not run over them
    text = data.decode("utf-8", errors="replace")
    if words and any(word in reading for reading in _readings(text) for word in words):
        return "contains a name or email from the trainer roster; remove it from the content before publishing"
    for email in EMAIL.findall(text) if "@" in text else ():
        if email.lower() not in allowed:
            return (f"contains the email address {email}; remove it from the content, or list it under "
                    "public_emails in playbook.yml if it is meant to be public")
    return None


#: Tags, and the combining marks accents decompose into.
_TAG = re.compile(r"<[^<>]*>")
_WORD = re.compile(r"\w+")
#: Only these can be format characters (Unicode category Cf), and pages are mostly ASCII.
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ACCENTS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _readings(text: str) -> Iterator[str]:
    """The file's text as a reader sees it: with tags as breaks between words, and with tags dropped (a tag
    inside a word)."""
    try:
        text = "\n".join(_strings(json.loads(text)))
    except (ValueError, RecursionError):
        pass  # not JSON (markup, or plain text), or nested too deep to decode: read as it is
    yield _reading(_TAG.sub(" ", text))
    yield _reading(_TAG.sub("", text))


def _reading(text: str) -> str:
    """Words of the text, entities decoded, invisible characters dropped (a soft hyphen or a zero-width
    joiner inside a name draws nothing), case, width and accents folded, one space around each."""
    visible = _NON_ASCII.sub(_drop_invisible, html.unescape(text))
    folded = _ACCENTS.sub("", unicodedata.normalize("NFKD", visible)).casefold()
    return " " + " ".join(_WORD.findall(folded)) + " "


def _drop_invisible(match: re.Match[str]) -> str:
    return "" if unicodedata.category(match.group()) == "Cf" else match.group()


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
