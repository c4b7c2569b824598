"""Word-run fingerprints: how the tests tell copied sentences from our own words."""

from __future__ import annotations

import hashlib
import re

#: A run of this many words shared with a seed article counts as copied.
RUN_LENGTH = 12
_WORD = re.compile(r"[a-z0-9']+")


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return _WORD.findall(text)


def _digest(run: list[str]) -> str:
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:16]


def runs(text: str) -> list[tuple[str, str]]:
    """(fingerprint, the words) for every run of RUN_LENGTH words in text."""
    found = words(text)
    return [
        (_digest(found[i : i + RUN_LENGTH]), " ".join(found[i : i + RUN_LENGTH]))
        for i in range(len(found) - RUN_LENGTH + 1)
    ]


def fingerprints(text: str) -> set[str]:
    return {digest for digest, _ in runs(text)}
