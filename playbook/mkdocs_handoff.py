"""The MkDocs plugin ``playbook build`` adds to its own MkDocs run, never to the staged mkdocs.yml.

It hands MkDocs the staging tree while a second process is still making it
(see :mod:`playbook.overlap`): the planned files in place of those on disk,
each page's Markdown as soon as it is rendered, and static files only once
the tree is written. It tells that process which pages MkDocs has written,
so it can digest and privacy-scan them while MkDocs goes on. Where it can,
it has pages' Markdown converted on the second core as well
(:mod:`playbook.page_split`).

MkDocs' work before it lists the docs (reading its settings, starting its
plugins, listing the theme's files) needs nothing from the content, so where
no plugin could tell, MkDocs starts on the project's settings alone
(:func:`playbook.siteconfig.settings_only`) while the content is read. When
MkDocs lists the docs, the plugin takes the staged mkdocs.yml, checks that it
differs only in what comes from the content (the site name and the nav), and
puts those in, validated by MkDocs' own options, before MkDocs builds the
navigation. Anything else would go back to a build one step after another.
"""

from __future__ import annotations

import contextlib
from typing import Any

import yaml
from jinja2 import Environment
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import page_split
from .overlap import DOCS, Broken, Stream
from .siteconfig import FROM_CONTENT

#: Plugins known to read nothing of the site name or nav before MkDocs lists the docs (MkDocs' and
#: Material's search; our own plugin is added after the settings are read).
_EARLY_SAFE_PLUGINS = frozenset({"search", "material/search"})


def can_start_early(settings: dict[str, Any]) -> bool:
    """MkDocs may start on the project's site ``settings`` before the content is read: no plugin or hook
    they name (or a file they inherit from might name) could look at the site name or the nav before
    those are put in."""
    named = {next(iter(plugin)) if isinstance(plugin, dict) else plugin for plugin in settings.get("plugins") or []}
    return not {"hooks", "INHERIT"} & settings.keys() and named <= _EARLY_SAFE_PLUGINS


def settle(config: MkDocsConfig, started_on: str, staged: str) -> None:
    """Put into ``config``, loaded from the text ``started_on``, what the ``staged`` mkdocs.yml takes from the
    content; Broken if the two texts differ in anything else, or MkDocs' options find fault with it."""
    began, final = (yaml.load(text, Loader=_LOADER) for text in (started_on, staged))
    if {k: v for k, v in began.items() if k not in FROM_CONTENT} != {k: v for k, v in final.items() if k not in FROM_CONTENT}:
        raise Broken("the staged mkdocs.yml differs from the settings MkDocs started on")
    settled = {}
    for key in FROM_CONTENT:
        option = getattr(MkDocsConfig, key)
        try:
            settled[key] = option.validate(final.get(key))
            noticed = option.warnings
        except ValidationError:
            noticed = ["invalid"]
        finally:
            option.reset_warnings()
        if noticed:  # a plain build reports it as MkDocs would
            raise Broken(f"MkDocs finds fault with the staged {key}")
    config.update(settled)


#: libyaml's loader when PyYAML has it; the text is the generator's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Handoff(BasePlugin):
    def __init__(self, stream: Stream, started_on: str | None = None):
        super().__init__()
        self.stream = stream
        #: The settings-only mkdocs.yml text MkDocs was started on, until the staged one is put in.
        self.started_on = started_on
        #: Whether pages may be converted on the second core (decided with the navigation); and the
        #: helper doing so, from the first page until MkDocs has read every page.
        self.splitting = False
        self.split: page_split.Split | None = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The planned docs, since the docs folder may still hold the last build's files or lack new ones;
        and the site name and nav, if MkDocs started on the settings alone."""
        if self.started_on is not None:
            settle(config, self.started_on, self.stream.config())
            self.started_on = None
        docs = self.stream.planned()
        planned = [File(name, config.docs_dir, config.site_dir, config.use_directory_urls) for name in docs]
        ours = {file.dest_uri for file in planned}  # a docs file overrides the theme's, as in MkDocs
        theme = [file for file in files if file.src_dir != config.docs_dir and file.dest_uri not in ours]
        self.stream.pages = {file.dest_uri for file in planned if file.is_documentation_page()}
        return Files(planned + theme)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.splitting = page_split.can_split(config, self)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.splitting:  # the first page: every plugin is done with the files and navigation
            self.splitting = False
            with contextlib.suppress(OSError):  # no helper: MkDocs converts every page, as usual
                self.split = page_split.Split(config, files, self.stream.connections())
        if self.split:
            self.split.offer(page)
        return page

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str:
        return self.stream.text(DOCS + page.file.src_uri)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.split:  # MkDocs writes pages from here on: they need their HTML
            split, self.split = self.split, None
            split.finish(config, files)
        self.stream.written()  # MkDocs copies the static files next: they must be on disk
        return env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.stream.page_built(page.file.dest_uri)  # so the pages built so far can be checked
        return output

    def on_build_error(self, *, error: Exception) -> None:
        if self.split:
            split, self.split = self.split, None
            split.close(unwanted=True)
