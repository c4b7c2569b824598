"""Checklists outside the site: task lists (md), printable sheets (html) and spreadsheets (csv)."""

from .formats import FORMATS, export
from .sheets import sheets

__all__ = ["FORMATS", "export", "sheets"]
