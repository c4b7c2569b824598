"""The built site in real headless Chromium: pages load cleanly, search works, phones fit.

Needs Debian's Chromium at /usr/bin/chromium (never a Playwright browser
download). Without it these tests skip, except on CI (CI=true), where a
missing browser is a failure rather than a silent gap in coverage.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from playbook.build import Project, build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Milliseconds any single browser wait may take before the test fails.
WAIT_MS = 10_000

PAGES = [
    "index.html",
    "modules/trust-and-respect.html",
    "checklists/complaint-call.html",
    "paths/front-line-onboarding.html",
    "roles/front-line.html",
    "outcomes.html",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"Chromium not installed: apt-get install chromium (looked for {CHROMIUM})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; browser tests must run on CI (CI=true)", pytrace=False)
    pytest.skip(reason)


def _playbook_title() -> str:
    settings = yaml.safe_load((ROOT / "content" / "playbook.yml").read_text(encoding="utf-8"))
    title = settings.get("title") if isinstance(settings, dict) else None
    assert isinstance(title, str) and title, "content/playbook.yml has no title"
    return title


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped content, built with the project's real mkdocs.yml and served over HTTP."""
    _require_chromium()
    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    build(Project.at(root / "content", root / "site", root / "build"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    context.set_default_timeout(WAIT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_home_page_shows_title_and_tabs(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(site_url + "index.html")
    assert response is not None and response.ok
    heading = page.locator("article h1, .md-content h1").first.inner_text()
    assert heading.replace("¶", "").strip() == _playbook_title()
    tabs = [text.strip() for text in page.locator(".md-tabs__link").all_inner_texts()]
    for expected in ["Modules", "Checklists", "Learning paths", "Roles", "Outcome matrix"]:
        assert expected in tabs, f"tab {expected!r} missing; tabs are {tabs}"
    assert page.locator(".md-tabs").is_visible()


def test_search_finds_the_listening_principle(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
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


def test_pages_have_no_console_or_page_errors(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
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


def test_module_page_fits_a_phone(browser, site_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
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


def test_outcome_matrix_lists_actions_under_each_outcome(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "outcomes.html")
    # The rows between each h2 and the next, keyed by the heading's text.
    rows = page.evaluate(
        """() => {
            const found = {};
            for (const h2 of document.querySelectorAll("article h2, .md-content h2")) {
                const name = h2.textContent.replace("¶", "").trim();
                const actions = [];
                for (let el = h2.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
                    for (const row of el.querySelectorAll("tbody tr")) {
                        const cell = row.querySelector("td");
                        if (cell && cell.textContent.trim()) actions.push(cell.textContent.trim());
                    }
                }
                found[name] = actions;
            }
            return found;
        }"""
    )
    for outcome in ["Trust", "Respect"]:
        assert rows.get(outcome), f"no actions under {outcome!r}; headings and rows: {rows}"
