"""A site per language: the source language's at the site root, each translation's under ``<language>/``.

Every language's site is made by the same templates from its own model (the
translation laid over the source, see :mod:`playbook.content.translations`),
staged as its own tree (``build/mkdocs.yml`` + ``build/docs/`` for the source,
``build/<language>/mkdocs.yml`` + ``build/<language>/docs/`` for the others)
and built into the matching folder of the site. Each tree builds alone, with
``mkdocs build`` or ``zensical build``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Site
from ..content.model import FileState, Translation
from ..messages import Messages, messages


@dataclass(frozen=True)
class Edition:
    """One language's site."""

    #: The model in this language.
    site: Site
    #: The source language's model.
    source: Site
    #: None for a playbook that names no languages (its language is theme.language in mkdocs.yml).
    language: str | None
    #: Where the tree is staged and built, from the site root: "" for the source language, else "fr/".
    folder: str
    messages: Messages
    #: None for the source language.
    translation: Translation | None

    def state(self, kind: str, item_id: str) -> FileState | None:
        """How far the page's file is translated; None in the source language."""
        return self.translation.state(kind, item_id) if self.translation is not None else None

    @property
    def root(self) -> str:
        """The site root from this tree's root: "" for the source language, "../" for a translation."""
        return "../" * self.folder.count("/")


def editions(site: Site) -> list[Edition]:
    """The source language's edition, then one per translation, in the order ``languages`` lists them."""
    found = [Edition(site, site, site.language, "", messages(site.language), None)]
    for translation in site.translations:
        found.append(Edition(translation.site, site, translation.language, f"{translation.language}/",
                             messages(translation.language), translation))
    return found
