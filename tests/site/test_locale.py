"""Dates in real Chromium follow the site's language, whatever the browser's: the team's ``locale``
(playbook.yml), else the page's <html lang> (theme.language in mkdocs.yml)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from playbook.content import load_site
from playbook.site import build

from ..browser_fixtures import WAIT_MS, _server, browser, complete_module, site_url  # noqa: F401
from ..conftest import DEFAULT_CONTENT, FIXTURE_CONTENT, project_at

pytestmark = pytest.mark.browser

#: The day every test completes its module on.
DAY = dt.datetime(2026, 3, 5, 12)


def american_browser(browser):
    """A browser set up for the United States, on a fixed day."""
    american = browser.new_context(locale="en-US")
    american.set_default_timeout(WAIT_MS)
    american.clock.set_fixed_time(DAY)
    return american


def test_dates_follow_the_sites_locale_not_the_browsers(browser, site_url: str) -> None:
    american = american_browser(browser)
    try:
        tab = american.new_page()
        tab.goto(site_url + "modules/listening.html")
        assert tab.evaluate("navigator.language") == "en-US"
        listening = load_site(DEFAULT_CONTENT).module("listening")
        complete_module(tab, listening)
        # The default playbook is British English (locale: en-GB), its pages' language plain 'en'.
        assert tab.locator(".pb-complete__status").inner_text() == (
            f"Completed 5 March 2026 (revision {listening.revision}, score 100%).")
        tab.goto(site_url + "progress.html")
        status = tab.locator(".pb-progress__status[data-pb-module='listening']")
        assert status.inner_text() == "Completed 5 March 2026"
        tab.goto(site_url + "paths/front-line-onboarding.html")
        step = tab.locator(".pb-flow__step[data-pb-module='listening'] .pb-flow__status")
        assert step.inner_text() == "Completed 5 March 2026"
    finally:
        american.close()


def test_without_a_locale_dates_follow_the_page_language(browser, tmp_path: Path) -> None:
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_text("theme:\n  language: de\n", "utf-8")
    build(project_at(tmp_path / "content"))
    american = american_browser(browser)
    try:
        tab = american.new_page()
        tab.goto((tmp_path / "site" / "modules" / "listening.html").as_uri())
        assert tab.evaluate("document.documentElement.lang") == "de"
        listening = load_site(FIXTURE_CONTENT).module("listening")
        complete_module(tab, listening)
        assert tab.locator(".pb-complete__status").inner_text() == (
            f"Completed 5. März 2026 (revision {listening.revision}, score 100%).")
    finally:
        american.close()
