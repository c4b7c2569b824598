"""Help for authors: ``playbook new`` starts a file that passes check, ``playbook review`` lists what is due."""

from .new import KINDS, new
from .review import review, stale_translations, translation_report

__all__ = ["KINDS", "new", "review", "stale_translations", "translation_report"]
