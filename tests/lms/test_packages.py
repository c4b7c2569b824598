"""``playbook lms``: a package per learning path and module, valid manifests, the same bytes every time,
nothing overwritten that playbook did not write, no trainer data inside."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
import yaml

from playbook.cli import main
from playbook.content import load_site

from ..conftest import ROOT

SCHEMAS = ROOT / "playbook" / "lms" / "schemas"
SITE = load_site(ROOT / "content")
CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
CMI5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
EXPECTED = [f"path-{p.id}" for p in SITE.paths] + [f"module-{m.id}" for m in SITE.modules]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's content, settings and example trainer data, as a fresh clone has them."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    os.chdir(tmp_path)
    return tmp_path


def _scorm_schema(folder: Path) -> xmlschema.XMLSchema:
    """The manifest's schemas as the packages ship them: the IMS content packaging schema with ADL's SCORM 1.2
    extension. Their ims_xml.xsd (2001) binds a prefix to the XML namespace, which XML parsers have refused
    since; the copy validated here imports xmlschema's own schema of that namespace instead."""
    shutil.copytree(SCHEMAS / "scorm12", folder)
    root = folder / "imscp_rootv1p1p2.xsd"
    xml_namespace = Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd"
    root.write_text(root.read_text("utf-8").replace('schemaLocation="ims_xml.xsd"',
                                                    f'schemaLocation="{xml_namespace.as_uri()}"'), "utf-8")
    wrapper = folder / "scorm12.xsd"
    wrapper.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        '<xsd:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2" schemaLocation="imscp_rootv1p1p2.xsd"/>'
        '<xsd:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2" schemaLocation="adlcp_rootv1p2.xsd"/>'
        '</xsd:schema>', "utf-8")
    return xmlschema.XMLSchema(wrapper)


