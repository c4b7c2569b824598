"""Publishing: the Pages workflow, reproducible builds, Zensical and the pre-commit hook."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from playbook.site import build, search
from playbook.site.mkdocs_run import source_date_epoch

from ..conftest import ROOT, project_at, zensical

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
#: zizmor's settings: which actions may be pinned by tag rather than by commit.
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    # GitHub reads YAML 1.2, where `on` is a key; YAML 1.1 (PyYAML) reads it as true.
    data["on"] = data.pop(True)
    return data


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


# --- The GitHub Pages workflow --------------------------------------------------------------

def test_workflow_is_valid_against_the_github_workflow_schema() -> None:
    from check_jsonschema.builtin_schemas import get_builtin_schema

    validator = Draft202012Validator(get_builtin_schema("vendor.github-workflows"))
    workflow = _workflow()
    assert sorted(error.message for error in validator.iter_errors(workflow)) == []


def test_workflow_uses_the_pages_artifact_flow_with_least_privilege() -> None:
    workflow = _workflow()
    uses = [step["uses"] for step in _steps(workflow) if "uses" in step]
    assert {"actions/configure-pages@v6", "actions/upload-pages-artifact@v5", "actions/deploy-pages@v5"} <= set(uses)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["needs"] == "build" and workflow["jobs"]["build"]["needs"] == "test"
    assert "refs/heads/main" in workflow["jobs"]["deploy"]["if"]
    assert workflow["concurrency"]["group"].startswith("pages")
    assert set(workflow["on"]) == {"push", "pull_request", "workflow_dispatch"}


def test_workflow_actions_are_current_and_leave_no_credentials() -> None:
    """Node 20 actions are retired on GitHub's runners; nothing in the workflow pushes, so no token stays behind."""
    steps = [step for step in _steps(_workflow()) if "uses" in step]
    majors = {step["uses"].split("@")[0]: int(step["uses"].split("@v")[1]) for step in steps}
    assert majors["actions/checkout"] >= 6 and majors["actions/upload-artifact"] >= 6
    checkouts = [step for step in steps if step["uses"].startswith("actions/checkout@")]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


def _zizmor(*workflows: Path) -> subprocess.CompletedProcess[str]:
    """The workflow linter on ``workflows``, offline: its wheel (in the test extra) carries the binary itself."""
    zizmor = Path(sys.executable).parent / "zizmor"
    if not zizmor.exists():
        pytest.fail("zizmor is not installed; it is in the test extra (make test installs it)")
    # --strict-collection: a workflow that is not valid YAML, or not a workflow, fails instead of being skipped.
    return subprocess.run([str(zizmor), "--offline", "--strict-collection", "--no-progress", "--color=never",
                           "--config", str(ZIZMOR_CONFIG), *map(str, workflows)],
                          capture_output=True, text=True, timeout=120, check=False)


def test_every_workflow_passes_the_workflow_linter() -> None:
    workflows = sorted([*WORKFLOW.parent.glob("*.yml"), *WORKFLOW.parent.glob("*.yaml")])
    assert WORKFLOW in workflows
    done = _zizmor(*workflows)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_linter_finds_a_template_injection(tmp_path: Path) -> None:
    """The gate above is real: run offline, the linter fails a workflow that splices a pull request's title into
    a script."""
    workflow = tmp_path / "greet.yml"
    workflow.write_text("name: Greet\non: pull_request\npermissions:\n  contents: read\njobs:\n  greet:\n"
                        "    runs-on: ubuntu-latest\n    steps:\n"
                        "      - run: echo \"${{ github.event.pull_request.title }}\"\n", "utf-8")
    done = _zizmor(workflow)
    assert done.returncode != 0
    assert f"error[template-injection]: code injection via template expansion\n --> {workflow}:9:24" in done.stdout


def test_workflow_runs_the_readme_commands() -> None:
    runs = "\n".join(step.get("run", "") for step in _steps(_workflow()))
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in ("make test", "make site", "make offline", "scripts/checklists.py", "scripts/check_links.py"):
        assert command in runs, command
    assert "make site" in readme and "make test" in readme


def test_the_link_checker_finds_broken_links(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from check_links import broken_links
    finally:
        sys.path.pop(0)
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/b.html#x">b</a> <a href="gone.html">gone</a> '
                                         '<a href="https://example.org/">out</a> <img src="/base/logo.png">', "utf-8")
    (tmp_path / "a" / "b.html").write_text('<h1 id="y">B</h1><a href="../index.html">home</a>', "utf-8")
    (tmp_path / "logo.png").write_bytes(b"")
    assert broken_links(tmp_path, "/base/") == [
        "index.html: a/b.html#x -> no id 'x'",
        "index.html: gone.html -> missing file",
    ]


# --- Reproducible builds --------------------------------------------------------------------------

def _build_in_subprocess(project: Path, site: Path, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed, SOURCE_DATE_EPOCH="1767225600", NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "playbook", "build", "--content", str(project / "content"),
                    "--site-dir", str(site), "--staging-dir", str(project / f"stage-{seed}"),
                    "--site-url", "https://care.example.org/playbook/"],
                   check=True, env=env, capture_output=True, cwd=project)


def test_the_same_content_builds_a_byte_identical_site(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    _build_in_subprocess(tmp_path, tmp_path / "one", "1")
    _build_in_subprocess(tmp_path, tmp_path / "two", "4242")
    one = {p.relative_to(tmp_path / "one").as_posix(): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two").as_posix(): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert b"<lastmod>2026-01-01</lastmod>" in one["sitemap.xml"]


def test_source_date_epoch_comes_from_the_last_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert source_date_epoch(tmp_path) is None  # not a repository
    env = dict(os.environ, GIT_AUTHOR_DATE="2026-03-04T05:06:07Z", GIT_COMMITTER_DATE="2026-03-04T05:06:07Z",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    (tmp_path / "f").write_text("x", "utf-8")
    subprocess.run(["git", "-C", str(tmp_path), "add", "f"], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "x"], check=True, env=env)
    assert source_date_epoch(tmp_path) == str(int(dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC).timestamp()))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "12345")
    assert source_date_epoch(tmp_path) == "12345"


# --- Zensical ----------------------------------------------------------------------------------------

def test_the_staged_tree_builds_with_zensical(tmp_path: Path) -> None:
    command = zensical()
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    build(project_at(tmp_path / "content"))
    staged = tmp_path / "build"
    done = subprocess.run([command, "build", "-f", "mkdocs.yml"], cwd=staged, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    out = staged / "site"
    for page in ("index.html", "modules/trust-and-respect.html", "checklists/complaint-call.html",
                 "paths/front-line-onboarding.html", "outcomes/index.html", "outcomes/trust.html", "progress.html", "downloads/module-listening.csv"):
        assert (out / page).is_file(), page
    assert "Trust and respect" in (out / "modules/trust-and-respect.html").read_text("utf-8")
    # The site's own search box is in Zensical's header too, and Pagefind indexes Zensical's pages as MkDocs'.
    assert 'class="md-search__form pb-search__form"' in (out / "modules/trust-and-respect.html").read_text("utf-8")
    search.index(out)
    titles = {json.loads(data)["meta"]["title"] for _, data in search.fragments(out)}
    assert {"Trust and respect", "Handling a complaint call"} <= titles


def test_pre_commit_runs_playbook_check() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert any(hook["entry"].endswith("playbook check") and hook["pass_filenames"] is False for hook in hooks)
