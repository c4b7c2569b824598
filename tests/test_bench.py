"""``make bench`` keeps working: a tiny run end to end. Nothing here is timed; the bench is a report, not a test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

#: Every measure the report has a table for, by its heading.
MEASURES = (
    "playbook build over plain mkdocs build, idle",
    "playbook build over plain mkdocs build, every core busy",
    "preview, save to served page",
    "largest HTML page",
    "a module page as a phone downloads it",
    "a first visit to a module page",
    "search, typing to the first result (first visit, CPU slowed 4x)",
    "search relevance (tests/site/relevance.yml, default playbook)",
    "zensical build",
    "make site on a fresh clone",
)


def test_a_tiny_bench_reports_every_measure(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    committed = (ROOT / "bench" / "results.md").read_bytes()
    command = [sys.executable, str(ROOT / "scripts" / "bench.py"), "2", "3", "--rounds", "1", "--edits", "1",
               "--no-fresh-clone", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    text = out.read_text("utf-8")
    assert done.stdout.strip() == text.strip()
    # Each measure is a heading followed by a table with at least one row below its header and rule.
    sections = {part.split("\n", 1)[0]: part for part in text.split("\n## ")[1:]}
    assert set(sections) == set(MEASURES)
    for name in MEASURES:
        assert sum(line.startswith("| ") for line in sections[name].splitlines()) >= 3, name
    assert "| skipped (--no-fresh-clone) |" in sections["make site on a fresh clone"]
    assert (ROOT / "bench" / "results.md").read_bytes() == committed  # --out leaves the committed report alone
