"""What people wait for, on synthetic playbooks of growing size, each figure against its target.

``playbook build`` against plain ``mkdocs build`` of the same staged tree (idle and with every core busy), the
preview from a save to the served page, page weight, what a first visit downloads and how soon search answers
(in Chromium), a Zensical build, the relevance set's score and ``make site`` on a fresh clone, all through public
entry points. A report, not a test: it exits 0 even when a target is missed (see --help).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from playbook.content import load_site
from playbook.site import search

#: ``playbook build`` over plain ``mkdocs build`` of the same staged tree, idle and with every core busy.
BUILD_OVER_MKDOCS = 1.15
#: Save-to-served-page at the largest size, as a share of a full plain MkDocs build at that size.
PREVIEW_SHARE_OF_BUILD = 0.2
#: Preview at the largest size over the smallest: one edit should cost about the same however big the playbook.
PREVIEW_GROWTH = 3.0
#: The heaviest HTML page of the built site, in KB.
LARGEST_PAGE_KB = 500
#: A module page as a phone downloads it (gzip, as GitHub Pages serves HTML), largest size over smallest.
PAGE_WEIGHT_GROWTH = 1.2
#: Everything a first visit to a module page downloads (gzip), largest size over smallest.
FIRST_VISIT_GROWTH = 1.5
#: From the first key typed into the search box to the first result shown, with the CPU slowed 4 times (a
#: phone's), on a first visit: largest size over smallest.
FIRST_RESULT_GROWTH = 2.0
#: The share of the relevance set (tests/site/relevance.yml) that finds its page in the first three, in percent.
RELEVANCE = 90
#: Searched for at every size: words of the template, so every size's text has them.
QUERIES = ("customer", "promise", "deadline")
CPU_SLOWDOWN = 4
CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv running this holds the playbook, mkdocs and zensical commands
# Bytecode is written as an installed package has it: some sandboxes turn that off, which would make every start
# of playbook compile its modules while MkDocs' come precompiled.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "NO_MKDOCS_2_WARNING": "1"}
TEMPLATE = ROOT / "content" / "modules" / "trust-and-respect.yml"
# The template's own words: synthetic text reads like the content's, yet differs from module to module.
VOCABULARY = sorted(set(re.findall(r"\b[a-z]{3,}\b", TEMPLATE.read_text("utf-8").lower())))
SECTION_SIZE, POLL_SECONDS, TIMEOUT_SECONDS = 25, 0.02, 900


def prose(rng: random.Random, sentences: int, words: tuple[int, int] = (8, 18), end: str = ".") -> str:
    return " ".join(" ".join(rng.choices(VOCABULARY, k=rng.randint(*words))).capitalize() + end
                    for _ in range(sentences))


def module_document(template: dict, module_id: str) -> dict:
    """The template under a new id with 8 principles, its titles and texts its own (seeded by the id)."""
    rng, principles = random.Random(module_id), [*template["principles"], {**template["principles"][0]}]
    principles[-1]["id"] = "keep-your-word-again"
    terms = list(dict.fromkeys(prose(rng, 1, (1, 2), "").lower() for _ in range(3)))
    return {**template, "id": module_id, "title": prose(rng, 1, (3, 5), ""), "summary": prose(rng, 2),
            "objectives": [prose(rng, 1) for _ in template["objectives"]], "search_terms": terms,
            "principles": [{**p, "title": prose(rng, 1, (3, 6), ""), "why": prose(rng, 4), "example": prose(rng, 4),
                            "search_terms": [],
                            "avoid": [prose(rng, 1) for _ in p["avoid"]],
                            "actions": [{**a, "text": prose(rng, 1)} for a in p["actions"]]} for p in principles]}


def dump(path: Path, document: dict) -> None:
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1 << 20), "utf-8")


def make_playbook(work: Path, modules: int) -> None:
    """work/content: modules in sections of 25, a checklist and a path; the real site settings beside it."""
    content, ids = work / "content", [f"module-{n:04d}" for n in range(1, modules + 1)]
    for name in ("modules", "checklists", "paths"):
        (content / name).mkdir(parents=True)
    template = yaml.safe_load(TEMPLATE.read_text("utf-8"))
    for module_id in ids:
        dump(content / "modules" / f"{module_id}.yml", module_document(template, module_id))
    playbook = yaml.safe_load((ROOT / "content" / "playbook.yml").read_text("utf-8"))
    playbook["sections"] = [{"id": f"part-{n // SECTION_SIZE + 1}", "title": f"Part {n // SECTION_SIZE + 1}",
                             "modules": ids[n:n + SECTION_SIZE]} for n in range(0, modules, SECTION_SIZE)]
    dump(content / "playbook.yml", playbook)
    dump(content / "checklists" / "first-call.yml", {"id": "first-call", "title": "A first call", "summary": "Use it.",
         "sections": [{"title": "During", "items": [{"ref": "module-0001/listen/play-it-back"}]}]})
    dump(content / "paths" / "start.yml", {"id": "start", "title": "Start here", "role": "front-line", "summary": "Go.",
         "steps": [{"module": m, "due_days": n} for n, m in enumerate(ids[:5], 1)]})
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    load_site(content)  # raises unless the synthetic playbook is valid content


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None, must: bool = True) -> float | None:
    """Seconds the command took; None if it failed and need not succeed (else the bench stops)."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, text=True, check=False)
    if done.returncode and must:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return None if done.returncode else time.perf_counter() - start


