"""How generation keeps out of MkDocs' way: two cores, and no cycle collection while it runs.

MkDocs builds on one core and generation comes before it, so while the
playbook is read and rendered a second core would sit idle. :func:`both`
runs one half in a forked child while this process runs the other. Where
fork is missing (Windows) or unsafe (other threads are running, as under
``playbook serve``), or the work is too small to pay for a process, both
halves run here one after the other. The result is the same either way.

:func:`collector_paused` keeps Python's cycle collector from running during
generation (see its docstring for why that is safe and what it saves).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import TypeVar

Here = TypeVar("Here")
There = TypeVar("There")


def can_fork() -> bool:
    """A forked child is safe: fork exists and no other thread could hold a lock the child needs."""
    return hasattr(os, "fork") and threading.active_count() == 1


def both(here: Callable[[], Here], there: Callable[[], There], *, worth_it: bool = True) -> tuple[Here, There]:
    """``(here(), there())``, with ``there`` run in a forked child when it is safe and ``worth_it``.

    ``there``'s result comes back pickled. Should the child fail for any
    reason, ``there`` runs here instead, so its errors surface as usual.
    """
    if not (worth_it and can_fork()):
        return here(), there()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send_result, args=(there, sender), daemon=True)
    child.start()
    sender.close()
    finished = False
    try:
        mine = here()
        try:
            ok, theirs = receiver.recv()
        except Exception:  # noqa: BLE001 - a child that died or sent nothing usable: redo its half here
            ok, theirs = False, None
        finished = True
    finally:
        if not finished:  # here() failed: the child's result is not wanted
            child.terminate()
        child.join()
        receiver.close()
    return mine, (theirs if ok else there())


def _send_result(work: Callable[[], There], sender: Connection) -> None:
    # Any failure, the result's pickling included, just says so: the parent redoes the work and
    # shows the error itself, once, instead of a child's traceback.
    try:
        sender.send((True, work()))
    except BaseException:  # noqa: BLE001
        sender.send((False, None))
    finally:
        sender.close()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector (usable as a decorator); it runs again afterwards as it was.

    Generation makes hundreds of thousands of short-lived objects and almost
    no reference cycles, so reference counting frees nearly everything and
    the collector's passes over a growing heap find little: measured, they
    were a fifth of generation's time for a 500-module playbook, while the
    peak memory without them grew by under 5%.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
