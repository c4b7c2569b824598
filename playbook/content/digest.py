"""The digest of a module's published text: what a learner's receipt says they read.

``sha256:`` and the SHA-256, in hex, of one canonical JSON text of what the
module page teaches and asks: its title, summary, objectives, principles
(with their actions, pitfalls, examples and sources), knowledge checks and
``.md`` introduction, exactly as written in the content. Keys are sorted,
there is no white space, and text is UTF-8. Positions, dates, owner, roles,
tags, pass mark, changelog and search terms are left out: they do not change
what a learner reads. The same content always gives the same digest, so the site (which
writes it into the module page) and ``playbook record`` (which computes it
from the content) agree without sharing anything but the content.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import model

#: Fields of the published parts (a principle, a check) a learner does not read.
_UNREAD = ("pos", "search_terms")
#: The module's fields that make up its published text.
PUBLISHED = ("id", "title", "summary", "objectives", "principles", "checks", "intro")


def module_digest(module: model.Module) -> str:
    """``sha256:<hex>`` of the module's published text (see above)."""
    return module.digest


def published_digest(module: model.Module) -> str:
    """What :attr:`playbook.content.model.Module.digest` holds, worked out."""
    text = {name: _plain(getattr(module, name)) for name in PUBLISHED}
    canonical = json.dumps(text, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """Dataclasses as mappings without their positions, tuples as lists, ids as plain strings."""
    if dataclasses.is_dataclass(value):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)
                if field.name not in _UNREAD}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value
