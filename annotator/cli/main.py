"""``annotator`` command line.

Expected problems (a missing file, a bad format, an unknown or locked project)
are printed to stderr as one line and give exit code 2; no traceback.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Sequence
from pathlib import Path

from annotator import __version__
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportOptions
from annotator.services.project import ProjectService
from annotator.services.transfer import (
    EXPORT_FORMATS,
    FileStatus,
    export,
    import_annotations,
    import_files,
)
from annotator.storage.errors import ProjectError

EXIT_USER_ERROR = 2
EXIT_PARTIAL = 1


class UserError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Label claims in documents. With no command, opens the app.")
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("--project", metavar="PATH",
                        help="project file (SQLite) to open; the GUI creates it if missing")
    parser.add_argument("--wait", metavar="SECONDS", type=float, default=None,
                        help="how long to wait for a project another program is writing "
                             "(default 10)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the app (the default)")
    gui.add_argument("--project", metavar="PATH", dest="sub_project", help=argparse.SUPPRESS)

    def with_project(sub: argparse.ArgumentParser, *, create: bool = False) -> None:
        sub.add_argument("--project", metavar="PATH", dest="sub_project",
                         required=False, help="project file" +
                         (" (created if missing)" if create else ""))

    imp = commands.add_parser(
        "import", help="import documents (.txt .md .html .htm .pdf .docx; files or folders)")
    with_project(imp, create=True)
    imp.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
    imp.add_argument("--reflow", choices=("auto", "on", "off"), default="auto",
                     help="join lines broken by PDF extraction in plain text: auto (when the "
                          "text looks PDF-extracted), on, off (store text as read)")
    imp.add_argument("--encoding", metavar="CODEC",
                     help="decode text files with this encoding instead of detecting it")

    ann = commands.add_parser("import-annotations",
                              help="import claims from a canonical JSONL export")
    with_project(ann)
    ann.add_argument("file", metavar="FILE.jsonl")

    exp = commands.add_parser("export", help="export claims (jsonl, csv) or documents")
    with_project(exp)
    exp.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl")
    exp.add_argument("-o", "--output", required=True, metavar="OUT")
    return parser


def _project_arg(args: argparse.Namespace) -> str | None:
    return getattr(args, "sub_project", None) or args.project


def _open(args: argparse.Namespace, *, create: bool = False) -> ProjectService:
    location = _project_arg(args)
    if not location:
        raise UserError("--project PATH is required for this command")
    return ProjectService.open(location, create=create, busy_timeout=args.wait)


def _run_import(args: argparse.Namespace) -> int:
    if args.encoding:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise UserError(f"unknown encoding {args.encoding!r}") from None
    options = ImportOptions(encoding=args.encoding,
                            reflow={"auto": None, "on": True, "off": False}[args.reflow])
    service = _open(args, create=True)
    try:
        report = import_files(service, args.paths, options=options)
    finally:
        service.close()
    for result in report.results:
        if result.status in (FileStatus.FAILED, FileStatus.SKIPPED):
            print(f"annotator: {result.path}: {result.reason}", file=sys.stderr)
        else:
            print(f"{result.status.value}: {result.path} ({result.title})")
    for claim in report.unplaced:
        print(f"annotator: claim {claim.id} (“{' '.join(claim.quote.split())[:60]}”) could not "
              "be placed in the new version; place it in the app (Document › Claims to "
              "Place)", file=sys.stderr)
    print(report.summary())
    return EXIT_PARTIAL if report.count(FileStatus.FAILED) or report.unplaced else 0


def _run_import_annotations(args: argparse.Namespace) -> int:
    service = _open(args)
    try:
        report = import_annotations(service, args.file)
    finally:
        service.close()
    for problem in report.problems:
        print(f"annotator: {problem}", file=sys.stderr)
    print(report.summary())
    return EXIT_PARTIAL if report.problems else 0


def _run_export(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if not out.parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist")
    service = _open(args)
    try:
        count = export(service, args.format, out)
    except OSError as error:
        raise UserError(f"{out}: cannot write: {error.strerror or error}") from None
    finally:
        service.close()
    print(f"wrote {count} {'documents' if args.format == 'documents' else 'claims'} to {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command in (None, "gui"):
            from annotator.ui.app import run_gui

            return run_gui(_project_arg(args))
        runner = {"import": _run_import, "import-annotations": _run_import_annotations,
                  "export": _run_export}[args.command]
        return runner(args)
    except (UserError, ProjectError, ImportProblem) as error:
        print(f"annotator: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
