"""Printing site pages in real Chromium (print emulation and PDF): a readable size, no navigation and
nothing that only works on a screen, sign-off lines, and the checklist's one-page sheet."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from playbook.content import load_site

from ..browser_fixtures import _server, browser, context, page, site_url  # noqa: F401
from ..conftest import ROOT

pytestmark = pytest.mark.browser

MODULE = "modules/trust-and-respect.html"
SITE = load_site(ROOT / "content")
COMPLAINT = next(checklist for checklist in SITE.checklists if checklist.id == "complaint-call")
#: A page of each kind that has things only a screen can use.
PRINTED = {
    "module": "modules/listening.html",
    "checklist": f"checklists/{COMPLAINT.id}.html",
    "path": "paths/front-line-onboarding.html",
    "progress": "progress.html",
}
#: Material's chrome: navigation, search, the way back to the top.
CHROME = (".md-header", ".md-tabs", ".md-search", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
          ".md-top")


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def test_a_checklist_prints_on_one_page_with_sign_off(page, site_url: str) -> None:
    page.goto(site_url + "checklists/complaint-call.html", wait_until="networkidle")
    page.emulate_media(media="print")
    assert page.locator(".pb-signoff").is_visible()
    assert page.locator(".pb-signoff").inner_text().split() == [
        "Checklist", "completed:", *COMPLAINT.title.split(), "Name", "Date", "Signature"
    ]
    pdf = page.pdf(format="A4")
    assert _pdf_pages(pdf) == 1
    assert _pdf_pages(page.pdf(format="Letter")) == 1


def test_a_module_prints_with_sign_off(page, site_url: str) -> None:
    page.goto(site_url + MODULE, wait_until="networkidle")
    page.emulate_media(media="print")
    assert page.locator(".pb-signoff").is_visible()
    # On paper "Finish the module" is where the learner signs, not a heading over nothing.
    after_finish = page.evaluate("""() => {
        let next = document.getElementById('pb_finish').nextElementSibling;
        while (next && getComputedStyle(next).display === 'none') next = next.nextElementSibling;
        return next && next.className;
    }""")
    assert after_finish == "pb-signoff"
    assert _pdf_pages(page.pdf(format="A4")) >= 2


@pytest.mark.parametrize("kind", list(PRINTED))
def test_a_printed_page_is_readable_and_leaves_out_what_only_works_on_a_screen(page, site_url: str,
                                                                              kind: str) -> None:
    # A day when the listening module's "New" badge shows on screen.
    listening = SITE.module("listening")
    assert listening.added is not None
    page.context.clock.set_fixed_time(dt.datetime.combine(listening.added + dt.timedelta(days=1), dt.time(12)))
    page.goto(site_url + PRINTED[kind], wait_until="networkidle")
    assert page.locator(".pb-web-only >> visible=true").count() > 0  # on screen, they are there
    page.emulate_media(media="print")
    points = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article.md-typeset')).fontSize)") * 72 / 96
    assert 11 <= points <= 12, f"body text prints at {points:.1f} pt"
    for hidden in (".pb-web-only", "button", ".pb-badge", ".pb-tag", *CHROME):
        assert page.locator(f"{hidden} >> visible=true").count() == 0, f"{hidden} shows in print"
    assert "this browser" not in page.locator(".md-content").inner_text()


def test_the_print_button_of_a_checklist_opens_its_one_page_sheet(page, site_url: str) -> None:
    page.goto(site_url + PRINTED["checklist"])
    page.get_by_role("link", name="Print this checklist").click()
    page.wait_for_url(f"**/downloads/checklist-{COMPLAINT.id}.html")
    expect(page.locator("h1")).to_have_text(COMPLAINT.title)
    page.emulate_media(media="print")
    assert _pdf_pages(page.pdf(format="A4")) == 1
    assert _pdf_pages(page.pdf(format="Letter")) == 1
