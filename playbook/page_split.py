"""Converting pages' Markdown on the second core while MkDocs converts the others.

Converting Markdown is most of a MkDocs build (about two thirds for a
100-module playbook), done one page after another on one core. As MkDocs
starts reading pages (its files and navigation made, every plugin done with
them), :class:`Split` forks a helper that holds MkDocs' whole state. MkDocs then goes through the pages as usual, but where
it would convert a page, it sends the page's final Markdown to the helper
instead, unless the helper still has as much Markdown in hand, and moves on
to the next page. So the helper takes as much as it keeps up with, however
busy the machine. The helper sends each page's HTML, table of contents,
title and anchors back as it converts it; they are put on the page, and
what the helper logged for it is logged here (so MkDocs' warnings may come
in another order than in a plain build), before MkDocs writes any page. Each page is still
converted by MkDocs' own code with the same extensions, so the site is byte
for byte the one a plain build makes.

This is only done where nothing could tell the difference (:func:`can_split`).
A page the helper could not convert, or all of them if it stopped, is
converted here afterwards, so its error is reported as MkDocs reports it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import queue
import signal
import threading
from multiprocessing.connection import Connection

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import BuildError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from . import speed

#: Events in which another plugin would see a page before the helper's HTML is on it.
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "env")

#: How much less the helper's claim to a core is than MkDocs' and the rendering process's (see os.nice).
NICENESS = 10

#: What the helper sends back for a page: the log records it made (logger name, level, message), then
#: the page's HTML, table of contents, title from the Markdown, anchors, and links to other pages'
#: anchors (by source path).
Converted = tuple[list[tuple[str, int, str]], str, object, "str | None", "set[str] | None", "dict | None"]


def can_split(config: MkDocsConfig, ours: BasePlugin) -> bool:
    """Whether converting pages on a helper gives the very site MkDocs gives on its own.

    Fork must be safe. Every Markdown extension must be given by name, so
    MkDocs makes fresh instances for each page and none carries anything
    from one page to the next. And no plugin but ``ours`` may handle the
    page events before the environment, where it would see a page without
    its HTML.
    """
    return (
        speed.can_fork()
        and all(isinstance(extension, str) for extension in config.markdown_extensions)
        and all(
            getattr(handler, "__self__", None) is ours
            for event in PAGE_EVENTS
            for handler in config.plugins.events[event]
        )
    )


class Split:
    """The helper's parent end: hands it pages' Markdown as it keeps up, and puts its results on those pages."""

    def __init__(self, config: MkDocsConfig, files: Files, inherited: tuple[Connection, ...] = ()):
        """Fork the helper now, as MkDocs starts reading pages; ``inherited`` are connections of this
        process's that the helper must close, so their other ends still see this process close them.
        OSError if the helper cannot be started (MkDocs then converts every page itself)."""
        context = multiprocessing.get_context("fork")
        markdown_in, self._markdown_out = context.Pipe(duplex=False)
        self._results_in, results_out = context.Pipe(duplex=False)
        #: Pages the helper has (made before the fork); MkDocs makes pages outside the nav later.
        self._known = {file.src_uri for file in files.documentation_pages() if file.page is not None}
        self._helper = context.Process(
            target=_help,
            args=(config, files, markdown_in, results_out, (*inherited, self._markdown_out, self._results_in)),
            daemon=True,
        )
        try:
            self._helper.start()
        except OSError:
            self._markdown_out.close()
            self._results_in.close()
            raise
        finally:
            markdown_in.close()
            results_out.close()
        #: Pages sent to the helper whose results have not come back yet, and those it failed to convert.
        self._waiting: dict[str, Page] = {}
        self._failed: dict[str, Page] = {}
        #: Characters of Markdown sent to the helper and not yet converted.
        self._in_hand = 0
        self._accepting = True
        #: Source paths of the pages whose conversion was taken from the helper.
        self.converted_there: list[str] = []

    def offer(self, page: Page) -> None:
        """Before MkDocs reads ``page``: once its Markdown is final, it may be converted on the helper instead."""
        if self._accepting and page.file.src_uri in self._known:
            page.render = functools.partial(self._convert_somewhere, page)  # type: ignore[method-assign]

    def _convert_somewhere(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """Where MkDocs would convert ``page``: convert it here if the helper still has at least as much
        Markdown in hand, which keeps it busy meanwhile; else send it to the helper. Converting takes
        time in proportion to the Markdown, so the helper takes as much as it keeps up with, however
        busy the machine, and has about a page left when MkDocs has read the last one."""
        del page.render  # MkDocs' own again
        self._take_results(files, wait=False)
        size = len(page.markdown or "")
        if self._accepting and self._in_hand <= size:
            try:
                self._markdown_out.send((page.file.src_uri, page.markdown))
            except OSError:  # the helper has stopped: convert here from now on
                self._accepting = False
            else:
                self._waiting[page.file.src_uri] = page
                self._in_hand += size
                page.content = ""  # MkDocs needs some HTML now; the helper's is put in place before any page is written
                return
        page.render(config, files)

    def finish(self, config: MkDocsConfig, files: Files) -> None:
        """Once MkDocs has read every page: the helper's last results on its pages (pages it could not
        convert are converted here)."""
        self._markdown_out.close()  # no more pages: the helper sends what it has left, then stops
        self._accepting = False
        try:
            self._take_results(files, wait=True)
        finally:
            self.close()
        for page in [*self._failed.values(), *self._waiting.values()]:
            _convert_here(page, config, files)

    def _take_results(self, files: Files, *, wait: bool) -> None:
        """Put the results that have come back on their pages and log what the helper logged for them;
        with ``wait``, until the helper has sent its last."""
        try:
            while wait or self._results_in.poll():
                src_uri, converted = self._results_in.recv()
                page = self._waiting.pop(src_uri)
                self._in_hand -= len(page.markdown or "")
                if converted is None:  # converted here at the end, errors and all
                    self._failed[src_uri] = page
                    continue
                records, page.content, page.toc, page._title_from_render, page.present_anchor_ids, links = converted
                for name, level, message in records:
                    logging.getLogger(name).log(level, "%s", message)
                if links is not None:
                    page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}
                self.converted_there.append(src_uri)
        except (EOFError, OSError):  # the helper has stopped; what it did not send is converted here
            self._accepting = False

    def close(self, *, unwanted: bool = False) -> None:
        """Reap the helper once it has sent its results, or at once if they are ``unwanted`` (the build
        failed). Closing a closed connection does nothing, so this may follow :meth:`finish`."""
        self._markdown_out.close()
        self._results_in.close()
        if unwanted:
            self._helper.terminate()
        self._helper.join()


def _convert_here(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Convert as MkDocs does while reading pages, with its error message should that fail."""
    config._current_page = page
    try:
        page.render(config, files)
    except Exception as error:
        message = f"Error reading page '{page.file.src_uri}':"
        if not isinstance(error, BuildError):
            message += f" {error}"
        logging.getLogger("mkdocs.commands.build").error(message)
        raise
    finally:
        config._current_page = None


