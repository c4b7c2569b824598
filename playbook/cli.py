"""The ``playbook`` command: a thin layer over the pipeline modules.

Exit codes: 0 success; 1 content problems (or a site MkDocs refused);
2 usage error; 3 refused to protect data the tool did not write.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, build, exports, validate
from .outputs import locked, write_owned
from .outputs import Refused
from .problems import ContentError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 3


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
        args.content, getattr(args, "site_dir", None), getattr(args, "staging_dir", None), getattr(args, "config", None)
    )
    try:
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
