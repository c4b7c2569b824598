"""The strict loader: every refusal has its own exact message and position."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from playbook.content import loader
from playbook.content.loader import MAX_FILE_BYTES, Map, Scalar, Seq, load_yaml, parse_yaml
from playbook.content.markdown_file import load_markdown
from playbook.errors import Problem


def messages(text: str) -> list[str]:
    problems: list[Problem] = []
    parse_yaml(text, "f.yml", problems)
    return [str(problem) for problem in problems]


def load(text: str) -> Map:
    problems: list[Problem] = []
    tree = parse_yaml(text, "f.yml", problems)
    assert problems == []
    assert isinstance(tree, Map)
    return tree


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: a\nx: b\ntitle: c\n", "f.yml:3:1: duplicate key 'title' (first at line 1); keep one of them"),
        ("a:\n\tb: c\n", "f.yml:2:1: tab used for indentation; indent with spaces"),
        ("a: &x 1\n", "f.yml:1:4: anchor '&x' is not allowed; write each value out in full"),
        ("a: 1\nb: *x\n", "f.yml:2:4: alias '*x' is not allowed; write the value out in full"),
        ("a:\n  <<: {b: 1}\n", "f.yml:2:3: merge key '<<' is not allowed; write the keys out in full"),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "f.yml:1:4: tag '!!python/object/apply:os.system' is not allowed; remove it (values are read as text)",
        ),
        ("a: !custom x\n", "f.yml:1:4: tag '!custom' is not allowed; remove it (values are read as text)"),
        ("a: !!str x\n", "f.yml:1:4: tag '!!str' is not allowed; remove it (values are read as text)"),
        ("a: [!x, b]\n", "f.yml:1:5: tag '!x' is not allowed; remove it (values are read as text)"),
        ("# nothing but a comment\n", "f.yml:1:1: file is empty; write the content's keys, starting with 'id:'"),
        ("", "f.yml:1:1: file is empty; write the content's keys, starting with 'id:'"),
        (
            "- a\n- b\n",
            "f.yml:1:1: the top level must be a mapping of keys (like 'title: ...'), not a list; "
            "write one 'key: value' per line",
        ),
        (
            "just words\n",
            "f.yml:1:1: the top level must be a mapping of keys (like 'title: ...'), not a single value; "
            "write one 'key: value' per line",
        ),
        ("a: " + "[" * 9 + "]" * 9 + "\n", "f.yml:1:11: nesting is deeper than 8 levels; flatten this part of the file"),
        (
            "a: 1\n---\nb: 2\n",
            "f.yml:2:1: a second YAML document starts here; keep one document per file and remove this '---'",
        ),
        (
            "a: [1, 2\nb: 3\n",
            "f.yml:2:2: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence; "
            "check the indentation and quote text that holds ': ' or ' #' "
        "(the file cannot be read past this point, so the rest of it was not checked)",
        ),
        ("a: b\x07\n", "f.yml:1:5: character '\\x07' (U+0007) cannot appear in a content file; remove it"),
    ],
    ids=[
        "duplicate-key", "tab", "anchor", "alias", "merge-key", "python-tag", "local-tag", "str-tag", "tag-in-flow",
        "comment-only", "empty", "top-level-list", "top-level-scalar", "deep-nesting", "two-documents",
        "syntax", "control-character",
    ],
)
def test_refusals(text: str, expected: str) -> None:
    assert messages(text) == [expected]


def test_every_tab_indented_line_is_reported() -> None:
    assert messages("a:\n\tb: 1\n  \tc: 2\n") == [
        "f.yml:2:1: tab used for indentation; indent with spaces",
        "f.yml:3:3: tab used for indentation; indent with spaces",
    ]


def test_tabs_inside_text_are_kept() -> None:
    assert load("a: 'x\ty'\n").get("a") == Scalar("x\ty", load("a: 'x\ty'\n").get("a").pos, plain=False)


def test_duplicate_keys_in_nested_mappings_are_all_reported() -> None:
    assert messages("a:\n  x: 1\n  x: 2\nb: 1\nb: 2\n") == [
        "f.yml:3:3: duplicate key 'x' (first at line 2); keep one of them",
        "f.yml:5:1: duplicate key 'b' (first at line 4); keep one of them",
    ]


def test_a_duplicate_key_keeps_the_first_value_so_the_rest_is_still_checked() -> None:
    problems: list[Problem] = []
    tree = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yml", problems)
    assert [str(p) for p in problems] == ["f.yml:3:1: duplicate key 'a' (first at line 1); keep one of them"]
    assert isinstance(tree, Map) and [(key.text, value.text) for key, value in tree.entries] == [("a", "1"), ("b", "2")]


def test_a_refused_construct_leaves_no_tree() -> None:
    problems: list[Problem] = []
    assert parse_yaml("a: &x 1\nb: *x\n", "f.yml", problems) is None
    assert problems


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "2024-01-15", "null", "~", "1e3", "0x1F", "true"])
def test_scalars_stay_text(word: str) -> None:
    value = load(f"a: {word}\n").get("a")
    assert isinstance(value, Scalar)
    assert value.text == word
    assert value.plain


def test_positions_are_kept_for_every_value() -> None:
    tree = load("title: x\nitems:\n  - id: one\n    text: 'quoted'\n")
    items = tree.get("items")
    assert isinstance(items, Seq)
    first = items.items[0]
    assert isinstance(first, Map)
    assert str(first.pos) == "f.yml:3:5"
    text = first.get("text")
    assert isinstance(text, Scalar)
    assert (str(text.pos), text.text, text.plain) == ("f.yml:4:11", "quoted", False)


def test_comment_after_plain_text_is_flagged() -> None:
    tree = load("a: We are #1 for care\nb: 'We are #1' # fine\nc: ok # note\n")
    assert [tree.get(key).comment_follows for key in "abc"] == [True, False, True]
    assert tree.get("a").text == "We are"


def test_crlf_line_endings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(b"a: 1\r\nb: two\r\n")
    problems: list[Problem] = []
    tree = load_yaml(path, "f.yml", problems)
    assert problems == []
    assert tree is not None and [key.text for key, _ in tree.entries] == ["a", "b"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes("\ufefftitle: Café\n".encode())
    problems: list[Problem] = []
    tree = load_yaml(path, "f.yml", problems)
    assert problems == []
    assert tree is not None and tree.get("title").text == "Café"


def test_non_utf8_bytes_are_refused_at_their_position(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes("a: 1\ntitle: Café \n".encode("latin-1"))
    problems: list[Problem] = []
    assert load_yaml(path, "f.yml", problems) is None
    assert [str(p) for p in problems] == ["f.yml:2:11: byte 0xe9 is not UTF-8 text; save the file as UTF-8"]


def test_files_over_one_mebibyte_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    problems: list[Problem] = []
    assert load_yaml(path, "f.yml", problems) is None
    assert [str(p) for p in problems] == [
        f"f.yml: file is {MAX_FILE_BYTES + 4} bytes, over the 1 MiB limit; split it into smaller files"
    ]


def test_front_matter_goes_through_the_same_loader(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("---\ntitle: x\ntitle: y\n---\nBody\n", "utf-8")
    problems: list[Problem] = []
    document = load_markdown(path, "m.md", problems)
    assert [str(p) for p in problems] == ["m.md:3:1: duplicate key 'title' (first at line 2); keep one of them"]
    assert document is not None and document.front_matter is not None
    assert document.front_matter.get("title").text == "x"


def test_front_matter_and_body_positions(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("---\ntitle: Hello\n---\nBody line\n", "utf-8")
    problems: list[Problem] = []
    document = load_markdown(path, "m.md", problems)
    assert problems == []
    assert document is not None and document.front_matter is not None
    assert str(document.front_matter.get("title").pos) == "m.md:2:8"
    assert (document.body, str(document.body_pos)) == ("Body line\n", "m.md:4:1")


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "m.md"
    path.write_text("Just text --- here\n", "utf-8")
    document = load_markdown(path, "m.md", [])
    assert document is not None
    assert (document.front_matter, document.body) == (None, "Just text --- here\n")


# --- Properties: whatever arrives, the loader answers with problems, never an exception.

YAML_PIECES = st.sampled_from(
    ["a", "b", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "&x", "*x", "!", "!!", "#", "'", '"',
     "|", ">", "---", "...", "<<", "\t", "%", "@", "`", "?", "é", "\x00", "\ufeff", "2024-02-30", "no"]
)


def _check_problems(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.position.path == "f.yml"
        assert problem.position.line >= 1 and problem.position.column >= 1, problem
        assert "; " in problem.message, problem


@settings(max_examples=300, deadline=None)
@given(st.lists(YAML_PIECES, max_size=40).map("".join))
def test_any_yaml_like_text_gives_a_tree_or_positioned_problems(text: str) -> None:
    problems: list[Problem] = []
    tree = parse_yaml(text, "f.yml", problems)
    # A tree comes with problems only for duplicate keys: the first value stays, so the rest is still checked.
    if tree is None:
        assert problems
    else:
        assert all("duplicate key" in problem.message for problem in problems), problems
    _check_problems(problems)


def _shape(node: object) -> object:
    """A tree as nested tuples, without the position of empty values, which each parser places its own way."""
    if isinstance(node, Scalar):
        return (node.text, node.plain, node.comment_follows, str(node.pos) if node.text else None)
    if isinstance(node, Seq):
        return (str(node.pos), [_shape(item) for item in node.items])
    if isinstance(node, Map):
        return (str(node.pos), [(_shape(key), _shape(value)) for key, value in node.entries])
    return node


#: YAML_PIECES without the characters the two parsers treat differently (tabs, a second BOM, NUL, '%', '@', '`').
_COMMON_PIECES = st.sampled_from(
    ["a", "b", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "&x", "*x", "!", "!!", "#", "'", '"',
     "|", ">", "---", "...", "<<", "?", "é", "2024-02-30", "no"]
)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(_COMMON_PIECES, max_size=40).map("".join))
def test_libyaml_and_the_python_parser_give_the_same_tree(text: str) -> None:
    """Either parser feeds the same composer; without libyaml the loader must read files the same way."""
    results = []
    for parser in (yaml._yaml.CParser, yaml.SafeLoader):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(loader, "_EventParser", parser)
            problems: list[Problem] = []
            results.append((parse_yaml(text, "f.yml", problems), problems))
    (c_tree, c_problems), (py_tree, py_problems) = results
    # The parsers word their syntax errors differently; where both read the text, every tree and
    # every message is ours and must agree.
    assume(not any("syntax error" in p.message for p in c_problems + py_problems))
    assert _shape(c_tree) == _shape(py_tree)
    assert [p.message for p in c_problems] == [p.message for p in py_problems]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_tree_or_problems(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "f.yml"
    path.write_bytes(data)
    problems: list[Problem] = []
    tree = load_yaml(path, "f.yml", problems)
    assert (tree is None) == bool(problems)
    for problem in problems:
        assert problem.position.line >= 1, problem


@pytest.mark.parametrize("newline", ["\r", "\u2028", "\x85"])
def test_every_yaml_line_break_counts_as_a_line(newline: str) -> None:
    tree = load(f"a: 1{newline}b: x{newline}")
    assert str(tree.get("b").pos) == "f.yml:2:4"
    assert messages(f"a: 1{newline}\tb: 2\n") == ["f.yml:2:1: tab used for indentation; indent with spaces"]
