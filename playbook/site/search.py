"""The site's search index: Pagefind, run over the built site, in chunks a reader fetches only as a query needs them.

Material's own search downloads the whole index on the first page a reader
opens and builds it in the browser: 140 KB for the default playbook, ten
megabytes at 500 modules. Pagefind splits the index by words and the text
by page, so a query fetches a few small files whatever the size of the
playbook (``make bench`` measures it). The search box and its results are
the site's own script (``assets/playbook-search.js``), in the header where
Material's would be (``theme/partials/header.html``).

The copy of the site read from disk (``playbook offline``) keeps Material's
search: browsers do not let a page opened from ``file://`` fetch Pagefind's
files.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import SiteBuildError

#: Where Pagefind writes its files in the site.
FOLDER = "pagefind"
#: The pages search finds: every page of the site but the learner's own progress (which Material's search left out
#: too), the printable sheets in downloads/ (each says again what its page says) and the page for a broken link.
PAGES = "{index.html,modules/*.html,checklists/*.html,paths/*.html,roles/*.html,outcomes/*.html,tags/*.html}"
#: What a page says, without Material's navigation around it.
ROOT_SELECTOR = "article.md-content__inner"
#: What only works the page (buttons, counts, the learner's own records) carries data-search-exclude, as for
#: Material's search; heading anchors are a pilcrow. A knowledge check is a form, which Pagefind never indexes.
EXCLUDED = ("[data-search-exclude]", ".headerlink")
#: Pagefind's ready-made search interfaces: the site draws its own results (and marks the words found itself).
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")
#: How every Pagefind file starts once decompressed.
_SIGNATURE = b"pagefind_dcd"


def index(site_dir: Path) -> None:
    """Write the search index into ``site_dir/pagefind``; SiteBuildError with Pagefind's words if it fails."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", FOLDER,
               "--glob", PAGES, "--root-selector", ROOT_SELECTOR, "--keep-index-url", "--quiet"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode or done.stderr.strip():
        said = (done.stderr or done.stdout).strip().splitlines() or [f"exit code {done.returncode}"]
        raise SiteBuildError([f"pagefind: {line}" for line in said])
    for pattern in UNUSED:
        for path in (site_dir / FOLDER).glob(pattern):
            path.unlink()


def fragments(site_dir: Path) -> Iterator[tuple[Path, bytes]]:
    """Each page's text as Pagefind published it (compressed JSON), decompressed: what search can show, in every
    language's index (each language's folder has its own)."""
    for path in sorted(site_dir.glob(f"**/{FOLDER}/fragment/*.pf_fragment")):
        yield path, gzip.decompress(path.read_bytes()).removeprefix(_SIGNATURE)
