"""The default playbook is written in our own words: no 12-word run matches a seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import DEFAULT_CONTENT, ROOT
from .originality import RUN_LENGTH, fingerprints, runs

SEED_FINGERPRINTS = Path(__file__).resolve().parent / "fixtures" / "seed-ngrams.txt"
SEEDS = ROOT.parent / "shared" / "seeds"


def _seed_fingerprints() -> set[str]:
    lines = SEED_FINGERPRINTS.read_text("utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def _content_text(path: Path) -> str:
    # A principle's `source` names the article it draws on: the one place an article's words belong.
    return "\n".join(line for line in path.read_text("utf-8").splitlines() if not line.strip().startswith("source:"))


CONTENT_FILES = sorted(p for p in DEFAULT_CONTENT.rglob("*") if p.suffix in (".yml", ".md"))


@pytest.mark.parametrize("path", CONTENT_FILES, ids=[p.relative_to(DEFAULT_CONTENT).as_posix() for p in CONTENT_FILES])
def test_no_run_of_words_is_copied_from_a_seed(path: Path) -> None:
    seeds = _seed_fingerprints()
    copied = [text for digest, text in runs(_content_text(path)) if digest in seeds]
    assert copied == [], f"{len(copied)} run(s) of {RUN_LENGTH} words copied from a seed article, e.g. {copied[0]!r}"


def test_a_copied_run_is_caught_and_a_shorter_one_is_not() -> None:
    article = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen."
    seed = fingerprints(article)
    copied = "We wrote: one two three FOUR five six seven eight nine ten eleven twelve, then more."
    shorter = "We wrote: two three four five six seven eight nine ten eleven twelve, then more."
    assert any(digest in seed for digest, _ in runs(copied))
    assert not any(digest in seed for digest, _ in runs(shorter))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not beside this checkout")
def test_fingerprints_match_the_seed_articles() -> None:
    expected: set[str] = set()
    for article in sorted(SEEDS.glob("*.txt")):
        expected |= fingerprints(article.read_text("utf-8"))
    assert _seed_fingerprints() == expected, "run python scripts/seed_ngrams.py to refresh tests/fixtures/seed-ngrams.txt"
