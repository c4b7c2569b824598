"""``playbook review``: what is past its review date, has no owner or has a stale translation; and ``playbook
translations``: every language's state, file by file."""

from __future__ import annotations

import datetime as dt

from ..content import model
from ..errors import Problem


def review(site: model.Site, today: dt.date) -> list[Problem]:
    """Modules, checklists and paths past their review date or without an owner, and stale translations."""
    found = stale_translations(site, with_owner=True)
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


def stale_translations(site: model.Site, with_owner: bool = False) -> list[Problem]:
    """Each translated file whose source has a newer revision than the one it translates, at its ``revision``."""
    found = []
    for translation in site.translations:
        for state in translation.states:
            if state.state != "stale":
                continue
            owner = f" (source owner: {state.owner})" if with_owner and state.owner else ""
            found.append(Problem(state.pos, f"translates revision {state.revision} of {state.source_pos.path}, which "
                                            f"is now at revision {state.source_revision}{owner}; update the "
                                            f"translation, then set 'revision: {state.source_revision}'"))
    return found


def translation_report(site: model.Site) -> list[str]:
    """One line per language with its counts, then one per file that is not fully translated, worst first."""
    lines = []
    for translation in site.translations:
        states = sorted(translation.states, key=lambda s: (model.STATES.index(s.state), s.kind, s.id))
        counts = ", ".join(f"{sum(s.state == state for s in states)} {state}" for state in reversed(model.STATES))
        lines.append(f"{translation.language}: {counts} (of {len(states)} files)")
        for state in states:
            if state.state == "translated":
                continue
            name = "playbook.yml" if state.kind == "playbook" else f"{state.kind} {state.id}"
            if state.state == "missing":
                detail = f"missing; translate {state.source_pos.path} into {state.pos.path}"
            elif state.state == "stale":
                detail = f"stale; translates revision {state.revision}, the source is at {state.source_revision}"
            else:
                detail = f"partial; shows the source text for {', '.join(state.untranslated)}"
            lines.append(f"  {name}: {detail}")
    return lines
