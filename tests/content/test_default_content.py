"""The shipped default playbook in content/: its shape, and that it covers its source articles.

Each row of COVERAGE is one idea from the five articles the default content is
written from. It names the module and principle (or "intro", the module's
long-form introduction) where the idea lives, and words a learner would type
into the site search to find it. The words must appear in that principle's or
introduction's text, so the idea stays findable after rewording.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.content import load_site, model

CONTENT = Path(__file__).resolve().parents[2] / "content"

ARTICLES = {
    "000": "Don't Treat Clients like Family",
    "001": "Is Raising Your Customers The Same As Raising Your Children?",
    "002": "How to treat your clients the right way",
    "003": "The importance of making your clients feel important",
    "004": "How NOT to Manage Customers!",
}
SOURCE_NUMBER = re.compile(r"\((00[0-4])\)\s*$")

MIN_MODULES = 6
MIN_PRINCIPLES = 25
MIN_ACTIONS = 60
MIN_CHECKS_PER_MODULE = 3
MIN_CHECKLISTS = 4
MIN_ROLES = 3
MIN_PATHS = 2

INTRO = "intro"

#: (what the article says, module id, principle id or INTRO, search words)
COVERAGE: list[tuple[str, str, str, tuple[str, ...]]] = [
    # 004 How NOT to Manage Customers! -- the trust-and-respect chart
    ("004 chart: keep your word, consistently", "trust-and-respect", "keep-your-word", ("keep your word", "consistent")),
    ("004 chart: listen", "trust-and-respect", "listen", ("listen",)),
    ("004 chart: be proactive, it surprises them", "trust-and-respect", "be-proactive", ("proactive", "surprise")),
    ("004 chart: know each customer's needs thoroughly", "trust-and-respect", "know-their-needs", ("customer's needs",)),
    ("004 chart: pay attention to details", "trust-and-respect", "mind-the-details", ("attention", "details")),
    ("004 chart: make sure staff are knowledgeable", "trust-and-respect", "knowledgeable-staff", ("knowledgeable", "trained")),
    ("004 chart: be meticulously honest", "trust-and-respect", "be-honest", ("honest",)),
    # 004 -- the six failure patterns
    ("004 failure: no deference or respect", "trust-and-respect", "listen", ("deference", "respect")),
    ("004 failure: slow to respond to people trying to pay", "trust-and-respect", "be-proactive", ("slow", "pay an invoice")),
    ("004 failure: inconsistent excellence", "trust-and-respect", "keep-your-word", ("inconsistent excellence",)),
    ("004 failure: not engaged with customers", "trust-and-respect", "know-their-needs", ("engaged",)),
    ("004 failure: not listening carefully and with empathy", "trust-and-respect", "listen", ("carefully", "empathy")),
    ("004 failure: taking loyal customers for granted", "trust-and-respect", "know-their-needs", ("loyal", "for granted")),
    # 004 -- culture
    (
        "004 culture: integrity, empathy, responsiveness versus profit above all, cynicism, adversaries",
        "trust-and-respect",
        INTRO,
        ("integrity", "empathy", "responsiveness", "profit above all", "cynicism", "adversaries"),
    ),
    # 000 Don't Treat Clients like Family
    ("000 be prepared before the crisis", "care-like-a-parent", "be-ready-before-trouble",
     ("prepared", "backups", "disaster recovery", "whole organisation")),
    ("000 nurture with visits and strategy sessions", "care-like-a-parent", "nurture-their-growth",
     ("nurture", "regular visits", "strategy session", "growth")),
    ("000 protect by warning of threats", "care-like-a-parent", "protect-them-from-threats",
     ("ransomware", "weekend", "monday", "patched", "every client", "maintenance session")),
    ("000 show appreciation with gifts given with intent", "care-like-a-parent", "show-appreciation",
     ("appreciation", "gift", "intent")),
    ("000 mom ears: hear the faint signs before a competitor", "care-like-a-parent", "hear-the-faint-signs",
     ("mom ears", "faint", "unhappy", "competitor")),
    ("000 standing out when everyone says they treat you like family", "care-like-a-parent", INTRO,
     ("like family", "stand out")),
    # 001 Is Raising Your Customers The Same As Raising Your Children?
    ("001 don't assume: as if they have never seen the product", "guiding-new-customers", "assume-nothing",
     ("assume", "never seen the product")),
    ("001 answer the questions they don't know to ask", "guiding-new-customers", "answer-before-asked",
     ("don't know to ask",)),
    ("001 keep asking questions through the project", "guiding-new-customers", "keep-asking-questions",
     ("asking questions", "project", "change their minds")),
    ("001 bring a road map and lead", "guiding-new-customers", "bring-a-road-map", ("road map", "lead")),
    ("001 step in when the customer's team falls behind", "guiding-new-customers", "step-in-early",
     ("step in", "falls behind")),
    ("001 don't bill for every helping hand", "guiding-new-customers", "help-without-billing",
     ("bill", "helping hand")),
    ("001 same question many times: change how you explain", "guiding-new-customers", "explain-it-another-way",
     ("same question", "explain")),
    ("001 act as if every move were recorded", "guiding-new-customers", "act-as-if-recorded", ("recorded",)),
    # 002 How to treat your clients the right way
    ("002 individuals, not a mass", "customers-as-friends", "see-individuals", ("individuals", "mass")),
    ("002 transactional versus friendly stance", "customers-as-friends", "friendly-not-transactional",
     ("transactional", "friend")),
    ("002 going the extra mile", "customers-as-friends", "go-the-extra-mile", ("extra mile",)),
    ("002 resolving complaints with empathy", "customers-as-friends", "resolve-with-empathy", ("complaints", "empathy")),
    ("002 trust and reciprocity", "customers-as-friends", "earn-trust-and-reciprocity", ("trust", "reciprocity")),
    ("002 mindset becomes behaviour becomes habit", "customers-as-friends", "mindset-becomes-habit",
     ("mindset", "behaviour", "habit")),
    # 003 The importance of making your clients feel important
    ("003 the customer is king, even when wrong", "making-clients-feel-important", "customer-is-king",
     ("customer is king", "wrong")),
    ("003 tip: treat them with respect, make them feel needed", "making-clients-feel-important", "treat-them-as-people",
     ("respect", "needed")),
    ("003 tip: use their name", "making-clients-feel-important", "treat-them-as-people", ("name",)),
    ("003 tip: acknowledge their ideas", "making-clients-feel-important", "value-their-views", ("acknowledge", "idea")),
    ("003 tip: ask their advice", "making-clients-feel-important", "value-their-views", ("advice",)),
    ("003 tip: surprise them", "making-clients-feel-important", "surprise-them", ("surprise", "free sample")),
    ("003 tip: apologise for your mistakes", "making-clients-feel-important", "apologise-when-wrong",
     ("apologise", "mistake")),
    ("003 tip: listen", "making-clients-feel-important", "give-full-attention", ("listen",)),
    ("003 tip: pay close attention", "making-clients-feel-important", "give-full-attention", ("close attention",)),
    ("003 tip: don't ignore or interrupt", "making-clients-feel-important", "give-full-attention",
     ("ignore", "interrupt")),
    ("003 tip: return calls the same day", "making-clients-feel-important", "respond-the-same-day",
     ("call", "same working day")),
    ("003 tip: return emails the same day", "making-clients-feel-important", "respond-the-same-day",
     ("email", "on the day it arrives")),
    ("003 tip: answer every question", "making-clients-feel-important", "respond-the-same-day",
     ("answer every question",)),
    ("003 the client who came back years later because they felt important", "making-clients-feel-important",
     "treat-them-as-people", ("eight years", "trusted")),
    # The listening module gathers the listening advice of all five articles.
    ("004 listening: carefully and with empathy", "listening", "listen-with-empathy", ("listen", "carefully", "empathy")),
    ("003 listening: make them feel heard, don't interrupt", "listening", "make-them-feel-heard",
     ("heard", "interrupt")),
    ("000 listening: hear the quiet signals", "listening", "hear-the-quiet-signals", ("quiet", "signals", "competitor")),
    ("001 listening: keep asking, listen to repeated questions", "listening", "keep-asking",
     ("asking", "same question")),
    ("002 listening: the person, not the mass", "listening", "listen-to-the-person", ("individual", "complaint")),
]

#: The trust-and-respect chart: principle id in module trust-and-respect -> the outcome it builds.
CHART = {
    "keep-your-word": "trust",
    "listen": "respect",
    "be-proactive": "trust",
    "know-their-needs": "respect",
    "mind-the-details": "trust",
    "knowledgeable-staff": "respect",
    "be-honest": "trust",
}


@pytest.fixture(scope="module")
def site() -> model.Site:
    return load_site(CONTENT)


def _principle(module: model.Module, principle_id: str) -> model.Principle:
    found = [p for p in module.principles if p.id == principle_id]
    assert found, f"module {module.id!r} has no principle {principle_id!r}; it has {[p.id for p in module.principles]}"
    return found[0]


def _principle_text(principle: model.Principle) -> str:
    """The principle as the page shows it, minus formatting: what site search indexes."""
    parts = [principle.title, principle.why, *(a.text for a in principle.actions), *principle.avoid, principle.example]
    return "\n".join(parts)


def _modules(site: model.Site) -> dict[str, model.Module]:
    return {module.id: module for module in site.modules}


# --- Shape ------------------------------------------------------------------


def test_module_principle_and_action_counts(site: model.Site) -> None:
    principles = [p for m in site.modules for p in m.principles]
    actions = [a for p in principles for a in p.actions]
    assert len(site.modules) >= MIN_MODULES
    assert len(principles) >= MIN_PRINCIPLES
    assert len(actions) >= MIN_ACTIONS


def test_every_module_has_enough_checks_with_explained_choices(site: model.Site) -> None:
    for module in site.modules:
        assert len(module.checks) >= MIN_CHECKS_PER_MODULE, f"{module.id}: only {len(module.checks)} checks"
        for check in module.checks:
            assert any(choice.correct for choice in check.choices), f"{module.id}/{check.id}: no right answer"
            for choice in check.choices:
                assert choice.explanation.strip(), f"{module.id}/{check.id}/{choice.id}: no explanation"


def test_checklists_roles_and_paths(site: model.Site) -> None:
    assert len(site.checklists) >= MIN_CHECKLISTS
    assert len(site.playbook.roles) >= MIN_ROLES
    assert len(site.paths) >= MIN_PATHS


def test_paths_cover_every_module(site: model.Site) -> None:
    on_a_path = {step.module for path in site.paths for step in path.steps}
    assert on_a_path == set(_modules(site))


def test_every_module_is_in_the_reading_order_once(site: model.Site) -> None:
    listed = [module_id for section in site.playbook.sections for module_id in section.modules]
    assert sorted(listed) == sorted(_modules(site))


def test_every_module_has_an_owner_and_review_date(site: model.Site) -> None:
    for module in site.modules:
        assert module.owner.strip(), f"{module.id}: no owner"
        assert module.review_by is not None, f"{module.id}: no review_by"


def test_every_principle_names_its_source_article(site: model.Site) -> None:
    for module in site.modules:
        for principle in module.principles:
            match = SOURCE_NUMBER.search(principle.source)
            assert match, f"{module.id}/{principle.id}: source {principle.source!r} does not end in (000)..(004)"
            assert match.group(1) in ARTICLES


def test_the_listening_module_draws_on_all_five_articles(site: model.Site) -> None:
    listening = _modules(site)["listening"]
    cited = {match.group(1) for p in listening.principles if (match := SOURCE_NUMBER.search(p.source))}
    assert cited == set(ARTICLES)


# --- Coverage -----------------------------------------------------------------


@pytest.mark.parametrize(("idea", "module_id", "where", "words"), COVERAGE, ids=[row[0] for row in COVERAGE])
def test_coverage(site: model.Site, idea: str, module_id: str, where: str, words: tuple[str, ...]) -> None:
    modules = _modules(site)
    assert module_id in modules, f"{idea}: no module {module_id!r}"
    module = modules[module_id]
    if where == INTRO:
        assert module.intro is not None, f"{idea}: module {module_id!r} has no introduction"
        text = f"{module.intro.title}\n{module.intro.body}"
    else:
        text = _principle_text(_principle(module, where))
    missing = [word for word in words if word.lower() not in text.lower()]
    assert not missing, f"{idea}: {missing} not found in {module_id}/{where}"


def test_coverage_lists_every_article() -> None:
    cited = {idea[:3] for idea, *_ in COVERAGE}
    assert cited == set(ARTICLES)


# --- The trust-and-respect chart -------------------------------------------------


def test_the_chart_actions_are_principles_with_their_outcomes(site: model.Site) -> None:
    module = _modules(site)["trust-and-respect"]
    outcomes = {p.id: p.outcome for p in module.principles}
    assert {pid: outcomes.get(pid) for pid in CHART} == CHART
