"""Render the site model into the staging tree: ``{relative path: text}``.

Pages are Markdown from Jinja2 templates in ``playbook/templates``
(StrictUndefined, autoescape on: any value not passed through a filter below
is HTML-escaped). The result is deterministic: same model, same bytes.

Text from YAML reaches Markdown through the filters ``text`` (plain, one
line), ``md`` (Markdown) and ``cell`` (Markdown in a table cell), from
:mod:`playbook.text`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources

import jinja2
from markupsafe import Markup, escape

from . import exports, model, speed
from .siteconfig import OFFLINE_CONFIG, site_config
from .text import escape_markdown, escape_text, indent, table_cell

#: The package's stylesheet and script, copied into the staged docs.
STYLESHEET = "assets/playbook.css"
SCRIPT = "assets/playbook.js"
#: Lets the offline site's search worker run from file:// (see siteconfig.site_config).
WORKER_SHIM = "assets/iframe-worker-shim.js"
#: Staged files by path, each as the function that makes its text.
Plan = dict[str, Callable[[], str]]
#: From this many modules on, module pages and the shared pages render in two processes.
PARALLEL_MODULES = 16

@functools.cache
def _environment() -> jinja2.Environment:
    """One environment per process, so each template is compiled once however many sites are rendered."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("playbook", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        # Markdown's heading ids ({#id}) would otherwise open Jinja comments.
        comment_start_string="{##",
        comment_end_string="##}",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(text=escape_text, md=escape_markdown, cell=table_cell, indent=indent)
    return env


