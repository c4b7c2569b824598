"""The training site: model -> staged docs tree -> MkDocs build -> site/; the preview; the offline zip.

Never imports :mod:`playbook.training`: trainer data reaches a build only as
the file names and roster words the caller puts in the :class:`Project`.
"""

from .pipeline import build, generate, offline, stage
from .project import Project

__all__ = ["Project", "build", "generate", "offline", "stage"]