def build_rounds(work: Path, rounds: int) -> tuple[float, float]:
    """The median over rounds of playbook build / plain mkdocs build and Pagefind, and the median plain seconds."""
    playbook = [str(BIN / "playbook"), "build", "--content", str(work / "content")]
    plain = [str(BIN / "mkdocs"), "build", "-q", "--strict", "-f", str(work / "build" / "mkdocs.yml"),
             "-d", str(work / "plain")]
    ratios, plains = [], []

    def engine() -> float:
        """MkDocs, then Pagefind over what it built: the engines a playbook build runs."""
        seconds = timed(plain) or 0.0
        start = time.perf_counter()
        search.index(work / "plain")
        return seconds + time.perf_counter() - start

    for n in range(rounds):
        # Odd rounds run plain MkDocs first: a machine speeding up or slowing down favours neither side.
        plain_first = engine() if n % 2 else None
        build_s = timed(playbook)
        plains.append(plain_first or engine())
        ratios.append(build_s / plains[-1])
    return statistics.median(ratios), statistics.median(plains)


def page_weight(site: Path) -> tuple[str, int, float, float]:
    """The heaviest HTML page and its bytes; a module page's mean bytes, plain and gzip-compressed.

    Module pages, not all pages: the mix of pages changes with the size (a small playbook has relatively more
    index pages), and module pages are what staff open between calls.
    """
    sizes = {page: page.stat().st_size for page in site.rglob("*.html")}
    largest = max(sizes, key=sizes.__getitem__)
    modules = [page for page in (site / "modules").glob("module-*.html")]
    plain = sum(sizes[page] for page in modules) / len(modules)
    zipped = sum(len(gzip.compress(page.read_bytes())) for page in modules) / len(modules)
    return largest.relative_to(site).as_posix(), sizes[largest], plain, zipped


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The built site on a local web server, at the address given."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


def first_visit(browser, url: str) -> float:
    """Bytes a first visit to the page downloads, each response gzip-compressed as GitHub Pages serves it."""
    context = browser.new_context()
    try:
        page, responses = context.new_page(), []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        return sum(len(gzip.compress(response.body())) for response in responses)
    finally:
        context.close()


#: In the page: a promise of the milliseconds from the first key pressed in the search box to the first result.
_TIMER = """() => { window.pbFirstResult = new Promise(done => {
    const input = document.querySelector(".pb-search__input"), list = document.querySelector(".md-search-result__list");
    let typed = null;
    input.addEventListener("keydown", () => { if (typed === null) typed = performance.now(); });
    new MutationObserver(() => { if (list.children.length) done(performance.now() - typed); })
        .observe(list, {childList: true});
}); }"""


def first_result(browser, url: str, query: str) -> float:
    """Milliseconds from typing to the first result on a first visit to ``url``, the CPU slowed as a phone's."""
    context = browser.new_context()
    try:
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url, wait_until="networkidle")
        page.evaluate(_TIMER)
        page.locator(".pb-search__input").click()
        page.keyboard.type(query, delay=60)
        return page.evaluate("() => window.pbFirstResult")
    finally:
        context.close()


