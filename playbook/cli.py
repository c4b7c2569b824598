"""The ``playbook`` command: argparse, one handler per command, one error -> exit-code mapping.

Exit codes: 0 success; 1 content problems (or a site MkDocs refused);
2 usage error; 3 refused to protect data the tool did not write;
4 overdue training found (``report --fail-on-overdue``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, authoring, exports, lms, site, training
from .content import Site, load_site
from .content.files import DOCUMENTS, json_schema
from .content.schema import is_placeholder
from .errors import ContentError, PlaybookError, Refused, UsageError, report
from .messages import messages
from .site.mkdocs_config import load_project_settings
from .site.owned_folder import SyncReport, locked, write_owned

EXIT_OK, EXIT_PROBLEMS, EXIT_OVERDUE = 0, 1, 4
#: Where the trainer data is when --training is not given.
TRAINING_ENV = "PLAYBOOK_TRAINING"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        code = args.run(args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return code
    except BrokenPipeError:
        # The reader stopped reading (`playbook report | head`): nothing is wrong with any folder.
        # https://docs.python.org/3/library/signal.html#note-on-sigpipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEMS
    except (PlaybookError, OSError) as error:
        return report(error)


def _project(args: argparse.Namespace) -> site.Project:
    """The project the command's options name; the trainer data's file names and roster words go with it
    so the build can refuse to publish them."""
    if getattr(args, "config", None) is not None and not Path(args.config).is_file():
        raise UsageError(f"--config {args.config}: no such file")
    training_folder = os.environ.get(TRAINING_ENV)
    return site.Project.at(
        args.content, getattr(args, "site_dir", None), getattr(args, "staging_dir", None),
        getattr(args, "config", None), site_url=getattr(args, "site_url", None) if args.command == "build" else None,
        private_files=training.TRAINER_FILES,
        roster_words=tuple(training.roster_words(Path(training_folder))) if training_folder else (),
    )


# --- the commands, one handler each ---------------------------------------------------------------

def check(args: argparse.Namespace) -> int:
    # Everything a build checks before MkDocs runs: content, site settings, rendering.
    built, _ = site.generate(_project(args))
    for warning in authoring.stale_translations(built):
        print(f"{warning.position}: warning: {warning.message}", file=sys.stderr)
    languages = f", languages: {', '.join(built.playbook.languages)}" if built.translations else ""
    print(f"{args.content}: ok ({len(built.modules)} modules, {len(built.checklists)} checklists, "
          f"{len(built.paths)} learning paths{languages})")
    return EXIT_OK


def build(args: argparse.Namespace) -> int:
    project = _project(args)
    staged = site.build(project)
    print(f"built {project.site_dir.as_posix()} ({len(staged.written)} staged files changed, "
          f"{staged.unchanged} unchanged, {len(staged.removed)} removed)")
    return EXIT_OK


def offline(args: argparse.Namespace) -> int:
    project = _project(args)
    zip_path = Path(args.out) if args.out else project.content.parent / "site-offline.zip"
    site.offline(project, zip_path)
    print(f"packed {zip_path.as_posix()}: unzip it and open index.html in a browser")
    return EXIT_OK


def serve(args: argparse.Namespace) -> int:
    from .site.serve import serve as serve_preview  # imports the web server only when needed

    folder = ""
    if args.lang is not None:
        source = load_site(args.content, training.TRAINER_FILES)
        _in_language(source, args.lang, "serve")  # a language the playbook has, or a usage error
        folder = "" if args.lang == source.language else f"{args.lang}/"
    return serve_preview(_project(args), args.dev_addr, folder)


def checklists(args: argparse.Namespace) -> int:
    source = load_site(args.content, training.TRAINER_FILES)
    content = _in_language(source, args.lang, "checklists")
    available = [sheet.name for sheet in exports.sheets(content)]
    names: list[str] = []
    for wanted in args.ids:
        matches = [name for name in available if name == wanted or name.split("-", 1)[1] == wanted]
        if not matches:
            raise UsageError(f"no checklist {wanted!r} (choose from: {', '.join(available)})", "checklists")
        names += [name for name in matches if name not in names]
    out = Path(args.out) if args.out else Path(args.content).parent / "exports"
    files = exports.export(content, args.format, names, words=messages(args.lang or source.language))
    written = _write(out, files)
    print(f"{out.as_posix()}: {len(files)} {args.format} file(s), {len(written.written)} written, "
          f"{written.unchanged} unchanged")
    return EXIT_OK


def lms_packages(args: argparse.Namespace) -> int:
    project = _project(args)
    out = Path(args.out) if args.out else project.content.parent / "lms"
    done = lms.write_packages(project, args.format, args.ids, out)
    print(f"{out.as_posix()}: {len(done.files)} {args.format} package(s), {len(done.report.written)} written, "
          f"{done.report.unchanged} unchanged")
    return EXIT_OK


def assign(args: argparse.Namespace) -> int:
    source, content, data, out, project = _trainer_inputs(args, "plans")
    if args.site_url is not None:
        site_url = _site_address(args.site_url, "--site-url")
    else:
        settings = load_project_settings(project.settings, project.settings.as_posix(), [])
        site_url = _site_address(str(settings.get("site_url") or ""), f"site_url in {project.settings.as_posix()}")
    if not site_url:
        print("playbook assign: no site address, so plans and calendars name their modules without links; "
              "give --site-url or set site_url in mkdocs.yml", file=sys.stderr)
    files = training.assign_files(content, data, today=_today(args), site_url=site_url,
                                  skip_weekends=args.skip_weekends, writing=training.writing(source, args.lang),
                                  source=source)
    _print_written(out, files)
    return EXIT_OK


def record(args: argparse.Namespace) -> int:
    folder = _training_folder(args)
    content = load_site(args.content, training.TRAINER_FILES)
    done = training.record(folder, content, [Path(name) for name in args.files], today=_today(args),
                           dry_run=args.dry_run)
    for warning in done.warnings:
        print(warning, file=sys.stderr)
    verb = "would add" if args.dry_run else "added"
    for receipt in done.added:
        score = f", score {receipt.score}" if receipt.score is not None else ""
        print(f"{verb}: {receipt.person} {receipt.module} revision {receipt.revision}, "
              f"completed {receipt.completed.isoformat()}{score}")
    where = (folder / "completions.yml").as_posix()
    print(f"{where}: {len(done.added)} completion(s) {'to add' if args.dry_run else 'added'}, "
          f"{done.already} already recorded"
          + (" (dry run: nothing written)" if args.dry_run else ""))
    return EXIT_OK


def report_matrix(args: argparse.Namespace) -> int:
    source, content, data, out, _ = _trainer_inputs(args, "report")
    today = _today(args)
    grid = training.matrix(content, data, today=today, skip_weekends=args.skip_weekends)
    _print_written(out, training.report_files(content, grid, data, training.writing(source, args.lang)))
    print(f"as of {today.isoformat()}: " + ", ".join(f"{grid.count(state)} {state}" for state in training.STATES))
    for person, module, cell in grid.overdue:
        why = "retrain by" if cell.state == "outdated" else "due"
        print(f"overdue: {person.id} {module.id} ({why} {cell.deadline.isoformat()})")
    return EXIT_OVERDUE if args.fail_on_overdue and grid.overdue else EXIT_OK


def schema(args: argparse.Namespace) -> int:
    if args.out is None:
        print(json.dumps(json_schema(args.kind), indent=2, ensure_ascii=False))
        return EXIT_OK
    out = Path(args.out)
    files = {f"{kind}.schema.json": json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
             for kind in DOCUMENTS}
    written = _write(out, files)
    print(f"{out.as_posix()}: {len(files)} schema(s), {len(written.written)} written, {written.unchanged} unchanged")
    return EXIT_OK


def new(args: argparse.Namespace) -> int:
    content = load_site(args.content, training.TRAINER_FILES)
    changed = authoring.new(args.kind, args.id, Path(args.content), content, dt.date.today())
    try:  # the new file must pass check, but for the placeholders it leaves to write
        load_site(args.content, training.TRAINER_FILES)
        to_write = []
    except ContentError as error:
        to_write = [problem for problem in error.problems if is_placeholder(problem)]
        if len(to_write) < len(error.problems):
            raise
    for path in changed:
        print(f"wrote {path.as_posix()}")
    if to_write:
        print(f"{len(to_write)} placeholder(s) to write; check reports them until they are:")
        for problem in to_write:
            print(problem)
    return EXIT_OK


def translations(args: argparse.Namespace) -> int:
    content = load_site(args.content, training.TRAINER_FILES)
    if not content.translations:
        print(f"{args.content}: one language only; add 'languages: [en, fr]' to playbook.yml to translate it")
        return EXIT_OK
    for line in authoring.translation_report(content):
        print(line)
    return EXIT_OK


def review(args: argparse.Namespace) -> int:
    found = authoring.review(load_site(args.content, training.TRAINER_FILES), _today(args))
    for item in found:
        print(item)
    print(f"{len(found)} item(s) to review")
    return EXIT_PROBLEMS if args.strict and found else EXIT_OK


# --- helpers ----------------------------------------------------------------------------------------

def _in_language(content: Site, language: str | None, command: str) -> Site:
    """The content in ``language`` (one of the playbook's languages; None: the source language)."""
    if language is None or language == content.language:
        return content
    known = [translation.language for translation in content.translations]
    if language not in known:
        choices = ", ".join(content.playbook.languages) or "the playbook names no languages"
        raise UsageError(f"--lang {language}: not one of the playbook's languages ({choices})", command)
    return content.translation(language).site


def _today(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def _trainer_inputs(args: argparse.Namespace,
                    out_name: str) -> tuple[Site, Site, training.Training, Path, site.Project]:
    """The content, in its source language and in --lang's; the trainer data, the output folder and the project."""
    folder = _training_folder(args)
    source = load_site(args.content, training.TRAINER_FILES)
    content = _in_language(source, args.lang, args.command)
    data = training.load_training(folder, source)
    out = Path(args.out) if args.out else folder / out_name
    project = _project(args)
    for published in (project.content, project.site_dir, project.staging_dir):
        if out.resolve() == published.resolve() or published.resolve() in out.resolve().parents:
            raise Refused(f"{out.as_posix()}: is inside {published.as_posix()}, which is published; "
                          "trainer outputs hold people's names, so write them to a private folder")
    return source, content, data, out, project


def _training_folder(args: argparse.Namespace) -> Path:
    folder = args.training or os.environ.get(TRAINING_ENV)
    if not folder:
        raise UsageError(f"name the trainer data folder with --training or ${TRAINING_ENV}", args.command)
    return Path(folder)


def _write(out: Path, files: dict[str, str]) -> SyncReport:
    with locked(out):
        return write_owned(out, out.as_posix(), files)


def _print_written(out: Path, files: dict[str, str]) -> None:
    written = _write(out, files)
    print(f"{out.as_posix()}: {len(files)} file(s), {len(written.written)} written, {written.unchanged} unchanged")


def _site_address(text: str, given_as: str) -> str:
    """The published site's address, checked (http or https, with a host) and with its path percent-encoded;
    empty stays empty."""
    if not text:
        return ""
    try:
        parts = urllib.parse.urlsplit(text.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in parts.hostname:
            raise ValueError(text)
        host = parts.hostname.encode("idna").decode("ascii") + (f":{parts.port}" if parts.port else "")
    except (ValueError, UnicodeError):
        raise UsageError(f"{given_as}: {text!r} is not a web address; write it in full, like "
                         "https://care.example.org/playbook/", "assign") from None
    path = urllib.parse.quote(parts.path, safe="/%")
    return urllib.parse.urlunsplit((parts.scheme, host, path, "", ""))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


# --- the parser ---------------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playbook", description="Turn a customer-care playbook (YAML + Markdown) into a training site."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, run: Callable[[argparse.Namespace], int], summary: str,
                *options: Callable[[argparse.ArgumentParser], None]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary)
        sub.set_defaults(run=run)
        for add in (_content_option, *options):
            add(sub)
        return sub

    command("check", check, "validate the content and report every problem", _config_option)
    build_cmd = command("build", build, "check, generate and build the site", _output_options)
    build_cmd.add_argument("--site-dir", metavar="DIR",
                           help="where the site goes (default: site/ beside the content folder)")
    build_cmd.add_argument("--site-url", metavar="URL",
                           help="the published address (default: site_url in mkdocs.yml, if any)")
    offline_cmd = command("offline", offline, "pack the site as a zip that works from disk, search included",
                          _output_options)
    offline_cmd.add_argument("--out", metavar="FILE",
                             help="the zip to write (default: site-offline.zip beside the content folder)")
    export_cmd = command("checklists", checklists,
                         "write checklists as task lists (md), printable sheets (html) or spreadsheets (csv)")
    export_cmd.add_argument("--format", required=True, choices=exports.FORMATS, help="the file format")
    export_cmd.add_argument("--out", metavar="DIR",
                            help="where the files go (default: exports/ beside the content folder)")
    _lang_option(export_cmd)
    export_cmd.add_argument("ids", nargs="*", metavar="ID", help="checklists to write, by file name (checklist-ID, "
                                                                "module-ID, path-ID) or plain id; default: all")
    lms_cmd = command("lms", lms_packages, "write a SCORM 1.2 or cmi5 package per learning path and module, "
                                           "for the learning system (LMS) a team already runs", _config_option)
    lms_cmd.add_argument("--format", required=True, choices=lms.FORMATS, help="the package format")
    lms_cmd.add_argument("--out", metavar="DIR", help="where the packages go (default: lms/ beside the content folder)")
    lms_cmd.add_argument("ids", nargs="*", metavar="ID",
                         help="paths and modules to package, as path-ID, module-ID or plain id; default: all")
    assign_cmd = command("assign", assign, "personal plans (Markdown, printable page, calendar) and a team sheet "
                                           "from the assignments", _training_options("plans"))
    assign_cmd.add_argument("--site-url", metavar="URL",
                            help="the published site, for links in plans and calendars "
                                 "(default: site_url in mkdocs.yml)")
    record_cmd = command("record", record, "check learners' receipts files (or e-mails holding one) and add "
                                           "their completions to completions.yml")
    record_cmd.add_argument("--training", metavar="DIR",
                            help=f"the private trainer data folder (roster.yml, ...); default: ${TRAINING_ENV}")
    record_cmd.add_argument("--today", metavar="YYYY-MM-DD", type=_date,
                            help="the date receipts may not be later than (default: today)")
    record_cmd.add_argument("--dry-run", action="store_true", help="print what would be added; write nothing")
    record_cmd.add_argument("files", nargs="+", metavar="FILE",
                            help="receipts files, or any text holding one (a saved e-mail)")
    report_cmd = command("report", report_matrix, "the training matrix (HTML with chart, CSV) and the overdue list",
                         _training_options("report"))
    report_cmd.add_argument("--fail-on-overdue", action="store_true",
                            help=f"exit {EXIT_OVERDUE} when anything is overdue (for CI reminders)")
    schema_cmd = commands.add_parser("schema", help="print the JSON Schema of a kind of content file, for editors")
    schema_cmd.set_defaults(run=schema)
    schema_cmd.add_argument("kind", nargs="?", choices=list(DOCUMENTS), default="module",
                            help="playbook, module (default), checklist or path")
    schema_cmd.add_argument("--out", metavar="DIR", help="write all four schemas as DIR/<kind>.schema.json instead")
    new_cmd = command("new", new, "start a module, checklist or path; check points at each placeholder in it")
    new_cmd.add_argument("kind", choices=list(authoring.KINDS))
    new_cmd.add_argument("id", help="the new file's id (lowercase letters, digits and '-')")
    command("translations", translations, "each language's state, file by file: translated, partial, stale, missing")
    review_cmd = command("review", review, "list content past its review date, with no owner or with a stale "
                                           "translation")
    review_cmd.add_argument("--today", metavar="YYYY-MM-DD", type=_date, help="the date to review against")
    review_cmd.add_argument("--strict", action="store_true", help="exit 1 when anything is listed (for scheduled CI)")
    serve_cmd = command("serve", serve, "preview the site; rebuilds what an edit changed", _output_options)
    serve_cmd.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                           help="address to serve on (default: %(default)s)")
    serve_cmd.add_argument("--lang", metavar="LANG",
                           help="preview one of the playbook's languages (default: the source language)")
    return parser


def _content_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--content", default="content", metavar="DIR", help="the content folder (default: %(default)s)")


def _lang_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--lang", metavar="LANG",
                     help="write it in one of the playbook's languages (default: the source language)")


def _config_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--config", metavar="FILE",
                     help="site settings to build on (default: mkdocs.yml beside the content folder, if present)")


def _output_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--staging-dir", metavar="DIR",
                     help="where the generated Markdown and mkdocs.yml go (default: build/ beside the content folder)")
    _config_option(sub)


def _training_options(out_default: str) -> Callable[[argparse.ArgumentParser], None]:
    def add(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--training", metavar="DIR",
                         help=f"the private trainer data folder (roster.yml, ...); default: ${TRAINING_ENV}")
        sub.add_argument("--out", metavar="DIR",
                         help=f"where the files go (default: {out_default}/ in the training folder)")
        sub.add_argument("--today", metavar="YYYY-MM-DD", type=_date, help="the date to plan and report from")
        sub.add_argument("--skip-weekends", action="store_true", help="count due days on weekdays only")
        _lang_option(sub)

    return add
