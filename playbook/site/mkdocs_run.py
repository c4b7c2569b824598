"""Running MkDocs on the staged tree, through its public API only: ``load_config``, ``build`` and ``serve``."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from ..errors import SiteBuildError


def run_mkdocs(config_file: Path, site_dir: Path, epoch: str | None = None) -> None:
    """``mkdocs build --strict`` of ``config_file`` into ``site_dir``; MkDocs' warnings become SiteBuildError.

    ``epoch`` becomes SOURCE_DATE_EPOCH for the build, so sitemap dates and
    the gzip header come from the content's commit, not the clock (MkDocs
    reads it from the environment only).
    """
    _quiet_material()
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _source_date_epoch(epoch), _warnings_collected() as messages:
        try:
            config = load_config(config_file=str(config_file), site_dir=str(site_dir.resolve()), strict=True)
            mkdocs_build(config)
        except MkDocsException as exc:
            raise SiteBuildError([*messages, f"mkdocs: {exc}"]) from None
    if messages:
        raise SiteBuildError(messages)


def serve_staged(config_file: Path, dev_addr: str) -> None:
    """MkDocs' live-reloading server on the staged tree, until interrupted.

    A save rebuilds only the pages whose staged files are newer than their built copy (MkDocs'
    documented ``--dirty``); :mod:`playbook.site.serve` marks every page newer when the navigation changed.
    """
    _quiet_material()
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(config_file=str(config_file), livereload=True, build_type="dirty", dev_addr=dev_addr)


def source_date_epoch(content: Path) -> str | None:
    """SOURCE_DATE_EPOCH as given, else the content's last commit time, else None (not in git)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        done = subprocess.run(["git", "-C", str(content), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=30, check=False)
    except OSError:  # no git on this machine
        return None
    stamp = done.stdout.strip()
    return stamp if done.returncode == 0 and stamp.isdigit() else None


def _quiet_material() -> None:
    # Material prints a notice about MkDocs 2 on every start unless this is set.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@contextlib.contextmanager
def _source_date_epoch(epoch: str | None) -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"mkdocs: {record.levelname.lower()}: {record.getMessage()}")


@contextlib.contextmanager
def _warnings_collected() -> Iterator[list[str]]:
    """MkDocs' warnings and errors while the block runs, as lines for the user."""
    collected = _Collector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collected)
    try:
        yield collected.messages
    finally:
        logger.removeHandler(collected)
