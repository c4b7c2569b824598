"""The last check before a site is published: nothing in it looks like trainer data.

A built site is scanned for email addresses (any not listed as public in
``playbook.yml``'s ``public_emails``) and for the names and emails the
caller passes in (the CLI reads them from the trainer's roster; this module
never reads trainer data). A hit stops the build (exit 3) and the previous
site stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import Refused

#: Starts only where a run of address characters starts, so a long run is scanned once, not once per character.
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: Files made from the content; the theme's own assets (licence headers and all) are not.
SCANNED = frozenset({".html", ".json", ".xml", ".csv", ".md", ".txt", ".ics"})


def scan(site: Path, shown_as: str, public_emails: Iterable[str], roster_words: Iterable[str] = ()) -> None:
    """Refuse (exit 3) when the built site holds an unlisted email address or a roster name."""
    words = [word.lower() for word in roster_words]
    allowed = {email.lower() for email in public_emails}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and path.suffix in SCANNED and not relative.startswith("assets/"):
            problem = _problem(path.read_bytes(), words, allowed)
            if problem:
                raise Refused(f"{shown_as}/{relative}: {problem}")


def _problem(data: bytes, words: list[str], allowed: set[str]) -> str | None:
    """Why a file with these bytes may not be published, or None."""
    if not words and b"@" not in data:
        return None  # most pages: nothing to decode, and the address pattern need not run over them
    text = data.decode("utf-8", errors="replace")
    if words:
        lowered = text.lower()
        if any(word in lowered for word in words):
            return "contains a name or email from the trainer roster; remove it from the content before publishing"
    for email in EMAIL.findall(text) if "@" in text else ():
        if email.lower() not in allowed:
            return (f"contains the email address {email}; remove it from the content, or list it under "
                    "public_emails in playbook.yml if it is meant to be public")
    return None
