"""Checklists outside the site: task lists (md), printable sheets (html) and spreadsheets (csv)."""

from .formats import FORMATS, csv_text, export, spreadsheet_safe
from .sheets import Sheet, sheets

__all__ = ["FORMATS", "Sheet", "csv_text", "export", "sheets", "spreadsheet_safe"]
