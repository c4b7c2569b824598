"""Which characters content may hold: the policy, by Unicode category, that the loader applies to every value
and every ``.md`` introduction."""

from __future__ import annotations

import re
import unicodedata

#: Unicode categories of characters no text needs and that hide or garble what a reader sees: controls, format
#: characters (zero-width spaces, direction marks and overrides, word joiners, a BOM inside text, tag characters),
#: lone surrogates from "\ud800"-style escapes, and private-use characters. Unassigned code points are let through:
#: a newer Unicode than this Python's (a new emoji) would be one.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
#: What those categories hold that text does need: tab and YAML's line breaks, and the joiners that Persian and
#: Indic scripts (and emoji sequences) are written with, which hide nothing on their own.
_NEEDED = frozenset("\t\n\r\x85\u200c\u200d")
#: Letters that draw nothing, so a title made of them shows as blank (Hangul fillers).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
#: The forbidden characters ASCII has, for the text (nearly all) that has nothing else.
_ASCII_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def first_forbidden(text: str) -> str | None:
    """The first character of ``text`` that no text may hold, or None."""
    if text.isascii():
        found = _ASCII_FORBIDDEN.search(text)
        return found.group() if found else None
    forbidden = {char for char in set(text) if _is_forbidden(char)}
    return min(forbidden, key=text.index) if forbidden else None


def _is_forbidden(char: str) -> bool:
    return char in _BLANK_LETTERS or (unicodedata.category(char) in _FORBIDDEN_CATEGORIES and char not in _NEEDED)


def forbidden_problem(char: str) -> str:
    return f"character U+{ord(char):04X} is not allowed in text (an invisible or control character); remove it"
