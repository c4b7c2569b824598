"""The ``playbook`` command: a thin layer over the pipeline modules.

Exit codes: 0 success; 1 content problems (or a site MkDocs refused);
2 usage error; 3 refused to protect data the tool did not write;
4 overdue training found (``report --fail-on-overdue``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import datetime as dt
import os

import json

from . import __version__, build, exports, scaffold, schema, siteconfig, trainer_outputs, training, validate
from .outputs import locked, write_owned
from .outputs import Refused
from .problems import ContentError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_REFUSED, EXIT_OVERDUE = 0, 1, 2, 3, 4
#: Where the trainer data is when --training is not given.
TRAINING_ENV = "PLAYBOOK_TRAINING"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playbook",
        description="Turn a customer-care playbook (YAML + Markdown) into a training site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def with_content(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--content", default="content", metavar="DIR", help="the content folder (default: %(default)s)"
        )
        return sub

    def with_config(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--config", metavar="FILE",
            help="site settings to build on (default: mkdocs.yml beside the content folder, if present)",
        )
        return sub

    def with_outputs(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--staging-dir", metavar="DIR",
            help="where the generated Markdown and mkdocs.yml go (default: build/ beside the content folder)",
        )
        return with_config(sub)

    with_config(with_content(commands.add_parser("check", help="validate the content and report every problem")))
    build_cmd = with_outputs(with_content(commands.add_parser("build", help="check, generate and build the site")))
    build_cmd.add_argument(
        "--site-dir", metavar="DIR", help="where the site goes (default: site/ beside the content folder)"
    )
    build_cmd.add_argument(
        "--site-url", metavar="URL", help="the published address (default: site_url in mkdocs.yml, if any)"
    )
    offline_cmd = with_outputs(with_content(commands.add_parser(
        "offline", help="pack the site as a zip that works from disk, search included"
    )))
    offline_cmd.add_argument(
        "--out", metavar="FILE", help="the zip to write (default: site-offline.zip beside the content folder)"
    )
    export_cmd = with_content(commands.add_parser(
        "checklists", help="write checklists as task lists (md), printable sheets (html) or spreadsheets (csv)"
    ))
    export_cmd.add_argument("--format", required=True, choices=exports.FORMATS, help="the file format")
    export_cmd.add_argument(
        "--out", metavar="DIR", help="where the files go (default: exports/ beside the content folder)"
    )
    export_cmd.add_argument(
        "ids", nargs="*", metavar="ID",
        help="checklists to write, by file name (checklist-ID, module-ID, path-ID) or plain id; default: all",
    )
    def with_training(sub: argparse.ArgumentParser, out_default: str) -> argparse.ArgumentParser:
        sub.add_argument(
            "--training", metavar="DIR",
            help=f"the private trainer data folder (roster.yml, ...); default: ${TRAINING_ENV}",
        )
        sub.add_argument("--out", metavar="DIR", help=f"where the files go (default: {out_default}/ in the training folder)")
        sub.add_argument("--today", metavar="YYYY-MM-DD", type=_date, help="the date to plan and report from")
        sub.add_argument("--skip-weekends", action="store_true", help="count due days on weekdays only")
        return sub

    assign_cmd = with_training(with_content(commands.add_parser(
        "assign", help="personal plans (Markdown, printable page, calendar) and a team sheet from the assignments"
    )), "plans")
    assign_cmd.add_argument(
        "--site-url", metavar="URL",
        help="the published site, for links in plans and calendars (default: site_url in mkdocs.yml)",
    )
    report_cmd = with_training(with_content(commands.add_parser(
        "report", help="the training matrix (HTML with chart, CSV) and the overdue list"
    )), "report")
    report_cmd.add_argument(
        "--fail-on-overdue", action="store_true", help=f"exit {EXIT_OVERDUE} when anything is overdue (for CI reminders)"
    )
    schema_cmd = commands.add_parser("schema", help="print the JSON Schema of a kind of content file, for editors")
    schema_cmd.add_argument("kind", nargs="?", choices=list(schema.DOCUMENTS), default="module",
                            help="playbook, module (default), checklist or path")
    schema_cmd.add_argument("--out", metavar="DIR", help="write all four schemas as DIR/<kind>.schema.json instead")
    new_cmd = with_content(commands.add_parser("new", help="start a module, checklist or path that passes check"))
    new_cmd.add_argument("kind", choices=list(scaffold.KINDS))
    new_cmd.add_argument("id", help="the new file's id (lowercase letters, digits and '-')")
    review_cmd = with_content(commands.add_parser("review", help="list content past its review date or with no owner"))
    review_cmd.add_argument("--today", metavar="YYYY-MM-DD", type=_date, help="the date to review against")
    review_cmd.add_argument("--strict", action="store_true", help="exit 1 when anything is listed (for scheduled CI)")
    serve_cmd = with_outputs(with_content(commands.add_parser("serve", help="preview the site; rebuilds on edits")))
    serve_cmd.add_argument(
        "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="address to serve on (default: %(default)s)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if getattr(args, "config", None) is not None and not Path(args.config).is_file():
        print(f"playbook: error: --config {args.config}: no such file", file=sys.stderr)
        return EXIT_USAGE
    project = build.Project.at(
        getattr(args, "content", "content"), getattr(args, "site_dir", None), getattr(args, "staging_dir", None),
        getattr(args, "config", None), site_url=getattr(args, "site_url", None) if args.command == "build" else None,
    )
    try:
        if args.command == "schema":
            return _schema(args)
        if args.command == "check":
            # Everything a build checks before MkDocs runs: content, site settings, rendering.
            site, _ = build.generate(project)
            print(
                f"{args.content}: ok ({len(site.modules)} modules, {len(site.checklists)} checklists, "
                f"{len(site.paths)} learning paths)"
            )
            return EXIT_OK
        if args.command == "build":
            report = build.build(project)
            print(
                f"built {project.site_dir.as_posix()} ({len(report.written)} staged files changed, "
                f"{report.unchanged} unchanged, {len(report.removed)} removed)"
            )
            return EXIT_OK
        if args.command == "checklists":
            return _export_checklists(args, project)
        if args.command in ("assign", "report"):
            return _trainer_command(args, project)
        if args.command == "new":
            return _new(args, project)
        if args.command == "review":
            site = validate.load_site(project.content)
            found = scaffold.review(site, args.today or dt.date.today())
            for item in found:
                print(item)
            print(f"{len(found)} item(s) to review")
            return EXIT_PROBLEMS if args.strict and found else EXIT_OK
        if args.command == "offline":
            zip_path = Path(args.out) if args.out else project.content.parent / "site-offline.zip"
            build.offline(project, zip_path)
            print(f"packed {zip_path.as_posix()}: unzip it and open index.html in a browser")
            return EXIT_OK
        from .serve import serve  # imports the web server only when needed

        return serve(project, args.dev_addr)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was built", file=sys.stderr)
        return EXIT_PROBLEMS
    except build.SiteBuildError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        print("the site did not build; the previous site was left as it was", file=sys.stderr)
        return EXIT_PROBLEMS
    except Refused as error:
        print(f"refused: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as error:  # a folder that cannot be written, a full disk, ...
        where = error.filename or "playbook"
        print(f"{where}: {error.strerror or error}; check the folder exists and can be written", file=sys.stderr)
        return EXIT_PROBLEMS


def _export_checklists(args: argparse.Namespace, project: build.Project) -> int:
    site = validate.load_site(project.content)
    available = [sheet.name for sheet in exports.sheets(site)]
    names = []
    for wanted in args.ids:
        matches = [name for name in available if name == wanted or name.split("-", 1)[1] == wanted]
        if not matches:
            print(f"playbook checklists: error: no checklist {wanted!r} (choose from: {', '.join(available)})",
                  file=sys.stderr)
            return EXIT_USAGE
        names += [name for name in matches if name not in names]
    out = Path(args.out) if args.out else project.content.parent / "exports"
    files = exports.export(site, args.format, names)
    with locked(out):
        report = write_owned(out, out.as_posix(), files)
    print(f"{out.as_posix()}: {len(files)} {args.format} file(s), {len(report.written)} written, "
          f"{report.unchanged} unchanged")
    return EXIT_OK


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _trainer_command(args: argparse.Namespace, project: build.Project) -> int:
    folder = args.training or os.environ.get(TRAINING_ENV)
    if not folder:
        print(f"playbook {args.command}: error: name the trainer data folder with --training or ${TRAINING_ENV}",
              file=sys.stderr)
        return EXIT_USAGE
    folder = Path(folder)
    site = validate.load_site(project.content)
    data = training.load_training(folder, site)
    today = args.today or dt.date.today()
    out = Path(args.out) if args.out else folder / ("plans" if args.command == "assign" else "report")
    for published in (project.content, project.site_dir, project.staging_dir):
        if out.resolve() == published.resolve() or published.resolve() in out.resolve().parents:
            raise Refused(f"{out.as_posix()}: is inside {published.as_posix()}, which is published; "
                          "trainer outputs hold people's names, so write them to a private folder")
    if args.command == "assign":
        site_url = args.site_url
        if site_url is None:
            settings = siteconfig.load_base(project.settings, project.settings.as_posix(), [])
            site_url = str(settings.get("site_url") or "")
        files = trainer_outputs.assign_files(site, data, today=today, site_url=site_url,
                                             skip_weekends=args.skip_weekends)
    else:
        grid = trainer_outputs.matrix(site, data, today=today, skip_weekends=args.skip_weekends)
        files = trainer_outputs.report_files(site, grid, data)
    with locked(out):
        report = write_owned(out, out.as_posix(), files)
    print(f"{out.as_posix()}: {len(files)} file(s), {len(report.written)} written, {report.unchanged} unchanged")
    if args.command == "report":
        counts = ", ".join(f"{grid.count(state)} {state}" for state in training.STATES)
        print(f"as of {today.isoformat()}: {counts}")
        for person, module, cell in grid.overdue:
            print(f"overdue: {person.id} {module.id} (due {cell.due.isoformat()})")
        if args.fail_on_overdue and grid.overdue:
            return EXIT_OVERDUE
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    if args.out is None:
        print(json.dumps(schema.json_schema(args.kind), indent=2, ensure_ascii=False))
        return EXIT_OK
    out = Path(args.out)
    files = {f"{kind}.schema.json": json.dumps(schema.json_schema(kind), indent=2, ensure_ascii=False) + "\n"
             for kind in schema.DOCUMENTS}
    with locked(out):
        report = write_owned(out, out.as_posix(), files)
    print(f"{out.as_posix()}: {len(files)} schema(s), {len(report.written)} written, {report.unchanged} unchanged")
    return EXIT_OK


def _new(args: argparse.Namespace, project: build.Project) -> int:
    site = validate.load_site(project.content)
    try:
        changed = scaffold.new(args.kind, args.id, project.content, site, dt.date.today())
    except scaffold.UsageError as error:
        print(f"playbook new: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    validate.load_site(project.content)  # the new file must pass check, like everything else
    for path in changed:
        print(f"wrote {path.as_posix()}")
    return EXIT_OK
