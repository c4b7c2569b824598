"""Ticks in real Chromium: they stay through reloads and page changes, under stable keys, show the day
they were made, and a list cleared by mistake comes back with Undo."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from playbook.content import load_site

from ..browser_fixtures import _server, axe_violations, browser, context, page, site_url, tally  # noqa: F401
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


# --- When each tick was made, and clearing that can be undone ---------------------------------------------

def stored_ticks(page) -> dict[str, object]:
    """The ticks this browser keeps for the site, as playbook.js stored them."""
    return page.evaluate("""() => {
        const site = new URL('..', document.querySelector('script[src*="playbook.js"]').src).pathname;
        return (JSON.parse(localStorage.getItem('playbook:' + site)) || {ticks: {}}).ticks;
    }""")


def store_ticks(page, ticks: dict[str, object]) -> None:
    page.evaluate("""ticks => {
        const site = new URL('..', document.querySelector('script[src*="playbook.js"]').src).pathname;
        localStorage.setItem('playbook:' + site, JSON.stringify({version: 1, ticks: ticks, complete: {}}));
    }""", ticks)


def action_keys(module, count: int) -> list[str]:
    return [module.action_key(principle, action) for principle in module.principles for action in principle.actions][:count]


def box(page, key: str):
    return page.locator(f"input.pb-tick__box[data-pb-key='{key}']")


def test_a_tick_shows_the_day_it_was_made(browser, site_url: str) -> None:
    fresh = browser.new_context()
    try:
        fresh.clock.set_fixed_time(dt.datetime(2026, 3, 5, 12))
        tab = fresh.new_page()
        tab.goto(site_url + MODULE)
        first, second = action_keys(TRUST, 2)
        box(tab, first).check()
        assert stored_ticks(tab) == {first: "2026-03-05"}
        # Beside the label, in the site's locale, and the box's description for screen readers.
        date = tab.locator("li.pb-tick", has=box(tab, first)).locator(".pb-tick__date")
        expect(date).to_have_text("Ticked 5 March 2026")
        expect(box(tab, first)).to_have_accessible_description("Ticked 5 March 2026")
        assert axe_violations(tab) == []
        box(tab, first).uncheck()
        expect(date).to_be_hidden()
        expect(box(tab, first)).to_have_accessible_description("")
        # A tick stored without its day (true) still counts, and shows no day.
        store_ticks(tab, {second: True})
        tab.reload()
        assert box(tab, second).is_checked()
        assert tally(tab) == f"1 of {ACTIONS} actions done"
        expect(tab.locator("li.pb-tick", has=box(tab, second)).locator(".pb-tick__date")).to_be_hidden()
    finally:
        fresh.close()


def test_clearing_a_list_can_be_undone_with_the_exact_ticks(page, site_url: str) -> None:
    page.goto(site_url + MODULE)
    first, second = action_keys(TRUST, 2)
    elsewhere = action_keys(SITE.module("listening"), 1)[0]
    ticks = {first: "2026-01-10", second: True, elsewhere: "2026-02-01"}
    store_ticks(page, ticks)
    page.reload()
    note = page.locator(".pb-tally__note").first
    assert note.get_attribute("role") == "status"  # announced politely, without moving the focus
    page.locator(".pb-tally__reset").first.click()
    assert tally(page) == f"0 of {ACTIONS} actions done"
    assert stored_ticks(page) == {elsewhere: "2026-02-01"}  # other lists keep theirs
    expect(note).to_have_text("Cleared 2 ticks. Undo")
    assert axe_violations(page) == []
    page.reload()
    assert page.locator("input.pb-tick__box:checked").count() == 0  # cleared for good unless undone

    store_ticks(page, ticks)
    page.reload()
    page.locator(".pb-tally__reset").first.click()
    box(page, first).check()  # ticked again after clearing: Undo still puts back the day it was first ticked
    page.locator(".pb-tally__undo").click()
    assert stored_ticks(page) == ticks
    expect(note).to_have_text("Put back 2 ticks.")
    assert tally(page) == f"2 of {ACTIONS} actions done"
    expect(page.locator("li.pb-tick", has=box(page, first)).locator(".pb-tick__date")).to_have_text(
        "Ticked 10 January 2026")


def test_clearing_and_undo_by_keyboard(page, site_url: str) -> None:
    page.goto(site_url + MODULE)
    first, = action_keys(TRUST, 1)
    store_ticks(page, {first: "2026-01-10"})
    page.reload()
    page.locator(".pb-tally__reset").first.focus()
    page.keyboard.press("Enter")
    assert tally(page) == f"0 of {ACTIONS} actions done"
    page.keyboard.press("Tab")  # Undo comes next
    assert page.evaluate("document.activeElement.textContent") == "Undo"
    page.keyboard.press("Enter")
    assert tally(page) == f"1 of {ACTIONS} actions done"
    # The Undo button is gone with its note; the keyboard is back on the button it started from.
    assert page.evaluate("document.activeElement.classList.contains('pb-tally__reset')")
    assert page.locator(".pb-tally__note").first.inner_text() == "Put back 1 tick."
    page.keyboard.press("Enter")
    expect(page.locator(".pb-tally__note").first).to_have_text("Cleared 1 tick. Undo")
    page.locator(".pb-tally__reset").first.click()  # clearing an empty list keeps the offer to undo
    expect(page.locator(".pb-tally__note").first).to_have_text("Cleared 1 tick. Undo")
