"""The relevance set (relevance.yml) run in Chromium against a built site: what staff type, and where it lands.

Shared by the relevance test and the bench, which reports the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

QUERIES: list[dict[str, str]] = yaml.safe_load((Path(__file__).with_name("relevance.yml")).read_text("utf-8"))
#: A query hits when its page is among this many first results.
TOP = 3


@dataclass(frozen=True)
class Outcome:
    query: str
    kind: str
    page: str
    #: The pages of the first results, in order, each once (a page and its sections are one result).
    found: tuple[str, ...]
    #: The text of every result shown: the titles and excerpts a reader sees.
    snippets: tuple[str, ...]

    @property
    def hit(self) -> bool:
        return self.page in self.found[:TOP]


def search(page, query: str) -> None:
    """Type the query into the header's search box as a reader does, and wait for its results."""
    page.keyboard.press("/")
    page.keyboard.press("Control+A")
    page.keyboard.type(query, delay=10)
    page.locator("#pb-search-result").and_(page.locator(f"[data-pb-shown='{query}']")).wait_for()


def run(page, site_url: str) -> list[Outcome]:
    """Every query of the set on the site at ``site_url``, from one page of it."""
    page.goto(site_url + "index.html")
    root = urlsplit(site_url).path
    outcomes = []
    for entry in QUERIES:
        search(page, entry["query"])
        links = page.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.href)")
        found = dict.fromkeys(urlsplit(link).path.removeprefix(root) for link in links)
        snippets = page.locator(".md-search-result__article").all_inner_texts()
        outcomes.append(Outcome(entry["query"], entry["kind"], entry["page"], tuple(found), tuple(snippets)))
        page.keyboard.press("Escape")
    return outcomes


def score(outcomes: list[Outcome]) -> float:
    """The share of queries that hit, in percent."""
    return 100 * sum(outcome.hit for outcome in outcomes) / len(outcomes)
