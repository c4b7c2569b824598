"""SCORM 1.2 packages in a real LMS runtime: scorm-again as the API, each package launched in a frame."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from playbook.content import load_site

from ..browser_fixtures import answer_checks, browser, complete_module, context, page  # noqa: F401
from ..conftest import ROOT
from .lms_fixtures import outside_requests, scorm_lms  # noqa: F401

pytestmark = pytest.mark.browser

SITE = load_site(ROOT / "content")
LISTENING = SITE.module("listening")


def mastery_score(folder: Path) -> str:
    """The manifest's mastery score, which an LMS hands the package as cmi.student_data.mastery_score."""
    found = ElementTree.parse(folder / "imsmanifest.xml").find(".//{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore")
    return "" if found is None else found.text


def launch(page, base: str, package: str, previous: dict | None = None):
    """Opens the test LMS on ``package`` (resuming what ``previous`` recorded) until the launch page records."""
    page.add_init_script(f"window.previous = {json.dumps(previous)};")
    page.goto(f"{base}host.html?pkg={package}")
    launcher = page.frame_locator("#sco")
    launcher.locator(".pb-lms__status", has_text="Recording to your learning system").wait_for()
    return launcher, launcher.frame_locator(".pb-lms__frame")


def calls(page, name: str) -> int:
    return page.evaluate("name => count(name)", name)


def recorded(page) -> dict:
    """What the runtime holds, as an LMS would store it."""
    return page.evaluate("recorded()")["cmi"]


def wait_for_status(page, status: str) -> dict:
    page.wait_for_function("status => API.cmi.core.lesson_status === status", arg=status)
    return recorded(page)


def first_launch(packages: dict[str, Path], name: str) -> dict:
    """What an LMS loads before a first launch: the manifest's mastery score."""
    return {"cmi": {"student_data": {"mastery_score": mastery_score(packages[name])}}}


def test_a_failed_check_is_recorded_as_failed_with_its_score_and_the_session_ends_once(page, scorm_lms) -> None:
    base, packages = scorm_lms
    outside = outside_requests(page.context, base)
    launcher, site = launch(page, base, "module-listening", first_launch(packages, "module-listening"))
    assert page.evaluate("API.cmi.core.lesson_status") == "incomplete"
    answer_checks(site, LISTENING, wrong=2)
    cmi = wait_for_status(page, "failed")
    assert cmi["core"]["score"] == {"raw": "33", "min": "0", "max": "100"}
    launcher.locator(".pb-lms__finish").click()
    launcher.locator(".pb-lms__status", has_text="Finished").wait_for()
    cmi = recorded(page)
    assert (calls(page, "LMSInitialize"), calls(page, "LMSFinish")) == (1, 1)
    # What the package sent, once, in SCORM 1.2's HHHH:MM:SS.SS; scorm-again stores it with whole seconds
    # shortened ("00:00:01"), so the stored copy is not the place to check the format.
    sent = page.evaluate("calls.filter(call => call[1] === 'cmi.core.session_time').map(call => call[2])")
    assert len(sent) == 1 and re.fullmatch(r"\d{2,4}:\d{2}:\d{2}\.\d{2}", sent[0])
    assert cmi["core"]["exit"] == "suspend"
    # After the finish, nothing more is sent to the LMS, whatever the learner does.
    before = page.evaluate("calls.length")
    site.locator(".pb-quiz__retry").click()
    assert page.evaluate("calls.length") == before
    assert outside() == []


def test_a_passed_check_resumes_after_relaunch_with_the_ticks_and_the_place(page, scorm_lms) -> None:
    base, packages = scorm_lms
    launcher, site = launch(page, base, "module-listening", first_launch(packages, "module-listening"))
    boxes = site.locator("input.pb-tick__box")
    boxes.nth(0).check()
    boxes.nth(2).check()
    answer_checks(site, LISTENING)
    cmi = wait_for_status(page, "passed")
    assert cmi["core"]["score"]["raw"] == "100"
    saved = cmi["suspend_data"]
    assert 0 < len(saved) <= 4096
    assert cmi["core"]["lesson_location"] == "modules/listening.html"
    # The learner moves to another page of the package: the session goes on, the place follows.
    site.locator(f"a[href$='{SITE.modules[0].id}.html']").first.click()
    page.wait_for_function(
        "() => API.cmi.core.lesson_location === 'modules/" + SITE.modules[0].id + ".html'")
    # Leaving (the LMS closes the frame) ends the session once.
    page.evaluate("document.getElementById('sco').remove()")
    assert (calls(page, "LMSInitialize"), calls(page, "LMSFinish")) == (1, 1)
    previous = recorded(page)
    assert previous["core"]["exit"] == ""  # passed: nothing to resume

    # Relaunched with what the LMS kept (an LMS resumes the attempt: entry "resume").
    previous["core"]["entry"] = "resume"
    previous = {"cmi": previous}
    again = page.context.new_page()
    launcher, site = launch(again, base, "module-listening", previous)
    site.locator("h1").first.wait_for()
    assert again.evaluate("API.cmi.core.lesson_location") == "modules/" + SITE.modules[0].id + ".html"
    site.locator("a[href$='listening.html']").first.click()
    boxes = site.locator("input.pb-tick__box")
    boxes.nth(2).wait_for()
    assert [boxes.nth(n).is_checked() for n in range(3)] == [True, False, True]
    assert again.evaluate("API.cmi.core.lesson_status") == "passed"
    assert calls(again, "LMSInitialize") == 1


