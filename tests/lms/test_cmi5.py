"""cmi5 packages launched by a test LMS of our own: every statement checked against the cmi5 rules."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from playbook.content import load_site

from ..browser_fixtures import (  # noqa: F401
    WAIT_MS,
    answer_checks,
    axe_violations,
    browser,
    complete_module,
    context,
    page,
    served,
)
from ..conftest import ROOT
from .cmi5_lms import VERBS, Cmi5Lms, Launch, handler, problems
from .lms_fixtures import make_packages, outside_requests

pytestmark = pytest.mark.browser

SITE = load_site(ROOT / "content")
LISTENING = SITE.module("listening")
ACTIVITY = "https://lms.test/activities/listening"
PUBLISHER = "urn:playbook:northwind-care:module:listening"


@pytest.fixture(scope="module")
def cmi5(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Cmi5Lms]]:
    root = tmp_path_factory.mktemp("cmi5-lms")
    make_packages(root, ROOT / "content", "cmi5")
    (root / "returned.html").write_text("<!DOCTYPE html><title>Back in the LMS</title><p>Back in the LMS</p>")
    lms = Cmi5Lms()
    with served(root, handler(lms)) as base:
        yield base, lms


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["id"].removeprefix(VERBS) for s in statements]


def start(page, cmi5, registration: str, mode: str = "Normal"):
    base, lms = cmi5
    url, launch = lms.launch_url(base, "pkg/module-listening/au-listening.html", ACTIVITY, PUBLISHER,
                                 registration, mode, mastery=0.8)
    page.goto(url)
    page.locator(".pb-lms__frame").wait_for()
    return launch, page.frame_locator(".pb-lms__frame")


def test_a_passed_and_completed_module_sends_the_cmi5_statements_in_order(page, cmi5) -> None:
    base, lms = cmi5
    outside = outside_requests(page.context, base)
    launch, site = start(page, cmi5, str(uuid.uuid4()))
    page.locator(".pb-lms__status", has_text="Recording to your learning system").wait_for()
    assert axe_violations(page) == []  # the launch page: its status bar and Finish button around the frame
    site.locator("input.pb-tick__box").first.check()
    complete_module(site, LISTENING)
    page.locator(".pb-lms__status", has_text="passed").wait_for()
    page.locator(".pb-lms__finish").click()
    page.wait_for_url(f"{base}returned.html")  # 10.2.6: back to the LMS's returnURL once terminated
    assert launch.ended.wait(WAIT_MS / 1000)
    assert verbs(launch.statements) == ["initialized", "passed", "completed", "terminated"]
    assert problems(launch) == []
    passed = launch.statements[1]["result"]
    assert passed["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100} and passed["success"] is True
    assert outside() == []


def test_a_failed_check_is_sent_when_the_learner_leaves_and_a_relaunch_resumes_and_passes(page, cmi5) -> None:
    _, lms = cmi5
    registration = str(uuid.uuid4())
    first, site = start(page, cmi5, registration)
    page.locator(".pb-lms__status", has_text="Recording").wait_for()
    site.locator("input.pb-tick__box").nth(1).check()
    answer_checks(site, LISTENING, wrong=2)
    page.locator(".pb-lms__status", has_text="not passed yet").wait_for()
    page.goto("about:blank")  # the learner closes the unit
    assert first.ended.wait(WAIT_MS / 1000)
    assert verbs(first.statements) == ["initialized", "failed", "terminated"]
    assert first.statements[1]["result"]["score"]["scaled"] == 0.33
    assert problems(first) == []

    # The next session of the same registration resumes the ticks, and may pass after a failure.
    second, site = start(page, cmi5, registration)
    boxes = site.locator("input.pb-tick__box")
    boxes.nth(1).wait_for()
    page.locator(".pb-lms__status", has_text="Recording").wait_for()
    assert [boxes.nth(n).is_checked() for n in range(3)] == [False, True, False]
    site.locator(".pb-quiz__retry").click()
    answer_checks(site, LISTENING)
    page.locator(".pb-lms__status", has_text="passed").wait_for()
    page.locator(".pb-lms__finish").click()
    assert second.ended.wait(WAIT_MS / 1000)
    assert verbs(second.statements) == ["initialized", "passed", "terminated"]
    assert problems(second, earlier=first.statements) == []
    assert first.fetches == second.fetches == 1


@pytest.mark.parametrize("answer_only", [False, True], ids=["not-stored-yet", "stored-answer-lost"])
def test_closing_the_unit_while_passed_is_on_its_way_still_stores_terminated_last(page, cmi5, answer_only) -> None:
    """A slow network holds "passed" when the learner closes the unit: it reaches the LRS after the page has gone,
    or it is stored and only the answer is late. Either way each statement is stored once, "terminated" last."""
    _, lms = cmi5
    launch, site = start(page, cmi5, str(uuid.uuid4()))
    page.locator(".pb-lms__status", has_text="Recording").wait_for()
    lms.hold("passed", answer_only=answer_only)
    answer_checks(site, LISTENING)
    assert lms.held.wait(WAIT_MS / 1000)
    page.goto("about:blank")
    assert launch.ended.wait(WAIT_MS / 1000)
    assert lms.release()
    with lms.lock:
        assert verbs(launch.statements) == ["initialized", "passed", "terminated"]
    assert problems(launch) == []


def test_browse_mode_sends_only_initialized_and_terminated(page, cmi5) -> None:
    launch, site = start(page, cmi5, str(uuid.uuid4()), mode="Browse")
    page.locator(".pb-lms__status", has_text="Browse mode").wait_for()
    complete_module(site, LISTENING)
    page.locator(".pb-lms__finish").click()
    assert launch.ended.wait(WAIT_MS / 1000)
    assert verbs(launch.statements) == ["initialized", "terminated"]
    assert problems(launch) == []


def test_opened_without_a_launch_the_unit_is_the_plain_site_and_says_it_is_not_recording(page, cmi5) -> None:
    base, _ = cmi5
    page.goto(f"{base}pkg/module-listening/au-listening.html")
    page.locator(".pb-lms__status", has_text="Not recording").wait_for()
    site = page.frame_locator(".pb-lms__frame")
    site.locator("input.pb-tick__box").first.check()
    assert axe_violations(page) == []
    assert page.evaluate("Object.keys(localStorage).some(key => key.startsWith('playbook:'))")


def test_a_launch_with_an_actor_that_is_not_an_agent_says_so_and_records_nothing(page, cmi5) -> None:
    base, lms = cmi5
    url, launch = lms.launch_url(base, "pkg/module-listening/au-listening.html", ACTIVITY, PUBLISHER,
                                 str(uuid.uuid4()))
    page.goto(url.replace("actor=", "actor=not-json", 1))
    page.locator(".pb-lms__status").filter(has_text="Not recording").wait_for()
    assert page.locator(".pb-lms__status").inner_text() == (
        "Not recording: the learning system launched this unit with an actor that is not an xAPI agent. The pages "
        "work as usual, and your ticks stay in this browser only.")
    page.frame_locator(".pb-lms__frame").locator("input.pb-tick__box").first.wait_for()
    assert (launch.fetches, launch.statements) == (0, [])


def test_the_test_lms_finds_statements_that_break_the_cmi5_rules() -> None:
    """The checker itself: a session with every kind of mistake is told each of them."""
    launch = Launch(ACTIVITY, PUBLISHER, "reg", "session-1", "token", "Normal", 0.8, fetches=2)
    bad = {"id": "not-a-uuid", "timestamp": "2026-01-01T10:00:00+01:00", "actor": {"name": "someone else"},
           "verb": {"id": VERBS + "passed"}, "object": {"id": "another"},
           "result": {"score": {"scaled": 0.5}, "success": True}, "context": {"registration": "other"}}
    launch.statements = [bad, {**bad, "id": str(uuid.uuid4()), "timestamp": "2025-12-31T10:00:00+01:00"}]
    found = problems(launch)
    for section in ("8.2:", "11.0:", "9.7: statements stored out", "9.3: the first statement", "9.3: the last statement", "9.3: a verb is duplicated",
                    "passed: 9.1:", "passed: 9.2:", "passed: 9.4:", "passed: 9.5.1: the scaled score",
                    "passed: 9.5.4:", "passed: 9.6.1:", "passed: 9.6.2:", "passed: 9.6.2.1:", "passed: 9.6.2.2:",
                    "passed: 9.6.3.1:", "passed: 9.6.3.2:", "passed: 9.7:"):
        assert any(problem.startswith(section) for problem in found), (section, found)
    again = problems(launch, earlier=[{"verb": {"id": VERBS + "passed"}}])
    assert any(problem.startswith("9.3: a second 'passed' in the registration") for problem in again)
