"""``playbook review``: what is past its review date or has no owner."""

from __future__ import annotations

import datetime as dt

from ..content import model
from ..errors import Problem


def review(site: model.Site, today: dt.date) -> list[Problem]:
    """Modules, checklists and paths past their review date or without an owner."""
    found = []
    for kind, items in (("module", site.modules), ("checklist", site.checklists), ("path", site.paths)):
        for item in items:
            owner = getattr(item, "owner", None)
            review_by = getattr(item, "review_by", None)
            if not owner:
                found.append(Problem(item.pos, f"{kind} {item.id!r} has no owner; add 'owner:' with a job title"))
            if review_by is None:
                found.append(Problem(item.pos, f"{kind} {item.id!r} has no review date; add 'review_by: YYYY-MM-DD'"))
            elif review_by < today:
                days = (today - review_by).days
                found.append(Problem(item.pos, f"{kind} {item.id!r} was due for review on {review_by.isoformat()} "
                                               f"({days} days ago); review it, then set a new 'review_by'"))
    return sorted(found, key=lambda p: (p.position.path, p.message))
