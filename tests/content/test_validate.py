"""One test per validation rule, each asserting the whole message."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from playbook.content import load_site
from playbook.errors import ContentError


@pytest.fixture
def here(content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from the folder holding content/, so messages name 'content/...'."""
    monkeypatch.chdir(content.parent)
    return content


def problems() -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_site("content")
    return [str(problem) for problem in caught.value.problems]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_fixture_content_is_valid(here: Path) -> None:
    site = load_site("content")
    assert [m.id for m in site.modules] == ["listening", "promises"]
    assert [o.id for o in site.playbook.outcomes] == ["trust", "respect"]
    assert site.playbook.outcomes[1].title == "Respect"
    assert site.modules[0].intro is not None and site.modules[0].intro.title == "Why it matters"
    assert str(site.modules[0].principles[0].pos) == "content/modules/listening.yml:12:5"


# --- Types and shapes ---------------------------------------------------------

def test_missing_required_key(here: Path) -> None:
    edit(here / "modules/promises.yml", "minutes: 15\n", "")
    assert problems() == [
        "content/modules/promises.yml:1:1: missing key 'minutes'; add 'minutes: ...' (Minutes it takes to study.)"
    ]


def test_missing_key_inside_a_list_names_the_item(here: Path) -> None:
    edit(here / "modules/promises.yml", "    why: A promise repeated back is a promise remembered.\n", "")
    assert problems() == [
        "content/modules/promises.yml:13:5: principles[1]: missing key 'why'; add 'why: ...' (Why it matters.)"
    ]


def test_unknown_key_with_did_you_mean(here: Path) -> None:
    edit(here / "modules/promises.yml", "summary:", "sumary:")
    assert problems() == [
        "content/modules/promises.yml:1:1: missing key 'summary'; add 'summary: ...' "
        "(One or two sentences on what the module covers.)",
        "content/modules/promises.yml:3:1: sumary: unknown key; did you mean 'summary'? (allowed: id, title, "
        "summary, roles, minutes, revision, owner, review_by, added, updated, themes, objectives, principles, checks, pass_mark, changelog, search_terms)",
    ]


def test_unknown_key_without_a_close_match(here: Path) -> None:
    edit(here / "paths/agent-start.yml", "role: agent\n", "role: agent\ncolour: blue\n")
    assert problems() == [
        "content/paths/agent-start.yml:4:1: colour: unknown key; remove or rename it "
        "(allowed: id, title, role, summary, owner, review_by, revision, steps)"
    ]


def test_text_where_a_list_is_expected(here: Path) -> None:
    edit(here / "modules/promises.yml", "roles: [agent]", "roles: agent")
    assert problems() == [
        "content/modules/promises.yml:4:8: roles: must be a list; write one '- item' per line, or [a, b]"
    ]


def test_list_where_text_is_expected(here: Path) -> None:
    edit(here / "modules/promises.yml", "title: Keeping promises", "title: [Keeping, promises]")
    assert problems() == [
        "content/modules/promises.yml:2:8: title: must be text, not a list; write a single value"
    ]


def test_empty_value(here: Path) -> None:
    edit(here / "modules/promises.yml", "owner: Head of Care", "owner:")
    assert problems() == ["content/modules/promises.yml:7:7: owner: is empty; write text or remove the key"]


def test_empty_list(here: Path) -> None:
    edit(here / "modules/promises.yml", "roles: [agent]", "roles: []")
    assert problems() == ["content/modules/promises.yml:4:8: roles: needs at least 1 item(s); add it"]


def test_title_must_be_one_line(here: Path) -> None:
    edit(here / "modules/promises.yml", "title: Keeping promises", "title: |\n  Keeping\n  promises")
    assert problems() == ["content/modules/promises.yml:2:8: title: must be one line; shorten it or join the lines"]


def test_comment_that_ate_text(here: Path) -> None:
    edit(here / "modules/promises.yml", "title: Keeping promises", "title: Keeping promises #1 habit")
    assert problems() == [
        "content/modules/promises.yml:2:8: title: the text after ' #' was read as a comment and dropped; "
        "put the whole text in quotes"
    ]


def test_yes_and_no_stay_words_in_text(here: Path) -> None:
    edit(here / "modules/promises.yml", "        text: A smile.", "        text: no")
    site = load_site("content")
    assert site.modules[1].checks[0].choices[1].text == "no\n"


