"""Fingerprint the seed articles so tests can check content/ is in our own words.

Writes tests/fixtures/seed-ngrams.txt: one truncated SHA-256 per run of
N consecutive words in the articles. The fingerprints say nothing readable
about the articles, so the repository carries none of their sentences.

Usage: python scripts/seed_ngrams.py [SEEDS_DIR]   (default: ../shared/seeds)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.originality import RUN_LENGTH, fingerprints  # noqa: E402

OUTPUT = ROOT / "tests" / "fixtures" / "seed-ngrams.txt"


def main(argv: list[str]) -> int:
    seeds = Path(argv[0]) if argv else ROOT.parent / "shared" / "seeds"
    articles = sorted(seeds.glob("*.txt"))
    if not articles:
        print(f"{seeds}: no seed articles (*.txt) found", file=sys.stderr)
        return 1
    found: set[str] = set()
    for article in articles:
        found |= fingerprints(article.read_text("utf-8"))
    header = f"# {RUN_LENGTH}-word runs of {len(articles)} seed articles; made by scripts/seed_ngrams.py\n"
    OUTPUT.write_text(header + "".join(f"{digest}\n" for digest in sorted(found)), "utf-8")
    print(f"wrote {len(found)} fingerprints to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
