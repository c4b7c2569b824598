"""Ticks in real Chromium: they stay through reloads and page changes, under stable keys."""

from __future__ import annotations

import pytest

from playbook.content import load_site

from ..browser_fixtures import _server, browser, context, page, site_url, tally  # noqa: F401
from ..conftest import ROOT

pytestmark = pytest.mark.browser

MODULE = "modules/trust-and-respect.html"
SITE = load_site(ROOT / "content")
TRUST = SITE.module("trust-and-respect")
ACTIONS = sum(len(principle.actions) for principle in TRUST.principles)


def test_ticks_survive_a_reload(page, site_url: str) -> None:
    page.goto(site_url + MODULE)
    assert tally(page) == f"0 of {ACTIONS} actions done"
    boxes = page.locator("input.pb-tick__box")
    boxes.nth(0).check()
    boxes.nth(2).click()
    assert tally(page) == f"2 of {ACTIONS} actions done"
    page.reload()
    assert page.locator("input.pb-tick__box").nth(0).is_checked()
    assert page.locator("input.pb-tick__box").nth(2).is_checked()
    assert tally(page) == f"2 of {ACTIONS} actions done"
    page.locator(".pb-tally__reset").first.click()
    assert tally(page) == f"0 of {ACTIONS} actions done"
    page.reload()
    assert page.locator("input.pb-tick__box:checked").count() == 0


def test_ticks_are_stored_under_stable_keys(page, site_url: str) -> None:
    page.goto(site_url + MODULE)
    first = TRUST.principles[0]
    page.locator(f"[id=\"pb-tick-trust-and-respect_{first.id}_{first.actions[0].id}\"]").check()
    stored = page.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert f"trust-and-respect/{first.id}/{first.actions[0].id}" in stored


def test_ticks_survive_instant_navigation(page, site_url: str) -> None:
    page.goto(site_url + MODULE)
    page.locator("input.pb-tick__box").first.check()
    page.evaluate("window.__stillTheSameDocument = true")
    page.locator(".md-tabs__link", has_text="Checklists").click()
    page.wait_for_url("**/checklists/index.html")
    page.locator(".md-tabs__link", has_text="Modules").click()
    page.wait_for_url("**/modules/index.html")
    page.locator("article a", has_text=TRUST.title).first.click()
    page.wait_for_url("**/" + MODULE)
    assert page.evaluate("window.__stillTheSameDocument === true"), "navigation reloaded the page"
    assert page.locator("input.pb-tick__box").first.is_checked()
    assert tally(page) == f"1 of {ACTIONS} actions done"


def test_situational_checklist_ticks_and_labels(page, site_url: str) -> None:
    page.goto(site_url + "checklists/complaint-call.html")
    boxes = page.locator("input.pb-tick__box")
    total = boxes.count()
    complaint = next(checklist for checklist in SITE.checklists if checklist.id == "complaint-call")
    assert total == sum(len(section.items) for section in complaint.sections)
    for index in range(total):
        box_id = boxes.nth(index).get_attribute("id")
        assert page.locator(f"label[for='{box_id}']").inner_text().strip(), f"checkbox {box_id} has no label"
    page.get_by_label(page.locator(f"label[for='{boxes.nth(1).get_attribute('id')}']").inner_text()).check()
    assert tally(page) == f"1 of {total} items done"
    page.reload()
    assert boxes.nth(1).is_checked()