def test_yes_is_not_a_boolean(here: Path) -> None:
    edit(here / "modules/promises.yml", "correct: true", "correct: yes")
    assert problems() == [
        "content/modules/promises.yml:30:18: checks[1].choices[1].correct: 'yes' is not true or false; "
        "write true or false"
    ]


def test_minutes_must_be_a_whole_number(here: Path) -> None:
    edit(here / "modules/promises.yml", "minutes: 15", "minutes: fifteen")
    assert problems() == [
        "content/modules/promises.yml:5:10: minutes: 'fifteen' is not a whole number; write digits only, like 20"
    ]


def test_minutes_range(here: Path) -> None:
    edit(here / "modules/promises.yml", "minutes: 15", "minutes: 0")
    assert problems() == ["content/modules/promises.yml:5:10: minutes: 0 is out of range; write a number from 1 to 600"]


def test_date_format(here: Path) -> None:
    edit(here / "modules/promises.yml", "review_by: 2027-02-28", "review_by: 28/02/2027")
    assert problems() == ["content/modules/promises.yml:8:12: review_by: '28/02/2027' is not a date; write it as YYYY-MM-DD"]


def test_impossible_date(here: Path) -> None:
    edit(here / "modules/promises.yml", "review_by: 2027-02-28", "review_by: 2024-02-30")
    assert problems() == [
        "content/modules/promises.yml:8:12: review_by: '2024-02-30' is not a real date; check the month and day "
        "(YYYY-MM-DD)"
    ]


def test_dates_are_parsed(here: Path) -> None:
    module = load_site("content").modules[1]
    assert (module.review_by.isoformat(), module.updated and module.updated.isoformat()) == ("2027-02-28", "2026-10-01")


@pytest.mark.parametrize("tag", ["en-GB", "fr-ca", "es-419", "sr-Latn-RS", "de"])
def test_locale_is_a_language_tag(here: Path, tag: str) -> None:
    (here / "playbook.yml").write_text((here / "playbook.yml").read_text("utf-8") + f"locale: {tag}\n", "utf-8")
    assert load_site("content").playbook.locale == tag


def test_locale_defaults_to_the_page_language(here: Path) -> None:
    assert load_site("content").playbook.locale is None


@pytest.mark.parametrize(("tag", "message"), [
    ("en_GB", "'en_GB' is not a BCP 47 language tag; write 'en-GB', the parts joined by '-'"),
    ("British English", "'British English' is not a BCP 47 language tag; write a language code and a region code "
                        "joined by '-', such as en-GB or fr-CA"),
    ("en-GB-", "'en-GB-' is not a BCP 47 language tag; write a language code and a region code joined by '-', "
               "such as en-GB or fr-CA"),
])
def test_locale_that_is_not_a_language_tag(here: Path, tag: str, message: str) -> None:
    playbook = here / "playbook.yml"
    playbook.write_text(playbook.read_text("utf-8") + f"locale: {tag}\n", "utf-8")
    line = line_of(playbook, "locale:")
    assert problems() == [f"content/playbook.yml:{line}:9: locale: {message}"]


# --- Ids ----------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["Listening", "../x", "-x", "a_b", "a" * 65, "a b"])
def test_id_pattern(here: Path, bad: str) -> None:
    edit(here / "modules/promises.yml", "  - id: confirm\n", f"  - id: '{bad}'\n")
    reference, id_problem = problems()
    assert id_problem == (
        f"content/modules/promises.yml:13:9: principles[1].id: {bad!r} is not a valid id; use 1 to 64 lowercase "
        "letters, digits and '-', starting with a letter or digit"
    )
    # In the same run: the checklist still refers to the principle by its old id.
    assert reference.startswith("content/checklists/complaint.yml:13:9: sections[2].items[1].ref: "
                                "'promises/confirm/repeat-back' is not a module action;")


def test_reserved_id(here: Path) -> None:
    os.rename(here / "paths/agent-start.yml", here / "paths/search.yml")
    edit(here / "paths/search.yml", "id: agent-start", "id: search")
    assert problems() == [
        "content/paths/search.yml:1:5: id: 'search' is a name the site uses itself; choose another id "
        "(reserved: 404, assets, index, javascripts, progress, search, sitemap, stylesheets, tags)"
    ]


