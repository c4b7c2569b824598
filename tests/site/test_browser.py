"""The built site in real headless Chromium: pages load cleanly, search works, phones fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.content import load_site

from ..browser_fixtures import WAIT_MS, _server, browser, built_site, context, page, site_url  # noqa: F401
from ..conftest import ROOT

pytestmark = pytest.mark.browser

PAGES = [
    "index.html",
    "modules/trust-and-respect.html",
    "checklists/complaint-call.html",
    "paths/front-line-onboarding.html",
    "roles/front-line.html",
    "outcomes/index.html",
    "outcomes/trust.html",
    "progress.html",
    "tags/index.html",
]


def _playbook_title() -> str:
    return load_site(ROOT / "content").playbook.title


def test_home_page_shows_title_and_tabs(page, site_url: str) -> None:
    response = page.goto(site_url + "index.html")
    assert response is not None and response.ok
    heading = page.locator("article h1, .md-content h1").first.inner_text()
    assert heading.replace("¶", "").strip() == _playbook_title()
    tabs = [text.strip() for text in page.locator(".md-tabs__link").all_inner_texts()]
    for expected in ["Modules", "Checklists", "Learning paths", "Roles", "Outcome matrix"]:
        assert expected in tabs, f"tab {expected!r} missing; tabs are {tabs}"
    assert page.locator(".md-tabs").is_visible()


def test_search_finds_the_listening_principle(page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    search = page.locator("input.md-search__input")
    search.click()
    # Material reacts to key events, so type rather than fill.
    search.press_sequentially("listen", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    assert results.count() >= 1
    links = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert any("modules/trust-and-respect.html" in link for link in links), links


def test_pages_have_no_console_or_page_errors(browser, site_url: str) -> None:
    context = browser.new_context()
    context.set_default_timeout(WAIT_MS)
    try:
        failures: list[str] = []
        for path in PAGES:
            tab = context.new_page()
            errors: list[str] = []
            tab.on("console", lambda message, errors=errors: errors.append(f"console: {message.text}")
                   if message.type == "error" else None)
            tab.on("pageerror", lambda error, errors=errors: errors.append(f"page error: {error}"))
            response = tab.goto(site_url + path, wait_until="networkidle")
            if response is None or not response.ok:
                errors.append(f"HTTP {response.status if response else 'no response'}")
            failures += [f"{path}: {error}" for error in errors]
            tab.close()
        assert failures == []
    finally:
        context.close()


def test_module_page_fits_a_phone(browser, site_url: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.set_default_timeout(WAIT_MS)
    try:
        tab = context.new_page()
        tab.goto(site_url + "modules/trust-and-respect.html", wait_until="networkidle")
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the module page is {width}px wide on a 375px screen"
        shot = tmp_path / "module-375.png"
        tab.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()
    data = shot.read_bytes()
    assert len(data) > 8 and data.startswith(b"\x89PNG\r\n\x1a\n")


def test_outcome_matrix_leads_from_each_outcome_to_its_principles(page, site_url: str) -> None:
    page.goto(site_url + "outcomes/index.html")
    outcomes = page.eval_on_selector_all(".md-content tbody tr td:first-child a", "links => links.map(a => a.textContent)")
    assert outcomes == ["Trust", "Respect"]
    page.click(".md-content tbody tr td:first-child a >> text=Respect")
    # Instant navigation changes the address before it swaps the page in: wait for the page itself.
    page.wait_for_function("(document.querySelector('.md-content h1') || {}).textContent?.startsWith('Respect')")
    # Each row: a module, the principles of it that build this outcome, and their action count.
    rows = page.eval_on_selector_all(
        ".md-content tbody tr", "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent.trim()))"
    )
    assert rows and all(len(row) == 3 and row[2].isdigit() for row in rows), rows
    page.click(".md-content tbody tr td:nth-child(2) a >> nth=0")
    page.wait_for_url("**/modules/*.html#*")
    page.wait_for_function("!!document.querySelector('.md-content .pb-quiz')")  # a module page, swapped in
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f".md-content h3[id='{anchor}']").count() == 1


def test_a_module_page_on_a_phone_starts_with_what_to_learn(browser, site_url: str) -> None:
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(WAIT_MS)
    try:
        tab = phone.new_page()
        site = load_site(ROOT / "content")
        for module in site.modules:
            tab.goto(site_url + f"modules/{module.id}.html", wait_until="networkidle")
            # Title, summary, time and roles, then the first thing to learn, all on the first screen.
            first_objective = tab.locator("#pb_objectives + ul > li").first.bounding_box()
            assert first_objective is not None and first_objective["y"] + first_objective["height"] <= 740, module.id
            # Who keeps the module comes after everything there is to learn and do.
            order = tab.evaluate("""() => {
                const about = document.getElementById('pb_about');
                if (!about) return [];
                return [...document.querySelectorAll('.md-content .pb-quiz, .md-content .pb-complete')].map(
                    part => Boolean(part.compareDocumentPosition(about) & Node.DOCUMENT_POSITION_FOLLOWING));
            }""")
            assert order == [True, True], module.id
            about = tab.locator("#pb_about ~ .pb-facts").inner_text()
            assert f"Owner: {module.owner}" in about and f"Revision: {module.revision}" in about, module.id
            # Roles are named once, on the "For:" line, not again as tags.
            role_links = tab.locator(".md-content article a[href*='roles/']").all_inner_texts()
            assert sorted(role_links) == sorted(site.role(role).title for role in module.roles), module.id
    finally:
        phone.close()
