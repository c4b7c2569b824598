"""The staged ``mkdocs.yml``: the project's site settings plus what the pages need.

The project's ``mkdocs.yml`` holds what a team may tune (colours, language,
repository link, extra theme features). The generator adds what its pages
rely on (Markdown extensions, Material features, search, link validation)
and what it owns (site name, docs folder, nav in the declared order). The
result sits next to the staged ``docs/`` so ``mkdocs build`` and
``zensical build`` can both build that folder as it is.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import yaml

from ..content import model
from ..content.markup import MARKDOWN_EXTENSIONS
from ..errors import Position, Problem
from ..escape import plain_text
from ..messages import Messages
from .editions import Edition, editions

#: Keys the generator writes itself; setting them in mkdocs.yml is a mistake.
OWNED_KEYS = ("site_name", "docs_dir", "site_dir", "nav", "use_directory_urls")

#: Material features the site relies on. Tabs + prune keep each page's
#: navigation to its own section, so page size does not grow with the
#: number of modules; indexes give each tab an overview page.
REQUIRED_FEATURES = (
    "navigation.instant",
    "navigation.tabs",
    "navigation.indexes",
    "navigation.prune",
    "navigation.top",
    "search.suggest",
    "search.highlight",
)

#: The learner tools' scripts, in the order pages load them: the shared core first (it makes the namespace
#: the others add to), the start-up last (it runs them all). See playbook/site/assets/playbook.js.
#: The learner scripts' words and settings in the tree's language, written for each (see render.language_script).
LANGUAGE_SCRIPT = "assets/playbook-language.js"
SCRIPTS = (
    LANGUAGE_SCRIPT,
    "assets/playbook.js",
    "assets/playbook-ticks.js",
    "assets/playbook-checks.js",
    "assets/playbook-progress.js",
    "assets/playbook-receipts.js",
    "assets/playbook-search.js",
    "assets/playbook-start.js",
)

#: The staged theme folder (``theme.custom_dir``): Material's header with the site's own search box in it.
THEME_FILES = ("theme/partials/header.html", "theme/partials/playbook-search.html")

#: MkDocs' own checks, raised to warnings so ``--strict`` fails on them.
VALIDATION = {
    "nav": {"omitted_files": "warn", "not_found": "warn", "absolute_links": "warn"},
    "links": {"not_found": "warn", "absolute_links": "warn", "unrecognized_links": "warn", "anchors": "warn"},
}


def load_project_settings(path: Path, shown_as: str, problems: list[Problem]) -> dict[str, Any]:
    """The project's mkdocs.yml settings (empty when the file does not exist)."""
    if not path.exists():
        return {}
    try:
        with path.open(encoding="utf-8") as stream:
            loaded = yaml.safe_load(stream)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Position(shown_as, mark.line + 1, mark.column + 1) if mark else Position(shown_as)
        if isinstance(exc, yaml.constructor.ConstructorError) and ":python/" in str(exc):
            why = "it uses a '!!python/...' tag, which playbook will not run; remove that setting"
        else:
            why = f"cannot read the site settings ({' '.join(str(getattr(exc, 'problem', None) or exc).split())}); " \
                  "fix the file or remove it"
        problems.append(Problem(where, why))
        return {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        problems.append(Problem(Position(shown_as, 1, 1),
                                "site settings must be a mapping; write one 'key: value' per line"))
        return {}
    problems.extend(_settings_problems(loaded, shown_as))
    return loaded


def _settings_problems(loaded: dict[str, Any], shown_as: str) -> list[Problem]:
    """Keys of the project's settings that playbook sets itself, and settings of the wrong shape."""
    where = Position(shown_as)
    problems = [Problem(where, f"{key}: set by playbook from the content; remove it from {shown_as}")
                for key in OWNED_KEYS if key in loaded]
    if isinstance(loaded.get("theme"), dict) and "custom_dir" in loaded["theme"]:
        problems.append(Problem(where, "theme.custom_dir: set by playbook (its header holds the site's search box); "
                                       f"remove it from {shown_as}"))
    problems += [Problem(where, f"{key}: must be {shape}; fix it or remove it")
                 for key, is_valid, shape in _SHAPES if key in loaded and not is_valid(loaded[key])]
    return problems


def _names(value: Any) -> bool:
    """A list of names or single-key {name: options} mappings (plugins, extensions)."""
    return isinstance(value, list) and all(
        isinstance(item, str) or (isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item)), str))
        for item in value
    )


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


#: Settings the generator merges with its own, and the shape they must have.
_SHAPES = (
    ("theme", lambda v: isinstance(v, dict) and _strings(v.get("features", [])),
     "a mapping (features: a list of names)"),
    ("markdown_extensions", _names, "a list of extension names or {name: options}"),
    ("plugins", _names, "a list of plugin names or {name: options}"),
    ("extra_css", _strings, "a list of stylesheet paths"),
    ("extra_javascript", _strings, "a list of script paths"),
)


#: libyaml's emitter when PyYAML has it: the same text as the Python one, several times sooner.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

#: The staged configuration for the offline copy of the site (see :func:`site_config`).
OFFLINE_CONFIG = "mkdocs-offline.yml"