@pytest.mark.parametrize(("old", "new", "where"), [
    ("  - id: trust\n", "  - id: index\n", "6:9: outcomes[1].id"),
    ("  - respect\n", "  - index\n", "9:5: outcomes[2]"),  # the shorthand for {id: index, title: Index}
])
def test_an_outcome_id_is_a_page_id(here: Path, old: str, new: str, where: str) -> None:
    """Each outcome has its page, outcomes/<id>, beside the overview outcomes/index."""
    edit(here / "playbook.yml", old, new)
    assert (
        f"content/playbook.yml:{where}: 'index' is a name the site uses itself; choose another id "
        "(reserved: 404, assets, index, javascripts, progress, search, sitemap, stylesheets, tags)"
    ) in problems()


@pytest.mark.parametrize("verdict", ["Right!", "Not quite.", "no,", "Correct;"])
def test_an_explanation_leaves_the_verdict_to_the_page(here: Path, verdict: str) -> None:
    """The page says right or wrong before the explanation; an explanation that says it too reads it twice."""
    edit(here / "modules/promises.yml", "explanation: A time can be checked.", f"explanation: {verdict} A time can be checked.")
    line = line_of(here / "modules/promises.yml", "A time can be checked.")
    assert problems() == [
        f"content/modules/promises.yml:{line}:22: checks[1].choices[1].explanation: starts with the verdict "
        f"{verdict!r}; leave it out, the page says right or wrong itself"
    ]


def test_an_explanation_may_start_with_no_as_a_word(here: Path) -> None:
    edit(here / "modules/promises.yml", "explanation: A time can be checked.", "explanation: No customer can check 'soon'.")
    load_site("content")


def test_id_must_match_file_name(here: Path) -> None:
    edit(here / "paths/agent-start.yml", "id: agent-start", "id: agent-begin")
    assert problems() == [
        "content/paths/agent-start.yml:1:5: id: 'agent-begin' does not match the file name 'agent-start.yml'; "
        "rename the file to agent-begin.yml or change the id to 'agent-start'"
    ]


def test_duplicate_ids_across_files_name_both_files(here: Path) -> None:
    (here / "paths/agent-copy.yml").write_text((here / "paths/agent-start.yml").read_text("utf-8"), "utf-8")
    assert problems() == [
        "content/paths/agent-copy.yml:1:5: id: 'agent-start' does not match the file name 'agent-copy.yml'; "
        "rename the file to agent-start.yml or change the id to 'agent-copy'",
        "content/paths/agent-start.yml:1:1: id: 'agent-start' is also the id of content/paths/agent-copy.yml; "
        "give each of the paths its own id",
    ]


def test_duplicate_ids_within_a_list(here: Path) -> None:
    edit(here / "modules/listening.yml", "      - id: note\n", "      - id: wait\n")
    line = line_of(here / "modules/listening.yml", "      - id: wait") + 2
    assert problems() == [
        f"content/modules/listening.yml:{line}:9: principles[1].actions[2].id: duplicate id 'wait' "
        f"(first at line {line - 2}); give each its own id"
    ]


def test_file_names_that_collide_without_case(here: Path) -> None:
    (here / "checklists/Complaint.yml").write_text("id: complaint\n", "utf-8")
    assert problems() == [
        "content/checklists/Complaint.yml: file name 'Complaint' is not a valid id (it would also clash with "
        "complaint.yml on Windows and macOS disks); name the file after its id (lowercase letters, digits and '-')"
    ]


def test_a_file_name_that_is_not_an_id_clashes_with_nothing_by_itself(here: Path) -> None:
    (here / "checklists/my_list.yml").write_text("id: my-list\n", "utf-8")
    assert problems() == [
        "content/checklists/my_list.yml: file name 'my_list' is not a valid id; name the file after its id "
        "(lowercase letters, digits and '-')"
    ]


def test_a_named_pipe_is_not_read(here: Path) -> None:
    """Opening a pipe for reading waits for a writer: the build would hang."""
    os.mkfifo(here / "modules/waiting.yml")
    assert problems() == ["content/modules/waiting.yml: unexpected here; content/modules holds only <id>.yml and "
                          "<id>.md files"]


