"""The learner's side of the site, in real Chromium: knowledge checks, completion and path
progress, moving progress between devices, finding things, keyboard use, accessibility
(axe-core, WCAG 2.1 A/AA) and the offline copy. Ticks are in test_ticks.py, print in test_print.py."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from playbook.content import load_site
from playbook.site import offline

from ..browser_fixtures import (  # noqa: F401
    _server,
    answer_checks,
    axe_violations,
    browser,
    built_site,
    complete_module,
    context,
    page,
    site_url,
    tally,
)
from ..conftest import ROOT, project_at

pytestmark = pytest.mark.browser

MODULE = "modules/trust-and-respect.html"
SITE = load_site(ROOT / "content")
TRUST = SITE.module("trust-and-respect")
ACTIONS = sum(len(principle.actions) for principle in TRUST.principles)
#: One page of every kind.
PAGE_KINDS = {
    "home": "index.html",
    "module": MODULE,
    "checklist": "checklists/complaint-call.html",
    "path": "paths/front-line-onboarding.html",
    "role": "roles/front-line.html",
    "outcome matrix": "outcomes/index.html",
    "outcome": "outcomes/trust.html",
    "progress": "progress.html",
    "tags": "tags/index.html",
    "theme": "tags/listening.html",
}


# --- Knowledge checks ---------------------------------------------------------------------

def test_knowledge_check_feedback_score_and_retry(page, site_url: str) -> None:
    page.goto(site_url + MODULE)
    check = TRUST.checks[0]
    question = page.locator("fieldset.pb-question").first
    assert question.locator("legend").inner_text().startswith(f"Question 1 of {len(TRUST.checks)}:")
    wrong = next(choice for choice in check.choices if not choice.correct)
    right = next(choice for choice in check.choices if choice.correct)

    question.locator(".pb-question__check").click()
    assert question.locator(".pb-question__feedback").inner_text() == "Choose an answer first."

    question.locator(f"#pb-choice-{check.id}_{wrong.id}").check()
    question.locator(".pb-question__check").click()
    feedback = question.locator(".pb-question__feedback")
    assert feedback.inner_text().startswith("Not quite.")
    assert feedback.get_attribute("role") == "status"  # announced by screen readers
    assert question.locator(".pb-choice--wrong .pb-choice__why").is_visible()
    assert page.locator(".pb-quiz__score").inner_text() == (
        f"Score: 0 of {len(TRUST.checks)} right ({len(TRUST.checks) - 1} still to answer)."
    )

    question.locator(f"#pb-choice-{check.id}_{right.id}").check()
    question.locator(".pb-question__check").click()
    assert feedback.inner_text().startswith("Right.")
    assert axe_violations(page) == []

    page.locator(".pb-quiz__retry").click()
    assert feedback.inner_text() == ""
    assert question.locator("input:checked").count() == 0
    assert page.locator(".pb-quiz__score").inner_text() == ""


# --- Progress -------------------------------------------------------------------------------------

def test_completing_a_module_moves_the_path_and_progress(page, site_url: str) -> None:
    path = next(p for p in SITE.paths if p.id == "front-line-onboarding")
    page.goto(site_url + "paths/front-line-onboarding.html")
    assert page.locator(".pb-path__summary").inner_text() == f"0 of {len(path.steps)} modules complete"
    first_step = page.locator(".pb-flow__step").first
    assert first_step.locator(".pb-flow__number").inner_text() == f"Step 1 of {len(path.steps)}"

    page.goto(site_url + f"modules/{path.steps[0].module}.html")
    complete_module(page, SITE.module(path.steps[0].module))
    assert page.locator(".pb-complete__toggle").get_attribute("aria-pressed") == "true"
    assert page.locator(".pb-complete__status").inner_text().startswith("Completed ")

    page.goto(site_url + "paths/front-line-onboarding.html")
    assert page.locator(".pb-path__summary").inner_text() == f"1 of {len(path.steps)} modules complete"
    assert page.locator(".pb-bar").first.get_attribute("aria-valuenow") == "1"
    assert page.locator(".pb-flow__step").first.get_attribute("data-pb-status") == "done"

    page.goto(site_url + "progress.html")
    assert page.locator(".pb-progress__summary").inner_text() == f"1 of {len(SITE.modules)} modules complete"


def test_an_older_revision_counts_as_outdated(page, site_url: str) -> None:
    page.goto(site_url + "progress.html")
    page.evaluate(
        """key => { localStorage.setItem(key, JSON.stringify({version: 1, ticks: {},
            complete: {"trust-and-respect": {date: "2026-01-05", revision: 0}}})); }""",
        page.evaluate("'playbook:' + new URL('..', document.querySelector('script[src*=\"playbook.js\"]').src).pathname"),
    )
    page.reload()
    status = page.locator(".pb-progress__status[data-pb-module='trust-and-respect']")
    assert status.get_attribute("data-pb-status") == "outdated"


def test_progress_moves_to_another_device(browser, site_url: str, tmp_path: Path) -> None:
    first = browser.new_context(accept_downloads=True)
    try:
        tab = first.new_page()
        tab.goto(site_url + MODULE)
        tab.locator("input.pb-tick__box").nth(1).check()
        complete_module(tab, TRUST)
        tab.goto(site_url + "progress.html")
        with tab.expect_download() as download:
            tab.locator(".pb-progress__export").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert "Saved 1 ticks and 1 completed modules" in tab.locator(".pb-progress__message").inner_text()
    finally:
        first.close()
    data = json.loads(saved.read_text("utf-8"))
    assert data["format"] == "playbook-progress" and list(data["complete"]) == ["trust-and-respect"]

    second = browser.new_context()
    try:
        tab = second.new_page()
        tab.goto(site_url + "progress.html")
        bogus = tmp_path / "notes.json"
        bogus.write_text('{"hello": 1}', "utf-8")
        tab.locator("#pb-import").set_input_files(str(bogus))
        message = tab.locator(".pb-progress__message")
        message.filter(has_text="not a playbook progress file").wait_for()
        tab.locator("#pb-import").set_input_files(str(saved))
        message.filter(has_text="Loaded 1 ticks and 1 completed modules").wait_for()
        assert tab.locator(".pb-progress__summary").inner_text() == f"1 of {len(SITE.modules)} modules complete"
        tab.goto(site_url + MODULE)
        assert tab.locator("input.pb-tick__box").nth(1).is_checked()
    finally:
        second.close()


# --- Finding things --------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [("listen", "modules/listening.html"),
                                                 ("ransomware", "modules/care-like-a-parent.html"),
                                                 ("road map", "modules/guiding-new-customers.html")])
def test_search_finds_the_content(page, site_url: str, query: str, expected: str) -> None:
    page.goto(site_url + "index.html")
    page.keyboard.press("/")
    page.keyboard.type(query, delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    links = page.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.href)")
    assert any(expected in link for link in links), links


def test_module_titles_rank_first_in_search(page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    page.keyboard.press("/")
    page.keyboard.type("feel important", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    first = page.locator(".md-search-result__item > a").first.get_attribute("href")
    assert "modules/making-clients-feel-important.html" in first


def test_new_and_updated_badges_follow_the_dates(browser, site_url: str) -> None:
    listening = SITE.module("listening")
    assert listening.added is not None
    for day, visible in ((listening.added + dt.timedelta(days=3), True),
                         (listening.added + dt.timedelta(days=SITE.playbook.badge_days + 1), False)):
        fresh = browser.new_context()
        try:
            fresh.clock.set_fixed_time(dt.datetime.combine(day, dt.time(12)))
            fresh.add_init_script("""window.__layout_shift = 0;
                new PerformanceObserver(list => list.getEntries().forEach(entry => {
                    // The page's content: Material's language menu in the header shifts by itself (a known issue).
                    const inContent = entry.sources.some(source => source.node && source.node.closest &&
                                                                   source.node.closest(".md-content"));
                    if (!entry.hadRecentInput && inContent) window.__layout_shift += entry.value;
                })).observe({type: "layout-shift", buffered: true});""")
            tab = fresh.new_page()
            tab.goto(site_url + "modules/listening.html")
            assert tab.locator(".pb-badge--new").is_visible() is visible, day
            # Showing it or not moves nothing on the page: no layout shift while the page loads and decides.
            tab.wait_for_load_state("load")
            tab.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            assert tab.evaluate("window.__layout_shift") == 0, day
        finally:
            fresh.close()


def test_theme_tag_pages_list_their_modules(page, site_url: str) -> None:
    page.goto(site_url + "tags/index.html")
    page.locator("article a", has_text="Listening").first.click()
    page.wait_for_url("**/tags/listening.html")
    # Instant navigation changes the address before it swaps the page in: wait for the tag page itself.
    expect(page.locator("article h1")).to_have_text(re.compile("Theme: listening"))
    titles = page.locator("article li > a").all_inner_texts()
    expected = [m.title for m in SITE.modules if "listening" in m.themes]
    assert [t for t in titles if t in expected] == expected


# --- Keyboard, accessibility, phones ----------------------------------------------------------------

def test_every_control_is_reachable_and_works_by_keyboard(page, site_url: str) -> None:
    page.goto(site_url + MODULE)
    # Number every control; radio buttons count once per question (arrow keys move within a group).
    wanted = page.evaluate(
        """() => {
            const controls = [...document.querySelectorAll(
                '.pb-tick__box, .pb-tally__reset, .pb-question__check, .pb-quiz__retry, .pb-complete__ack, ' +
                '.pb-complete__toggle, .pb-person__input, .pb-person__save')]
                .concat([...document.querySelectorAll('.pb-question')].map(q => q.querySelector('input')));
            controls.forEach((control, n) => control.setAttribute('data-kb', String(n)));
            return controls.map((control, n) => String(n));
        }"""
    )
    reached = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.getAttribute('data-kb')"))
        if set(wanted) <= reached:
            break
    assert set(wanted) <= reached, f"{len(set(wanted) - reached)} controls never got the focus"
    # Operate them: Space ticks a box, Enter presses a button.
    page.locator("input.pb-tick__box").first.focus()
    page.keyboard.press("Space")
    assert tally(page) == f"1 of {ACTIONS} actions done"
    page.locator("fieldset.pb-question input").first.focus()
    page.keyboard.press("Space")
    page.locator("fieldset.pb-question .pb-question__check").first.focus()
    page.keyboard.press("Enter")
    assert page.locator(".pb-question__feedback").first.inner_text() != ""
    answer_checks(page, TRUST)
    page.locator(".pb-complete__ack").focus()
    page.keyboard.press("Space")
    page.locator(".pb-complete__toggle").focus()
    page.keyboard.press("Enter")
    assert page.locator(".pb-complete__toggle").get_attribute("aria-pressed") == "true"
    page.locator(".pb-person__input").focus()
    page.keyboard.type("ana")
    page.keyboard.press("Enter")
    expect(page.locator(".pb-person__message")).to_have_text("Saved: your receipts will carry the id ana.")


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_wcag_violations(page, site_url: str, kind: str) -> None:
    page.goto(site_url + PAGE_KINDS[kind], wait_until="networkidle")
    assert axe_violations(page) == []


def test_no_wcag_violations_with_search_open(page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    page.keyboard.press("/")
    page.keyboard.type("listen", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    assert axe_violations(page) == []


def test_no_wcag_violations_in_the_dark_scheme(browser, site_url: str) -> None:
    dark = browser.new_context(color_scheme="dark")
    try:
        tab = dark.new_page()
        tab.goto(site_url + MODULE, wait_until="networkidle")
        assert tab.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        assert axe_violations(tab) == []
    finally:
        dark.close()


@pytest.mark.parametrize("kind", ["home", "module", "checklist", "path", "progress"])
def test_pages_fit_a_375px_phone(browser, site_url: str, kind: str, tmp_path: Path) -> None:
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        tab = phone.new_page()
        tab.goto(site_url + PAGE_KINDS[kind], wait_until="networkidle")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375
        if kind == "module":
            tab.locator("input.pb-tick__box").first.tap()  # touch works too
            assert tally(tab) == f"1 of {ACTIONS} actions done"
        tab.screenshot(path=str(tmp_path / f"{kind}-375.png"), full_page=True)
    finally:
        phone.close()


# --- Print ---------------------------------------------------------------------------------------------------

# --- Offline ---------------------------------------------------------------------------------------------------

def test_a_site_opened_from_disk_says_why_search_is_off(browser, built_site: Path) -> None:
    reader = browser.new_context()
    try:
        tab = reader.new_page()
        tab.goto((built_site / "site" / "index.html").as_uri())
        note = tab.locator(".pb-offline-note")
        assert note.get_attribute("role") == "note"
        assert "make serve" in note.inner_text() and "site-offline.zip" in note.inner_text()
        assert axe_violations(tab) == []
        # Everything but search works from disk: the learner tools start although Material's document$ does not.
        tab.goto((built_site / "site" / MODULE).as_uri())
        tab.locator("input.pb-tick__box").first.check()
        tab.reload()
        assert tab.locator("input.pb-tick__box").first.is_checked()
        assert tab.locator(".pb-tally__count").first.inner_text().startswith("1 of ")
    finally:
        reader.close()


def test_the_offline_zip_works_from_disk(browser, built_site: Path, tmp_path: Path) -> None:
    zip_path = tmp_path / "playbook-offline.zip"
    offline(project_at(built_site / "content", staging_dir=tmp_path / "stage"), zip_path)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "unzipped")
        names, size = archive.namelist(), sum(info.file_size for info in archive.infolist())
    # Only what the English and French sites read from disk load: no source maps, no other languages' search scripts.
    assert sorted(name for name in names if name.endswith(".map") or "/lunr/" in name) == [
        "playbook-offline/fr/assets/javascripts/lunr/min/lunr.fr.min.js",
        "playbook-offline/fr/assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
    ]
    assert size < 2_000_000 * 2  # each language's tree carries its own copy of the theme
    index = tmp_path / "unzipped" / "playbook-offline" / "index.html"
    assert index.is_file()

    reader = browser.new_context()
    try:
        tab = reader.new_page()
        problems: list[str] = []
        tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        tab.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
        tab.goto(index.as_uri())
        assert tab.locator(".pb-offline-note").count() == 0  # search works here: nothing to explain
        tab.keyboard.press("/")
        tab.keyboard.type("listen", delay=20)
        tab.locator(".md-search-result__item").first.wait_for()
        tab.goto((index.parent / MODULE).as_uri())
        tab.locator("input.pb-tick__box").first.check()
        tab.reload()
        assert tab.locator("input.pb-tick__box").first.is_checked()
        assert problems == []
    finally:
        reader.close()


def test_the_offline_zip_is_reproducible(built_site: Path, tmp_path: Path) -> None:
    project = project_at(built_site / "content", staging_dir=tmp_path / "stage")
    offline(project, tmp_path / "one" / "site.zip")
    offline(project, tmp_path / "two" / "site.zip")
    assert (tmp_path / "one" / "site.zip").read_bytes() == (tmp_path / "two" / "site.zip").read_bytes()


def test_the_offline_zip_is_scanned_for_private_data(built_site: Path, tmp_path: Path) -> None:
    from playbook.errors import Refused

    content = tmp_path / "content"
    import shutil

    shutil.copytree(built_site / "content", content)
    module = content / "modules" / "listening.yml"
    module.write_text(module.read_text("utf-8").replace("summary: |\n", "summary: |\n  Ask ben.example@example.org.\n", 1))
    with pytest.raises(Refused, match="contains the email address ben.example@example.org"):
        offline(project_at(content, staging_dir=tmp_path / "stage"), tmp_path / "leak.zip")
    assert not (tmp_path / "leak.zip").exists()
