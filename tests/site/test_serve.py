"""``playbook serve`` end to end: it serves, picks up edits and survives broken content."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..browser_fixtures import axe_violations, browser  # noqa: F401

#: Upper bound, in seconds, for the whole test's waiting.
BUDGET_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> tuple[int, str] | None:
    """The status and body at url, or None if nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        with error:  # an HTTPError holds an open response; close it
            return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


class _Server:
    def __init__(self, process: subprocess.Popen[bytes], log: Path, deadline: float):
        self.process = process
        self.log = log
        self.deadline = deadline

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def explain(self, what: str) -> str:
        return f"{what}\n--- playbook serve output (exit code {self.process.poll()}) ---\n{self.output()}"

    def wait_for_output(self, text: str) -> None:
        """Poll the server's output until it holds ``text``, or fail before the deadline."""
        while time.monotonic() < self.deadline:
            if text in self.output():
                return
            if self.process.poll() is not None:
                pytest.fail(self.explain(f"the server exited while waiting for {text!r}"), pytrace=False)
            time.sleep(0.2)
        pytest.fail(self.explain(f"timed out waiting for {text!r} in the output"), pytrace=False)

    def wait_until_idle(self) -> None:
        """Poll until MkDocs has finished every rebuild it started or was asked for (its log says each)."""
        while time.monotonic() < self.deadline:
            log = self.output()
            started, done = log.count("Building documentation..."), log.count("Documentation built in")
            if started == done and log.count("Detected file changes") < started:
                return
            time.sleep(0.2)
        pytest.fail(self.explain("timed out waiting for MkDocs to finish rebuilding"), pytrace=False)

    def wait_for(self, url: str, accept: Callable[[int, str], bool], what: str) -> str:
        """Poll url until accept(status, body) holds; the body, or fail before the deadline."""
        last: tuple[int, str] | None = None
        while time.monotonic() < self.deadline:
            if self.process.poll() is not None:
                pytest.fail(self.explain(f"the server exited while waiting for {what}"), pytrace=False)
            last = _fetch(url)
            if last is not None and accept(*last):
                return last[1]
            time.sleep(0.2)
        status = "no answer" if last is None else f"last status {last[0]}"
        pytest.fail(self.explain(f"timed out waiting for {what} at {url} ({status})"), pytrace=False)


@contextlib.contextmanager
def _serving(content: Path, tmp_path: Path, *options: str) -> Iterator[tuple[_Server, str]]:
    """``playbook serve`` on ``content`` (with ``options``) in a process of its own while the block runs."""
    port = _free_port()
    log = tmp_path / "serve.log"
    scratch = tmp_path / "tmp"  # MkDocs' dev server builds into a temporary folder: keep it in tmp_path
    scratch.mkdir()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1", TMPDIR=str(scratch))
    command = [
        sys.executable, "-m", "playbook", "serve",
        "--content", str(content),
        "--staging-dir", str(tmp_path / "build"),
        "--dev-addr", f"127.0.0.1:{port}",
        *options,
    ]
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        yield _Server(process, log, time.monotonic() + BUDGET_SECONDS), f"http://127.0.0.1:{port}/"
    finally:
        _stop(process)


