"""``playbook lms``: the site built for an LMS, then one zip per learning path and module.

generate (the site's pipeline) -> stage in a scratch folder with the LMS page script -> mkdocs build (the
offline configuration) -> privacy scan -> per unit: launch page(s) + manifest + schemas + the built site -> zip

Every package holds the same built site under ``site/`` (pages link to each other, so a package keeps them
all), opened at the unit's own page by a launch page that holds the connection to the LMS while the learner
moves between pages: SCORM 1.2 has one (``index.html``), cmi5 one per module (``au-<id>.html``).
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
import yaml

from ..content import model
from ..errors import UsageError
from ..site import privacy, publish
from ..site.mkdocs_config import OFFLINE_CONFIG
from ..site.mkdocs_run import run_mkdocs, source_date_epoch
from ..site.owned_folder import SyncReport, locked, write_owned
from ..site.pipeline import generate
from ..site.project import Project
from ..templates import environment
from .units import Unit, identifier, iri, mastery_score, module_unit, units

#: The staged configuration of the LMS build: the offline site, with the page script that finds the launch page.
LMS_CONFIG = "mkdocs-lms.yml"
#: Loaded by every page before the site's own scripts (it hands them the launch page's store).
PAGE_SCRIPT = "assets/playbook-lms-page.js"
#: The launch page's own files, under ``lms/`` in every package.
LAUNCH_ASSETS = ("playbook-lms.css", "playbook-lms.js")
#: Written into every package, so playbook knows a zip in --out is its own.
PACKAGE_MARK = b"playbook lms package"
#: The schema files each format's manifest refers to, shipped at the package root (see schemas/README.md).
SCHEMAS = {"scorm12": ("imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd", "adlcp_rootv1p2.xsd", "ims_xml.xsd"),
           "cmi5": ()}


@dataclass(frozen=True)
class Written:
    files: list[str]
    report: SyncReport


def write_packages(project: Project, fmt: str, wanted: list[str], out: Path) -> Written:
    """Build the site once and write the chosen units' packages into ``out`` (refusing files not playbook's)."""
    site, files = generate(project)
    chosen = choose(units(site), wanted)
    built = build_site(project, site, files)
    packages = {unit.file_name(fmt): package(site, unit, fmt, built) for unit in chosen}
    with locked(out):
        return Written(sorted(packages), write_owned(out, out.as_posix(), packages))


def choose(found: list[Unit], wanted: list[str]) -> list[Unit]:
    """The units named (``path-ID``, ``module-ID`` or a plain id, which may name both), or all of them."""
    if not wanted:
        return found
    chosen: list[Unit] = []
    for name in wanted:
        matches = [unit for unit in found if name in (unit.name, unit.id)]
        if not matches:
            raise UsageError(f"no learning path or module {name!r} (choose from: "
                             f"{', '.join(unit.name for unit in found)})", "lms")
        chosen += [unit for unit in matches if unit not in chosen]
    return chosen


def build_site(project: Project, site: model.Site, files: dict[str, str]) -> dict[str, bytes]:
    """The site as the packages carry it: built with MkDocs from a scratch staging folder, ``{path: bytes}``."""
    config = yaml.safe_load(files[OFFLINE_CONFIG])
    config["extra_javascript"] = [PAGE_SCRIPT, *config["extra_javascript"]]
    staged = {**files, LMS_CONFIG: yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000),
              f"docs/{PAGE_SCRIPT}": _asset("playbook-lms-page.js")}
    with tempfile.TemporaryDirectory(prefix=".playbook-lms-") as scratch:
        staging, site_dir = Path(scratch) / "build", Path(scratch) / "site"
        for name, text in staged.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text, "utf-8")
        run_mkdocs(staging / LMS_CONFIG, site_dir, source_date_epoch(project.content))
        privacy.scan(site_dir, "<package>/site", site.playbook.shown_emails, project.roster_words)
        publish.trim_for_disk(site_dir)
        return {path.relative_to(site_dir).as_posix(): path.read_bytes()
                for path in sorted(site_dir.rglob("*")) if path.is_file()}


def package(site: model.Site, unit: Unit, fmt: str, built: dict[str, bytes]) -> bytes:
    """One package's zip: its manifest at the root, the launch page(s), their scripts, the site under site/."""
    env = environment("playbook.lms")
    lang = site.playbook.locale or "en"
    files: dict[str, bytes] = {f"site/{name}": data for name, data in built.items()}
    for name in (*LAUNCH_ASSETS, f"playbook-lms-{fmt}.js"):
        files[f"lms/{name}"] = _asset(name).encode("utf-8")
    for name in SCHEMAS[fmt]:
        files[name] = resources.files("playbook.lms").joinpath(f"schemas/{fmt}/{name}").read_bytes()
    if fmt == "scorm12":
        files["index.html"] = _launch_page(env, site, unit, unit, fmt, lang)
        manifest = env.get_template("imsmanifest.xml.j2").render(
            identifier=identifier(site, unit), unit=unit, title=unit.title, mastery_score=mastery_score(site, unit),
            launch="index.html", files=sorted(files))
        files["imsmanifest.xml"] = manifest.encode("utf-8")
    else:
        aus = []
        for module in unit.modules:
            page = f"au-{module.id}.html"
            single = module_unit(module)
            files[page] = _launch_page(env, site, unit, single, fmt, lang)
            mastery = mastery_score(site, single)
            aus.append({"id": iri(site, single), "title": module.title, "description": module.summary.strip(),
                        "url": page, "mastery": None if mastery is None else f"{mastery / 100:.2f}",
                        "move_on": "CompletedAndPassed" if module.checks else "Completed"})
        structure = env.get_template("cmi5.xml.j2").render(
            course_id=iri(site, unit), title=unit.title, description=unit.description.strip(),
            lang=lang, aus=aus)
        files["cmi5.xml"] = structure.encode("utf-8")
    with io.BytesIO() as stream:
        publish.write_zip_entries(stream, PACKAGE_MARK, sorted(files.items()))
        return stream.getvalue()


def _launch_page(env: jinja2.Environment, site: model.Site, unit: Unit, shown: Unit, fmt: str, lang: str) -> bytes:
    """A launch page of ``unit``'s package that records ``shown`` (the unit itself, or one module of it in cmi5):
    the frame the site's pages show in, and what its scripts need to know."""
    config = {
        "format": fmt,
        "package": unit.name,
        "title": shown.title,
        "start": shown.start,
        "masteryScore": mastery_score(site, shown),
        "modules": [{"id": module.id, "title": module.title, "revision": module.revision,
                     "passMark": site.pass_mark(module), "checks": len(module.checks)} for module in shown.modules],
    }
    return env.get_template("launch.html.j2").render(lang=lang, title=shown.title, config=config,
                                                     format=fmt).encode("utf-8")


def _asset(name: str) -> str:
    return resources.files("playbook.lms").joinpath(f"assets/{name}").read_text("utf-8")
