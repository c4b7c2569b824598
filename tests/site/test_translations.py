"""The site in two languages: the source language's at the root, the French one under fr/, built by one pipeline."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from playbook.cli import main
from playbook.site import build

from ..conftest import project_at, zensical


@pytest.fixture(scope="module")
def bilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content with its French translation, built once: the project folder."""
    from ..conftest import FIXTURE_CONTENT, FIXTURE_TRANSLATIONS

    root = tmp_path_factory.mktemp("bilingual")
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    shutil.copytree(FIXTURE_TRANSLATIONS, root / "content" / "translations")
    playbook = root / "content" / "playbook.yml"
    playbook.write_text("languages: [en, fr]\n" + playbook.read_text("utf-8"), "utf-8")
    build(project_at(root / "content"))
    return root


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith(("fr/", "downloads/", "assets/")))


def html_lang(page: Path) -> str:
    return re.search(r'<html lang="([^"]+)"', page.read_text("utf-8")).group(1)


def switch_links(page: Path) -> dict[str, str]:
    """The language switch's links on a page, by language, as addresses from the site root."""
    text = page.read_text("utf-8")
    here = page.as_posix()
    return {lang: urljoin(here, href) for href, lang in
            re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" class="md-select__link">', text)}


def test_each_language_has_every_page_with_its_lang(bilingual_site: Path) -> None:
    site = bilingual_site / "site"
    english = pages(site)
    assert "modules/listening.html" in english and "index.html" in english
    assert pages(site / "fr") == english
    for page in english:
        assert html_lang(site / page) == "en", page
        assert html_lang(site / "fr" / page) == "fr", page


def test_every_page_links_to_both_languages(bilingual_site: Path) -> None:
    site = bilingual_site / "site"
    for page in pages(site):
        if page in ("404.html",):
            continue
        for tree in (site, site / "fr"):
            links = switch_links(tree / page)
            # Without script the switch leads to each language's home page; playbook-start.js points it at the
            # same page (the browser test proves that).
            assert links == {"en": (site / "index.html").as_posix(), "fr": (site / "fr/index.html").as_posix()}, page


def test_french_pages_are_in_french(bilingual_site: Path) -> None:
    page = (bilingual_site / "site/fr/modules/listening.html").read_text("utf-8")
    assert "Écouter pour vrai" in page and "Ce que vous allez apprendre" in page
    assert "Attendre une pause avant de parler." in page
    assert "Pourquoi c’est important" in page  # the translated introduction
    assert "pb-translation" not in page  # fully translated: no notice
    # The same stable keys as the English page, so ticks are shared.
    keys = re.compile(r'data-pb-key="([^"]+)"')
    english = (bilingual_site / "site/modules/listening.html").read_text("utf-8")
    assert keys.findall(page) == keys.findall(english) and keys.findall(page)
    script = (bilingual_site / "site/fr/assets/playbook-language.js").read_text("utf-8")
    settings = json.loads(script.split("window.playbookLanguage = ", 1)[1].rstrip(";\n"))
    assert settings["language"] == "fr" and settings["root"] == "../"
    assert settings["messages"]["Not started"] == "Pas commencé"


def test_stale_translation_says_so_and_links_the_source(bilingual_site: Path) -> None:
    page = bilingual_site / "site/fr/modules/promises.html"
    text = page.read_text("utf-8")
    assert ("Cette traduction suit la révision 1; le texte d’origine en est maintenant à la révision 2, donc certains "
            "passages de cette page peuvent être dépassés.") in text
    link = re.search(r'<a href="([^"]+)" hreflang="en">Lire le texte d’origine à jour</a>', text).group(1)
    assert Path(urljoin(page.as_posix(), link)) == bilingual_site / "site/modules/promises.html"


def test_stale_notice_lists_what_changed_in_the_source(bilingual_content: Path) -> None:
    promises = bilingual_content / "modules/promises.yml"
    promises.write_text(promises.read_text("utf-8").replace("revision: 2\n", "revision: 3\n") +
                        "changelog:\n  - revision: 3\n    changes: The promise now names a time.\n", "utf-8")
    build(project_at(bilingual_content))
    text = (bilingual_content.parent / "site/fr/modules/promises.html").read_text("utf-8")
    assert "à la révision 3" in text
    assert re.search(r'<ul class="pb-translation__changes" lang="en">\s*<li>Révision 3 : The promise now names a '
                     r'time.</li>', text)


def test_missing_and_partial_pages_say_they_show_the_source(bilingual_site: Path) -> None:
    path = (bilingual_site / "site/fr/paths/agent-start.html").read_text("utf-8")
    assert "Cette page n’est pas encore traduite : elle présente le texte d’origine." in path
    assert "Agent onboarding" in path  # the source title, as a fallback
    assert "pb-translation" not in (bilingual_site / "site/paths/agent-start.html").read_text("utf-8")


def test_each_language_has_its_own_search_index(bilingual_site: Path) -> None:
    """Pagefind indexes each language's folder apart, in that language (its stemmer), from the pages' lang."""
    from playbook.site import search

    french = json.loads((bilingual_site / "site/fr/pagefind/pagefind-entry.json").read_text("utf-8"))
    english = json.loads((bilingual_site / "site/pagefind/pagefind-entry.json").read_text("utf-8"))
    assert list(french["languages"]) == ["fr"] and list(english["languages"]) == ["en"]
    titles = [json.loads(data)["meta"]["title"] for path, data in search.fragments(bilingual_site / "site/fr")
              if path.is_relative_to(bilingual_site / "site/fr/pagefind")]
    assert any(title.startswith("Écouter") for title in titles)


def test_french_downloads_are_french(bilingual_site: Path) -> None:
    sheet = (bilingual_site / "site/fr/downloads/checklist-complaint.html").read_text("utf-8")
    assert '<html lang="fr">' in sheet and "Le saluer par son nom." in sheet and ">Signature<" in sheet


def test_check_warns_and_review_lists_the_stale_translation(bilingual_content: Path,
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(bilingual_content.parent)
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert out == "content: ok (2 modules, 1 checklists, 1 learning paths, languages: en, fr)\n"
    assert err == ("content/translations/fr/modules/promises.yml:3:11: warning: translates revision 1 of "
                   "content/modules/promises.yml, which is now at revision 2; update the translation, then set "
                   "'revision: 2'\n")
    assert main(["review", "--today", "2026-01-01"]) == 0
    out, _ = capsys.readouterr()
    assert ("content/translations/fr/modules/promises.yml:3:11: translates revision 1 of content/modules/promises.yml, "
            "which is now at revision 2 (source owner: Head of Care); update the translation, then set "
            "'revision: 2'\n") in out
    assert main(["translations"]) == 0
    out, _ = capsys.readouterr()
    assert out == (
        "fr: 3 translated, 0 partial, 1 stale, 1 missing (of 5 files)\n"
        "  path agent-start: missing; translate content/paths/agent-start.yml into "
        "content/translations/fr/paths/agent-start.yml\n"
        "  module promises: stale; translates revision 1, the source is at 2\n")


def test_checklists_in_a_language(bilingual_content: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(bilingual_content.parent)
    assert main(["checklists", "--format", "csv", "--lang", "fr", "complaint"]) == 0
    csv = (bilingual_content.parent / "exports/checklist-complaint.csv").read_text("utf-8")
    assert "Pendant l’appel,Le saluer par son nom." in csv
    assert main(["checklists", "--format", "md", "--lang", "de"]) == 2
    assert capsys.readouterr().err == "playbook checklists: error: --lang de: not one of the playbook's languages (en, fr)\n"


def test_each_staged_language_tree_builds_with_zensical(bilingual_site: Path, tmp_path: Path) -> None:
    command = zensical()
    shutil.copytree(bilingual_site / "build", tmp_path / "build")
    for tree, title in ((tmp_path / "build", "Listening &amp; hearing"), (tmp_path / "build/fr", "Écouter pour vrai")):
        done = subprocess.run([command, "build", "-f", "mkdocs.yml"], cwd=tree, capture_output=True, text=True,
                              timeout=300, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert title in (tree / "site/modules/listening.html").read_text("utf-8")
