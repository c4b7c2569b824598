"""LMS packages of the default playbook, unpacked and served on localhost beside an LMS of the tests' own.

Import the fixtures into a test module with ``from .lms_fixtures import *``. The SCORM runtime is the npm
package scorm-again, installed from package-lock.json by ``npm ci`` (the Makefile's test set-up).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from playbook import lms

from ..browser_fixtures import served
from ..conftest import ROOT, project_at

#: The SCORM 1.2 runtime the tests play the LMS with.
SCORM_RUNTIME = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.js"


def make_packages(root: Path, content: Path, fmt: str) -> dict[str, Path]:
    """Every package of ``content`` in ``fmt``, written to root/out and unpacked under root/pkg/<name>/."""
    project = project_at(content, root / "site", root / "build")
    done = lms.write_packages(project, fmt, [], root / "out")
    unpacked = {}
    for name in done.files:
        target = root / "pkg" / name.removesuffix(f"-{fmt}.zip")
        with zipfile.ZipFile(root / "out" / name) as archive:
            archive.extractall(target)
        unpacked[target.name] = target
    return unpacked


def outside_requests(context, base: str) -> Callable[[], list[str]]:
    """Starts recording every request the browser makes; the returned function lists those not to ``base``."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    return lambda: [url for url in seen if not url.startswith((base, "data:", "blob:", "about:"))]


@pytest.fixture(scope="module")
def scorm_lms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Path]]]:
    """The default playbook's SCORM 1.2 packages under pkg/<name>/, and host.html: an LMS page whose
    scorm-again runtime is window.API, launching the package named by ?pkg= in a frame."""
    if not SCORM_RUNTIME.is_file():
        pytest.fail(f"{SCORM_RUNTIME.relative_to(ROOT)} is missing: run `npm ci` (make test does)", pytrace=False)
    root = tmp_path_factory.mktemp("scorm-lms")
    packages = make_packages(root, ROOT / "content", "scorm12")
    (root / "runtime").mkdir()
    (root / "runtime" / "scorm12.js").write_bytes(SCORM_RUNTIME.read_bytes())
    (root / "host.html").write_text(HOST_PAGE, "utf-8")
    with served(root) as address:
        yield address, packages


#: The LMS: scorm-again as window.API, every call to it logged in window.calls, what an earlier session left
#: (window.previous, set by the test) loaded first, and the package launched in a frame.
HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="runtime/scorm12.js"></script>
<script>
window.calls = [];
// mastery_override (scorm-again's default, said here as the tests rely on it): at LMSFinish the runtime
// re-judges lesson_status from score.raw against student_data.mastery_score, as Moodle does.
window.API = new Scorm12API({ autocommit: false, logLevel: 5, mastery_override: true });
["LMSInitialize", "LMSFinish", "LMSCommit"].forEach(function (name) {
  API.on(name, function () { calls.push([name]); });
});
API.on("LMSSetValue.cmi.*", function (element, value) { calls.push(["LMSSetValue", element, value]); });
if (window.previous) API.loadFromJSON(window.previous, "");
window.recorded = function () { return JSON.parse(JSON.stringify(API.renderCMIToJSONObject())); };
window.count = function (name) { return calls.filter(function (call) { return call[0] === name; }).length; };
</script></head>
<body><iframe id="sco" title="Package" style="width: 100%; height: 95vh; border: 0"></iframe>
<script>
document.getElementById("sco").src = "pkg/" + new URLSearchParams(location.search).get("pkg") + "/index.html";
</script></body></html>
"""
