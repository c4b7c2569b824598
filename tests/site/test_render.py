"""Rendering: golden files for every staged page, determinism, escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.content import load_site
from playbook.escape import escape_markdown, escape_text, indent
from playbook.site import render

from ..conftest import DEFAULT_CONTENT, FIXTURE_CONTENT

GOLDENS = Path(__file__).resolve().parents[1] / "goldens"


@pytest.fixture(scope="module")
def staged() -> dict[str, str]:
    return render.render(load_site(FIXTURE_CONTENT))


def test_goldens(staged: dict[str, str], update_goldens: bool) -> None:
    """Every staged page and config matches tests/goldens (``pytest --update-goldens`` rewrites them).

    The stylesheet, scripts and theme folder are copied as they are, so they have no goldens;
    the downloads have theirs in tests/test_exports.py, the trainer files in tests/training.
    """
    staged = {name: text for name, text in staged.items() if not name.startswith(("docs/assets/", "docs/downloads/", "theme/"))}
    if update_goldens:
        for old in [*GOLDENS.glob("docs/**/*"), GOLDENS / "mkdocs.yml", GOLDENS / "mkdocs-offline.yml"]:
            if old.is_file():
                old.unlink()
        for name, text in staged.items():
            target = GOLDENS / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8", newline="\n")
    golden_names = sorted(
        # Other tests' goldens (the downloads, the trainer files) sit beside the staged site's.
        p.relative_to(GOLDENS).as_posix() for p in GOLDENS.rglob("*")
        if p.is_file() and not {"exports", "training"} & set(p.parts)
    )
    assert golden_names == sorted(staged), "pages added or removed; run pytest --update-goldens and review the diff"
    for name, text in staged.items():
        assert (GOLDENS / name).read_text("utf-8") == text, f"{name} differs; run pytest --update-goldens and review"


def test_every_page_kind_is_staged(staged: dict[str, str]) -> None:
    assert sorted(staged) == sorted([
        "theme/partials/header.html",
        "theme/partials/playbook-search.html",
        "docs/assets/iframe-worker-shim.js",
        "docs/assets/playbook.css",
        "docs/assets/playbook-checks.js",
        "docs/assets/playbook-language.js",
        "docs/assets/playbook-progress.js",
        "docs/assets/playbook-receipts.js",
        "docs/assets/playbook-search.js",
        "docs/assets/playbook-start.js",
        "docs/assets/playbook-ticks.js",
        "docs/assets/playbook.js",
        "docs/checklists/complaint.md",
        *[f"docs/downloads/{name}.{fmt}" for name in
          ("checklist-complaint", "module-listening", "module-promises", "path-agent-start") for fmt in ("csv", "html")],
        "docs/checklists/index.md",
        "docs/index.md",
        "docs/modules/index.md",
        "docs/modules/listening.md",
        "docs/modules/promises.md",
        "docs/outcomes/index.md",
        "docs/outcomes/respect.md",
        "docs/outcomes/trust.md",
        "docs/paths/agent-start.md",
        "docs/paths/index.md",
        "docs/progress.md",
        "docs/roles/agent.md",
        "docs/roles/index.md",
        "docs/roles/lead.md",
        "docs/tags/communication.md",
        "docs/tags/first-contact.md",
        "docs/tags/index.md",
        "mkdocs-offline.yml",
        "mkdocs.yml",
    ])


def test_rendering_is_deterministic() -> None:
    first = render.render(load_site(FIXTURE_CONTENT))
    second = render.render(load_site(FIXTURE_CONTENT))
    assert first == second
    # CSV rows end in CRLF as RFC 4180 says; everything else uses \n.
    assert all("\r" not in text for name, text in first.items() if not name.endswith(".csv"))


def test_nav_follows_the_declared_order_in_sections(staged: dict[str, str]) -> None:
    config = staged["mkdocs.yml"]
    assert config.index("Listening &amp; hearing: modules/listening.md") < config.index(
        "Keeping promises: modules/promises.md"
    )
    assert "  - Basics:\n" in config and "  - More &amp; better:\n" in config


def test_outcome_matrix_lists_principles_by_outcome_not_actions(staged: dict[str, str]) -> None:
    overview = staged["docs/outcomes/index.md"]
    assert "| [Trust](../outcomes/trust.md) | 1 | 1 |" in overview and "| [Respect](../outcomes/respect.md) | 1 | 1 |" in overview
    respect = staged["docs/outcomes/respect.md"]
    assert ("| [Listening &amp; hearing](../modules/listening.md) | "
            "[Let them \\*finish\\*](../modules/listening.md#let-them-finish) | 2 |") in respect
    # The actions themselves stay on the module pages.
    assert "Wait for a pause before you speak." not in respect + overview


def test_checklist_reference_links_to_the_principle(staged: dict[str, str]) -> None:
    assert "](../modules/listening.md#let-them-finish)" in staged["docs/checklists/complaint.md"]


def test_every_widget_that_shows_dates_carries_the_locale() -> None:
    """playbook.js writes each date in the locale of the widget it writes into (tests/site/test_locale.py)."""
    staged = render.render(load_site(DEFAULT_CONTENT))
    for page, widget in (("modules/listening.md", "pb-ticks"), ("modules/listening.md", "pb-complete"),
                         ("checklists/complaint-call.md", "pb-ticks"), ("paths/front-line-onboarding.md", "pb-path"),
                         ("progress.md", "pb-progress")):
        opening_tags = re.findall(rf'<[a-z]+ class="{widget}[" ][^>]*>', staged[f"docs/{page}"])
        assert opening_tags and all(' data-pb-locale="en-GB" ' in tag for tag in opening_tags), (page, widget)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fish & chips", "Fish &amp; chips"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("*bold* _it_ `code` [link](x) #1 a|b \\", "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\#1 a\\|b \\\\"),
        ("1. Not a list", "1\\. Not a list"),
        ("- not a bullet", "\\- not a bullet"),
        ("> not a quote", "&gt; not a quote"),
        ("It's \"fine\"", "It's \"fine\""),
    ],
)
def test_plain_text_shows_as_typed(text: str, expected: str) -> None:
    assert escape_text(text) == expected


def test_markdown_keeps_markdown_and_the_safe_tags_only() -> None:
    assert escape_markdown("**Bold**, <b>tag</b>, <kbd>Ctrl</kbd> and 3 < 4\n") == (
        "**Bold**, <b>tag</b>, <kbd>Ctrl</kbd> and 3 &lt; 4"
    )
    # Anything else was refused by validation; should it arrive, it still shows as text.
    assert escape_markdown("<img src=x onerror=y> <b onclick=x>b</b>") == "&lt;img src=x onerror=y> &lt;b onclick=x>b</b>"
    # Even in code: deciding what Markdown treats as code is where escapes go wrong.
    assert escape_markdown("`<div>` and {: .x }") == "`&lt;div>` and \\{: .x }"
    assert escape_markdown("```\n<img src=x onerror=y>") == "```\n&lt;img src=x onerror=y>"


def test_indent_leaves_blank_lines_empty() -> None:
    assert indent("a\n\nb", 4) == "a\n\n    b"


def test_search_terms_are_in_the_page_for_search_but_never_shown(content: Path) -> None:
    promises, complaint = content / "modules/promises.yml", content / "checklists/complaint.yml"
    promises.write_text(promises.read_text("utf-8").replace("    source: Test article (001)\n",
                        "    source: Test article (001)\n    search_terms: [read back]\n")
                        + "search_terms: [keep your word, callback & follow-up]\n", "utf-8")
    complaint.write_text(complaint.read_text("utf-8").replace("roles: [agent]\n",
                         "roles: [agent]\nsearch_terms: [angry customer, complain]\n"), "utf-8")
    staged = render.render(load_site(content))
    module, checklist = staged["docs/modules/promises.md"], staged["docs/checklists/complaint.md"]
    # Hidden (from screen readers too); Pagefind weighs a checklist's terms above a module's, and those above
    # a principle's, and links a principle's terms to its section.
    assert "# Keeping promises {#pb_title}\n\n<p class=\"pb-search-terms\" hidden data-pagefind-weight=\"6\">" \
           "keep your word · callback &amp; follow-up</p>\n\n" in module
    assert "### Confirm the promise {#confirm}\n\n<p class=\"pb-search-terms\" hidden data-pagefind-weight=\"5\">" \
           "read back</p>\n\n" in module
    assert "# A complaint call\n\n<p class=\"pb-search-terms\" hidden data-pagefind-weight=\"8\">angry customer · " \
           "complain</p>\n\n" in checklist
    assert "pb-search-terms" not in staged["docs/modules/listening.md"]  # no terms, no element
