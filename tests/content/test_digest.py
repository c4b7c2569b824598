"""The digest of a module's published text: the same content gives the same digest, and only what a learner
reads changes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.content import load_site, module_digest

from .test_validate import edit, problems


@pytest.fixture
def here(content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(content.parent)
    return content


def digest(module_id: str = "promises") -> str:
    return module_digest(load_site("content").module(module_id))


def test_a_digest_is_sha256_of_the_module_and_stable(here: Path) -> None:
    first = digest()
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", first)
    assert digest() == first
    assert digest("listening") != first


@pytest.mark.parametrize(("old", "new"), [
    ("owner: Head of Care", "owner: Team lead"),  # who keeps it is not what it says
    ("review_by: 2027-02-28", "review_by: 2027-06-30"),
    ("minutes: 15", "minutes: 20"),
    ("roles: [agent]", "roles: [agent, lead]"),
    ("id: promises\n", "# a comment moves every line\nid: promises\n"),
])
def test_what_a_learner_does_not_read_leaves_the_digest(here: Path, old: str, new: str) -> None:
    before = digest()
    edit(here / "modules/promises.yml", old, new)
    assert digest() == before


@pytest.mark.parametrize(("old", "new"), [
    ("Say what you will do, then do it.", "Say what you will do, then do it today."),
    ("A time can be checked.", "A time can be checked later."),
    ("text: A smile.", "text: A grin."),
    ("Make promises you can keep.", "Make promises you can keep, and keep them."),
])
def test_what_a_learner_reads_changes_the_digest(here: Path, old: str, new: str) -> None:
    before = digest()
    edit(here / "modules/promises.yml", old, new)
    assert digest() != before


def test_a_changelog_names_revisions_the_module_has_had(here: Path) -> None:
    edit(here / "modules/promises.yml", "revision: 2", "revision: 2\nchangelog:\n  - revision: 3\n    changes: Later."
         "\n  - revision: 2\n    changes: Now with a time.\n  - revision: 2\n    changes: Again.")
    assert problems() == [
        "content/modules/promises.yml:8:5: changelog[1].revision: 3 is newer than the module's revision 2; "
        "bump 'revision' or fix the entry",
        "content/modules/promises.yml:12:5: changelog[3].revision: 2 has another entry already; keep one per revision",
    ]


def test_the_trainer_email_is_an_address(here: Path) -> None:
    playbook = here / "playbook.yml"
    playbook.write_text(playbook.read_text("utf-8") + "trainer_email: the trainer\n", "utf-8")
    (message,) = problems()
    assert message.endswith("trainer_email: 'the trainer' is not an e-mail address; write one like "
                            "training@example.org")
