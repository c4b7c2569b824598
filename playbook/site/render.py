"""Render the site model into the staging tree: ``{relative path: text}``.

Pages are Markdown from the Jinja2 templates in ``playbook/site/templates``
(see :mod:`playbook.templates` for the escaping filters). The result is
deterministic: same model, same bytes.
"""

from __future__ import annotations

from importlib import resources

from ..content import model, module_digest
from ..escape import escape_text
from ..exports import export
from ..templates import environment
from .mkdocs_config import OFFLINE_CONFIG, SCRIPTS, THEME_FILES, site_config

#: The package's stylesheet and scripts, copied into the staged docs.
ASSETS = ("assets/playbook.css", *SCRIPTS,
          # Lets the offline site's search worker run from file:// (see mkdocs_config.site_config).
          "assets/iframe-worker-shim.js")
#: Pages made once per site: (template, staged page).
SHARED_PAGES = (
    ("home.md.j2", "index.md"),
    ("modules_index.md.j2", "modules/index.md"),
    ("checklists_index.md.j2", "checklists/index.md"),
    ("paths_index.md.j2", "paths/index.md"),
    ("roles_index.md.j2", "roles/index.md"),
    ("outcomes_index.md.j2", "outcomes/index.md"),
    ("progress.md.j2", "progress.md"),
    ("tags_index.md.j2", "tags/index.md"),
)


def render(site: model.Site, settings: dict | None = None) -> dict[str, str]:
    """The complete staging tree for ``site``: ``mkdocs.yml`` (and its offline twin), the theme folder, pages,
    assets, downloads."""
    renderer = Renderer(site)
    files = {
        "mkdocs.yml": site_config(site, settings or {}),
        OFFLINE_CONFIG: site_config(site, settings or {}, offline=True),
    }
    for template, page in SHARED_PAGES:
        files[f"docs/{page}"] = renderer.page(template, page)
    for kind, items in (("module", site.modules), ("checklist", site.checklists), ("path", site.paths),
                        ("role", site.playbook.roles), ("outcome", site.playbook.outcomes)):
        for item in items:
            page = f"{kind}s/{item.id}.md"
            files[f"docs/{page}"] = renderer.page(f"{kind}.md.j2", page, **{kind: item})
    for theme, modules in renderer.themes():
        page = f"tags/{theme}.md"
        files[f"docs/{page}"] = renderer.page("tag.md.j2", page, theme=theme, modules=modules)
    for asset in ASSETS:
        files[f"docs/{asset}"] = resources.files("playbook.site").joinpath(asset).read_text("utf-8")
    for name in THEME_FILES:
        files[name] = resources.files("playbook.site").joinpath(name).read_text("utf-8")
    # Each checklist's printable sheet and spreadsheet, linked from its page.
    for fmt in ("html", "csv"):
        for name, text in export(site, fmt).items():
            files[f"docs/downloads/{name}"] = text
    return dict(sorted(files.items()))


class Renderer:
    """Renders one site's pages; pages link to each other with paths relative to themselves."""

    def __init__(self, site: model.Site):
        self.site = site
        self.env = environment("playbook.site")

    def page(self, template: str, page: str, **context: object) -> str:
        def link(target: str, anchor: str = "") -> str:
            """A Markdown link target to another page, relative to this one."""
            relative = _relative(page, target)
            return f"{relative}#{anchor}" if anchor else relative

        return self.env.get_template(template).render(
            site=self.site,
            playbook=self.site.playbook,
            link=link,
            module_digest=module_digest,
            modules_for_role=self.modules_for_role,
            checklists_for_role=self.checklists_for_role,
            paths_for_role=self.paths_for_role,
            path_minutes=self.path_minutes,
            action_count=self.action_count,
            action_items=self.action_items,
            checklist_count=self.checklist_count,
            checklist_items=self.checklist_items,
            module_outcomes=self.module_outcomes,
            modules_for_outcome=self.modules_for_outcome,
            principles_for_outcome=self.principles_for_outcome,
            outcome_sections=self.outcome_sections,
            themes=self.themes,
            **context,
        )

    def modules_for_role(self, role_id: str) -> list[model.Module]:
        return [module for module in self.site.modules if role_id in module.roles]

    def modules_for_outcome(self, outcome_id: str) -> list[model.Module]:
        return [m for m in self.site.modules if any(p.outcome == outcome_id for p in m.principles)]

    def principles_for_outcome(self, outcome_id: str) -> list[model.Principle]:
        return [p for m in self.site.modules for p in m.principles if p.outcome == outcome_id]

    def outcome_sections(
            self, outcome_id: str) -> list[tuple[model.Section, list[tuple[model.Module, list[model.Principle]]]]]:
        """The playbook's sections that have principles building this outcome: each module in them that
        has some, with those principles."""
        found = []
        for section in self.site.playbook.sections:
            rows = []
            for module_id in section.modules:
                module = self.site.module(module_id)
                principles = [p for p in module.principles if p.outcome == outcome_id]
                if principles:
                    rows.append((module, principles))
            if rows:
                found.append((section, rows))
        return found

    def themes(self) -> list[tuple[str, list[model.Module]]]:
        """Each theme with its modules in reading order, themes sorted by name."""
        names = sorted({theme for module in self.site.modules for theme in module.themes})
        return [(name, [m for m in self.site.modules if name in m.themes]) for name in names]

    def checklists_for_role(self, role_id: str) -> list[model.Checklist]:
        return [checklist for checklist in self.site.checklists if role_id in checklist.roles]

    def paths_for_role(self, role_id: str) -> list[model.LearningPath]:
        return [path for path in self.site.paths if path.role == role_id]

    @staticmethod
    def action_count(module: model.Module) -> int:
        return sum(len(principle.actions) for principle in module.principles)

    @staticmethod
    def action_items(module: model.Module, principle: model.Principle) -> list[tuple[str, str]]:
        """(stable key, Markdown text) of a principle's actions, for a tick list."""
        return [(module.action_key(principle, action), action.text) for action in principle.actions]

    @staticmethod
    def checklist_count(checklist: model.Checklist) -> int:
        return sum(len(section.items) for section in checklist.sections)

    def checklist_items(self, checklist: model.Checklist, section: model.ChecklistSection) -> list[tuple[str, str]]:
        """(stable key, Markdown text) of one section's items; a reference adds a link to the principle it
        comes from."""
        items = []
        for item in self.site.checklist_items(checklist, section):
            text = item.text
            if item.source is not None:
                principle = item.source.principle
                target = _relative(f"checklists/{checklist.id}.md", f"modules/{item.source.module.id}.md")
                text = (f"{text.rstrip(chr(10))} ([{escape_text(principle.title)}]({target}#{principle.id}),"
                        f" {escape_text(self.site.outcome(principle.outcome).title)})")
            items.append((f"{checklist.id}:{item.key}", text))
        return items

    @staticmethod
    def module_outcomes(module: model.Module) -> list[str]:
        """The outcomes a module's principles build, each once, in the order they first appear."""
        return list(dict.fromkeys(principle.outcome for principle in module.principles))

    def path_minutes(self, path: model.LearningPath) -> int:
        return sum(self.site.module(step.module).minutes for step in path.steps)


def _relative(from_page: str, to_page: str) -> str:
    """Relative path between two docs pages, both given from the docs root (as "a/b.md", never "./")."""
    return "../" * from_page.count("/") + to_page