def test_a_folder_that_is_a_file(here: Path) -> None:
    for path in (here / "paths").iterdir():
        path.unlink()
    (here / "paths").rmdir()
    (here / "paths").write_text("", "utf-8")
    assert problems() == ["content/paths: must be a folder, not a file; move the file away"]


def test_intro_with_an_underlined_title(here: Path) -> None:
    edit(here / "modules/listening.md", "Listening is", "Big title\n=========\n\nListening is")
    assert problems() == [
        "content/modules/listening.md:4:1: the introduction starts with a '# ' title; remove it (the page takes "
        "the module's title) or use '## ' for a subheading"
    ]


def test_md_files_that_collide_without_case(here: Path) -> None:
    (here / "modules/listening.MD").write_text("Intro\n", "utf-8")
    assert problems() == [
        "content/modules/listening.MD: unexpected here; content/modules holds only <id>.yml and <id>.md files"
    ]


def test_yaml_extension(here: Path) -> None:
    os.rename(here / "paths/agent-start.yml", here / "paths/agent-start.yaml")
    assert problems() == ["content/paths/agent-start.yaml: rename it to agent-start.yml; content files end in .yml"]


def test_unexpected_file(here: Path) -> None:
    (here / "checklists/notes.txt").write_text("x", "utf-8")
    assert problems() == ["content/checklists/notes.txt: unexpected here; content/checklists holds only <id>.yml files"]


def test_unexpected_top_level_entry(here: Path) -> None:
    os.rename(here / "paths", here / "path")
    assert problems() == [
        "content/path: not part of a playbook; did you mean 'paths'? "
        "(the content folder holds playbook.yml, modules, checklists, paths, translations)"
    ]


def test_symlinks_are_refused(here: Path) -> None:
    os.symlink(here / "paths/agent-start.yml", here / "paths/other.yml")
    assert problems() == ["content/paths/other.yml: is a symbolic link; put the real file or folder here instead"]


def test_missing_playbook_file(here: Path) -> None:
    os.remove(here / "playbook.yml")
    assert problems() == ["content/playbook.yml: missing; every content folder needs a playbook.yml"]


def test_missing_content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert problems() == ["content: content folder not found; pass --content with the folder holding playbook.yml"]


# --- References -----------------------------------------------------------------

def test_outcome_from_the_vocabulary_with_did_you_mean(here: Path) -> None:
    edit(here / "modules/promises.yml", "outcome: trust", "outcome: trsut")
    assert problems() == [
        "content/modules/promises.yml:15:14: principles[1].outcome: 'trsut' is not an outcome; did you mean "
        "'trust'? (outcomes: trust, respect)"
    ]


def test_unknown_role(here: Path) -> None:
    edit(here / "modules/promises.yml", "roles: [agent]", "roles: [agent, manager]")
    assert problems() == [
        "content/modules/promises.yml:4:16: roles[2]: 'manager' is not a role; add it to the playbook's roles "
        "(roles: agent, lead)"
    ]


def test_unknown_role_of_a_path(here: Path) -> None:
    edit(here / "paths/agent-start.yml", "role: agent", "role: agnet")
    assert problems() == [
        "content/paths/agent-start.yml:3:7: role: 'agnet' is not a role; did you mean 'agent'? (roles: agent, lead)"
    ]


def test_unknown_role_of_a_checklist(here: Path) -> None:
    edit(here / "checklists/complaint.yml", "roles: [agent]", "roles: [boss]")
    assert problems() == [
        "content/checklists/complaint.yml:4:9: roles[1]: 'boss' is not a role; add it to the playbook's roles "
        "(roles: agent, lead)"
    ]


def test_path_step_to_a_missing_module(here: Path) -> None:
    edit(here / "paths/agent-start.yml", "module: promises", "module: promise")
    assert problems() == [
        "content/paths/agent-start.yml:8:13: steps[2].module: 'promise' is not a module; did you mean 'promises'? "
        "(modules: listening, promises)"
    ]


def test_checklist_reference_to_a_missing_action(here: Path) -> None:
    edit(here / "checklists/complaint.yml", "ref: promises/confirm/repeat-back", "ref: promises/confirm/repeat")
    assert problems() == [
        "content/checklists/complaint.yml:13:9: sections[2].items[1].ref: 'promises/confirm/repeat' is not a "
        "module action; did you mean 'promises/confirm/repeat-back'? (module actions: listening/let-them-finish/wait, "
        "listening/let-them-finish/note, promises/confirm/repeat-back)"
    ]


