"""``playbook record``: checked receipts into ``completions.yml``, as text, without disturbing what is there.

The file is the trainer's: it has their comments, their order, their way of
writing entries. So it is never loaded and dumped again; new entries are
appended as text in the style of the entries already there (indentation,
key order, quotes), and the result is read back through the schema before
it replaces the old file, so a write can never leave a file ``report``
cannot read.

Two ``record`` runs at once (two trainers, or a script and a trainer) must
not lose an entry: each holds an exclusive lock on a file beside
``completions.yml`` from reading what is recorded to the atomic rename of
the new text, so the second reads what the first wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..content import model
from ..content.loader import parse_yaml
from ..errors import Problem, Refused
from .data import COMPLETIONS, Training, load_training
from .receipts import Receipt, ReceiptError, check_receipts

LOCK = ".completions.yml.lock"
HEADER = """\
# Who completed which module, at which revision: written by hand or by
# `playbook record` from the learners' receipts (their own statement, not a proof).
completions:
"""
#: The order of a new entry's keys where the file's own entries do not show one.
KEY_ORDER = ("person", "module", "date", "score", "revision", "acknowledged", "digest")
_ITEM = re.compile(r"^( *)- +([a-z_]+):[ \t]*(['\"]?)", re.MULTILINE)
_EMPTY_FLOW_LIST = re.compile(r"^completions:[ \t]*\[[ \t]*\]", re.MULTILINE)


@dataclass(frozen=True)
class Recorded:
    #: The receipts new to the records (written, or to be written with --dry-run), in the order given.
    added: tuple[Receipt, ...]
    #: Receipts already recorded (by an earlier run, by hand, or twice in what was given).
    already: int
    warnings: tuple[Problem, ...]


def record(folder: Path, site: model.Site, files: list[Path], *, today: dt.date, dry_run: bool) -> Recorded:
    """Check the receipts in ``files`` and append the new ones to ``folder/completions.yml``.

    ReceiptError (nothing written) when any receipt has a problem.
    """
    training = load_training(folder, site)
    checked = check_receipts(files, site, {person.id for person in training.people}, today)
    if checked.problems:
        raise ReceiptError(list(checked.problems), list(checked.warnings))
    new, already = _new_receipts(checked.receipts, training)
    if new and not dry_run:  # a dry run, or nothing new, writes nothing, not even the lock file
        with _locked(folder):
            # Read again under the lock: what a run that held it before this one wrote counts.
            new, already = _new_receipts(checked.receipts, load_training(folder, site))
            path = folder / "completions.yml"
            old = path.read_bytes().decode("utf-8") if path.is_file() else HEADER  # bytes: line breaks as they are
            text = appended(old, new, path.as_posix(), today)
            _check_still_readable(text, path.as_posix(), len(training_in_file(old, path.as_posix())) + len(new))
            _atomic_write(path, text)
    return Recorded(tuple(new), already, checked.warnings)


def _new_receipts(receipts: tuple[Receipt, ...], training: Training) -> tuple[list[Receipt], int]:
    """The receipts not recorded yet (in any completions file), each once."""
    seen = {(c.person, c.module, c.revision, c.date) for c in training.completions}
    new = []
    for receipt in receipts:
        if receipt.key not in seen:
            seen.add(receipt.key)
            new.append(receipt)
    return new, len(receipts) - len(new)


def appended(text: str, receipts: list[Receipt], shown_as: str, today: dt.date) -> str:
    """``text`` (a completions file) with an entry for each receipt added at the end, written as its own are."""
    indent, key_indent, quote, order = _style(text)
    if _EMPTY_FLOW_LIST.search(text):  # `completions: []`, as a trainer starts a file: the list becomes a block
        text = _EMPTY_FLOW_LIST.sub("completions:", text, count=1)
    if re.search(r"^completions:[ \t]*[\[{]", text, re.MULTILINE):
        raise Refused(f"{shown_as}: its completions are written as one [...] list; write them one '- person: ...' "
                      "entry each (as `playbook record` appends them) and run it again")
    lines = [f"{' ' * indent}# recorded {today.isoformat()} by playbook record"]
    for receipt in receipts:
        values = {"person": receipt.person, "module": receipt.module, "date": receipt.completed.isoformat(),
                  "score": receipt.score, "revision": receipt.revision,
                  "acknowledged": receipt.completed.isoformat(), "digest": receipt.digest}
        keys = [key for key in order if values.get(key) is not None]
        for n, key in enumerate(keys):
            value = values[key]
            shown = str(value) if isinstance(value, int) else f"{quote}{value}{quote}"
            lead = f"{' ' * indent}- " if n == 0 else " " * key_indent
            lines.append(f"{lead}{key}: {shown}")
    # A file written with Windows line breaks keeps them.
    newline = "\r\n" if "\r\n" in text else "\n"
    return text + ("" if text.endswith("\n") or not text else newline) + newline.join(lines) + newline


def _style(text: str) -> tuple[int, int, str, tuple[str, ...]]:
    """How the file writes an entry: the dash's indentation, the keys', the quote around text, the key order."""
    first = _ITEM.search(text)
    if first is None:
        return 2, 4, "", KEY_ORDER
    indent, quote = len(first.group(1)), first.group(3)
    key_indent = first.start(2) - first.start()  # the column of the first key, after "- "
    # The first entry's keys, in its order: the lines after the dash indented as its first key is.
    order = [first.group(2)]
    for line in text[first.end():].splitlines()[1:]:
        found = re.match(rf" {{{key_indent}}}([a-z_]+):", line)
        if not found:
            break
        order.append(found.group(1))
    known = [key for key in order if key in KEY_ORDER]
    return indent, key_indent, quote, (*known, *(key for key in KEY_ORDER if key not in known))


def training_in_file(text: str, shown_as: str) -> tuple[object, ...]:
    """The completions one file's text holds (none for a new file's header)."""
    problems: list[Problem] = []
    tree = parse_yaml(text.removeprefix("\ufeff"), shown_as, problems, allow_empty=True)
    if tree is None or tree.get("completions") is None:
        return ()
    value = COMPLETIONS.convert(tree, "", problems)
    return () if problems else value


def _check_still_readable(text: str, shown_as: str, expected: int) -> None:
    # Appending text is only safe while the result reads back as the same entries and the new ones.
    if len(training_in_file(text, shown_as)) != expected:
        raise Refused(f"{shown_as}: the new entries would not read back as completions in this file's layout; "
                      "nothing was written: check the file ends with its list of completions")


def _atomic_write(path: Path, text: str) -> None:
    """Write beside the file, then rename over it: a reader (or a crash) sees the old file or the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the lock beside completions.yml. The lock file stays: removing it would let a third run lock
    a new file while a second still waits on the old one."""
    if not folder.is_dir():
        yield  # load_training reports the missing folder
        return
    with open(folder / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
