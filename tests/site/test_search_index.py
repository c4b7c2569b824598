"""Search finds what the playbook says: not the widgets' own words, and not the answers to its knowledge checks."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from playbook.content import load_site
from playbook.site import build

from ..conftest import DEFAULT_CONTENT, project_at

#: Words only the page's controls say.
WIDGET_TEXT = ("items done", "Clear my ticks", "Take it with you", "printable sheet", "Check answer",
               "Start the questions again", "Mark this module complete", "Not marked complete", "Not started",
               "Signature")


def _plain(text: str) -> str:
    """Text as a reader sees it: no tags, no Markdown emphasis, entities decoded, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>|[*_`]", " ", text)).split())


@pytest.fixture(scope="module")
def index_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    content = tmp_path_factory.mktemp("search") / "content"
    shutil.copytree(DEFAULT_CONTENT, content)
    build(project_at(content))
    index = json.loads((content.parent / "site" / "search" / "search_index.json").read_text("utf-8"))
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
        assert all(_plain(check.question) in index_text for check in module.checks), module.id


#: The only markup Material's search keeps in the index (its plugin escapes all other text).
INDEX_TAGS = {f"<{end}{tag}>" for tag in ("p", "code", "pre", "li", "ol", "ul", "sub", "sup") for end in ("", "/")}


def test_the_index_is_as_safe_as_the_page(content: Path) -> None:
    """Text that reads as markup once its entities are decoded stays text in the index, which the search
    shows as HTML: the only tags in it are the theme's own, without attributes."""
    module = content / "modules" / "promises.yml"
    module.write_text(module.read_text("utf-8").replace(
        "why: A promise repeated back is a promise remembered.",
        "why: 'A <abbr title=\"a &quot;quote\">promise</abbr> is &lt;img src=x onerror=alert(1)&gt; 3 < 4.'"), "utf-8")
    build(project_at(content))
    index = (content.parent / "site" / "search" / "search_index.json").read_text("utf-8")
    texts = [f"{doc['title']} {doc['text']}" for doc in json.loads(index)["docs"]]
    assert any("&lt;img src=x onerror=alert(1)&gt; 3 &lt; 4" in text for text in texts)
    assert {tag for text in texts for tag in re.findall(r"<[^<>]*>", text)} <= INDEX_TAGS
