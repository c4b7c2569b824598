"""Translations: ``translations/<lang>/`` in the content folder, laid over the checked source model.

A translation mirrors the source tree (``playbook.yml``, ``modules/``,
``checklists/``, ``paths/``) with the same ids and only the text fields,
plus the source ``revision`` each file translates. What a file leaves out
falls back to the source text and is recorded as untranslated; a file that
is not there at all is missing. The schema declarations of
:mod:`playbook.content.files` say what is text (see ``Field.translated``), so
a translation is checked by the same data as the source: unknown keys and
ids, fields that are not text, lists whose shape differs from the source,
revisions the source never had.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Position, Problem, did_you_mean
from . import model
from .files import CHECKLIST, MODULE, PATH, PLAYBOOK
from .folder import FOLDERS, PLAYBOOK_FILE, TRANSLATIONS_FOLDER, Source, check_top_level, scan
from .loader import Map, Node, Scalar, Seq, load_yaml
from .schema import INVALID, ListOf, Record, Text

#: The kind of each sub-folder's files, and their schema.
KINDS = {"modules": ("module", MODULE), "checklists": ("checklist", CHECKLIST), "paths": ("path", PATH)}
#: What matches a translated list item to the source's: its id, else (a changelog entry) its revision.
_ITEM_KEYS = ("id", "revision")

LoadIntro = Callable[[Source, list[Problem]], "model.Intro | None"]


def translatable(record: Record) -> list[str]:
    """The fields of ``record`` a translation may give: text, lists of text or of records, and those marked so."""
    return [name for name, spec in record.fields.items()
            if spec.translated or (spec.translated is None and _is_text(spec.kind))]


def _is_text(kind: Any) -> bool:
    """Text, a list of text, or a list of records that hold text (a path's steps hold none)."""
    if isinstance(kind, ListOf):
        return isinstance(kind.item, Text) or (isinstance(kind.item, Record) and bool(translatable(kind.item)))
    return isinstance(kind, Text)


def load_translations(content_dir: Path, shown_as: str, site: model.Site, private: Collection[str],
                      load_intro: LoadIntro, problems: list[Problem]) -> tuple[model.Translation, ...]:
    """Every language of ``playbook.yml`` after the first, laid over ``site``; problems for what does not fit."""
    folder, where = content_dir / TRANSLATIONS_FOLDER, f"{shown_as}/{TRANSLATIONS_FOLDER}"
    languages = site.playbook.languages
    found = sorted(os.scandir(folder), key=lambda e: e.name) if folder.is_dir() and not folder.is_symlink() else []
    for entry in found:
        if entry.name.startswith(".") or entry.name in languages[1:]:
            continue
        if entry.name == site.language:
            fix = f"'{entry.name}' is the source language, whose text is the content folder itself; remove this folder"
        elif not languages:
            fix = f"the playbook has no languages; add 'languages: [en, {entry.name}]' to {site.playbook.pos.path}"
        else:
            fix = (f"'{entry.name}' is not one of the playbook's languages ({', '.join(languages)});"
                   f"{did_you_mean(entry.name, languages[1:]) or ' add it to languages in playbook.yml'}")
        problems.append(Problem(Position(f"{where}/{entry.name}"), fix))
    return tuple(_translation(folder / language, f"{where}/{language}", language, site, private, load_intro,
                              problems) for language in languages[1:])


def _translation(folder: Path, shown_as: str, language: str, site: model.Site, private: Collection[str],
                 load_intro: LoadIntro, problems: list[Problem]) -> model.Translation:
    if folder.is_dir():  # else a language not translated yet: every file is missing, and the site shows the source
        check_top_level(folder, shown_as, private, problems, (PLAYBOOK_FILE, *FOLDERS), "a translation",
                        "a translation")
    states: list[model.FileState] = []
    playbook = _translate_file(Source(folder / PLAYBOOK_FILE, f"{shown_as}/{PLAYBOOK_FILE}"), "playbook",
                               PLAYBOOK, site.playbook, site.playbook, states, problems)
    # A translation writes dates its own way (its locale), or as its language does: never as the source's locale.
    playbook = replace(playbook, locale=playbook.locale if playbook.locale != site.playbook.locale else None)
    translated: dict[str, list[Any]] = {}
    for folder_name in FOLDERS:
        kind, record = KINDS[folder_name]
        found = scan(folder / folder_name, f"{shown_as}/{folder_name}", private, problems)
        files = {source.stem: source for source in found.yml}
        items = getattr(site, folder_name)
        known = {item.id for item in items}
        for stem, source in files.items():
            if stem not in known:
                problems.append(Problem(Position(source.shown_as),
                                        f"translates no {kind} of the source (there is no {folder_name}/{stem}.yml);"
                                        f"{did_you_mean(stem, sorted(known)) or ' rename it after one or remove it'}"))
        translated[folder_name] = [
            _translate_file(files.get(item.id, Source(folder / folder_name / f"{item.id}.yml",
                                                      f"{shown_as}/{folder_name}/{item.id}.yml")),
                            kind, record, item, site.playbook, states, problems)
            for item in items]
        if folder_name == "modules":
            translated[folder_name] = _translate_intros(translated[folder_name], site.modules, found.md, states,
                                                        load_intro, problems)
    return model.Translation(language, model.Site(playbook, *(tuple(translated[name]) for name in FOLDERS)),
                             tuple(states))


def _translate_file(source: Source, kind: str, record: Record, item: Any, playbook: model.Playbook,
                    states: list[model.FileState], problems: list[Problem]) -> Any:
    """The item in the translation's language, its state added to ``states``; the item itself where its
    translation is missing or cannot be read (its problems are reported)."""
    item_id = "playbook" if kind == "playbook" else item.id
    owner = getattr(item, "owner", None)
    if not source.path.is_file():
        states.append(model.FileState(kind, item_id, "missing", None, item.revision, (), Position(source.shown_as),
                                      item.pos, owner))
        return item
    tree = load_yaml(source.path, source.shown_as, problems)
    if tree is None:
        return item
    untranslated: list[str] = []
    revision = _revision(tree, source.shown_as, item, problems)
    if kind != "playbook":
        _check_id(tree, source, problems)
    translated = _overlay(record, item, tree, "", problems, untranslated, top=True)
    if revision is not None and revision < item.revision:
        state = "stale"
    else:
        state = "partial" if untranslated else "translated"
    states.append(model.FileState(kind, item_id, state, revision, item.revision, tuple(untranslated),
                                  getattr(tree.get("revision"), "pos", tree.pos), item.pos, owner))
    return translated


def _revision(tree: Map, shown_as: str, item: Any, problems: list[Problem]) -> int | None:
    node = tree.get("revision")
    if node is None:
        problems.append(Problem(tree.pos, f"missing key 'revision'; add 'revision: {item.revision}', the source "
                                          f"revision this file translates ({item.pos.path} is at {item.revision})"))
        return None
    text = node.text if isinstance(node, Scalar) else ""
    if not text.isdigit() or int(text) < 1:
        problems.append(Problem(node.pos, f"revision: {text!r} is not a revision; write the source revision this "
                                          f"file translates, a whole number such as {item.revision}"))
        return None
    if int(text) > item.revision:
        problems.append(Problem(node.pos, f"revision: {item.pos.path} has no revision {text} (it is at revision "
                                          f"{item.revision}); write the source revision this file translates"))
        return None
    return int(text)


def _check_id(tree: Map, source: Source, problems: list[Problem]) -> None:
    node = tree.get("id")
    if node is None:
        problems.append(Problem(tree.pos, f"missing key 'id'; add 'id: {source.stem}', the id of the source file"))
    elif not isinstance(node, Scalar) or node.text != source.stem:
        written = node.text if isinstance(node, Scalar) else "a list or mapping"
        problems.append(Problem(node.pos, f"id: {written!r} is not the id of the file it translates; write "
                                          f"'id: {source.stem}' (a translation keeps the source's ids)"))


def _overlay(record: Record, source: Any, node: Node, where: str, problems: list[Problem],
             untranslated: list[str], top: bool = False) -> Any:
    """``source`` with the text fields ``node`` translates; each field it leaves out is ``untranslated``."""
    if not isinstance(node, Map):
        problems.append(Problem(node.pos, f"{where}: must be a mapping of the fields it translates; write one "
                                          "'key: value' per line"))
        return source
    prefix = f"{where}." if where else ""
    allowed = translatable(record)
    matched_by = [] if top else [key for key in _ITEM_KEYS if key in record.fields][:1]
    skipped = {"id", "revision"} if top else set(matched_by)
    values: dict[str, Any] = {}
    for key, value_node in node.entries:
        name = key.text
        if name in skipped:
            continue
        if name not in record.fields:
            hint = did_you_mean(name, allowed) or " remove it"
            problems.append(Problem(key.pos, f"{prefix}{name}: unknown key;{hint} (a translation may give: "
                                             f"{', '.join(allowed)})"))
        elif name not in allowed:
            problems.append(Problem(key.pos, f"{prefix}{name}: is not text to translate; remove it (the "
                                             "translation takes it from the source)"))
        else:
            value = _translate_value(record.fields[name].kind, getattr(source, name), value_node, f"{prefix}{name}",
                                     problems, untranslated)
            if value is not INVALID:
                values[name] = value
    _left_out(record, source, node, [name for name in allowed if name not in {key.text for key, _ in node.entries}],
              prefix, untranslated)
    return replace(source, **values)


def _left_out(record: Record, source: Any, node: Map, names: list[str], prefix: str, untranslated: list[str]) -> None:
    """Adds to ``untranslated`` the text fields ``names`` a translation does not give, or their items."""
    for name in names:
        kind = record.fields[name].kind
        if not getattr(source, name):
            continue
        if isinstance(kind, ListOf) and isinstance(kind.item, Record) and any(key in kind.item.fields
                                                                               for key in _ITEM_KEYS):
            # Names each item left out, and none where no item has text of its own (a checklist's references).
            _translate_value(kind, getattr(source, name), Seq((), node.pos), f"{prefix}{name}", [], untranslated)
        elif isinstance(kind, Text | ListOf):
            untranslated.append(f"{prefix}{name}")


def _translate_value(kind: Any, source: Any, node: Node, where: str, problems: list[Problem],
                     untranslated: list[str]) -> Any:
    if not isinstance(kind, ListOf) or not kind.translated_item_by_item:
        return kind.convert(node, where, problems)
    if not isinstance(node, Seq):
        problems.append(Problem(node.pos, f"{where}: must be a list, as in the source; write one '- item' per line"))
        return INVALID
    if not isinstance(kind.item, Record):
        if len(node.items) != len(source):
            problems.append(Problem(node.pos, f"{where}: has {len(node.items)} item(s), the source has "
                                              f"{len(source)}; translate each of them, in the source's order"))
            return INVALID
        values = [kind.item.convert(item, f"{where}[{n}]", problems) for n, item in enumerate(node.items, 1)]
        return INVALID if INVALID in values else tuple(values)
    key = next((key for key in _ITEM_KEYS if key in kind.item.fields), None)
    if key is None:
        return _by_position(kind.item, source, node, where, problems, untranslated)
    return _by_key(kind.item, key, source, node, where, problems, untranslated)


def _by_position(record: Record, source: tuple[Any, ...], node: Seq, where: str, problems: list[Problem],
                 untranslated: list[str]) -> Any:
    """Items without ids (a checklist's sections): one translation per source item, in order."""
    if len(node.items) != len(source):
        problems.append(Problem(node.pos, f"{where}: has {len(node.items)} item(s), the source has {len(source)}; "
                                          "translate each of them, in the source's order"))
        return INVALID
    return tuple(_overlay(record, item, item_node, f"{where}[{n}]", problems, untranslated)
                 for n, (item, item_node) in enumerate(zip(source, node.items, strict=True), 1))


def _by_key(record: Record, key: str, source: tuple[Any, ...], node: Seq, where: str, problems: list[Problem],
            untranslated: list[str]) -> Any:
    """Items matched to the source's by their id (or revision); the ones left out show the source text."""
    index = {str(getattr(item, key)): n for n, item in enumerate(source) if getattr(item, key) is not None}
    given: dict[str, Position] = {}
    values = list(source)
    for n, item_node in enumerate(node.items, 1):
        key_node = item_node.get(key) if isinstance(item_node, Map) else None
        if not isinstance(key_node, Scalar):
            problems.append(Problem(item_node.pos, f"{where}[{n}]: missing key '{key}'; name the {key} of the source "
                                                   f"item this translates ({', '.join(index)})"))
            continue
        wanted = key_node.text
        if wanted not in index:
            hint = did_you_mean(wanted, list(index)) or f" translate one of the source's ({', '.join(index)})"
            problems.append(Problem(key_node.pos, f"{where}[{n}].{key}: {wanted!r} is not in the source;{hint}"))
            continue
        if wanted in given:
            problems.append(Problem(key_node.pos, f"{where}[{n}].{key}: {wanted!r} is translated twice (first at "
                                                  f"line {given[wanted].line}); keep one"))
            continue
        given[wanted] = key_node.pos
        at = index[wanted]
        values[at] = _overlay(record, source[at], item_node, f"{where}[{at + 1}]", problems, untranslated)
    untranslated.extend(f"{where}[{index[name] + 1}]" for name in index if name not in given)
    return tuple(values)


def _translate_intros(modules: list[model.Module], sources: tuple[model.Module, ...], intros: list[Source],
                      states: list[model.FileState], load_intro: LoadIntro,
                      problems: list[Problem]) -> list[model.Module]:
    """The modules with their translated ``<id>.md`` introductions; one a source module lacks is a problem, a
    source introduction not translated is untranslated."""
    by_id = {module.id: n for n, module in enumerate(modules)}
    translated = set()
    for source in intros:
        if source.stem not in by_id or sources[by_id[source.stem]].intro is None:
            problems.append(Problem(Position(source.shown_as),
                                    f"translates no introduction (there is no modules/{source.stem}.md); translate "
                                    "one that exists or remove this file"))
            continue
        intro = load_intro(source, problems)
        if intro is not None:
            modules[by_id[source.stem]] = replace(modules[by_id[source.stem]], intro=intro)
            translated.add(source.stem)
    for n, state in enumerate(states):
        if state.kind == "module" and sources[by_id[state.id]].intro is not None and state.id not in translated \
                and state.state != "missing":
            states[n] = replace(state, untranslated=(*state.untranslated, "introduction"),
                                state="partial" if state.state == "translated" else state.state)
    return modules
