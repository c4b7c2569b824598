"""The content model: files -> checked, positioned, frozen model. Imports nothing else of playbook but errors."""

from .cache import FileCache
from .digest import module_digest
from .folder import PLAYBOOK_FILE
from .load import load_site
from .model import Site

__all__ = ["PLAYBOOK_FILE", "FileCache", "Site", "load_site", "module_digest"]