def search_weight(site: Path) -> tuple[float, float]:
    """A module page's first-visit bytes (gzip), and the median milliseconds to a first result over QUERIES."""
    with served(site) as url, chromium() as browser:
        page = f"{url}modules/module-0001.html"
        return first_visit(browser, page), statistics.median(first_result(browser, page, q) for q in QUERIES)


def relevance() -> float:
    """The relevance set's score on the default playbook, in percent (see tests/site/test_relevance.py)."""
    note("the relevance set on the default playbook")
    sys.path.insert(0, str(ROOT))
    from tests.site.relevance import run, score

    with tempfile.TemporaryDirectory(prefix="playbook-relevance-") as scratch:
        work = Path(scratch)
        shutil.copytree(ROOT / "content", work / "content")
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        timed([str(BIN / "playbook"), "build", "--content", str(work / "content")])
        with served(work / "site") as url, chromium() as browser:
            return score(run(browser.new_page(), url))


def wait_for(url: str, token: str, server: subprocess.Popen) -> None:
    """Poll the page until it shows the token, while the server runs."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                if token in response.read().decode("utf-8"):
                    return
        except urllib.error.HTTPError as error:
            error.close()  # an error response holds its socket open until closed
        except OSError:
            pass  # not serving yet
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{url} never showed {token!r} (server exit code {server.poll()}; see serve.log)")


def preview(work: Path, edits: int) -> float:
    """The median seconds from saving a new summary into one module's yml to ``playbook serve`` serving it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(BIN / "playbook"), "serve", "--content", str(work / "content"), "--dev-addr", f"127.0.0.1:{port}"]
    with (work / "serve.log").open("w") as log:
        server = subprocess.Popen(command, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    url, took, rng = f"http://127.0.0.1:{port}/modules/module-0001.html", [], random.Random(edits)
    module = work / "content" / "modules" / "module-0001.yml"
    try:
        wait_for(url, "", server)
        for n in range(edits):
            document, token = yaml.safe_load(module.read_text("utf-8")), f"token{n}x{time.time_ns()}"
            start = time.perf_counter()
            dump(module, {**document, "summary": f"Edited as {token}."})
            wait_for(url, token, server)
            took.append(time.perf_counter() - start)
            # Both watchers go quiet before the next save. MkDocs' server looks for changes every half second:
            # saves at random moments of that period, so the median is no lucky (or unlucky) phase of it.
            time.sleep(1 + rng.random() / 2)
        return statistics.median(took)
    finally:
        server.terminate()  # SIGTERM, which playbook serve handles by stopping cleanly
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def measure(size: int, work: Path, rounds: int, edits: int) -> dict:
    """Every figure of one size; the playbook build is warmed up once, so both sides read warm files."""
    note(f"{size} modules: builds idle and with every core busy, page weight, zensical, search, preview")
    make_playbook(work, size)
    timed([str(BIN / "playbook"), "build", "--content", str(work / "content")])
    idle = build_rounds(work, rounds)
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        busy = build_rounds(work, rounds)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    # Zensical builds a copy: it writes its site beside mkdocs.yml, which would put foreign files into build/.
    shutil.copytree(work / "build", work / "zensical")
    zensical = timed([str(BIN / "zensical"), "build", "-f", "mkdocs.yml"], cwd=work / "zensical", must=False)
    return {"size": size, "idle": idle, "busy": busy, "weight": page_weight(work / "site"), "zensical": zensical,
            "search": search_weight(work / "site"), "preview": preview(work, edits)}


def fresh_clone() -> tuple[float, float]:
    """Seconds of ``make site`` in a clone of the committed HEAD, and the size of its .venv in MB."""
    note("make site on a fresh clone")
    with tempfile.TemporaryDirectory(prefix="playbook-clone-") as scratch:
        clone = Path(scratch) / "playbook"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        # Not the flags of a `make bench` around this run: the clone's make starts as a newcomer's would.
        env = {key: value for key, value in ENV.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        seconds = timed(["make", "site"], cwd=clone, env=env) or 0.0
        files = [p for p in (clone / ".venv").rglob("*") if p.is_file() and not p.is_symlink()]
        return seconds, sum(p.stat().st_size for p in files) / 1e6


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def row(modules: object, figure: str, value: float | None = None, limit: float | None = None, unit: str = "") -> tuple:
    """A report row: the figure, its target and whether it is met (information only without a limit)."""
    met = "" if limit is None or value is None else "met" if value <= limit else "MISSED"
    return modules, figure, "" if limit is None else f"≤ {limit}{unit}", met


def measures(results: list[dict], clone: tuple[float, float] | None, score: float) -> dict[str, list[tuple]]:
    small, large = results[0], results[-1]
    visit_growth = large["search"][0] / small["search"][0]
    result_growth = large["search"][1] / small["search"][1]
    share, growth = large["preview"] / large["idle"][1], large["preview"] / small["preview"]
    weight_growth, both = large["weight"][3] / small["weight"][3], f"{large['size']} / {small['size']}"
    return {
        **{f"playbook build over plain mkdocs build, {when}": [
            row(r["size"], f"{r[key][0]:.3f} (plain mkdocs + pagefind {r[key][1]:.2f} s)", r[key][0], BUILD_OVER_MKDOCS)
            for r in results] for key, when in (("idle", "idle"), ("busy", "every core busy"))},
        "preview, save to served page": [
            *(row(r["size"], f"{r['preview']:.2f} s") for r in results),
            row(large["size"], f"{share:.3f} of a plain mkdocs build", share, PREVIEW_SHARE_OF_BUILD),
            row(both, f"{growth:.2f}", growth, PREVIEW_GROWTH)],
        "largest HTML page": [row(r["size"], f"{r['weight'][1] / 1024:.0f} KB ({r['weight'][0]})",
                                  r["weight"][1] / 1024, LARGEST_PAGE_KB, " KB") for r in results],
        "a module page as a phone downloads it": [
            *(row(r["size"], f"{r['weight'][3] / 1024:.1f} KB gzip ({r['weight'][2] / 1024:.1f} KB uncompressed)")
              for r in results),
            row(both, f"{weight_growth:.3f}", weight_growth, PAGE_WEIGHT_GROWTH)],
        "a first visit to a module page": [
            *(row(r["size"], f"{r['search'][0] / 1024:.1f} KB gzip, everything it loads") for r in results),
            row(both, f"{visit_growth:.3f}", visit_growth, FIRST_VISIT_GROWTH)],
        f"search, typing to the first result (first visit, CPU slowed {CPU_SLOWDOWN}x)": [
            *(row(r["size"], f"{r['search'][1]:.0f} ms") for r in results),
            row(both, f"{result_growth:.2f}", result_growth, FIRST_RESULT_GROWTH)],
        "search relevance (tests/site/relevance.yml, default playbook)": [
            ("", f"{score:.0f}% of queries find their page in the first three", f"≥ {RELEVANCE}%",
             "met" if score >= RELEVANCE else "MISSED")],
        "zensical build": [(r["size"], "FAILED" if r["zensical"] is None else f"succeeded in {r['zensical']:.2f} s",
                            "succeeds", "MISSED" if r["zensical"] is None else "met") for r in results],
        "make site on a fresh clone": [row("", f"{clone[0]:.0f} s, .venv {clone[1]:.0f} MB" if clone else
                                           "skipped (--no-fresh-clone)")],
    }


def report(tables: dict[str, list[tuple]]) -> str:
    lines = ["# Benchmark results", "", f"{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, Python "
             f"{sys.version.split()[0]}. Synthetic playbooks of 8 principles per module in sections of {SECTION_SIZE}. "
             "Build ratios: the median over rounds that take turns which build goes first. Preview: the median over "
             "saves of one module's summary.", ""]
    for name, rows in tables.items():
        lines += [f"## {name}", "", "| modules | figure | target | |", "| --- | --- | --- | --- |",
                  *("| " + " | ".join(map(str, r)) + " |" for r in rows), ""]
    missed = [f"{name} ({r[0]})" for name, rows in tables.items() for r in rows if r[3] == "MISSED"]
    return "\n".join([*lines, f"MISSED: {'; '.join(missed)}." if missed else "Every target met.", ""])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20, 100, 500], help="modules per playbook")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of both builds per size, idle and busy each")
    parser.add_argument("--edits", type=int, default=9, help="saves timed in the preview per size")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md", help="where the report goes")
    parser.add_argument("--no-fresh-clone", action="store_true", help="skip make site on a fresh clone")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="playbook-bench-") as scratch:
        results = [measure(n, Path(scratch) / str(n), args.rounds, args.edits) for n in sorted(set(args.sizes))]
    text = report(measures(results, None if args.no_fresh_clone else fresh_clone(), relevance()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
