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
from collections.abc import Callable

import jinja2

from .escape import description, escape_markdown, escape_text, indent, search_words, table_cell


@functools.cache
def environment(package: str, **filters: Callable[..., str]) -> jinja2.Environment:
    """The environment for ``package``'s templates, with its own ``filters`` beside the shared ones; one per
    process, so each template compiles once."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
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
                       words=search_words,
                       **filters)
    return env
