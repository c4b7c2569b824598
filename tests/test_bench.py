"""``make bench`` keeps working: a tiny run end to end. Nothing here is timed; the bench is not a test of speed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_a_tiny_bench_reports_every_measure_against_its_target(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    committed = (ROOT / "bench" / "results.md").read_bytes()
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "2", "3", "--rounds", "1", "--seconds", "0", "--out", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text("utf-8")
    assert done.stdout.strip() == text.strip()
    rows = re.findall(r"^\| ([23]) \| (\d+) \| 1 \| [\d.]+ \| [\d.]+ \| [\d.]+% \| [\d.]+% \|.* \| 1 of (\d+) \|$", text, re.MULTILINE)
    assert [row[0] for row in rows] == ["2", "3"]
    measures = re.findall(r"^\| (.+?) \| ([\d.%]+) \| (.+?) \| (meets|MISSES) \|$", text, re.MULTILINE)
    assert [measure[0] for measure in measures] == [
        "playbook build / plain mkdocs build (worst size)",
        "generation share of the build (worst size)",
        "seconds per page, 3 / 2 modules",
        "bytes per page, 3 / 2 modules",
        "staged files rewritten after editing one module (3 modules)",
    ]
    assert measures[-1][1:] == ("1", "only pages whose content changed", "meets")
    assert (ROOT / "bench" / "results.md").read_bytes() == committed  # --out leaves the committed report alone
