"""The message catalogues: every message the templates and learner scripts write has its French, and each French
message keeps the {names} of its English."""

from __future__ import annotations

import re
import string

import pytest

from playbook.messages import messages

from .conftest import ROOT

PACKAGE = ROOT / "playbook"
#: A string literal, or several joined by '+' (one message split over lines).
_JOINED = re.compile(r'"(?:[^"\\]|\\.)*"(?:\s*\+\s*"(?:[^"\\]|\\.)*")*')


def _literal(joined: str) -> str:
    """The text of joined JavaScript string literals, their \\uXXXX and \\" escapes decoded."""
    text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', joined))
    return re.sub(r"\\u([0-9a-fA-F]{4})|\\(.)", lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), text)


def page_messages() -> set[str]:
    """What templates and Python code pass to the catalogue: _("...") and words("...")."""
    found = set()
    for path in [*PACKAGE.glob("*/templates/*.j2"), *PACKAGE.glob("*/*.py")]:
        text = path.read_text("utf-8")
        found |= {m.group(2) for m in re.finditer(r"""\b(?:_|words)\((["'])((?:(?!\1).)*)\1""", text)}
    return found - {""}


def script_messages() -> set[str]:
    """What the learner scripts pass to pb.t (or t in playbook.js): the first argument's string literals."""
    found = set()
    for path in (PACKAGE / "site" / "assets").glob("playbook*.js"):
        text = path.read_text("utf-8")
        for call in re.finditer(r"\b(?:pb\.)?t\(", text):
            argument = text[call.end():]
            found |= {_literal(joined) for joined in _JOINED.findall(argument[:_first_argument_end(argument)])}
    return found


def _first_argument_end(argument: str) -> int:
    """Where a call's first argument ends: the first ',' or ')' outside brackets and strings."""
    depth, quoted, escaped = 0, False, False
    for end, char in enumerate(argument):
        if quoted:
            quoted, escaped = (escaped or char != '"'), (char == "\\" and not escaped)
        elif char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        elif char in ",)]}":
            return end
    return len(argument)


def names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_extraction_finds_messages() -> None:
    assert {"Checklists", "Question {n} of {total}:", "{title} (revision {revision})"} <= page_messages()
    assert {"Not started", "Cleared {count} ticks.", "{day} at {time}"} <= script_messages()


@pytest.mark.parametrize("kind", ["pages", "scripts"])
def test_french_has_every_message(kind: str) -> None:
    used = page_messages() if kind == "pages" else script_messages()
    catalogue = getattr(messages("fr"), kind)
    assert sorted(used - set(catalogue)) == []
    assert sorted(set(catalogue) - used) == [], "messages no template or script uses any more"


@pytest.mark.parametrize("kind", ["pages", "scripts"])
def test_french_keeps_every_name(kind: str) -> None:
    for english, french in getattr(messages("fr"), kind).items():
        assert names(french) == names(english), english


def test_a_language_without_catalogue_is_english() -> None:
    assert messages("sv")("Checklists") == "Checklists"
    assert messages("fr-CA")("Checklists") == "Listes de vérification"