@pytest.fixture
def server(content: Path, tmp_path: Path) -> Iterator[tuple[_Server, str]]:
    with _serving(content, tmp_path) as serving:
        yield serving


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C first (MkDocs then removes its temporary site), then SIGTERM, then SIGKILL."""
    for stop in (lambda: process.send_signal(signal.SIGINT), process.terminate, process.kill):
        if process.poll() is not None:
            return
        stop()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            continue
    process.wait(timeout=10)


def test_serve_rebuilds_on_edit_and_keeps_last_good_page(server: tuple[_Server, str], content: Path) -> None:
    live, base = server
    page = base + "modules/listening.html"

    body = live.wait_for(page, lambda status, _: status == 200, "the first page")
    assert "Listening &amp; hearing" in body, live.explain("the served page lacks the module title")

    module = content / "modules" / "listening.yml"
    text = module.read_text(encoding="utf-8")
    assert "title: Listening & hearing\n" in text
    module.write_text(text.replace("title: Listening & hearing\n", "title: Listening well\n"), encoding="utf-8")
    live.wait_for(page, lambda status, body: status == 200 and "Listening well" in body, "the edited title")

    good = module.read_text(encoding="utf-8")
    assert "minutes: 10\n" in good
    module.write_text(good.replace("minutes: 10\n", "minutes: many\n"), encoding="utf-8")
    live.wait_for_output("still showing the last good version")

    assert live.process.poll() is None, live.explain("the server stopped on broken content")
    fetched = _fetch(page)
    assert fetched is not None and fetched[0] == 200, live.explain(f"the page stopped answering: {fetched}")
    assert "Listening well" in fetched[1], live.explain("the last good page is no longer served")
    assert "still showing the last good version" in live.output(), live.explain("no report of the broken content")
    assert f"Serving on {base}" in live.output(), live.explain("the preview address was not announced")

    # An edit rebuilds only the pages whose staged text changed: MkDocs' built copy of another module stays as it was.
    built = next((content.parent / "tmp").rglob("modules/promises.html")).parent
    untouched, rebuilt = (built / "promises.html").stat().st_mtime_ns, (built / "listening.html").stat().st_mtime_ns
    module.write_text(good.replace("minutes: 10\n", "minutes: 12\n"), encoding="utf-8")
    live.wait_for(page, lambda status, body: status == 200 and "12 minutes" in body, "the edited time")
    assert (built / "listening.html").stat().st_mtime_ns != rebuilt
    assert (built / "promises.html").stat().st_mtime_ns == untouched, live.explain("an unchanged page was rebuilt")

    # A change to the navigation or the site's name rebuilds every page, even those whose own text is the same.
    # (Once the rebuild for the edit before it has ended: a rebuild still running when the navigation changes can
    # leave the pages it writes with the old navigation until the next save, which the README says.)
    module.write_text(good, encoding="utf-8")
    live.wait_for(page, lambda status, body: status == 200 and "10 minutes" in body, "the time put back")
    live.wait_until_idle()
    playbook = content / "playbook.yml"
    playbook.write_text(playbook.read_text("utf-8").replace("title: Test Playbook\n", "title: Renamed Playbook\n"),
                        encoding="utf-8")
    live.wait_for(base + "modules/promises.html", lambda status, body: status == 200 and "Renamed Playbook" in body,
                  "the new site name on a page whose own text did not change")

    # A process manager stops the preview with SIGTERM: it exits cleanly and leaves nothing behind.
    live.process.terminate()
    assert live.process.wait(timeout=20) == 0, live.explain("SIGTERM did not end the server cleanly")
    scratch = content.parent / "tmp"
    assert list(scratch.iterdir()) == [], live.explain(f"left behind: {sorted(scratch.iterdir())}")


def test_a_broken_save_shows_its_problems_in_the_page_until_it_is_fixed(server: tuple[_Server, str], content: Path,
                                                                        browser) -> None:
    from playwright.sync_api import expect

    live, base = server
    url = base + "modules/listening.html"
    live.wait_for(url, lambda status, _: status == 200, "the first page")
    page = browser.new_page()
    page.set_default_timeout(BUDGET_SECONDS * 1000 / 2)
    page.goto(url)
    banner = page.locator(".pb-preview-problems")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Listening & hearing")
    expect(banner).to_have_count(0)

    module = content / "modules" / "listening.yml"
    good = module.read_text("utf-8")
    module.write_text(good.replace("minutes: 10\n", "minutes: many\n"), "utf-8")
    # The page reloads by itself and says what the terminal says, where the author is looking.
    expect(banner.get_by_role("heading")).to_have_text("The last save has problems: this page is the last good version")
    expect(banner.locator("pre")).to_have_text(
        f"{content.as_posix()}/modules/listening.yml:5:10: minutes: 'many' is not a whole number; write digits only, "
        "like 20\n1 problem(s) found; nothing was built")
    assert banner.get_attribute("role") == "alert"
    assert axe_violations(page) == []

    module.write_text(good.replace("title: Listening & hearing\n", "title: Listening well\n"), "utf-8")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Listening well")
    expect(banner).to_have_count(0)
    page.close()


def test_serve_lang_previews_a_translation_and_picks_up_its_edits(bilingual_content: Path, tmp_path: Path) -> None:
    with _serving(bilingual_content, tmp_path, "--lang", "fr") as (live, base):
        page = base + "modules/listening.html"
        body = live.wait_for(page, lambda status, _: status == 200, "the French page")
        assert '<html lang="fr"' in body and "Écouter pour vrai" in body, live.explain("not the French page")
        # One language is served, so the page offers no switch to another that would lead nowhere.
        assert 'hreflang="en"' not in body, live.explain("the preview offers a language it does not serve")
        translation = bilingual_content / "translations" / "fr" / "modules" / "listening.yml"
        text = translation.read_text("utf-8")
        translation.write_text(text.replace("title: Écouter pour vrai\n", "title: Bien écouter\n"), "utf-8")
        live.wait_for(page, lambda status, body: status == 200 and "Bien écouter" in body, "the edited translation")
        # An edit to the source shows too, where the translation falls back to it.
        module = bilingual_content / "modules" / "listening.yml"
        module.write_text(module.read_text("utf-8").replace("minutes: 10\n", "minutes: 12\n"), "utf-8")
        live.wait_for(page, lambda status, body: status == 200 and "12 minutes" in body, "the edited source")


def test_serve_lang_refuses_a_language_the_playbook_does_not_have(bilingual_content: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from playbook.cli import main

    assert main(["serve", "--content", str(bilingual_content), "--lang", "de"]) == 2
    assert capsys.readouterr().err == "playbook serve: error: --lang de: not one of the playbook's languages (en, fr)\n"
