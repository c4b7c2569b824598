"""Translations (content/translations/<lang>/): what they change, what falls back, and each rule with its message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from playbook.content import load_site
from playbook.errors import ContentError

from .test_validate import problems

FR = "content/translations/fr"


@pytest.fixture
def here(bilingual_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from the folder holding content/, so messages name 'content/...'."""
    monkeypatch.chdir(bilingual_content.parent)
    return bilingual_content


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_fixture_translation_is_laid_over_the_source(here: Path) -> None:
    site = load_site("content")
    assert site.language == "en"
    french = site.translation("fr")
    listening = french.site.module("listening")
    assert listening.title == "Écouter pour vrai"
    assert listening.principles[0].actions[1].text == "Noter la **seule** chose que le client veut.\n"
    assert listening.intro is not None and listening.intro.title == "Pourquoi c’est important"
    # What is not text comes from the source: ids, roles, right answers, minutes.
    assert listening.roles == site.module("listening").roles
    assert [c.correct for c in listening.checks[0].choices] == [True, False]
    assert french.site.playbook.locale == "fr-CA"
    # A checklist's reference takes its text from the translated module.
    items = {item.key: item.text for item in french.site.checklist_items(french.site.checklists[0])}
    assert items["listening/let-them-finish/wait"] == "Attendre une pause avant de parler.\n"
    assert items["complaint/greet"] == "Le saluer par son nom.\n"


def test_every_file_has_a_state(here: Path) -> None:
    french = load_site("content").translation("fr")
    states = {(s.kind, s.id): (s.state, s.revision, s.source_revision, s.untranslated) for s in french.states}
    assert states == {
        ("playbook", "playbook"): ("translated", 1, 1, ()),
        ("module", "listening"): ("translated", 1, 1, ()),
        ("module", "promises"): ("stale", 1, 2, ("owner", "principles[1]", "checks[1]")),
        ("checklist", "complaint"): ("translated", 1, 1, ()),
        ("path", "agent-start"): ("missing", None, 1, ()),
    }
    promises = load_site("content").translation("fr").site.module("promises")
    assert promises.title == "Tenir ses promesses"
    assert promises.principles[0].title == "Confirm the promise"  # falls back to the source


def test_partial_translation_names_what_falls_back(here: Path) -> None:
    edit(here / "translations/fr/modules/listening.yml", "        explanation: Le reste en découle.\n", "")
    os.remove(here / "translations/fr/modules/listening.md")
    state = load_site("content").translation("fr").state("module", "listening")
    assert (state.state, state.untranslated) == ("partial", ("checks[1].choices[1].explanation", "introduction"))


def test_a_site_without_languages_has_no_translations(content: Path) -> None:
    site = load_site(content)
    assert site.language is None and site.translations == ()


# --- Each rule, with its message ----------------------------------------------

def test_unknown_key(here: Path) -> None:
    edit(here / "translations/fr/modules/listening.yml", "summary:", "sumary:")
    assert problems() == [f"{FR}/modules/listening.yml:4:1: sumary: unknown key; did you mean 'summary'? "
                          "(a translation may give: title, summary, owner, objectives, principles, checks, changelog, search_terms)"]


def test_a_field_that_is_not_text(here: Path) -> None:
    edit(here / "translations/fr/modules/listening.yml", "title: Écouter pour vrai\n",
         "title: Écouter pour vrai\nminutes: 12\n")
    edit(here / "translations/fr/modules/listening.yml", "        text: On écoute jusqu’au bout.\n",
         "        text: On écoute jusqu’au bout.\n        correct: false\n")
    assert problems() == [
        f"{FR}/modules/listening.yml:4:1: minutes: is not text to translate; remove it (the translation takes it "
        "from the source)",
        f"{FR}/modules/listening.yml:34:9: checks[1].choices[1].correct: is not text to translate; remove it (the "
        "translation takes it from the source)",
    ]


def test_a_reference_is_not_translated(here: Path) -> None:
    edit(here / "translations/fr/checklists/complaint.yml", "        text: Le saluer par son nom.\n",
         "        text: Le saluer par son nom.\n      - ref: listening/let-them-finish/wait\n")
    assert problems() == [f"{FR}/checklists/complaint.yml:10:9: sections[1].items[2]: missing key 'id'; name the id "
                          "of the source item this translates (greet)"]


def test_an_unknown_id(here: Path) -> None:
    edit(here / "translations/fr/modules/listening.yml", "      - id: note\n", "      - id: notes\n")
    assert problems() == [f"{FR}/modules/listening.yml:18:13: principles[1].actions[2].id: 'notes' is not in the "
                          "source; did you mean 'note'?"]


def test_an_id_translated_twice(here: Path) -> None:
    edit(here / "translations/fr/modules/listening.yml", "      - id: note\n", "      - id: wait\n")
    assert problems() == [f"{FR}/modules/listening.yml:18:13: principles[1].actions[2].id: 'wait' is translated "
                          "twice (first at line 16); keep one"]


def test_a_file_for_no_source_file(here: Path) -> None:
    os.rename(here / "translations/fr/modules/promises.yml", here / "translations/fr/modules/promise.yml")
    assert problems() == [f"{FR}/modules/promise.yml: translates no module of the source (there is no "
                          "modules/promise.yml); did you mean 'promises'?"]


