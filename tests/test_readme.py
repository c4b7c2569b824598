"""The README's commands work as written: its make targets exist, and its playbook commands run in a shell
that followed its one line on the venv."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
ACTIVATE = ". .venv/bin/activate"
#: Every line of the README's shell examples.
SHELL_LINES = [line.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
               for line in block.splitlines() if line.strip()]


def test_every_make_target_the_readme_names_exists() -> None:
    # As commands: in code (`make serve`) and in shell examples, not the word in prose.
    targets = sorted(set(re.findall(r"`make ([a-z]+)\b", README))
                     | {line.split()[1] for line in SHELL_LINES if line.startswith("make ")})
    assert {"site", "test", "serve", "assign", "report"} <= set(targets)
    # As a newcomer's shell runs them, not with the flags of a `make test` around this run.
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    for target in targets:
        done = subprocess.run(["make", "-n", target], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"make {target}: {done.stderr}"


def test_the_readme_says_how_to_reach_the_playbook_command_before_using_it() -> None:
    first_use = min(README.index(line) for line in SHELL_LINES if line.startswith("playbook "))
    assert README.index(ACTIVATE) < first_use
    assert not [line for line in SHELL_LINES if line.startswith("python ")], "use .venv/bin/python"


def test_the_trainer_examples_run_as_written_after_activating(tmp_path: Path) -> None:
    for name in ("content", "examples"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    examples = [line for line in SHELL_LINES if line.startswith(("playbook assign --training examples",
                                                                 "playbook report --training examples"))]
    assert len(examples) == 2
    script = " && ".join([ACTIVATE, *(line.replace(" --fail-on-overdue", "") for line in examples)])
    if not (tmp_path / ".venv" / "bin" / "activate").exists():
        pytest.skip("the test runs outside a virtual environment")
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "examples/training/plans/team.csv").is_file()
    assert (tmp_path / "examples/training/report/report.html").is_file()


def test_the_record_walkthrough_runs_as_written_after_activating(tmp_path: Path) -> None:
    for name in ("content", "examples"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    if not (tmp_path / ".venv" / "bin" / "activate").exists():
        pytest.skip("the test runs outside a virtual environment")
    examples = [line for line in SHELL_LINES if line.startswith("playbook record --training examples")]
    assert [" --dry-run " in line for line in examples] == [True, False]
    before = (tmp_path / "examples/training/completions.yml").read_text("utf-8")
    done = subprocess.run(["bash", "-c", " && ".join([ACTIVATE, *examples])], cwd=tmp_path, capture_output=True,
                          text=True, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == ("examples/training/completions.yml: 2 completion(s) added, "
                                            "0 already recorded")
    after = (tmp_path / "examples/training/completions.yml").read_text("utf-8")
    assert after.startswith(before) and after.count("- person: ben") == before.count("- person: ben") + 2