def test_every_path_and_module_gets_a_valid_scorm_package(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lms", "--format", "scorm12"]) == 0
    assert capsys.readouterr().out == f"lms: {len(EXPECTED)} scorm12 package(s), {len(EXPECTED)} written, 0 unchanged\n"
    assert sorted(p.name for p in (project / "lms").glob("*.zip")) == sorted(f"{n}-scorm12.zip" for n in EXPECTED)
    schema = _scorm_schema(project / "schemas")
    for name in EXPECTED:
        with zipfile.ZipFile(project / "lms" / f"{name}-scorm12.zip") as archive:
            names = archive.namelist()
            manifest = archive.read("imsmanifest.xml")
        for xsd in ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"):
            assert xsd in names
        schema.validate(manifest.decode("utf-8"))
        root = ElementTree.fromstring(manifest)
        resources = root.findall(f"{CP}resources/{CP}resource")
        assert len(resources) == 1 and resources[0].get(f"{ADLCP}scormtype") == "sco"
        listed = sorted(file.get("href") for file in resources[0].findall(f"{CP}file"))
        assert listed == sorted(n for n in names if n != "imsmanifest.xml")
        assert len(root.findall(f"{CP}organizations/{CP}organization/{CP}item")) == 1
        assert root.find(f".//{ADLCP}masteryscore").text == "80"
        kind, _, id_ = name.partition("-")
        assert root.get("identifier") == f"playbook-northwind-care-{name}"
        if kind == "module":
            assert root.get("version") == str(SITE.module(id_).revision)
        else:
            path = next(path for path in SITE.paths if path.id == id_)
            assert root.get("version") == f"{path.revision}.{sum(SITE.module(s.module).revision for s in path.steps)}"
        assert f"site/{'paths' if kind == 'path' else 'modules'}/{id_}.html" in names


def test_every_path_and_module_gets_a_valid_cmi5_package(project: Path) -> None:
    assert main(["lms", "--format", "cmi5"]) == 0
    schema = xmlschema.XMLSchema(SCHEMAS / "cmi5" / "CourseStructure.xsd")
    for name in EXPECTED:
        with zipfile.ZipFile(project / "lms" / f"{name}-cmi5.zip") as archive:
            names = archive.namelist()
            structure = archive.read("cmi5.xml")
        schema.validate(structure.decode("utf-8"))
        root = ElementTree.fromstring(structure)
        kind, _, id_ = name.partition("-")
        modules = [SITE.module(s.module) for s in next(p for p in SITE.paths if p.id == id_).steps] \
            if kind == "path" else [SITE.module(id_)]
        assert root.find(f"{CMI5}course").get("id") == f"urn:playbook:northwind-care:{kind}:{id_}"
        aus = root.findall(f"{CMI5}au")
        assert [au.get("id") for au in aus] == [f"urn:playbook:northwind-care:module:{m.id}" for m in modules]
        assert {(au.get("moveOn"), au.get("masteryScore")) for au in aus} == {("CompletedAndPassed", "0.80")}
        for au in aus:
            assert au.find(f"{CMI5}url").text in names


def test_named_ids_make_only_those_and_the_same_content_gives_the_same_bytes(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lms", "--format", "scorm12", "--out", "one", "listening", "path-front-line-onboarding"]) == 0
    assert sorted(p.name for p in (project / "one").glob("*.zip")) == [
        "module-listening-scorm12.zip", "path-front-line-onboarding-scorm12.zip"]
    assert main(["lms", "--format", "scorm12", "--out", "two", "listening"]) == 0
    assert (project / "one" / "module-listening-scorm12.zip").read_bytes() == \
        (project / "two" / "module-listening-scorm12.zip").read_bytes()
    capsys.readouterr()
    assert main(["lms", "--format", "scorm12", "--out", "one", "listening"]) == 0
    assert capsys.readouterr().out == "one: 1 scorm12 package(s), 0 written, 1 unchanged\n"
    assert main(["lms", "--format", "scorm12", "nothing-like-it"]) == 2
    assert capsys.readouterr().err == (
        f"playbook lms: error: no learning path or module 'nothing-like-it' (choose from: {', '.join(EXPECTED)})\n")


def _version(package: Path) -> tuple[int, ...]:
    with zipfile.ZipFile(package) as archive:
        version = ElementTree.fromstring(archive.read("imsmanifest.xml")).get("version")
    return tuple(int(part) for part in version.split("."))


def test_a_path_s_version_rises_when_its_steps_change_though_it_then_has_fewer_modules(project: Path) -> None:
    package = project / "lms" / "path-front-line-onboarding-scorm12.zip"
    assert main(["lms", "--format", "scorm12", "path-front-line-onboarding"]) == 0
    before = _version(package)
    file = project / "content" / "paths" / "front-line-onboarding.yml"
    text = file.read_text("utf-8")
    dropped = "  - module: guiding-new-customers\n    due_days: 21\n"
    assert dropped in text
    file.write_text(text.replace(dropped, "") + "revision: 2\n", "utf-8")
    assert main(["lms", "--format", "scorm12", "path-front-line-onboarding"]) == 0
    assert _version(package) > before


def test_a_file_playbook_did_not_write_is_never_overwritten(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "lms").mkdir()
    (project / "lms" / "module-listening-cmi5.zip").write_bytes(b"the trainer's own upload")
    assert main(["lms", "--format", "cmi5"]) == 3
    assert capsys.readouterr().err == (
        "refused: lms/module-listening-cmi5.zip: not written by playbook (or changed since), so not overwritten; "
        "move it elsewhere or choose another --out\n")
    assert (project / "lms" / "module-listening-cmi5.zip").read_bytes() == b"the trainer's own upload"
    assert sorted(p.name for p in (project / "lms").glob("*.zip")) == ["module-listening-cmi5.zip"]


def _roster_words() -> list[str]:
    people = yaml.safe_load((ROOT / "examples" / "training" / "roster.yml").read_text("utf-8"))["people"]
    return [word for person in people for word in (person["name"], person["email"])]


def test_no_trainer_data_reaches_a_package(project: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLAYBOOK_TRAINING", "examples/training")
    for fmt in ("scorm12", "cmi5"):
        assert main(["lms", "--format", fmt]) == 0
    checked = 0
    for package in sorted((project / "lms").glob("*.zip")):
        with zipfile.ZipFile(package) as archive:
            for entry in archive.namelist():
                text = archive.read(entry).decode("utf-8", errors="replace").lower()
                assert not [word for word in _roster_words() if word.lower() in text], f"{package.name}:{entry}"
                checked += 1
    assert checked > 1000
    # A roster name written into the content stops the packages (exit 3), and none is written.
    shutil.rmtree(project / "lms")
    module = project / "content" / "modules" / "listening.yml"
    module.write_text(module.read_text("utf-8").replace("summary: |\n", "summary: |\n  Ana Fictional says hello.\n", 1),
                      "utf-8")
    capsys.readouterr()
    assert main(["lms", "--format", "scorm12"]) == 3
    assert capsys.readouterr().err.splitlines()[0] == (
        "refused: <package>/site/downloads/module-listening.html: contains a name or email from the trainer roster; "
        "remove it from the content before publishing")
    assert not (project / "lms").exists()