def test_duplicate_checklist_item_ids(here: Path) -> None:
    edit(here / "checklists/complaint.yml", "      - ref: promises/confirm/repeat-back\n",
         "      - id: greet\n        text: Again.\n")
    assert problems() == [
        "content/checklists/complaint.yml:13:9: sections[2].items[1].id: duplicate id 'greet' (first at line 8); "
        "give each item its own id"
    ]


def test_checklist_item_with_ref_and_text(here: Path) -> None:
    edit(here / "checklists/complaint.yml", "      - ref: promises/confirm/repeat-back\n",
         "      - ref: promises/confirm/repeat-back\n        text: Mine.\n")
    assert problems() == [
        "content/checklists/complaint.yml:13:9: sections[2].items[1]: an item with 'ref' takes its text from the "
        "module; remove 'id' and 'text'"
    ]


def test_checklist_item_without_text(here: Path) -> None:
    edit(here / "checklists/complaint.yml", "        text: Greet them by name.\n", "")
    assert problems() == [
        "content/checklists/complaint.yml:8:9: sections[1].items[1]: an item needs 'id' and 'text', or a 'ref' "
        "to a module action"
    ]


def test_module_missing_from_the_order(here: Path) -> None:
    edit(here / "playbook.yml", "    modules: [promises]\n", "    modules: [listening]\n")
    assert problems() == [
        "content/modules/promises.yml:1:1: module 'promises' is not in the reading order; add it to 'sections' "
        "(or 'modules') in content/playbook.yml",
        "content/playbook.yml:23:15: sections[2].modules[1]: 'listening' is listed twice; keep it in one place",
    ]


def test_order_names_a_missing_module(here: Path) -> None:
    edit(here / "playbook.yml", "modules: [promises]", "modules: [promises, greeting]")
    assert problems() == [
        "content/playbook.yml:23:25: sections[2].modules[2]: 'greeting' is not a module; add "
        "modules/greeting.yml or remove it (modules: listening, promises)"
    ]


def test_flat_module_order(here: Path) -> None:
    text = (here / "playbook.yml").read_text("utf-8")
    (here / "playbook.yml").write_text(text[: text.index("sections:")] + "modules: [promises, listening]\n", "utf-8")
    site = load_site("content")
    assert [m.id for m in site.modules] == ["promises", "listening"]
    assert [s.title for s in site.playbook.sections] == ["Modules"]


def test_modules_and_sections_together(here: Path) -> None:
    edit(here / "playbook.yml", "sections:", "modules: [listening]\nsections:")
    assert problems() == ["content/playbook.yml:1:1: write either 'modules' or 'sections', not both"]


def test_due_days_must_not_go_backwards(here: Path) -> None:
    edit(here / "paths/agent-start.yml", "due_days: 7", "due_days: 0")
    edit(here / "paths/agent-start.yml", "due_days: 0", "due_days: 5")
    assert problems() == [
        "content/paths/agent-start.yml:9:15: steps[2].due_days: 0 is earlier than the step before (5); "
        "order the steps by due day"
    ]


def test_a_question_needs_a_right_answer(here: Path) -> None:
    edit(here / "modules/promises.yml", "        correct: true\n", "")
    assert problems() == [
        "content/modules/promises.yml:25:5: checks[1].choices: no choice is marked 'correct: true'; mark the right answer"
    ]


# --- Introductions -----------------------------------------------------------------

def test_intro_without_a_module(here: Path) -> None:
    (here / "modules/orphan.md").write_text("Text\n", "utf-8")
    assert problems() == [
        "content/modules/orphan.md: introduction without a module; add orphan.yml or rename this file after an "
        "existing module"
    ]


def test_intro_front_matter_unknown_key(here: Path) -> None:
    edit(here / "modules/listening.md", "title: Why it matters", "titel: Why it matters")
    assert problems() == [
        "content/modules/listening.md:2:1: titel: unknown key; did you mean 'title'? (allowed: title)"
    ]


def test_intro_must_not_repeat_the_page_title(here: Path) -> None:
    edit(here / "modules/listening.md", "Listening is", "# Big title\n\nListening is")
    assert problems() == [
        "content/modules/listening.md:4:1: the introduction starts with a '# ' title; remove it (the page takes "
        "the module's title) or use '## ' for a subheading"
    ]


