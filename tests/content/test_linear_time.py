"""Every check of hostile text runs in time linear in its size: a crafted pull request cannot hang CI.

Each input is a short piece of markup punctuation repeated to a few hundred kilobytes, the shape that made
backtracking patterns take minutes (a tag-like start followed by thousands of spaces, a long line of brackets).
Linear checks take milliseconds on such input; the bound is a hundred times that, so only a pattern gone
quadratic can miss it.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.content import load_site
from playbook.content.rendered import check_markdown
from playbook.errors import Refused
from playbook.escape import escape_markdown, escape_text, plain_text, table_cell
from playbook.exports.formats import spreadsheet_safe
from playbook.site import privacy

SIZE = 200_000
BOUND_SECONDS = 2.0
#: Pieces that open or close what the patterns look for, and the filler between them.
PIECES = st.text(alphabet=list("<>[](){}:=/#.!*_`\"' \t\nab@-"), min_size=1, max_size=6)

CHECKS: dict[str, Callable[[str], object]] = {
    "markup policy": lambda text: check_markdown(text, relative_links=False),
    "markup policy, relative links": lambda text: check_markdown(text, relative_links=True),
    "escape_markdown": escape_markdown,
    "escape_text": escape_text,
    "table_cell": table_cell,
    "spreadsheet_safe": spreadsheet_safe,
    "privacy scan": lambda text: _scanned(text),
}


def _scanned(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "page.html").write_text(text, "utf-8")
        try:
            privacy.scan(Path(folder), "site", [], ["someone"])
        except Refused:
            pass  # an address it found: refused, in time


@pytest.mark.parametrize("name", CHECKS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(piece=PIECES, prefix=st.sampled_from(["", "<a", "[", "](", "{:", "{a=", "a@", "<b "]))
def test_each_check_is_linear(name: str, piece: str, prefix: str) -> None:
    text = prefix + piece * (SIZE // len(piece))
    start = time.perf_counter()
    CHECKS[name](text)
    assert time.perf_counter() - start < BOUND_SECONDS, f"{name} took too long on {text[:40]!r}..."


def test_a_description_of_hostile_markdown_is_made_in_linear_time() -> None:
    start = time.perf_counter()
    plain_text("<" * 20_000 + "a" * 20_000)
    assert time.perf_counter() - start < BOUND_SECONDS


@pytest.mark.parametrize("body", [" " * SIZE + "x", "a" + " " * SIZE + "\n"])
def test_an_introduction_of_spaces_is_checked_in_linear_time(content: Path, body: str) -> None:
    intro = next((content / "modules").glob("*.md"))
    intro.write_text(body, "utf-8")
    start = time.perf_counter()
    load_site(content)
    assert time.perf_counter() - start < BOUND_SECONDS


def test_a_fence_is_no_way_around_the_cost_check() -> None:
    """Brackets count in code too: a line that looks like a fence but is not one must not hide the rest."""
    text = "```a```\n" + "[a](b " * 4000 + "\n```"
    start = time.perf_counter()
    assert check_markdown(text, relative_links=False)
    assert time.perf_counter() - start < BOUND_SECONDS
