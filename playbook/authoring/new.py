"""``playbook new``: start a module, checklist or path whose every placeholder ``playbook check`` points at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from ..content import PLAYBOOK_FILE, model
from ..content.schema import ID_PATTERN, RESERVED_IDS
from ..errors import Refused, UsageError

KINDS = {"module": "modules", "checklist": "checklists", "path": "paths"}
#: How far ahead a new file's first review date is set.
REVIEW_AFTER = dt.timedelta(days=182)


def check_new_id(new_id: str) -> None:
    if not ID_PATTERN.fullmatch(new_id):
        raise UsageError(f"{new_id!r} is not a valid id; use 1 to 64 lowercase letters, digits and '-'", "new")
    if new_id in RESERVED_IDS:
        raise UsageError(f"{new_id!r} is a name the site uses itself; choose another id", "new")


def new(kind: str, new_id: str, content: Path, site: model.Site, today: dt.date) -> list[Path]:
    """Write the new file (and add a module to the reading order); the files changed."""
    check_new_id(new_id)
    target = content / KINDS[kind] / f"{new_id}.yml"
    if target.exists():
        raise Refused(f"{target.as_posix()}: already exists; choose another id or edit that file")
    role = site.playbook.roles[0].id
    review_by = (today + REVIEW_AFTER).isoformat()
    text = {"module": _module, "checklist": _checklist, "path": _path}[kind](new_id, site, role, review_by)
    target.parent.mkdir(parents=True, exist_ok=True)
    changed = [target]
    if kind == "module":
        playbook_file = content / PLAYBOOK_FILE
        with open(playbook_file, encoding="utf-8", newline="") as stream:  # keep the file's line endings
            updated = add_to_reading_order(stream.read(), new_id)
        with open(playbook_file, "w", encoding="utf-8", newline="") as stream:
            stream.write(updated)
        changed.append(playbook_file)
    target.write_text(text, "utf-8")
    return changed


def _module(new_id: str, site: model.Site, role: str, review_by: str) -> str:
    outcome = site.playbook.outcomes[0].id
    title = new_id.replace("-", " ").capitalize()
    return f"""id: {new_id}
title: {title}
summary: |
  TODO: one or two sentences on what this module covers and why it matters.
roles: [{role}]
minutes: 15
revision: 1
owner: Head of Customer Care
review_by: {review_by}
objectives:
  - "TODO: after this module you can describe the first thing to do differently."
principles:
  - id: first-principle
    title: "TODO: the first principle in a few words"
    outcome: {outcome}
    why: |
      TODO: why this matters to customers, in two or three sentences.
    actions:
      - id: first-action
        text: "TODO: one thing to do, written as an instruction."
    avoid:
      - "TODO: one thing to avoid."
    example: |
      TODO: a short, real-sounding situation from everyday work where this principle helps.
    source: "TODO: the article or experience this principle draws on"
checks:
  - id: first-question
    question: "TODO: a question that checks the principle was understood?"
    choices:
      - id: a
        text: "TODO: the right answer."
        correct: true
        explanation: "TODO: why this answer is right."
      - id: b
        text: "TODO: a tempting wrong answer."
        explanation: "TODO: why this answer is wrong."
"""


def _checklist(new_id: str, site: model.Site, role: str, review_by: str) -> str:
    title = new_id.replace("-", " ").capitalize()
    return f"""id: {new_id}
title: {title}
summary: |
  TODO: when to use this checklist, in one or two sentences.
roles: [{role}]
owner: Head of Customer Care
review_by: {review_by}
sections:
  - title: First steps
    items:
      - id: first-step
        text: "TODO: the first thing to do."
"""


def _path(new_id: str, site: model.Site, role: str, review_by: str) -> str:
    if not site.modules:
        raise UsageError("a learning path needs at least one module; create a module first", "new")
    title = new_id.replace("-", " ").capitalize()
    steps = "".join(f"  - module: {module.id}\n    due_days: {7 * n}\n" for n, module in enumerate(site.modules[:3], 1))
    return f"""id: {new_id}
title: {title}
role: {role}
summary: |
  TODO: who this path is for and what they will be able to do at the end.
owner: Head of Customer Care
review_by: {review_by}
steps:
{steps}"""


def add_to_reading_order(text: str, module_id: str) -> str:
    """playbook.yml text with ``module_id`` appended to the last module list, comments and layout kept."""
    modules = _module_list(yaml.compose(text, Loader=yaml.SafeLoader))
    if not isinstance(modules, yaml.SequenceNode):
        raise UsageError(f"{PLAYBOOK_FILE} has no module list to add to; add a 'modules:' list first", "new")
    if modules.flow_style:
        close = text.rindex("]", 0, modules.end_mark.index)
        before = text[:close].rstrip()
        separator = "" if not modules.value or before.endswith(",") else ", "
        updated = text[:close] + separator + module_id + text[close:]
    else:
        last = modules.value[-1]
        line_end = text.find("\n", last.end_mark.index)
        line_end = len(text) if line_end == -1 else line_end
        newline = "\r\n" if text[line_end - 1 : line_end] == "\r" else "\n"
        line_end = line_end - 1 if newline == "\r\n" else line_end
        indent = " " * (last.start_mark.column - 2)
        updated = text[:line_end] + f"{newline}{indent}- {module_id}" + text[line_end:]
    # Nothing is written unless the result still reads and lists the module.
    if module_id not in _reading_order(updated):
        raise UsageError(f"could not add {module_id!r} to the reading order in {PLAYBOOK_FILE}; add it by hand", "new")
    return updated


def _module_list(root: yaml.Node | None) -> yaml.Node | None:
    """The module list a new module joins: the last section's, or the top-level one."""
    order = _mapping_value(root, "sections")
    if isinstance(order, yaml.SequenceNode) and order.value:
        return _mapping_value(order.value[-1], "modules")
    return _mapping_value(root, "modules")


def _reading_order(text: str) -> list[str]:
    """The ids in the module list of playbook.yml text, or none when it does not read."""
    try:
        modules = _module_list(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    if not isinstance(modules, yaml.SequenceNode):
        return []
    return [node.value for node in modules.value if isinstance(node, yaml.ScalarNode)]


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for name, value in node.value if isinstance(name, yaml.ScalarNode) and name.value == key), None)
