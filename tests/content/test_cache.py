"""The preview's file cache: a load with it gives exactly what a fresh load gives, and reuses unchanged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.content import FileCache, load_site
from playbook.errors import ContentError


def _problems(content: Path, cache: FileCache | None) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_site(content, cache=cache)
    return [str(problem) for problem in caught.value.problems]


def test_a_cached_load_reuses_unchanged_files_and_reads_changed_ones(content: Path) -> None:
    cache = FileCache()
    first = load_site(content, cache=cache)
    module = content / "modules/listening.yml"
    module.write_text(module.read_text("utf-8").replace("minutes: 10", "minutes: 12"), "utf-8")
    second = load_site(content, cache=cache)
    assert second == load_site(content)
    assert second.module("listening").minutes == 12
    assert second.module("promises") is first.module("promises")  # not converted again
    assert second.module("listening") is not first.module("listening")


def test_a_cached_load_reports_a_broken_file_every_time(content: Path) -> None:
    cache = FileCache()
    load_site(content, cache=cache)
    module = content / "modules/listening.yml"
    good = module.read_text("utf-8")
    module.write_text(good.replace("minutes: 10", "minutes: many"), "utf-8")
    expected = _problems(content, None)
    assert _problems(content, cache) == _problems(content, cache) == expected
    module.write_text(good, "utf-8")
    assert load_site(content, cache=cache) == load_site(content)


def test_an_introduction_is_read_again_when_it_changes(content: Path) -> None:
    cache = FileCache()
    intro = next((content / "modules").glob("*.md"))
    load_site(content, cache=cache)
    intro.write_text(intro.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    assert load_site(content, cache=cache) == load_site(content)
