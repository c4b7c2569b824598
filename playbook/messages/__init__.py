"""The words playbook writes itself (page headings, widget labels, sheet and plan text), in each site language.

Templates and scripts are written in English and call each message by its
English text: ``{{ _("Checklists") }}`` in a template, ``pb.t("Not started")``
in the learner scripts, with ``{name}`` for what changes (``_("Step {n} of
{total}", n=1, total=5)``). A catalogue, ``<language>.yml`` beside this file,
gives each message in that language: ``pages`` for what Python renders,
``scripts`` for the learner scripts (written into each site as
``assets/playbook-language.js``). A message a catalogue lacks stays English, and a
test proves the French catalogue lacks none.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from markupsafe import Markup

#: Each language's own name, as a language switch offers it.
AUTONYMS = {"de": "Deutsch", "en": "English", "es": "Español", "fr": "Français", "it": "Italiano",
            "nl": "Nederlands", "pl": "Polski", "pt": "Português", "sv": "Svenska"}


@dataclass(frozen=True)
class Messages:
    """One language's messages: call it with a message's English text (and its values) for the text to write."""

    language: str
    pages: dict[str, str] = field(default_factory=dict)
    scripts: dict[str, str] = field(default_factory=dict)

    def __call__(self, text: str, **values: Any) -> str:
        written = self.pages.get(text, text)
        return written.format(**values) if values else written

    def markup(self, text: str, **values: Any) -> Markup:
        """The message for a template: our own text as it is (like a template's), its values escaped unless
        they are Markup already (text the escaping filters made)."""
        written = Markup(self.pages.get(text, text))
        return written.format(**values) if values else written

    @property
    def autonym(self) -> str:
        return AUTONYMS.get(self.language, AUTONYMS.get(self.language.split("-")[0], self.language))


@functools.cache
def messages(language: str | None) -> Messages:
    """The messages of ``language`` (a code such as fr or pt-BR): its catalogue's, else its primary language's
    (pt for pt-BR), else English."""
    language = language or "en"
    for name in (language, language.split("-")[0]):
        catalogue = resources.files(__name__).joinpath(f"{name}.yml")
        if catalogue.is_file():
            loaded = yaml.safe_load(catalogue.read_text("utf-8"))
            return Messages(language, dict(loaded.get("pages") or {}), dict(loaded.get("scripts") or {}))
    return Messages(language)


def readable_date(day: dt.date, locale: str) -> str:
    """``day`` as readers of ``locale`` (a BCP 47 tag) write it: 5 March 2026 in en-GB, March 5, 2026 in en-US,
    5 mars 2026 in fr-CA. It is CLDR's long date, the one the learner scripts write on the site with
    Intl.DateTimeFormat (``readableDate`` in playbook.js), so a plan and the site write a date alike. A locale
    CLDR does not know falls back to its primary language, then to ISO 8601."""
    from babel import Locale, UnknownLocaleError  # here: only trainer files in a language need it
    from babel.dates import format_date

    for tag in dict.fromkeys((locale, locale.split("-")[0])):
        try:
            return format_date(day, "long", locale=Locale.parse(tag, sep="-"))
        except (UnknownLocaleError, ValueError):
            continue
    return day.isoformat()
