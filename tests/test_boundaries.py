"""The package's import boundaries are enforced: a forbidden import makes the lint step (``make lint``) fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # Run from the copy, so its playbook package (not the installed one) is the one analysed.
    return subprocess.run([str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml")], cwd=tree,
                          capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(tree)})


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "playbook", copy / "playbook", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_package_keeps_its_boundaries(tree: Path) -> None:
    done = _lint_imports(tree)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(("module", "forbidden", "contract"), [
    ("site/render.py", "from ..training import TRAINER_FILES", "site, exports and lms never import training"),
    ("exports/formats.py", "from .. import training", "site, exports and lms never import training"),
    ("lms/packages.py", "from ..training import roster_words", "site, exports and lms never import training"),
    ("content/model.py", "from ..site import Project", "content is the model"),
])
def test_a_forbidden_import_breaks_a_contract(tree: Path, module: str, forbidden: str, contract: str) -> None:
    path = tree / "playbook" / module
    path.write_text(path.read_text("utf-8") + f"\n{forbidden}  # a boundary crossed\n", "utf-8")
    done = _lint_imports(tree)
    assert done.returncode == 1
    assert f"{contract}" in done.stdout and "BROKEN" in done.stdout


def test_the_linter_reads_every_python_file_of_the_repository() -> None:
    """Excluding the built site/ must not exclude playbook/site/ or tests/site/ with it (it once did)."""
    listed = subprocess.run([str(Path(sys.executable).parent / "ruff"), "check", "--show-files", "."], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    linted = {Path(line.strip()).resolve() for line in listed.splitlines() if line.strip().endswith(".py")}
    ours = {path.resolve() for folder in ("playbook", "tests", "scripts") for path in (ROOT / folder).rglob("*.py")}
    assert ours - linted == set()
