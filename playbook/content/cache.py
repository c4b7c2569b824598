"""Converted content files kept between loads of one folder, so the preview re-reads only what an edit changed.

The preview's switch and nobody else's: ``load_site(..., cache=FileCache())``
converts a file again only when its bytes differ from the last load's.
Converting is pure (the same bytes give the same value and the same
problems, and the model is frozen), so a reused result is exactly what a
fresh load would give.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from ..errors import Problem
from .folder import Source
from .loader import MAX_FILE_BYTES


class FileCache:
    def __init__(self) -> None:
        #: Per file, as shown in messages: the digest of its bytes, its value and its problems.
        self._entries: dict[str, tuple[str, Any, list[Problem]]] = {}

    def convert(self, source: Source, convert: Callable[[list[Problem]], Any], problems: list[Problem]) -> Any:
        """``convert(problems)``'s value for this file, reused while its bytes are unchanged."""
        try:
            if source.path.stat().st_size > MAX_FILE_BYTES:
                return convert(problems)  # refused by the loader, which says why
            digest = hashlib.sha256(source.path.read_bytes()).hexdigest()
        except OSError:
            return convert(problems)  # unreadable: the loader says why
        entry = self._entries.get(source.shown_as)
        if entry is None or entry[0] != digest:
            found: list[Problem] = []
            entry = (digest, convert(found), found)
            self._entries[source.shown_as] = entry
        problems.extend(entry[2])
        return entry[1]