def site_config(edition: Edition, base: dict[str, Any], *, offline: bool = False) -> str:
    """The staged mkdocs.yml text of one language's tree.

    The site searches with Pagefind (see :mod:`playbook.site.search`) from
    its own search box, which the staged theme folder puts in Material's
    header. ``offline`` keeps Material's search instead, with its offline
    plugin (search that works from ``file://``), and drops instant
    navigation, which needs a web server. Zensical runs no such plugin, so
    this variant lives in its own file.
    """
    site = edition.site
    config: dict[str, Any] = {"site_name": _label(site.playbook.title), "docs_dir": "docs", "use_directory_urls": False}
    config.update({key: value for key, value in base.items() if key not in OWNED_KEYS})
    if config.get("site_url") and edition.folder:
        config["site_url"] = str(config["site_url"]).rstrip("/") + "/" + edition.folder
    # Pages without a description of their own (indexes, tags) describe the playbook.
    config.setdefault("site_description", plain_text(site.playbook.description))

    theme = base.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {}
    theme["name"] = "material"
    if edition.language:
        # Material's own words (search box, navigation) in the tree's language, and its <html lang>.
        theme["language"] = edition.language
    # System fonts: no request to a font service, so the site works offline and leaks no visits.
    theme.setdefault("font", False)
    features = list(theme.get("features") or [])
    theme["features"] = features + [feature for feature in REQUIRED_FEATURES if feature not in features]
    if offline:
        theme["features"] = [feature for feature in theme["features"] if feature != "navigation.instant"]
    else:
        theme["custom_dir"] = "theme"
    config["theme"] = theme

    extensions = list(base.get("markdown_extensions") or [])
    present = {next(iter(ext)) if isinstance(ext, dict) else ext for ext in extensions}
    for name, options in MARKDOWN_EXTENSIONS:
        if name not in present:
            extensions.append({name: options} if options else name)
    config["markdown_extensions"] = extensions

    extra = dict(base.get("extra") or {})
    if offline:
        # Material would fetch this worker shim from a CDN; the copy in the package keeps it offline.
        extra["polyfills"] = ["assets/iframe-worker-shim.js"]
    # Not in the offline copy: from file:// Material's own script for the switch fails to read the sitemap.
    if edition.source.translations and not offline:
        extra["alternate"] = _alternates(edition)
    if extra:
        config["extra"] = extra
    config["plugins"] = _plugins(base, edition, offline)

    extra_css = list(base.get("extra_css") or [])
    config["extra_css"] = ["assets/playbook.css", *[css for css in extra_css if css != "assets/playbook.css"]]
    extra_javascript = list(base.get("extra_javascript") or [])
    config["extra_javascript"] = [*SCRIPTS, *[js for js in extra_javascript if js not in SCRIPTS]]
    config["validation"] = VALIDATION
    config["nav"] = _nav(site, edition.messages)
    header = "# Generated by playbook from the content folder and the project's mkdocs.yml; do not edit.\n"
    return header + yaml.dump(config, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000)


def _plugins(base: dict[str, Any], edition: Edition, offline: bool) -> list[Any]:
    """The team's plugins without search, written out even when empty (without a plugins key MkDocs runs its
    search plugin): the site searches with Pagefind. The offline copy keeps Material's search, stemming the tree's
    language where the playbook names its languages, and its offline plugin."""
    plugins = [plugin for plugin in base.get("plugins") or []
               if (next(iter(plugin)) if isinstance(plugin, dict) else plugin) != "search"]
    if not offline:
        return plugins
    options = next((next(iter(p.values())) for p in base.get("plugins") or []
                    if isinstance(p, dict) and next(iter(p)) == "search"), None) or {}
    language = edition.language.split("-")[0] if edition.language else None
    if language:
        options = {**options, "lang": [language]}
    return [{"search": options} if options else "search", *plugins, "offline"]


def _alternates(edition: Edition) -> list[dict[str, str]]:
    """Material's language switch: each language's home page, from this tree (the learner scripts then point
    each at the page being read, see playbook-start.js)."""
    return [{"name": other.messages.autonym, "link": f"{edition.root}{other.folder}index.html",
             "lang": other.language or ""} for other in editions(edition.source)]


def _label(title: str) -> str:
    # MkDocs and Material put nav labels into HTML unescaped.
    return html.escape(title, quote=False)


def _nav(site: model.Site, _: Messages) -> list[Any]:
    sections = site.playbook.sections
    modules = {module.id: module for module in site.modules}
    themes = sorted({theme for module in site.modules for theme in module.themes})

    def module_entries(ids: tuple[str, ...]) -> list[dict[str, str]]:
        return [{_label(modules[m].title): f"modules/{m}.md"} for m in ids]

    if not site.playbook.sectioned:
        module_nav: list[Any] = ["modules/index.md", *module_entries(sections[0].modules)]
    else:
        module_nav = ["modules/index.md"] + [{_label(s.title): module_entries(s.modules)} for s in sections]
    return [
        {_label(_("Home")): "index.md"},
        {_label(_("Modules")): module_nav},
        {_label(_("Checklists")): ["checklists/index.md",
                                   *[{_label(c.title): f"checklists/{c.id}.md"} for c in site.checklists]]},
        {_label(_("Learning paths")): ["paths/index.md", *[{_label(p.title): f"paths/{p.id}.md"} for p in site.paths]]},
        {_label(_("Roles")): ["roles/index.md", *[{_label(r.title): f"roles/{r.id}.md"} for r in site.playbook.roles]]},
        {_label(_("Outcome matrix")): ["outcomes/index.md",
                                       *[{_label(o.title): f"outcomes/{o.id}.md"} for o in site.playbook.outcomes]]},
        {_label(_("Tags")): ["tags/index.md", *[{_label(theme.replace("-", " ").capitalize()): f"tags/{theme}.md"}
                                                for theme in themes]]},
        {_label(_("My progress")): "progress.md"},
    ]
