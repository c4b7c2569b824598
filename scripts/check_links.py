"""Check every link inside a built site: each relative href/src names a file that exists,
and each #fragment names an id on its page.

Usage: python scripts/check_links.py SITE_DIR [BASE_PATH]   (exit 1 and a list when something is broken)

BASE_PATH is where the site is published on its host (``/`` by default,
``/repo/`` for a GitHub project site): links starting with it, such as the
404 page's, are checked against SITE_DIR.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name in ("id", "name"):
                self.ids.add(value)


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    pages: dict[Path, _Page] = {}
    for path in sorted(site.rglob("*.html")):
        parsed = _Page()
        parsed.feed(path.read_text("utf-8", errors="replace"))
        pages[path.resolve()] = parsed
    broken = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:", "data:", "javascript:")):
                continue  # external: not this site's to check
            if parts.path.startswith("/"):
                if not parts.path.startswith(base_path):
                    broken.append(f"{path.relative_to(site.resolve()).as_posix()}: {link} -> outside {base_path}")
                    continue
                target = (site / unquote(parts.path[len(base_path):])).resolve()
            else:
                target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = path.relative_to(site.resolve()).as_posix()
            if not target.exists():
                broken.append(f"{where}: {link} -> missing file")
            elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{where}: {link} -> no id {parts.fragment!r}")
    return broken


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or not Path(argv[0]).is_dir():
        print("usage: check_links.py SITE_DIR [BASE_PATH]", file=sys.stderr)
        return 2
    base_path = "/" + argv[1].strip("/") + "/" if len(argv) == 2 and argv[1].strip("/") else "/"
    broken = broken_links(Path(argv[0]), base_path)
    for line in broken:
        print(line)
    print(f"{len(broken)} broken link(s)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
