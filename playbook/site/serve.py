"""Live preview: regenerate the staging tree when content changes; MkDocs serves one language's site and reloads.

Two watchers, one per layer:

1. this module watches the content folder and the site settings and
   restages, rewriting only the files whose bytes changed;
2. MkDocs' own server watches the staging tree and rebuilds only the pages
   whose staged files are newer than their built copy (its documented dirty
   build), then reloads the browser.

When the navigation or a title changes, the staged ``mkdocs.yml`` changes,
and every staged page is touched so that every page is rebuilt and none
shows stale navigation.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..content import FileCache
from ..errors import PlaybookError, report, told
from .mkdocs_run import serve_staged
from .pipeline import stage
from .preview import PREVIEW_CONFIG, show_problems
from .project import Project

#: Seconds to wait after the last change before re-staging: editors save in bursts, a few milliseconds apart.
DEBOUNCE_SECONDS = 0.1


class _Restager(FileSystemEventHandler):
    def __init__(self, project: Project, folder: str):
        self.project = project
        #: The served language's staged tree: "" for the source language, "fr/" for French.
        self.folder = folder
        #: Files an edit did not touch are not read again (see playbook.content.cache).
        self.cache = FileCache()
        self.content = project.content.resolve()
        self.settings = project.settings.resolve()
        self._timer: threading.Timer | None = None
        self._timer_lock = threading.Lock()
        self._lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        changed = [Path(os.fsdecode(p)).resolve() for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if not any(path == self.settings or self.content in path.parents for path in changed):
            return
        with self._timer_lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self.restage)
            self._timer.daemon = True
            self._timer.start()

    def restage(self) -> bool:
        try:
            with self._lock:  # a burst of saves never runs two re-stages at once
                restaged = stage(self.project, self.cache)
        except (PlaybookError, OSError) as error:
            report(error)
            show_problems(self.project.staging_dir, self.folder, told(error))
            print("still showing the last good version", file=sys.stderr)
            return False
        if self.folder + PREVIEW_CONFIG in restaged.written:
            _touch_pages(self.project.staging_dir / self.folder / "docs")
        if restaged.written or restaged.removed:
            print(f"re-staged {len(restaged.written)} changed and {len(restaged.removed)} removed file(s)",
                  file=sys.stderr)
        return True


def _touch_pages(docs: Path) -> None:
    """Mark every staged file as newer than its built copy, so MkDocs' dirty build rebuilds them all."""
    for path in docs.rglob("*"):
        if path.is_file():
            path.touch()


def _stop(signum: int, frame: object) -> None:
    # MkDocs' server cleans up its temporary site only on KeyboardInterrupt.
    raise KeyboardInterrupt


def serve(project: Project, dev_addr: str, folder: str = "") -> int:
    """Serve one language's site (``folder``: "" for the source language, "fr/" for French) until interrupted
    (Ctrl-C or SIGTERM). Returns the exit code."""
    restager = _Restager(project, folder)
    stage(project, restager.cache)  # problems here end the command with exit 1
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(handler)
    mkdocs_logger.setLevel(logging.INFO)
    signal.signal(signal.SIGTERM, _stop)
    observer = Observer()
    observer.schedule(restager, str(project.content), recursive=True)
    if project.settings.exists():
        observer.schedule(restager, str(project.settings.parent), recursive=False)
    observer.daemon = True
    observer.start()
    try:
        serve_staged(project.staging_dir / folder / PREVIEW_CONFIG, dev_addr)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        mkdocs_logger.removeHandler(handler)
    return 0
