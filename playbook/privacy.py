"""The last check before a site is declared good: nothing in it looks like trainer data.

A built site is scanned for email addresses (any not listed as public in
``playbook.yml``'s ``public_emails``) and, when the trainer names a training
folder in ``PLAYBOOK_TRAINING``, for the names and emails on its roster. The
roster is only searched for, never used to build anything. A hit stops the
build (exit 3) and the previous site stays.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .loader import Map, Scalar, Seq, load_yaml
from .outputs import Refused

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: Files made from the content; the theme's own assets (licence headers and all) are not.
_SCANNED = {".html", ".json", ".xml", ".csv", ".md", ".txt", ".ics"}


def roster_words(training: Path) -> list[str]:
    """Names and emails on a roster, read leniently: a broken roster still protects what it can."""
    tree = load_yaml(training / "roster.yml", "roster.yml", []) if (training / "roster.yml").is_file() else None
    people = tree.get("people") if isinstance(tree, Map) else None
    words = []
    for person in people.items if isinstance(people, Seq) else ():
        for key in ("name", "email"):
            value = person.get(key) if isinstance(person, Map) else None
            if isinstance(value, Scalar) and len(value.text.strip()) >= 3:
                words.append(value.text.strip())
    return words


def scan(site: Path, display: str, public_emails: tuple[str, ...]) -> None:
    """Refuse (exit 3) when the built site holds an unlisted email address or a roster name."""
    check = Scanner(display, public_emails)
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and check.scanned(relative):
            problem = check.problem(relative, path.read_text("utf-8", errors="replace"))
            if problem:
                raise Refused(problem)


class Scanner:
    """What :func:`scan` looks for, one file at a time (its caller reports the first hit by path)."""

    def __init__(self, display: str, public_emails: tuple[str, ...]):
        training = os.environ.get("PLAYBOOK_TRAINING")
        self._words = [word.lower() for word in roster_words(Path(training))] if training else []
        self._allowed = {email.lower() for email in public_emails}
        self._display = display

    @staticmethod
    def scanned(relative: str) -> bool:
        """Whether the file at this path (relative to the site, with /) is one made from the content."""
        return Path(relative).suffix in _SCANNED and not relative.startswith("assets/")

    def problem(self, relative: str, text: str) -> str | None:
        """Why this file may not be published, or None."""
        lowered = text.lower() if self._words else ""
        for word in self._words:
            if word in lowered:
                return (
                    f"{self._display}/{relative}: contains a name or email from the trainer roster; "
                    "remove it from the content before publishing"
                )
        if "@" not in text:
            return None  # most pages have no "@": no need for the regex
        for email in EMAIL.findall(text):
            if email.lower() not in self._allowed:
                return (
                    f"{self._display}/{relative}: contains the email address {email}; remove it from the "
                    "content, or list it under public_emails in playbook.yml if it is meant to be public"
                )
        return None
