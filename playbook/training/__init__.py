"""Private trainer data: roster, assignments, completions, receipts, plans, calendars and the training matrix.

Nothing under ``site/`` or ``exports/`` imports this package: names stay out of what is published.
"""

from .data import TRAINER_FILES, Training, load_training, roster_words
from .outputs import Writing, assign_files, report_files, writing
from .plans import STATES, matrix
from .records import Recorded, record

__all__ = [
    "STATES", "TRAINER_FILES", "Recorded", "Training", "Writing", "assign_files", "load_training", "matrix",
    "record", "report_files", "roster_words", "writing",
]
