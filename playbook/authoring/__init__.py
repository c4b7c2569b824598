"""Help for authors: ``playbook new`` starts a file that passes check, ``playbook review`` lists what is due."""

from .new import KINDS, new
from .review import review

__all__ = ["KINDS", "new", "review"]
