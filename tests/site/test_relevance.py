"""Search finds what staff type mid-call: the relevance set (relevance.yml) in Chromium against the default site."""

from __future__ import annotations

import pytest

from playbook.content import load_site

from ..browser_fixtures import _server, browser, site_url  # noqa: F401
from ..conftest import DEFAULT_CONTENT
from .relevance import QUERIES, run, score
from .test_search_index import WIDGET_TEXT, _plain

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def outcomes(browser, site_url: str):
    context = browser.new_context()
    try:
        return run(context.new_page(), site_url)
    finally:
        context.close()


def test_the_set_is_big_and_varied() -> None:
    assert len(QUERIES) >= 40
    assert {entry["kind"] for entry in QUERIES} == {"one word", "paraphrase", "task", "misspelling", "other spelling"}
    assert all(entry["page"].startswith(("modules/", "checklists/")) for entry in QUERIES)


def test_at_least_nine_in_ten_queries_find_their_page_in_the_first_three(outcomes) -> None:
    missed = [f"{o.query!r} ({o.kind}): wanted {o.page}, got {list(o.found[:3])}" for o in outcomes if not o.hit]
    assert score(outcomes) >= 90, "\n".join(missed)


def test_situational_checklists_come_first_for_their_situation(outcomes) -> None:
    firsts = {o.query: o.found[0] for o in outcomes if o.page.startswith("checklists/") and o.kind == "one word"}
    assert firsts and all(found.startswith("checklists/") for found in firsts.values()), firsts


def test_no_snippet_shows_widget_text_or_a_quiz_explanation(outcomes) -> None:
    shown = _plain(" ".join(snippet for o in outcomes for snippet in o.snippets))
    assert len(shown) > 10_000
    assert [words for words in WIDGET_TEXT if words in shown] == []
    explanations = [_plain(choice.explanation) for module in load_site(DEFAULT_CONTENT).modules
                    for check in module.checks for choice in check.choices]
    # An excerpt is a few dozen words from anywhere in a page: any eight words running of an explanation would show it.
    runs = {" ".join(words[n:n + 8]) for text in explanations for words in [text.split()]
            for n in range(max(1, len(words) - 7))}
    assert [run for run in runs if run in shown] == []
