"""Where a build reads and writes, and what it is told about the trainer's private data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where a build reads and writes. Defaults sit beside the content folder."""

    content: Path
    site_dir: Path
    staging_dir: Path
    settings: Path
    #: File names of trainer data: refused in the content and staging folders, which are published.
    private_files: tuple[str, ...]
    #: Names and emails from the trainer's roster: a built site holding one is never published.
    roster_words: tuple[str, ...]
    #: The published address, overriding site_url in the settings (CI knows it, the settings may not).
    site_url: str | None = None

    @classmethod
    def at(
        cls,
        content: Path | str = "content",
        site_dir: Path | str | None = None,
        staging_dir: Path | str | None = None,
        settings: Path | str | None = None,
        *,
        private_files: tuple[str, ...],
        roster_words: tuple[str, ...],
        site_url: str | None = None,
    ) -> Project:
        """The project around a content folder. What it must keep out of the site is always said: the
        trainer data's file names and the roster's words (empty where there is no roster)."""
        content = Path(content)
        root = content.parent
        return cls(
            content=content,
            site_dir=Path(site_dir) if site_dir is not None else root / "site",
            staging_dir=Path(staging_dir) if staging_dir is not None else root / "build",
            settings=Path(settings) if settings is not None else root / "mkdocs.yml",
            site_url=site_url,
            private_files=private_files,
            roster_words=roster_words,
        )
