"""What goes into one LMS package: a learning path or a module, the modules it records, where it opens.

A package records its modules' knowledge checks and completions. Its
identifier stays the same from revision to revision, and its version rises
with the content, so an LMS sees a new revision as a new version of the same
course rather than a second course.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..content import model

#: The formats ``playbook lms`` writes.
FORMATS = ("scorm12", "cmi5")


@dataclass(frozen=True)
class Unit:
    """One package: ``kind`` is "path" or "module"."""

    kind: str
    id: str
    title: str
    description: str
    #: The modules the package records, in the order the learner meets them.
    modules: tuple[model.Module, ...]
    #: The built page the package opens at, relative to the site.
    start: str
    #: Rises with every new revision of the package's content: a module's is its revision; a path's is
    #: "<path revision>.<its modules' revisions added up>", so revising a module raises it, and so does the
    #: path's own revision, which rises when its steps change even if that leaves fewer modules.
    version: str

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.id}"

    def file_name(self, fmt: str) -> str:
        return f"{self.name}-{fmt}.zip"


def units(site: model.Site) -> list[Unit]:
    """A package for every learning path, then every module, in the content's order."""
    found = []
    for path in site.paths:
        modules = tuple(site.module(step.module) for step in path.steps)
        found.append(Unit("path", path.id, path.title, path.summary, modules, f"paths/{path.id}.html",
                          f"{path.revision}.{sum(module.revision for module in modules)}"))
    return found + [module_unit(module) for module in site.modules]


def module_unit(module: model.Module) -> Unit:
    return Unit("module", module.id, module.title, module.summary, (module,), f"modules/{module.id}.html",
                str(module.revision))


def mastery_score(site: model.Site, unit: Unit) -> int | None:
    """The percent a package's score must reach to pass: its modules' pass marks, averaged and rounded up (the
    package's score is the average of their knowledge checks); None when no module has a check."""
    marks = [site.pass_mark(module) for module in unit.modules if module.checks]
    return math.ceil(sum(marks) / len(marks)) if marks else None


def identifier(site: model.Site, unit: Unit) -> str:
    """The unit's lasting name in SCORM, the same in every revision: ``playbook-<organisation>-<kind>-<id>``, an
    XML name (a letter first)."""
    return "-".join(part for part in ("playbook", _organisation(site), unit.kind, unit.id) if part)


def iri(site: model.Site, unit: Unit) -> str:
    """The unit's lasting name in cmi5, the same in every revision: ``urn:playbook:<organisation>:<kind>:<id>``."""
    return ":".join(part for part in ("urn:playbook", _organisation(site), unit.kind, unit.id) if part)


def _organisation(site: model.Site) -> str:
    return re.sub(r"[^a-z0-9]+", "-", site.playbook.organisation.lower()).strip("-")
