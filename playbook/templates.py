"""The one Jinja environment factory: every page, sheet and plan playbook writes comes from a template.

Each package keeps its templates in its own ``templates/`` folder. Every
environment is strict (an undefined name is an error, not an empty string)
and autoescaped: a value that is not passed through one of the filters
below is HTML-escaped. Text from the content reaches Markdown through
``text`` (plain, one line), ``md`` (Markdown) and ``cell`` (Markdown in a
table cell), from :mod:`playbook.escape`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

import jinja2

from .escape import description, escape_markdown, escape_text, indent, table_cell


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs in the user's cache folder, checked against each template's source.

    Compiling the templates is most of what a small build adds to MkDocs' own time (``make bench``); without a
    cache folder that can be made, every run compiles them.
    """
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "playbook" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@functools.cache
def environment(package: str, **filters: Callable[..., str]) -> jinja2.Environment:
    """The environment for ``package``'s templates, with its own ``filters`` beside the shared ones; one per
    process, so each template compiles once."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        bytecode_cache=_compiled_templates(),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        # Markdown's heading ids ({#id}) would otherwise open Jinja comments.
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(text=escape_text, md=escape_markdown, cell=table_cell, indent=indent, description=description,
                       **filters)
    return env