class _Records(logging.Handler):
    """The helper's log records, kept for its parent to log, instead of shown by the helper."""

    def __init__(self) -> None:
        super().__init__()
        self.taken: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.taken.append((record.name, record.levelno, record.getMessage()))


def _help(
    config: MkDocsConfig,
    files: Files,
    markdown_in: Connection,
    results_out: Connection,
    parent_ends: tuple[Connection, ...],
) -> None:
    for end in parent_ends:
        end.close()
    # The inherited heap is MkDocs' and stays as it is: kept out of the collector's passes, which would
    # touch (and so copy) all of it. Each page's converter is a cycle the collector must free.
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the helper
    # MkDocs needs this work only once it has read every page, but it needs each page's Markdown from the
    # rendering process right away: on a busy machine, that process goes first.
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    records = _Records()
    for logger in [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]:
        logger.handlers = []
        logger.propagate = True
    logging.root.handlers = [records]

    # A thread takes the Markdown in as it comes, so the parent never waits for a page to be converted
    # before it can send the next one.
    arrived: queue.SimpleQueue[tuple[str, str] | None] = queue.SimpleQueue()

    def receive() -> None:
        try:
            while True:
                arrived.put(markdown_in.recv())
        except Exception:  # noqa: BLE001 - the parent closed the pipe, or went; it converts what is not sent
            pass
        finally:
            arrived.put(None)

    threading.Thread(target=receive, daemon=True).start()
    while (item := arrived.get()) is not None:
        src_uri, markdown = item
        page = files.get_file_from_path(src_uri).page  # type: ignore[union-attr]
        page.markdown = markdown
        records.taken = []
        config._current_page = page
        try:
            page.render(config, files)
        except Exception:  # noqa: BLE001 - converted again in the parent, which reports the error
            converted: Converted | None = None
        else:
            links = page.links_to_anchors
            converted = (
                records.taken, page.content, page.toc, page._title_from_render, page.present_anchor_ids,
                None if links is None else {file.src_uri: anchors for file, anchors in links.items()},
            )
        finally:
            config._current_page = None
        try:
            results_out.send((src_uri, converted))
        except OSError:  # the parent no longer wants them
            break
    results_out.close()