# --- All at once ---------------------------------------------------------------------

def test_every_problem_is_collected_and_sorted(here: Path) -> None:
    edit(here / "modules/promises.yml", "minutes: 15", "minutes: many")
    edit(here / "modules/listening.yml", "outcome: respect", "outcome: respekt")
    edit(here / "paths/agent-start.yml", "role: agent", "role: nobody")
    found = problems()
    assert len(found) == 3
    assert [re.sub(r":\d+:\d+:.*", "", p) for p in found] == [
        "content/modules/listening.yml", "content/modules/promises.yml", "content/paths/agent-start.yml"
    ]


# --- Text that would become markup ------------------------------------------------

def test_angle_brackets_in_one_line_text(here: Path) -> None:
    edit(here / "modules/promises.yml", "title: Keeping promises", "title: '</title><script>x</script>'")
    assert problems() == [
        "content/modules/promises.yml:2:8: title: '<' and '>' are not allowed in one-line text; "
        "write them out in words"
    ]


def test_a_line_break_hidden_in_a_title(here: Path) -> None:
    edit(here / "modules/promises.yml", "title: Keeping promises", 'title: "Keeping\\rpromises"')
    assert problems() == ["content/modules/promises.yml:2:8: title: must be one line; shorten it or join the lines"]


@pytest.mark.parametrize(
    "target", ["javascript:void", "JavaScript:void", "data:text/html;base64,xx", "vbscript:x", "other.md"]
)
def test_link_targets_in_markdown_fields(here: Path, target: str) -> None:
    edit(here / "modules/promises.yml", "why: A promise repeated back", f"why: See [this]({target}). A promise repeated back")
    assert problems() == [
        f"content/modules/promises.yml:16:10: principles[1].why: link target {target!r} is not allowed; link to a "
        "full https:// address, mailto: or tel: (links to other pages go in a module's .md introduction)"
    ]


def test_safe_link_targets_are_accepted(here: Path) -> None:
    edit(here / "modules/promises.yml", "why: A promise repeated back",
         "why: See [a](https://example.org/x), [b](mailto:care@example.org), [c](tel:+441234) and [d](#top). "
         "A promise repeated back")
    load_site("content")


def test_escaped_control_characters_are_refused(here: Path) -> None:
    edit(here / "modules/promises.yml", "owner: Head of Care", 'owner: "Head \\a of \\u202e Care"')
    assert problems() == [
        "content/modules/promises.yml:7:8: character U+0007 is not allowed in text (an invisible or control "
        "character); remove it"
    ]


def test_at_most_ten_choices(here: Path) -> None:
    extra = "".join(f"      - id: x{n}\n        text: More.\n        explanation: No.\n" for n in range(9))
    edit(here / "modules/promises.yml", "        explanation: Nice, but not checkable.\n",
         "        explanation: Nice, but not checkable.\n" + extra)
    assert problems() == [
        "content/modules/promises.yml:28:7: checks[1].choices: has 11 items, more than 10; remove some"
    ]


def test_words_in_angle_brackets_are_not_html(here: Path) -> None:
    edit(here / "modules/promises.yml", "why: A promise repeated back is a promise remembered.",
         "why: Say 'Hello <first name>' and press <Enter>; use <kbd>Tab</kbd>.")
    load_site("content")


@pytest.mark.parametrize("field", [
    "why: |\n      - item\n\n          [four][r4]\n\n          [r4]: javascript:alert(4)",
    "why: '[x](&#106;avascript:alert(1))'",
    "why: |\n      ```\n      <img src=x onerror=alert(6)>",
])
def test_hidden_scripts_are_refused(here: Path, field: str) -> None:
    edit(here / "modules/promises.yml", "why: A promise repeated back is a promise remembered.", field)
    assert len(problems()) == 1


def test_the_same_action_twice_in_a_checklist(here: Path) -> None:
    edit(here / "checklists/complaint.yml", "      - ref: promises/confirm/repeat-back\n",
         "      - ref: promises/confirm/repeat-back\n      - ref: promises/confirm/repeat-back\n")
    assert problems() == [
        "content/checklists/complaint.yml:14:9: sections[2].items[2].ref: 'promises/confirm/repeat-back' is already "
        "item at line 13; list each action once"
    ]


