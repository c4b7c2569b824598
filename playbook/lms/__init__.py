"""Packages for the learning system a company already runs: SCORM 1.2 and cmi5, one per learning path and module.

Never imports :mod:`playbook.training`: trainer data reaches a package only as the roster words the caller puts
in the :class:`~playbook.site.Project`, which the privacy scan refuses to publish.
"""

from .packages import write_packages
from .units import FORMATS

__all__ = ["FORMATS", "write_packages"]
