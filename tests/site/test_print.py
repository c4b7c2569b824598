"""Printing site pages in real Chromium (print emulation and PDF): no navigation, sign-off lines."""

from __future__ import annotations

import re

import pytest

from playbook.content import load_site

from ..browser_fixtures import _server, browser, context, page, site_url  # noqa: F401
from ..conftest import ROOT

pytestmark = pytest.mark.browser

MODULE = "modules/trust-and-respect.html"
SITE = load_site(ROOT / "content")


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def test_a_checklist_prints_on_one_page_with_sign_off(page, site_url: str) -> None:
    page.goto(site_url + "checklists/complaint-call.html", wait_until="networkidle")
    page.emulate_media(media="print")
    assert page.locator(".pb-signoff").is_visible()
    complaint = next(checklist for checklist in SITE.checklists if checklist.id == "complaint-call")
    assert page.locator(".pb-signoff").inner_text().split() == [
        "Checklist", "completed:", *complaint.title.split(), "Name", "Date", "Signature"
    ]
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".pb-tally__reset", ".pb-print"):
        assert not page.locator(chrome).first.is_visible(), f"{chrome} shows in print"
    pdf = page.pdf(format="A4")
    assert _pdf_pages(pdf) == 1
    assert _pdf_pages(page.pdf(format="Letter")) == 1


def test_a_module_prints_without_navigation(page, site_url: str) -> None:
    page.goto(site_url + MODULE, wait_until="networkidle")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                   ".pb-complete", ".pb-quiz__retry"):
        assert not page.locator(chrome).first.is_visible(), f"{chrome} shows in print"
    assert page.locator(".pb-signoff").is_visible()
    assert _pdf_pages(page.pdf(format="A4")) >= 2
