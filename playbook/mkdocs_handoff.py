"""The MkDocs plugin ``playbook build`` adds to its own MkDocs run, never to the staged mkdocs.yml.

It hands MkDocs the staging tree while a second process is still making it
(see :mod:`playbook.overlap`): the planned files in place of those on disk,
each page's Markdown as soon as it is rendered, and static files only once
the tree is written. It tells that process which pages MkDocs has written,
so it can digest and privacy-scan them while MkDocs goes on. Where it can,
it has pages' Markdown converted on the second core as well
(:mod:`playbook.page_split`).
"""

from __future__ import annotations

import contextlib

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import page_split
from .overlap import DOCS, Stream


class Handoff(BasePlugin):
    def __init__(self, stream: Stream):
        super().__init__()
        self.stream = stream
        #: Whether pages may be converted on the second core (decided with the navigation); and the
        #: helper doing so, from the first page until MkDocs has read every page.
        self.splitting = False
        self.split: page_split.Split | None = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The planned docs, since the docs folder may still hold the last build's files or lack new ones."""
        planned = [File(name, config.docs_dir, config.site_dir, config.use_directory_urls) for name in self.stream.docs]
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
