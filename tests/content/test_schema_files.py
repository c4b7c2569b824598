"""Schemas for editors: valid JSON Schema, a description on every field, and the same rules as check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from playbook.cli import main
from playbook.content import files as schema

from ..conftest import ROOT

# --- Schemas for editors -------------------------------------------------------------------------------

class _TextDates(yaml.SafeLoader):
    """YAML as an editor reads it (YAML 1.2: dates stay strings)."""


_TextDates.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

CONTENT_FILES = [("playbook", ROOT / "content" / "playbook.yml")] + [
    (kind, path) for kind, folder in (("module", "modules"), ("checklist", "checklists"), ("path", "paths"))
    for path in sorted((ROOT / "content" / folder).glob("*.yml"))
]


@pytest.mark.parametrize("kind", list(schema.DOCUMENTS))
def test_schemas_are_valid_and_describe_every_field(kind: str) -> None:
    document = schema.json_schema(kind)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("description"), f"{kind}: {name} has no description"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)


@pytest.mark.parametrize(("kind", "path"), CONTENT_FILES, ids=[p.relative_to(ROOT).as_posix() for _, p in CONTENT_FILES])
def test_every_content_file_passes_its_schema(kind: str, path: Path) -> None:
    validator = Draft202012Validator(schema.json_schema(kind))
    data = yaml.load(path.read_text("utf-8"), Loader=_TextDates)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)] == []


def test_the_schema_catches_what_check_catches() -> None:
    validator = Draft202012Validator(schema.json_schema("module"))
    data = yaml.load((ROOT / "content/modules/listening.yml").read_text("utf-8"), Loader=_TextDates)
    data["titel"] = data.pop("title")
    data["minutes"] = "many"
    assert len(list(validator.iter_errors(data))) == 3  # unknown key, missing title, minutes not a number


def test_committed_schemas_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    for kind in schema.DOCUMENTS:
        committed = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        assert committed == schema.json_schema(kind), f"run `make schemas` to refresh schemas/{kind}.schema.json"
    assert main(["schema", "checklist"]) == 0
    assert json.loads(capsys.readouterr().out) == schema.json_schema("checklist")


def test_editor_settings_map_every_content_file_to_its_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    mapped = settings["yaml.schemas"]
    assert mapped == {
        "./schemas/playbook.schema.json": "content/playbook.yml",
        "./schemas/module.schema.json": "content/modules/*.yml",
        "./schemas/checklist.schema.json": "content/checklists/*.yml",
        "./schemas/path.schema.json": "content/paths/*.yml",
    }



def test_schema_out_onto_a_file_is_reported_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("", "utf-8")
    assert main(["schema", "--out", str(tmp_path / "f")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip().endswith("check the folder exists and can be written")
