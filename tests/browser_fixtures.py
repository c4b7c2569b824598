"""Real headless Chromium for the browser tests, and the default site built and served for it.

Needs Debian's Chromium at /usr/bin/chromium (never a Playwright browser
download). Without it the tests skip, except on CI (CI=true), where a
missing browser is a failure rather than a silent gap in coverage.
Import the fixtures into a test module with ``from .browser_fixtures import *``; the helpers
below them (tally, answer_checks, complete_module, axe_violations) read and work a learner page the same way in
every test module.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from playbook.site import build

from .conftest import ROOT, project_at

#: Debian's Chromium; PLAYBOOK_CHROMIUM names another build (GitHub's Ubuntu runners ship Google Chrome).
CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
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


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"Chromium not installed: apt-get install chromium (looked for {CHROMIUM})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; browser tests must run on CI (CI=true)", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(root: Path, handler: type[SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """``root`` on a local web server while the block runs; yields its address, ending in '/'."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # One Playwright per test module: a session-wide one trips over event loops other tests leave behind.
    require_chromium()
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


@pytest.fixture(scope="session")
def _server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The shipped content, built with the project's real mkdocs.yml and served on localhost.

    The server is bound first, so the site can be built with its address as
    ``site_url``, which Material's instant navigation needs.
    """
    require_chromium()
    root = tmp_path_factory.mktemp("browser")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root / "site")))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    shutil.copytree(ROOT / "content", root / "content")
    settings = (ROOT / "mkdocs.yml").read_text("utf-8")
    (root / "mkdocs.yml").write_text(settings + f"\nsite_url: {url}\n", "utf-8")
    build(project_at(root / "content", root / "site", root / "build"))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield root, url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def built_site(_server: tuple[Path, str]) -> Path:
    """The project folder of the served site (content/, mkdocs.yml, site/)."""
    return _server[0]


@pytest.fixture(scope="session")
def site_url(_server: tuple[Path, str]) -> str:
    """The address the built default site is served at."""
    return _server[1]


@pytest.fixture
def context(browser):
    """A fresh browser profile: empty storage, so no test sees another's ticks."""
    fresh = browser.new_context(accept_downloads=True)
    fresh.set_default_timeout(WAIT_MS)
    try:
        yield fresh
    finally:
        fresh.close()


@pytest.fixture
def page(context):
    return context.new_page()


def tally(page) -> str:
    """The first tick list's running count, as the learner reads it ("2 of 9 actions done")."""
    return page.locator(".pb-tally__count").first.inner_text()


def answer_checks(page, module, wrong: int = 0) -> None:
    """Answers every question of the module's knowledge check, the first `wrong` of them wrongly, checking each."""
    for n, check in enumerate(module.checks):
        question = page.locator(f"fieldset.pb-question[data-pb-question='{check.id}']")
        for choice in check.choices:
            if choice.correct != (n < wrong):
                question.locator(f"#pb-choice-{check.id}_{choice.id}").check()
                if n < wrong:
                    break
        question.locator(".pb-question__check").click()


def complete_module(page, module) -> None:
    """On the module's page: pass its check, acknowledge its revision and mark it complete."""
    answer_checks(page, module)
    page.locator(".pb-complete__ack").check()
    page.locator(".pb-complete__toggle").click()
    page.locator(".pb-complete__toggle[aria-pressed=true]").wait_for()


#: The WCAG 2.1 A and AA rules of axe-core.
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # Colours caught halfway through a transition (a button just clicked) are not the page's colours.
    page.evaluate("() => Promise.all(document.getAnimations().map(animation => animation.finished))")
    result = Axe().run(page, options=WCAG)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in result.response["violations"]
    ]
