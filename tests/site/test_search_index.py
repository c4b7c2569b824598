"""Search finds what the playbook says: not the widgets' own words, and not the answers to its knowledge checks.

Both indexes: Pagefind's of the site (the text of each page, which search shows in its results) and Material's of
the offline copy.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from playbook.content import load_site
from playbook.errors import Refused
from playbook.site import build, privacy, search
from playbook.site.mkdocs_config import OFFLINE_CONFIG
from playbook.site.mkdocs_run import run_mkdocs

from ..conftest import DEFAULT_CONTENT, project_at

#: Words only the page's controls say.
WIDGET_TEXT = ("items done", "Clear my ticks", "Take it with you", "printable sheet", "Check answer",
               "Start the questions again", "Mark this module complete", "Not marked complete", "Not started",
               "Signature")


def _plain(text: str) -> str:
    """Text as a reader sees it: no tags, no Markdown emphasis, entities decoded, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>|[*_`]", " ", text)).split())


@pytest.fixture(scope="module")
def built_default(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = tmp_path_factory.mktemp("search") / "content"
    shutil.copytree(DEFAULT_CONTENT, content)
    build(project_at(content))
    return content.parent


@pytest.fixture(scope="module", params=["site", "offline"])
def index_text(request: pytest.FixtureRequest, built_default: Path) -> str:
    if request.param == "site":
        pages = [json.loads(data) for _, data in search.fragments(built_default / "site")]
        return _plain("\n".join(f"{page['meta']['title']} {page['content']}" for page in pages))
    offline = built_default / "offline"
    run_mkdocs(built_default / "build" / OFFLINE_CONFIG, offline)
    index = json.loads((offline / "search" / "search_index.json").read_text("utf-8"))
    return _plain("\n".join(f"{doc['title']} {doc['text']}" for doc in index["docs"]))


@pytest.mark.parametrize("words", WIDGET_TEXT)
def test_widget_text_is_not_indexed(index_text: str, words: str) -> None:
    assert words not in index_text


def test_knowledge_check_explanations_are_not_indexed(index_text: str) -> None:
    explanations = [_plain(choice.explanation) for module in load_site(DEFAULT_CONTENT).modules
                    for check in module.checks for choice in check.choices]
    assert len(explanations) > 50
    assert [text for text in explanations if text in index_text] == []


def test_what_the_modules_teach_is_still_indexed(index_text: str) -> None:
    site = load_site(DEFAULT_CONTENT)
    for module in site.modules:
        assert _plain(module.summary) in index_text, module.id
        for principle in module.principles:
            assert _plain(principle.why) in index_text, principle.id
            assert all(_plain(action.text) in index_text for action in principle.actions), principle.id
    # And the words staff search with, which no page shows.
    for owner in [*site.modules, *site.checklists, *(p for m in site.modules for p in m.principles)]:
        assert all(term in index_text for term in owner.search_terms), owner.id


#: The only markup Material's search keeps in the index (its plugin escapes all other text).
INDEX_TAGS = {f"<{end}{tag}>" for tag in ("p", "code", "pre", "li", "ol", "ul", "sub", "sup") for end in ("", "/")}


def test_the_index_is_as_safe_as_the_page(content: Path) -> None:
    """Text that reads as markup once its entities are decoded stays text in the offline copy's index, which
    Material's search shows as HTML: the only tags in it are the theme's own, without attributes. (The site's
    own search draws Pagefind's excerpts as text: see test_relevance.)"""
    module = content / "modules" / "promises.yml"
    module.write_text(module.read_text("utf-8").replace(
        "why: A promise repeated back is a promise remembered.",
        "why: 'A <abbr title=\"a &quot;quote\">promise</abbr> is &lt;img src=x onerror=alert(1)&gt; 3 < 4.'"), "utf-8")
    build(project_at(content))
    run_mkdocs(content.parent / "build" / OFFLINE_CONFIG, content.parent / "offline")
    index = (content.parent / "offline" / "search" / "search_index.json").read_text("utf-8")
    texts = [f"{doc['title']} {doc['text']}" for doc in json.loads(index)["docs"]]
    assert any("&lt;img src=x onerror=alert(1)&gt; 3 &lt; 4" in text for text in texts)
    assert {tag for text in texts for tag in re.findall(r"<[^<>]*>", text)} <= INDEX_TAGS


@pytest.mark.parametrize(("text", "problem"), [
    ("Call Ana Lopez back", "contains a name or email from the trainer roster; remove it from the content before "
                            "publishing"),
    ("Write to ana@example.org", "contains the email address ana@example.org; remove it from the content, or list "
                                 "it under public_emails in playbook.yml if it is meant to be public"),
])
def test_the_privacy_scan_reads_the_compressed_search_fragments(tmp_path: Path, text: str, problem: str) -> None:
    """Pagefind's fragments are gzip-compressed: the scan reads them decompressed, as search shows them."""
    fragment = tmp_path / "pagefind" / "fragment" / "en_1a2b3c.pf_fragment"
    fragment.parent.mkdir(parents=True)
    page = json.dumps({"url": "/modules/x.html", "content": text, "meta": {"title": "X"}}).encode()
    fragment.write_bytes(gzip.compress(b"pagefind_dcd" + page))
    with pytest.raises(Refused) as refused:
        privacy.scan(tmp_path, "site", (), ["Ana Lopez"])
    assert str(refused.value) == f"site/pagefind/fragment/en_1a2b3c.pf_fragment: {problem}"
