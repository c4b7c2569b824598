"""Loading and rendering on the second core while MkDocs builds: how ``playbook build`` hides generation.

MkDocs builds on one core, and its staged tree has to come from the
content. A forked child loads and checks the content, plans the staged tree
file by file (:func:`playbook.render.plan`), renders ``mkdocs.yml`` and the
pages in the order MkDocs reads them, handing each over through a pipe,
checks that the site and staging folders hold only playbook's files, and
writes the staging tree as usual. MkDocs runs here meanwhile with one more
plugin (:mod:`playbook.mkdocs_handoff`, added to this run only, never to the
staged ``mkdocs.yml``) that takes the planned files and each page's Markdown
from the child. MkDocs so reads exactly the text that is staged, and a plain
``mkdocs build`` of the staging tree gives the same site. While MkDocs
writes the site, the plugin reports each page written, and the child
digests and privacy-scans it, so only the files MkDocs writes last are left
to check when it is done.

Content with problems stops the build as it would have before MkDocs ran:
the child sends the :class:`~playbook.problems.ContentError` and it is raised
here at MkDocs' next wait. Where fork is missing or unsafe (see
:func:`playbook.speed.can_fork`) the caller loads, renders, stages and builds
one step after another instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from pathlib import Path

from . import speed
from .outputs import Refused, SyncReport, check_owned, file_names, sync_tree
from .privacy import Scanner
from .problems import ContentError
from .render import Plan

#: The staged file MkDocs reads before any page.
CONFIG = "mkdocs.yml"
#: Where pages sit in the staging tree.
DOCS = "docs/"
#: Staging folders that are playbook's even while empty: the build makes the docs folder before anything
#: is staged in it (MkDocs checks it exists), so an interrupted first build may leave it empty.
OURS_IF_EMPTY = (DOCS.rstrip("/"),)


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
    """This process's end: the planned files and pages as the child makes them, the staging report, then
    the site's check."""

    def __init__(self, prepare: Callable[[], tuple[Plan, Scanner]], staging: Path, site: Path, fresh: Path):
        """Start the child: it loads the content and plans the staged tree (``prepare``, which raises
        ContentError for content with problems, and gives the scanner for the built pages), renders the
        plan, checks that ``site`` and ``staging`` hold only files playbook wrote (the build replaces
        the site), writes the plan to ``staging`` (held under its lock), and then digests and
        privacy-scans what MkDocs writes into ``fresh``, page by page as this process reports them.

        The staged docs folder is made here if missing, since MkDocs checks it exists before it reads
        the staged mkdocs.yml through; it is removed again should nothing be staged into it.
        """
        self._staging = staging
        docs = staging / DOCS
        self._made_docs = not (docs.exists() or docs.is_symlink())
        if self._made_docs:
            docs.mkdir()
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        commands, self._commander = context.Pipe(duplex=False)
        self._child = context.Process(
            target=_child,
            args=(prepare, staging, site, fresh, sender, commands, (self._receiver, self._commander)),
            daemon=False,  # loading reads half the files in a child of its own; close() always reaps this one
        )
        try:
            self._child.start()
        except BaseException:
            for end in (self._receiver, sender, commands, self._commander):
                end.close()
            self._remove_made_docs()
            raise
        sender.close()
        commands.close()
        self._docs: list[str] | None = None
        self._texts: dict[str, str] = {}
        self._report: SyncReport | None = None
        self._checked: tuple[dict[str, str], str | None] | None = None
        self._built: str | None = None
        #: Where MkDocs writes the pages (set once MkDocs has named its files): the site files that are
        #: not yet complete when MkDocs starts writing pages.
        self.pages: set[str] = set()

    def planned(self) -> list[str]:
        """Paths under docs/ (as MkDocs names them), in the order MkDocs reads them; waits for the content."""
        while self._docs is None:
            self._receive()
        return self._docs

    def config(self) -> str:
        """The text of the staged mkdocs.yml."""
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

    def page_built(self, dest: str) -> None:
        """MkDocs is about to write the page at ``dest``; so the page before it is on disk."""
        if self._built is None:  # static files and the theme's templates came first: all on disk now
            self._command("walk", self.pages)
        else:
            self._command("page", self._built)
        self._built = dest

    def site_checked(self) -> tuple[dict[str, str], str | None]:
        """Once MkDocs is done: every built file's SHA-256, and the first privacy problem by path, if any."""
        self._command("end")
        while self._checked is None:
            self._receive()
        return self._checked

    def close(self) -> None:
        """Let the child finish writing the staging tree, whatever happened here, then reap it."""
        try:
            self.written()
        except (Broken, Refused, ContentError):
            pass
        finally:
            self._commander.close()  # a child still waiting for pages stops
            self._child.join()
            self._receiver.close()
            if self._report is None:
                self._remove_made_docs()

    def _remove_made_docs(self) -> None:
        """Remove the docs folder made for MkDocs, unless something was staged into it after all."""
        if self._made_docs:
            with contextlib.suppress(OSError):
                (self._staging / DOCS).rmdir()

    def connections(self) -> tuple[Connection, Connection]:
        """This end's pipes, for a process forked from this one to close (see :class:`playbook.page_split.Split`)."""
        return self._receiver, self._commander

    def _command(self, *command: object) -> None:
        try:
            self._commander.send(command)
        except OSError:
            raise Broken("the rendering process stopped") from None

    def _receive(self) -> None:
        try:
            received = self._receiver.recv()
        except (EOFError, OSError):
            raise Broken("the rendering process stopped") from None
        for kind, *message in received if type(received) is list else [received]:
            self._take(kind, message)

    def _take(self, kind: str, message: list) -> None:
        if kind == "text":
            name, text = message
            self._texts[name] = text
        elif kind == "planned":
            self._docs = message[0]
        elif kind == "written":
            self._report = message[0]
        elif kind == "checked":
            self._checked = (message[0], message[1])
        elif kind in ("refused", "content"):
            raise message[0]
        else:
            raise Broken("the rendering process failed")


