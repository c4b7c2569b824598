"""Rendering on the second core while MkDocs builds: how ``playbook build`` hides generation.

MkDocs builds on one core, and rendering has to be done before it starts.
Once the playbook is loaded, though, the staged tree is known file by file
(:func:`playbook.render.plan`), so a forked child renders ``mkdocs.yml``,
checks that the site and staging folders hold only playbook's files, renders
the pages in the order MkDocs reads them, hands each over through a pipe,
and writes the staging tree as usual. MkDocs runs here meanwhile with
one more plugin (:mod:`playbook.mkdocs_handoff`, added to this run only,
never to the staged ``mkdocs.yml``) that takes each page's Markdown from the
child. MkDocs so reads exactly the text that is staged, and a plain
``mkdocs build`` of the staging tree gives the same site.

Where fork is missing or unsafe (see :func:`playbook.speed.can_fork`) the
caller renders, stages and builds one step after another instead.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from pathlib import Path

from . import speed
from .outputs import Refused, SyncReport, check_owned, sync_tree

#: The staged file MkDocs reads before any page.
CONFIG = "mkdocs.yml"
#: Where pages sit in the staging tree.
DOCS = "docs/"


class Broken(Exception):
    """The child stopped without finishing: the caller does the whole job in this process instead."""


def docs_order(names: Iterable[str]) -> list[str]:
    """Paths under docs/ in the order MkDocs walks them: a folder's files (index first), then its sub-folders."""

    def key(name: str) -> tuple:
        *folders, file = name.split("/")
        index_first = (os.path.splitext(file)[0] not in ("index", "README"), file)
        return (*((1, folder) for folder in folders), (0, index_first))

    return sorted(names, key=key)


class Stream:
    """This process's end: pages as the child renders them, then the staging report."""

    def __init__(self, plan: dict[str, Callable[[], str]], staging: Path, site: Path):
        """Start the child: it checks that ``site`` holds only files playbook wrote (the build will replace
        it), then renders ``plan`` and writes it to ``staging`` (held under its lock)."""
        #: Paths under docs/ (as MkDocs names them), in the order MkDocs reads them.
        self.docs = docs_order(name.removeprefix(DOCS) for name in plan if name.startswith(DOCS))
        pages = [DOCS + name for name in self.docs if name.endswith(".md")]
        self._staging = staging
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._child = context.Process(target=_render_and_write, args=(plan, pages, staging, site, sender), daemon=True)
        self._child.start()
        sender.close()
        self._texts: dict[str, str] = {}
        self._ready = False
        self._report: SyncReport | None = None

    def config(self) -> str:
        """The text of the staged mkdocs.yml, once the docs folder it names exists (MkDocs checks)."""
        while not (self._ready or (self._staging / DOCS).is_dir()):
            self._receive()
        return self.text(CONFIG)

    def text(self, name: str) -> str:
        """The rendered text of a staged file, waiting for the child if need be."""
        while name not in self._texts:
            self._receive()
        return self._texts.pop(name)

    def written(self) -> SyncReport:
        """Wait until the staging tree is written; what was rewritten (or the child's refusal, raised)."""
        while self._report is None:
            self._receive()
        return self._report

    def close(self) -> None:
        """Let the child finish writing the staging tree, whatever happened here, then reap it."""
        try:
            self.written()
        except (Broken, Refused):
            pass
        finally:
            self._child.join()
            self._receiver.close()

    def _receive(self) -> None:
        try:
            kind, *message = self._receiver.recv()
        except (EOFError, OSError):
            raise Broken("the rendering process stopped") from None
        if kind == "text":
            name, text = message
            self._texts[name] = text
        elif kind == "ready":
            self._ready = True
        elif kind == "written":
            self._report = message[0]
        elif kind == "refused":
            raise message[0]
        else:
            raise Broken("the rendering process failed")


@speed.collector_paused()
def _render_and_write(
    plan: dict[str, Callable[[], str]], pages: list[str], staging: Path, site: Path, sender: Connection
) -> None:
    # A refusal to overwrite someone's files is the user's to see; anything else means the parent
    # redoes the work itself and so shows the error once, as usual, instead of a child's traceback.
    docs, made_docs = staging / DOCS, False
    try:
        texts = {CONFIG: plan[CONFIG]()}
        sender.send(("text", CONFIG, texts[CONFIG]))
        check_owned(site, site.as_posix())
        owned = check_owned(staging, staging.as_posix())  # before anything is written, as sync_tree would
        if not docs.is_dir():
            docs.mkdir()
            made_docs = True
        sender.send(("ready",))
        for name in pages:
            texts[name] = plan[name]()
            sender.send(("text", name, texts[name]))
        files = {name: texts[name] if name in texts else make() for name, make in plan.items()}
        outcome: tuple = ("written", sync_tree(staging, staging.as_posix(), files, owned))
    except Refused as refused:
        outcome = ("refused", refused)
    except BaseException:  # noqa: BLE001
        outcome = ("failed",)
        if made_docs:  # an empty folder would look like someone else's to the next run
            with contextlib.suppress(OSError):
                docs.rmdir()
    with contextlib.suppress(OSError):  # the parent has gone: nobody is left to tell
        sender.send(outcome)
    sender.close()
