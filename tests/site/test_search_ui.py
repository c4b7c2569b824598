"""The site's own search in Chromium: light until used, keyboard first, marks what it found, fits a phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..browser_fixtures import (  # noqa: F401
    _server,
    axe_violations,
    browser,
    built_site,
    context,
    page,
    served,
    site_url,
)
from .relevance import search

pytestmark = pytest.mark.browser


def test_nothing_of_the_index_loads_until_a_reader_searches_and_then_only_what_the_query_needs(page,
                                                                                             site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url.removeprefix(site_url)))
    page.goto(site_url + "modules/listening.html", wait_until="networkidle")
    assert [url for url in requests if url.startswith(("pagefind/", "search/"))] == []
    search(page, "escalate")
    loaded = [url for url in requests if url.startswith("pagefind/")]
    assert {"pagefind/pagefind.js", "pagefind/pagefind-entry.json"} <= {url.split("?")[0] for url in loaded}
    # A few index chunks and the fragments of the pages shown, never all of them.
    assert 0 < len([url for url in loaded if url.startswith("pagefind/index/")]) < 5
    assert 0 < len([url for url in loaded if url.startswith("pagefind/fragment/")]) <= 10


def test_search_works_from_the_keyboard_and_the_page_it_opens_marks_the_words(page, site_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(site_url + "modules/listening.html")
    search(page, "server down")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert "checklists/whole-organisation-outage.html" in first
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    page.keyboard.press("Enter")
    # Material's instant navigation may swap the page in without a load event: the marks below are the wait.
    page.wait_for_url("**/checklists/whole-organisation-outage.html?highlight=server&highlight=down", wait_until="commit")
    marks = page.locator("article mark.pb-highlight")
    marks.first.wait_for()
    assert {text.lower() for text in marks.all_inner_texts()} >= {"server"}
    assert not page.evaluate("document.getElementById('__search').checked")  # the search closed behind it
    # Escape closes the search and gives the page back. (Once the page has loaded: a '/' pressed while the page
    # opened by the result is still starting up lost the search's focus in 2 of 8 runs with both cores busy.)
    page.wait_for_load_state("load")
    page.keyboard.press("/")
    expect(page.locator("input.pb-search__input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()


def test_a_result_shows_text_as_text(page, site_url: str) -> None:
    """Excerpts are drawn from Pagefind's text and its marks only: a result never carries other markup."""
    page.goto(site_url + "index.html")
    search(page, "customer")
    tags = page.locator(".md-search-result__list").evaluate(
        "list => [...new Set([...list.querySelectorAll('*')].map(element => element.tagName.toLowerCase()))]")
    assert set(tags) <= {"li", "a", "article", "div", "h1", "h2", "p", "mark"}


def test_search_on_a_phone_opens_from_the_header_icon_and_fits(browser, site_url: str, tmp_path: Path) -> None:
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        tab = phone.new_page()
        tab.goto(site_url + "modules/listening.html", wait_until="networkidle")
        assert not tab.evaluate("document.getElementById('__search').checked")
        tab.locator("label.md-header__button[for='__search']").tap()
        tab.locator(".pb-search__input").wait_for(state="visible")
        assert tab.locator(".pb-search__input").bounding_box()["width"] > 200  # the box takes the header's width
        assert tab.evaluate("document.activeElement.classList.contains('pb-search__input')")
        tab.keyboard.type("apologize", delay=20)
        tab.locator(".md-search-result__item").first.wait_for()
        assert axe_violations(tab) == []  # which first lets the search's opening animation end
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375
        tab.screenshot(path=str(tmp_path / "search-375.png"))
        tab.locator(".md-search-result__item > a").first.tap()
        tab.wait_for_url("**/modules/making-clients-feel-important.html?highlight=apologize")
        tab.locator("article mark.pb-highlight").first.wait_for()
    finally:
        phone.close()


def test_a_site_served_without_its_index_says_search_is_not_available(browser, built_site: Path,
                                                                     tmp_path: Path) -> None:
    """Served without its pagefind/ folder (as the preview serves it), the box says so rather than staying blank."""
    site = tmp_path / "site"
    shutil.copytree(built_site / "site", site, ignore=shutil.ignore_patterns("pagefind"))
    with served(site) as address:
        reader = browser.new_context()
        try:
            tab = reader.new_page()
            tab.goto(address + "index.html")
            tab.keyboard.press("/")
            tab.keyboard.type("listen")
            tab.locator(".md-search-result__meta",
                        has_text="Search is not available on this copy of the site.").wait_for()
        finally:
            reader.close()


def test_a_result_link_carries_the_words_of_the_query_it_answers(page, site_url: str) -> None:
    """Pagefind keeps a page's data from the query that first loaded it: the link must still carry the words of the
    query on screen (not a half-typed one), without the short words that would mark half the page."""
    from urllib.parse import parse_qs, urlsplit

    page.goto(site_url + "modules/listening.html")
    search(page, "server do")
    search(page, "what if the server is down")
    href = page.locator(".md-search-result__item > a").first.get_attribute("href")
    assert parse_qs(urlsplit(href).query)["highlight"] == ["what", "server", "down"]