@speed.collector_paused()
def _child(
    prepare: Callable[[], tuple[Plan, Scanner]],
    staging: Path,
    site: Path,
    fresh: Path,
    sender: Connection,
    commands: Connection,
    parent_ends: tuple[Connection, Connection],
) -> None:
    for end in parent_ends:  # the fork copied them; held open here, they would hide the parent closing its own
        end.close()
    # Content problems and a refusal to overwrite someone's files are the user's to see; anything else
    # means the parent redoes the work itself and so shows the error once, as usual, instead of a
    # child's traceback.
    try:
        plan, scanner = prepare()
        docs = docs_order(name.removeprefix(DOCS) for name in plan if name.startswith(DOCS))
        outcome: tuple = ("planned", docs)
    except ContentError as error:
        outcome = ("content", error)
    except BaseException:  # noqa: BLE001
        outcome = ("failed",)
    if outcome[0] == "planned":
        with contextlib.suppress(OSError):
            sender.send(outcome)
        postman = _Postman(sender)
        pages = [DOCS + name for name in docs if name.endswith(".md")]
        outcome = _render_and_write(plan, pages, staging, site, postman.post)
        postman.finish()
    if outcome[0] == "written":
        with contextlib.suppress(OSError):
            sender.send(outcome)
        try:
            outcome = ("checked", *_check_built(fresh, scanner, commands))
        except EOFError:
            return  # the parent needs no check: MkDocs failed, or it builds again itself
        except BaseException:  # noqa: BLE001
            outcome = ("failed",)
    with contextlib.suppress(OSError):  # the parent has gone: nobody is left to tell
        sender.send(outcome)
    sender.close()


class _Postman:
    """Sends on a thread of its own, so the child never waits for MkDocs to take a page before rendering
    the next one, and goes on to check and stage while MkDocs reads."""

    def __init__(self, sender: Connection):
        self._sender = sender
        self._queue: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._deliver, daemon=True)
        self._thread.start()

    def post(self, message: tuple) -> None:
        self._queue.put(message)

    def finish(self) -> None:
        """Wait until everything posted is sent (or the parent has gone)."""
        self._queue.put(None)
        self._thread.join()

    def _deliver(self) -> None:
        # What was posted while the last send went out goes as one list: one message per page would
        # cost the parent, which waits on MkDocs' behalf, a receive for each.
        while True:
            batch = [self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get())
            finished = batch[-1] is None
            if finished:
                batch.pop()
            try:
                if batch:
                    self._sender.send(batch)
            except OSError:  # the parent has gone: drop the rest
                return
            if finished:
                return


def _render_and_write(
    plan: Plan, pages: list[str], staging: Path, site: Path, send: Callable[[tuple], None]
) -> tuple:
    try:
        texts = {CONFIG: plan[CONFIG]()}
        send(("text", CONFIG, texts[CONFIG]))
        for name in pages:
            texts[name] = plan[name]()
            send(("text", name, texts[name]))
        # The checks read every file of both folders, so they come after the pages MkDocs waits for.
        check_owned(site, site.as_posix())
        owned = check_owned(staging, staging.as_posix(), OURS_IF_EMPTY)
        files = {name: texts[name] if name in texts else make() for name, make in plan.items()}
        return ("written", sync_tree(staging, staging.as_posix(), files, owned))
    except Refused as refused:
        return ("refused", refused)
    except BaseException:  # noqa: BLE001
        return ("failed",)


def _check_built(fresh: Path, scanner: Scanner, commands: Connection) -> tuple[dict[str, str], str | None]:
    """Digest and scan each file MkDocs writes, as the parent reports it written; the rest at the end.

    A file is only read once MkDocs has finished writing it; one that changed after it was read
    (a later step of MkDocs overwrote it) is read again at the end.
    """
    taken: dict[str, tuple[tuple[int, int], str, str | None]] = {}

    def take(name: str) -> None:
        path = fresh / name
        try:
            status = path.stat()
        except FileNotFoundError:  # MkDocs writes no file for an empty page
            return
        data = path.read_bytes()
        problem = scanner.problem(name, data.decode("utf-8", errors="replace")) if scanner.scanned(name) else None
        taken[name] = ((status.st_size, status.st_mtime_ns), hashlib.sha256(data).hexdigest(), problem)

    while True:
        kind, *message = commands.recv()
        if kind == "end":
            break
        if kind == "page":
            take(message[0])
        else:  # "walk": everything written so far, except the pages MkDocs is writing from now on
            for name in file_names(fresh):
                if name not in message[0]:
                    take(name)
    names = file_names(fresh)
    for name in names:
        if name not in taken or _stamp(fresh / name) != taken[name][0]:
            take(name)
    problems = sorted((name, taken[name][2]) for name in names if taken[name][2])
    return {name: taken[name][1] for name in names}, (problems[0][1] if problems else None)


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns
