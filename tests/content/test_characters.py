"""Invisible characters are refused by Unicode category, in YAML values (as typed or escaped) and in introductions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook.content import load_site
from playbook.content.loader import parse_yaml
from playbook.errors import ContentError, Problem

NEEDED = "\t\n\r\x85\u200c\u200d"


def _problems_of(value: str) -> list[str]:
    problems: list[Problem] = []
    # Double quotes with \U escapes: any character at all reaches the loader, whatever the YAML syntax allows raw.
    escaped = "".join(f"\\U{ord(char):08x}" for char in value)
    parse_yaml(f'title: "{escaped}"\n', "f.yml", problems)
    return [str(problem) for problem in problems]


def _message(char: str) -> str:
    return f"f.yml:1:8: character U+{ord(char):04X} is not allowed in text (an invisible or control character); remove it"


@given(st.characters(categories=["Cc", "Cf", "Co"], exclude_characters=NEEDED))
def test_every_control_format_and_private_use_character_is_refused(char: str) -> None:
    assert _problems_of(f"Listen{char}well") == [_message(char)]


@given(st.characters(categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\u115f\u1160\u3164\uffa0"))
def test_visible_characters_are_kept(char: str) -> None:
    assert _problems_of(f"Listen {char} well") == []


@pytest.mark.parametrize("char", [
    "\u200b",  # zero-width space
    "\u200e", "\u200f",  # left-to-right and right-to-left marks
    "\u2060",  # word joiner
    "\ufeff",  # a byte order mark inside text
    "\U000e0041",  # a tag character, which smuggles hidden text
    "\u3164", "\u115f", "\u1160", "\uffa0",  # Hangul fillers: a title of them shows as blank
])
def test_the_characters_that_got_through_are_refused(char: str) -> None:
    assert _problems_of(f"Listen{char}well") == [_message(char)]


def test_joiners_that_scripts_need_are_kept() -> None:
    assert _problems_of("می\u200cخواهم") == []  # Persian needs the zero-width non-joiner
    assert _problems_of("\U0001f469\u200d\U0001f4bb") == []  # an emoji sequence


def test_an_invisible_character_in_an_introduction_is_refused_where_it_is(content: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)
    intro = next(Path("content/modules").glob("*.md"))
    lines = intro.read_text("utf-8").splitlines()
    lines[-1] = lines[-1][:3] + "\u200b" + lines[-1][3:]
    intro.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        load_site("content")
    assert [str(problem) for problem in caught.value.problems] == [
        f"{intro.as_posix()}:{len(lines)}:4: character U+200B is not allowed in text (an invisible or control "
        "character); remove it"
    ]