def test_an_id_that_is_not_the_files(here: Path) -> None:
    edit(here / "translations/fr/modules/promises.yml", "id: promises\n", "id: listening\n")
    assert problems() == [f"{FR}/modules/promises.yml:2:5: id: 'listening' is not the id of the file it translates; "
                          "write 'id: promises' (a translation keeps the source's ids)"]


def test_a_revision_that_does_not_exist(here: Path) -> None:
    edit(here / "translations/fr/modules/promises.yml", "revision: 1\n", "revision: 3\n")
    assert problems() == [f"{FR}/modules/promises.yml:3:11: revision: content/modules/promises.yml has no revision 3 "
                          "(it is at revision 2); write the source revision this file translates"]


def test_the_revision_is_required(here: Path) -> None:
    edit(here / "translations/fr/checklists/complaint.yml", "revision: 1\n", "")
    assert problems() == [f"{FR}/checklists/complaint.yml:1:1: missing key 'revision'; add 'revision: 1', the source "
                          "revision this file translates (content/checklists/complaint.yml is at 1)"]


def test_a_list_of_text_of_another_length(here: Path) -> None:
    edit(here / "translations/fr/modules/listening.yml", "  - Reformuler ce qu’on a entendu.\n", "")
    assert problems() == [f"{FR}/modules/listening.yml:7:3: objectives: has 1 item(s), the source has 2; translate "
                          "each of them, in the source's order"]


def test_search_terms_are_a_list_of_the_language_s_own(here: Path) -> None:
    """Search terms are the words staff type, which need not pair off with the source's: a translation gives
    as many as it likes (the source has none here), held to the source's rules."""
    path = here / "translations/fr/modules/listening.yml"
    edit(path, "objectives:", "search_terms: [écoute active, reformuler, client fâché]\nobjectives:")
    assert load_site("content").translation("fr").site.module("listening").search_terms == (
        "écoute active", "reformuler", "client fâché")
    edit(path, "client fâché]", "Écoute active]")
    assert problems() == [f"{FR}/modules/listening.yml:6:43: search_terms[3]: 'Écoute active' is listed already "
                          "(line 6); list each once"]


def test_sections_without_ids_follow_the_source_order(here: Path) -> None:
    edit(here / "translations/fr/checklists/complaint.yml", "  - title: Après l’appel\n", "")
    assert problems() == [f"{FR}/checklists/complaint.yml:6:3: sections: has 2 item(s), the source has 3; translate "
                          "each of them, in the source's order"]


def test_translated_text_is_checked_as_the_source_is(here: Path) -> None:
    edit(here / "translations/fr/modules/listening.yml", "title: Écouter pour vrai\n", "title: Écouter <b>vrai</b>\n")
    assert problems() == [f"{FR}/modules/listening.yml:3:8: title: '<' and '>' are not allowed in one-line text; "
                          "write them out in words"]


def test_an_introduction_the_source_does_not_have(here: Path) -> None:
    (here / "translations/fr/modules/promises.md").write_text("Une introduction.\n", "utf-8")
    assert problems() == [f"{FR}/modules/promises.md: translates no introduction (there is no modules/promises.md); "
                          "translate one that exists or remove this file"]


def test_a_language_the_playbook_does_not_list(here: Path) -> None:
    (here / "translations/de").mkdir()
    (here / "translations/en").mkdir()
    assert problems() == [
        "content/translations/de: 'de' is not one of the playbook's languages (en, fr); add it to languages in "
        "playbook.yml",
        "content/translations/en: 'en' is the source language, whose text is the content folder itself; remove this "
        "folder",
    ]


def test_translations_without_languages(here: Path) -> None:
    edit(here / "playbook.yml", "languages: [en, fr]\n", "")
    assert problems() == ["content/translations/fr: the playbook has no languages; add 'languages: [en, fr]' to "
                          "content/playbook.yml"]


def test_languages_are_codes_listed_once(here: Path) -> None:
    edit(here / "playbook.yml", "languages: [en, fr]\n", "languages: [en, fr, fr_CA, en]\n")
    assert problems() == [
        "content/playbook.yml:1:21: languages[3]: 'fr_CA' is not a language code; write a lowercase code such as en "
        "or fr (a region after '-' in capitals, such as pt-BR)",
        "content/playbook.yml:1:28: languages[4]: 'en' is listed already (line 1); list each once",
    ]


def test_something_else_in_a_language_folder(here: Path) -> None:
    (here / "translations/fr/module").mkdir()
    assert problems() == ["content/translations/fr/module: not part of a translation; did you mean 'modules'? "
                          "(a translation holds playbook.yml, modules, checklists, paths)"]


def test_a_symbolic_link_in_a_language_folder(here: Path) -> None:
    """As at the top of the content folder: its files would otherwise be read as missing, without a word."""
    (here / "translations/fr/modules").rename(here.parent / "elsewhere")
    (here / "translations/fr/modules").symlink_to(here.parent / "elsewhere")
    assert problems() == [f"{FR}/modules: is a symbolic link; put the real file or folder here instead"]


def test_trainer_data_in_a_translation_is_refused(here: Path) -> None:
    (here / "translations/fr/modules/roster.yml").write_text("people: []\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        load_site("content", private=("roster.yml",))
    assert [str(p) for p in caught.value.problems] == [
        f"{FR}/modules/roster.yml: trainer data (people's names and emails) must never be in the content folder, "
        "which is published; move it to a private folder such as training/ beside content/"]
