"""The English and French sites in real Chromium: the switch lands on the same page, ticks survive it, French
search finds French pages, and the French pages pass axe."""

from __future__ import annotations

import pytest

from ..browser_fixtures import _server, axe_violations, browser, context, page, site_url  # noqa: F401

pytestmark = pytest.mark.browser


def switch_to(tab, language: str) -> None:
    """Opens the header's language menu and picks ``language``, as a learner does."""
    tab.locator(".md-header__option .md-select").hover()
    link = tab.locator(f"a.md-select__link[hreflang='{language}']")
    target = link.evaluate("link => link.href")
    link.click()
    # Waits for the other language's page itself to load: expect_navigation can return while the new page is
    # still being parsed, before its scripts have shown the stored ticks.
    tab.wait_for_url(target, wait_until="load")


def test_the_switch_lands_on_the_same_page(page, site_url: str) -> None:
    page.goto(site_url + "checklists/complaint-call.html")
    switch_to(page, "fr")
    assert page.url == site_url + "fr/checklists/complaint-call.html"
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("h1").inner_text().rstrip("¶") == "Prendre un appel de plainte"
    switch_to(page, "en")
    assert page.url == site_url + "checklists/complaint-call.html"
    assert page.evaluate("document.documentElement.lang") == "en"


def test_ticks_survive_a_language_switch(page, site_url: str) -> None:
    key = "whole-organisation-outage:whole-organisation-outage/confirm-the-scope"
    page.goto(site_url + "checklists/whole-organisation-outage.html")
    page.locator(f"input[data-pb-key='{key}']").check()
    assert page.locator(".pb-tally__count").inner_text().startswith("1 of ")
    switch_to(page, "fr")
    assert page.url == site_url + "fr/checklists/whole-organisation-outage.html"
    assert page.locator(f"input[data-pb-key='{key}']").is_checked()
    assert page.locator(".pb-tally__count").inner_text().startswith("1 élément(s) fait(s) sur ")
    # Ticked in French, seen in English.
    other = "whole-organisation-outage:whole-organisation-outage/name-one-contact"
    page.locator(f"input[data-pb-key='{other}']").check()
    switch_to(page, "en")
    assert page.locator(f"input[data-pb-key='{other}']").is_checked()
    assert page.locator(f"input[data-pb-key='{key}']").is_checked()


def test_french_search_finds_french_pages(page, site_url: str) -> None:
    page.goto(site_url + "fr/index.html")
    box = page.locator("input.md-search__input")
    box.click()
    # Material reacts to key events, so type rather than fill.
    box.press_sequentially("panne", delay=30)
    result = page.locator(".md-search-result__item a[href*='checklists/whole-organisation-outage.html']").first
    result.wait_for()
    assert "Une panne qui paralyse toute une organisation" in result.inner_text()
    with page.expect_navigation():
        result.click()
    assert page.url.startswith(site_url + "fr/checklists/whole-organisation-outage.html")


@pytest.mark.parametrize("address", ["fr/index.html", "fr/checklists/whole-organisation-outage.html",
                                     "fr/modules/listening.html", "fr/paths/front-line-onboarding.html",
                                     "fr/progress.html"])
def test_french_pages_pass_axe(page, site_url: str, address: str) -> None:
    page.goto(site_url + address)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert axe_violations(page) == []