class Renderer:
    """Renders one site; pages link to each other with paths relative to themselves."""

    def __init__(self, site: model.Site):
        self.site = site
        self.env = _environment()

    def pages(self) -> dict[str, str]:
        """Every staged page and download, sorted by path: the two halves on two cores where that pays."""
        per_module, shared = speed.both(
            lambda: made(self._per_module_plan()),
            lambda: made(self._shared_plan()),
            worth_it=len(self.site.modules) >= PARALLEL_MODULES,
        )
        return dict(sorted({**per_module, **shared}.items()))

    def plan(self) -> Plan:
        """What :meth:`pages` makes, each file made only when its function is called."""
        return {**self._per_module_plan(), **self._shared_plan()}

    def _per_module_plan(self) -> Plan:
        """A page for each module, checklist, path and role."""
        site, plan = self.site, {}
        for module in site.modules:
            page = f"modules/{module.id}.md"
            plan[f"docs/{page}"] = functools.partial(self._page, "module.md.j2", page, module=module)
        for checklist in site.checklists:
            page = f"checklists/{checklist.id}.md"
            plan[f"docs/{page}"] = functools.partial(self._page, "checklist.md.j2", page, checklist=checklist)
        for path in site.paths:
            page = f"paths/{path.id}.md"
            plan[f"docs/{page}"] = functools.partial(self._page, "path.md.j2", page, path=path)
        for role in site.playbook.roles:
            page = f"roles/{role.id}.md"
            plan[f"docs/{page}"] = functools.partial(self._page, "role.md.j2", page, role=role)
        return plan

    def _shared_plan(self) -> Plan:
        """Index, overview and tag pages, the package's assets, and every checklist's downloads."""
        plan: Plan = {
            f"docs/{page}": functools.partial(self._page, template, page)
            for template, page in (
                ("home.md.j2", "index.md"),
                ("modules_index.md.j2", "modules/index.md"),
                ("checklists_index.md.j2", "checklists/index.md"),
                ("paths_index.md.j2", "paths/index.md"),
                ("roles_index.md.j2", "roles/index.md"),
                ("outcomes.md.j2", "outcomes.md"),
                ("progress.md.j2", "progress.md"),
                ("tags_index.md.j2", "tags/index.md"),
            )
        }
        for asset in (STYLESHEET, SCRIPT, WORKER_SHIM):
            plan[f"docs/{asset}"] = functools.partial(resources.files("playbook").joinpath(asset).read_text, "utf-8")
        # Printable sheets and spreadsheets of every checklist, linked from its page.
        for fmt in ("html", "csv"):
            for name, write in exports.planned(self.site, fmt).items():
                plan[f"docs/downloads/{name}"] = write
        for theme, modules in self._themes():
            page = f"tags/{theme}.md"
            plan[f"docs/{page}"] = functools.partial(self._page, "tag.md.j2", page, theme=theme, modules=modules)
        return plan

    def _page(self, template: str, page: str, **context: object) -> str:
        def link(target: str, anchor: str = "") -> str:
            """A Markdown link target to another page, relative to this one."""
            relative = _relative(page, target)
            return f"{relative}#{anchor}" if anchor else relative

        return self.env.get_template(template).render(
            site=self.site,
            playbook=self.site.playbook,
            link=link,
            modules_for_role=self._modules_for_role,
            checklists_for_role=self._checklists_for_role,
            paths_for_role=self._paths_for_role,
            outcome_table=self._outcome_table,
            path_minutes=self._path_minutes,
            action_count=self._action_count,
            action_items=self._action_items,
            checklist_count=self._checklist_count,
            checklist_items=self._checklist_items,
            module_outcomes=self._module_outcomes,
            modules_for_outcome=self._modules_for_outcome,
            themes=self._themes,
            **context,
        )

    def _modules_for_role(self, role_id: str) -> list[model.Module]:
        return [module for module in self.site.modules if role_id in module.roles]

    def _modules_for_outcome(self, outcome_id: str) -> list[model.Module]:
        return [m for m in self.site.modules if any(p.outcome == outcome_id for p in m.principles)]

    def _themes(self) -> list[tuple[str, list[model.Module]]]:
        """Each theme with its modules in reading order, themes sorted by name."""
        names = sorted({theme for module in self.site.modules for theme in module.themes})
        return [(name, [m for m in self.site.modules if name in m.themes]) for name in names]

    def _checklists_for_role(self, role_id: str) -> list[model.Checklist]:
        return [checklist for checklist in self.site.checklists if role_id in checklist.roles]

    def _paths_for_role(self, role_id: str) -> list[model.LearningPath]:
        return [path for path in self.site.paths if path.role == role_id]

    def _outcome_table(self, outcome_id: str, link: Callable[..., str]) -> Markup:
        """The outcome matrix's table rows for one outcome (empty if none): each action with its principle
        and module, linked.

        Made here rather than in the template: the page has a row for every action of the playbook, and
        the principle's and module's cells, the same for all of a principle's actions, are made once.
        Every piece is escaped as the template's filters and autoescaping would.
        """
        rows = []
        for module in self.site.modules:
            page = f"modules/{module.id}.md"
            for principle in module.principles:
                if principle.outcome != outcome_id or not principle.actions:
                    continue
                rest = (f" | [{escape_text(principle.title)}]({escape(link(page, principle.id))}) | "
                        f"[{escape_text(module.title)}]({escape(link(page))}) |")
                # Joined, not added: adding text to Markup would escape it a second time.
                rows += ["".join(("| ", table_cell(action.text), rest)) for action in principle.actions]
        return Markup("\n".join(rows))

    @staticmethod
    def _action_count(module: model.Module) -> int:
        return sum(len(principle.actions) for principle in module.principles)

    @staticmethod
    def _action_items(module: model.Module, principle: model.Principle) -> list[tuple[str, str]]:
        """(stable key, Markdown text) of a principle's actions, for a tick list."""
        return [(module.action_key(principle, action), action.text) for action in principle.actions]

    @staticmethod
    def _checklist_count(checklist: model.Checklist) -> int:
        return sum(len(section.items) for section in checklist.sections)

    def _checklist_items(self, checklist: model.Checklist, section: model.ChecklistSection) -> list[tuple[str, str]]:
        """(stable key, Markdown text); a reference adds a link to the principle it comes from."""
        items = []
        for item in section.items:
            key = f"{checklist.id}:{checklist.item_key(item)}"
            if item.ref is None:
                assert item.text is not None  # the schema requires text without ref
                items.append((key, item.text))
                continue
            found = self.site.action(item.ref)
            target = _relative(f"checklists/{checklist.id}.md", f"modules/{found.module.id}.md")
            source = (
                f" ([{escape_text(found.principle.title)}]({target}#{found.principle.id}),"
                f" {escape_text(self.site.outcome(found.principle.outcome).title)})"
            )
            items.append((key, found.action.text.rstrip("\n") + source))
        return items

    @staticmethod
    def _module_outcomes(module: model.Module) -> list[str]:
        return sorted({principle.outcome for principle in module.principles}, key=[p.outcome for p in module.principles].index)

    def _path_minutes(self, path: model.LearningPath) -> int:
        return sum(self.site.module(step.module).minutes for step in path.steps)


def _relative(from_page: str, to_page: str) -> str:
    """Relative path between two docs pages, both given from the docs root (as "a/b.md", never "./")."""
    return "../" * from_page.count("/") + to_page


@speed.collector_paused()
def made(files: Plan) -> dict[str, str]:
    """Each planned file's text."""
    return {name: make() for name, make in files.items()}


@speed.collector_paused()
def render(site: model.Site, config_base: dict | None = None) -> dict[str, str]:
    """The complete staging tree for ``site``: pages plus ``mkdocs.yml``."""
    pages = {**Renderer(site).pages(), **made(_configs(site, config_base or {}))}
    return dict(sorted(pages.items()))


def plan(site: model.Site, config_base: dict | None = None) -> Plan:
    """The tree :func:`render` makes, each file made only when its function is called (in one process)."""
    return dict(sorted({**Renderer(site).plan(), **_configs(site, config_base or {})}.items()))


def _configs(site: model.Site, config_base: dict) -> Plan:
    return {
        "mkdocs.yml": functools.partial(site_config, site, config_base),
        OFFLINE_CONFIG: functools.partial(site_config, site, config_base, offline=True),
    }
