"""Checklist exports: task lists, printable sheets and spreadsheet rows from one source."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook import exports
from playbook.cli import main
from playbook.content import load_site
from playbook.exports import formats

from ..browser_fixtures import browser  # noqa: F401
from ..conftest import FIXTURE_CONTENT

GOLDENS = Path(__file__).resolve().parents[1] / "goldens" / "exports"
SITE = load_site(FIXTURE_CONTENT)
SHEETS = ["checklist-complaint", "module-listening", "module-promises", "path-agent-start"]


def rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "CSV must start with a UTF-8 BOM so spreadsheets read accents"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_every_checklist_is_exported() -> None:
    assert [sheet.name for sheet in exports.sheets(SITE)] == SHEETS
    for fmt in exports.FORMATS:
        assert sorted(exports.export(SITE, fmt)) == sorted(f"{name}.{fmt}" for name in SHEETS)


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_goldens(fmt: str, update_goldens: bool) -> None:
    files = exports.export(SITE, fmt)
    if update_goldens:
        GOLDENS.mkdir(parents=True, exist_ok=True)
        for old in GOLDENS.glob(f"*.{fmt}"):
            old.unlink()
        for name, text in files.items():
            (GOLDENS / name).write_bytes(text.encode("utf-8"))
    assert sorted(p.name for p in GOLDENS.glob(f"*.{fmt}")) == sorted(files)
    for name, text in files.items():
        assert (GOLDENS / name).read_bytes() == text.encode("utf-8"), f"{name} differs; run pytest --update-goldens"


def test_csv_columns_accents_and_neutralised_formulas() -> None:
    table = rows(exports.export(SITE, "csv", ["checklist-complaint"])["checklist-complaint.csv"])
    assert list(table[0]) == ["key", "section", "text", "outcome", "module"]
    assert [row["key"] for row in table] == [
        "complaint/greet", "listening/let-them-finish/wait", "promises/confirm/repeat-back",
        "complaint/formula", "complaint/two-lines",
    ]
    by_key = {row["key"]: row for row in table}
    formula = by_key["complaint/formula"]
    assert formula["text"] == "'=HYPERLINK(\"https://example.org\") | café"
    assert formula["section"] == "Édition spéciale"
    assert by_key["complaint/two-lines"]["text"] == 'First line second line, with "quotes"'
    assert by_key["listening/let-them-finish/wait"]["outcome"] == "Respect"
    assert by_key["listening/let-them-finish/wait"]["module"] == "listening"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\t=cmd", "'=cmd"), ("\r=cmd", "'=cmd"), ("plain", "plain"), ("a\nb", "a b"), ("", "")],
)
def test_spreadsheet_safe(value: str, expected: str) -> None:
    assert formats.spreadsheet_safe(value) == expected


def test_markdown_task_lists_render_and_count() -> None:
    for name, text in exports.export(SITE, "md").items():
        sheet = next(s for s in exports.sheets(SITE) if f"{s.name}.md" == name)
        html = markdown.markdown(text, extensions=["pymdownx.tasklist"])
        assert html.count('type="checkbox"') == len(sheet.items), name
        keys = re.findall(r"<!-- (\S+) -->", text)
        assert keys == [item.key for item in sheet.items], name


def test_markdown_keeps_a_pipe_and_flattens_line_breaks() -> None:
    text = exports.export(SITE, "md", ["checklist-complaint"])["checklist-complaint.md"]
    assert '- [ ] =HYPERLINK("https://example.org") | café <!-- complaint/formula -->' in text
    assert '- [ ] First line second line, with "quotes" <!-- complaint/two-lines -->' in text
    assert "- [ ] Wait for a pause before you speak. _(builds respect)_ <!-- listening/let-them-finish/wait -->" in text


#: Words and punctuation with every character that can start Markdown syntax mixed in.
_LINES = st.text(alphabet=st.sampled_from(list("ab 1.,;:'\"()-%@/\\`*_[]<>&!#{}|~^=+\n")), max_size=40)


@given(_LINES)
def test_lines_skipped_as_plain_convert_to_themselves(text: str) -> None:
    """Sheets skip Markdown for lines without its syntax; Markdown must agree they come back unchanged."""
    line = formats._one_line(text)
    if formats._MARKDOWN_SYNTAX.search(line) is None:
        assert formats._markdown_inline(line) == line
    assert formats._inline(text) == formats._markdown_inline(line)


def test_a_section_heading_heads_the_rows_of_its_own_section() -> None:
    """Each section is a row group (tbody) whose first row heads it: scope="rowgroup", not a column group."""
    for name, page in exports.export(SITE, "html").items():
        groups = re.findall(r"<tbody>\n(.*?)</tbody>", page, re.DOTALL)
        assert groups, name
        for group in groups:
            headings = re.findall(r"<th [^>]*>", group)
            assert headings == ['<th colspan="3" scope="rowgroup">'], (name, headings)


def test_html_sheet_is_self_contained_and_escaped() -> None:
    page = exports.export(SITE, "html", ["checklist-complaint"])["checklist-complaint.html"]
    assert "<script" not in page and 'src="http' not in page and "<link" not in page
    assert "Fixture &amp; Sons" in page
    assert page.count('class="box"') == 5
    assert ">Name<" in page and ">Date<" in page and ">Signature<" in page
    assert "Module revisions: Listening &amp; hearing (revision 1); Keeping promises (revision 2)" in page


def test_two_exports_are_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in exports.FORMATS:
        for out in ("one", "two"):
            assert main(["checklists", "--content", str(FIXTURE_CONTENT), "--format", fmt, "--out", str(tmp_path / out)]) == 0
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir() if not p.name.startswith(".")}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir() if not p.name.startswith(".")}
    assert one == two and len(one) == 3 * len(SHEETS)
    capsys.readouterr()


def test_unchanged_files_are_not_rewritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["checklists", "--content", str(FIXTURE_CONTENT), "--format", "csv", "--out", str(tmp_path)]
    assert main(argv) == 0
    first = (tmp_path / "path-agent-start.csv").stat().st_mtime_ns
    assert main(argv) == 0
    assert (tmp_path / "path-agent-start.csv").stat().st_mtime_ns == first
    assert capsys.readouterr().out.splitlines()[-1] == f"{tmp_path.as_posix()}: 4 csv file(s), 0 written, 4 unchanged"


def test_a_file_the_tool_did_not_write_is_never_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "checklist-complaint.md"
    mine.write_text("my own notes\n", "utf-8")
    code = main(["checklists", "--content", str(FIXTURE_CONTENT), "--format", "md", "--out", str(tmp_path)])
    assert code == 3
    assert capsys.readouterr().err == (
        f"refused: {tmp_path.as_posix()}/checklist-complaint.md: not written by playbook (or changed since), "
        "so not overwritten; move it elsewhere or choose another --out\n"
    )
    assert mine.read_text("utf-8") == "my own notes\n"
    assert not (tmp_path / "module-listening.md").exists()


def test_choosing_checklists_by_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["checklists", "--content", str(FIXTURE_CONTENT), "--format", "md", "--out", str(tmp_path)]
    assert main([*argv, "complaint", "module-promises"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.md")) == ["checklist-complaint.md", "module-promises.md"]
    assert main([*argv, "nothing"]) == 2
    assert "no checklist 'nothing' (choose from: checklist-complaint, module-listening" in capsys.readouterr().err


def test_the_default_out_folder_is_ignored_by_git() -> None:
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text("utf-8").splitlines()
    assert "/exports/" in ignored


@pytest.mark.browser
@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_html_sheets_print_to_pdf(browser, tmp_path: Path, size: str) -> None:
    expected_pages = {"checklist-complaint.html": 1, "module-listening.html": 1, "module-promises.html": 1,
                      "path-agent-start.html": 1}
    context = browser.new_context()
    try:
        tab = context.new_page()
        for name, text in exports.export(SITE, "html").items():
            sheet = tmp_path / name
            sheet.write_text(text, "utf-8")
            tab.goto(sheet.as_uri())
            pdf = tab.pdf(format=size)
            assert len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf)) == expected_pages[name], name
    finally:
        context.close()