def test_every_problem_of_a_file_comes_in_one_run(here: Path) -> None:
    """A duplicate key hides no type error, and a type error hides no reference: one round of check."""
    module = here / "modules/promises.yml"
    edit(module, "minutes: 15", "minutes: abc")
    edit(module, "roles: [agent]", "roles: [nobody]")
    edit(module, "outcome: trust", "outcome: nothing")
    module.write_text(module.read_text("utf-8") + "title: Again\n", "utf-8")
    assert problems() == [
        "content/modules/promises.yml:4:9: roles[1]: 'nobody' is not a role; add it to the playbook's roles "
        "(roles: agent, lead)",
        "content/modules/promises.yml:5:10: minutes: 'abc' is not a whole number; write digits only, like 20",
        "content/modules/promises.yml:15:14: principles[1].outcome: 'nothing' is not an outcome; add it to the "
        "playbook's outcomes (outcomes: trust, respect)",
        "content/modules/promises.yml:37:1: duplicate key 'title' (first at line 2); keep one of them",
    ]


def test_a_syntax_error_says_the_rest_of_the_file_was_not_checked(here: Path) -> None:
    edit(here / "modules/promises.yml", "roles: [agent]", "roles: [agent")
    assert problems() == [
        "content/modules/promises.yml:5:8: YAML syntax error: did not find expected ',' or ']' while parsing a flow "
        "sequence; check the indentation and quote text that holds ': ' or ' #' (the file cannot be read past this "
        "point, so the rest of it was not checked)",
    ]


# --- Search terms ------------------------------------------------------------------------------------------

def test_search_terms_are_read_into_the_model(here: Path) -> None:
    edit(here / "modules/promises.yml", "themes: [communication]",
         "themes: [communication]\nsearch_terms: [commitment, 'call back']")
    edit(here / "modules/promises.yml", "    source: Test article (001)", "    source: Test article (001)\n"
         "    search_terms:\n      - read back\n")
    edit(here / "checklists/complaint.yml", "roles: [agent]", "roles: [agent]\nsearch_terms: [angry customer]")
    site = load_site("content")
    promises = site.module("promises")
    assert promises.search_terms == ("commitment", "call back")
    assert promises.principles[0].search_terms == ("read back",)
    assert site.checklists[0].search_terms == ("angry customer",)
    assert site.module("listening").search_terms == ()


def test_a_search_term_listed_twice_is_reported_at_the_repeat(here: Path) -> None:
    edit(here / "modules/promises.yml", "themes: [communication]",
         "themes: [communication]\nsearch_terms:\n  - Commitment\n  - call back\n  - commitment\n  - call back")
    assert problems() == [
        "content/modules/promises.yml:40:5: search_terms[3]: 'commitment' is listed already (line 38); list each once",
        "content/modules/promises.yml:41:5: search_terms[4]: 'call back' is listed already (line 39); list each once",
    ]


def test_search_terms_are_one_line_texts_in_a_list(here: Path) -> None:
    edit(here / "modules/promises.yml", "    source: Test article (001)",
         "    source: Test article (001)\n    search_terms: read back")
    edit(here / "checklists/complaint.yml", "roles: [agent]",
         "roles: [agent]\nsearch_terms:\n  - angry <customer>\n  - {word: upset}\n  - ''")
    assert problems() == [
        "content/checklists/complaint.yml:6:5: search_terms[1]: '<' and '>' are not allowed in one-line text; "
        "write them out in words",
        "content/checklists/complaint.yml:7:5: search_terms[2]: must be text, not a mapping; write a single value",
        "content/checklists/complaint.yml:8:5: search_terms[3]: is empty; write the text",
        "content/modules/promises.yml:24:19: principles[1].search_terms: must be a list; write one '- item' per "
        "line, or [a, b]",
    ]


def test_more_than_forty_search_terms_are_too_many(here: Path) -> None:
    terms = ", ".join(f"word{n}" for n in range(41))
    edit(here / "modules/promises.yml", "themes: [communication]", f"themes: [communication]\nsearch_terms: [{terms}]")
    assert problems() == [
        "content/modules/promises.yml:37:15: search_terms: has 41 items, more than 40; keep the 40 that staff type most"
    ]