def test_a_path_package_opens_at_its_path_and_stays_incomplete_until_every_module_has_a_result(
        page, scorm_lms) -> None:
    base, packages = scorm_lms
    path = SITE.paths[1]
    name = f"path-{path.id}"
    launcher, site = launch(page, base, name, first_launch(packages, name))
    site.locator(".pb-path").wait_for()
    assert page.evaluate("API.cmi.core.lesson_location") == f"paths/{path.id}.html"
    site.locator("a[href$='modules/listening.html']").first.click()
    answer_checks(site, LISTENING)
    launcher.locator(".pb-lms__status", has_text=f"1 of {len(path.steps)} modules done").wait_for()
    assert page.evaluate("[API.cmi.core.lesson_status, API.cmi.core.score.raw]") == ["incomplete", ""]


def test_a_record_too_long_for_suspend_data_keeps_what_makes_the_status(page, scorm_lms) -> None:
    """SCORM 1.2 gives a package 4,096 characters of suspend_data: when the record does not fit, the answers go
    first, then the ticks; the scores and completions stay."""
    base, packages = scorm_lms
    launcher, site = launch(page, base, "module-listening", first_launch(packages, "module-listening"))
    answer_checks(site, LISTENING)
    wait_for_status(page, "passed")
    frame = next(frame for frame in page.frames if frame.url.endswith("/module-listening/index.html"))
    frame.evaluate("""() => {
      const record = playbookLms.store.read();
      for (let n = 0; n < 300; n++) record.ticks[`listening/principle-${n}/action-${n}`] = "2026-12-01";
      playbookLms.store.write(record);
    }""")
    # The write saved at once (LMSSetValue runs inside it): 300 ticks would need about 9,000 characters.
    text = recorded(page)["suspend_data"]
    saved = json.loads(text)
    assert len(text) <= 4096
    assert (saved["t"], saved["q"]["listening"]) == ({}, {"a": {}, "s": 100})
    assert recorded(page)["core"]["lesson_status"] == "passed"


@pytest.mark.parametrize(("lms_mastery", "status"), [(None, "passed"), ("90", "failed")])
def test_a_path_is_judged_on_its_average_score_as_an_lms_that_overrides_status_by_mastery_judges_it(
        page, scorm_lms, lms_mastery: str | None, status: str) -> None:
    """One module far below its pass mark, the others right: the path's score is their average, judged against
    the manifest's mastery score, or the LMS's own when it sets one; scorm-again's mastery override, which
    re-judges the raw score at LMSFinish, must come to the same status."""
    base, packages = scorm_lms
    path = next(path for path in SITE.paths if path.id == "front-line-onboarding")
    name = f"path-{path.id}"
    previous = first_launch(packages, name)
    mastery = lms_mastery or previous["cmi"]["student_data"]["mastery_score"]
    previous["cmi"]["student_data"]["mastery_score"] = mastery
    launcher, site = launch(page, base, name, previous)
    site.locator(".pb-path").wait_for()
    modules = [SITE.module(step.module) for step in path.steps]
    scores = []
    for module in modules:
        wrong = 2 if module is LISTENING else 0
        site.locator(f"a[href$='{module.id}.html']").first.click()
        site.locator(f"[data-pb-quiz='{module.id}']").wait_for()
        answer_checks(site, module, wrong=wrong)
        scores.append(round(100 * (len(module.checks) - wrong) / len(module.checks)))
    average = round(sum(scores) / len(scores))
    assert min(scores) < SITE.pass_mark(LISTENING) <= average  # a module failed, the average did not
    cmi = wait_for_status(page, status)
    assert cmi["core"]["score"]["raw"] == str(average)
    assert (average >= float(mastery)) == (status == "passed")
    launcher.locator(".pb-lms__finish").click()
    launcher.locator(".pb-lms__status", has_text="Finished").wait_for()
    assert page.evaluate("API.settings.mastery_override") is True
    assert recorded(page)["core"]["lesson_status"] == status


def test_opened_on_its_own_a_package_is_the_plain_site_and_says_it_is_not_recording(page, scorm_lms) -> None:
    base, _ = scorm_lms
    page.goto(f"{base}pkg/module-listening/index.html")
    page.locator(".pb-lms__status", has_text="Not recording").wait_for()
    site = page.frame_locator(".pb-lms__frame")
    site.locator("input.pb-tick__box").first.check()
    assert page.evaluate("Object.keys(localStorage).some(key => key.startsWith('playbook:'))")
