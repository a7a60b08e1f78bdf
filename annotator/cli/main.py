"""``annotator`` command line.

Expected problems (a missing file, a bad format, an unknown or locked project,
an output that would overwrite a project) are printed to stderr as one line and
give exit code 2; no traceback. A command that did its work but left some of it
out (files that failed to import, claims an export refused) lists each on
stderr and gives exit code 1. An unexpected error (a bug) writes its traceback
to the log (:mod:`annotator.logs`) and one line naming the log to stderr: exit
code 3.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from annotator import __version__
from annotator.cli import evidence as evidence_cli
from annotator.cli import search as search_cli
from annotator.cli import similar as similar_cli
from annotator.cli import team as team_cli
from annotator.domain.codebook import Dimension
from annotator.formats.atomic import ProtectedFileError, atomic_write, protected_reason
from annotator.formats.export.package import is_package
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportOptions
from annotator.formats.text import short_label, text_codec
from annotator.review import JACCARD, MEASURES, Matching
from annotator.review.agreement import MISSING, UNJUDGEABLE_TREATMENTS
from annotator.review.tables import text_table
from annotator.services import exports, packages, qdpx_import
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.transfer import (
    NOT_WRITTEN,
    FileResult,
    FileStatus,
    import_files,
)
from annotator.storage import backup
from annotator.storage.errors import DamagedProjectError, ProjectError
from annotator.storage.lock import ProjectLock
from annotator.storage.recovery import plural

#: Files an import stored (new, a new version, or already there).
STORED = (FileStatus.IMPORTED, FileStatus.NEW_VERSION, FileStatus.DUPLICATE)
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
                        help="project file (SQLite) to open, created if missing; or a team "
                             "project on a PostgreSQL server: postgresql://USER@HOST/DB")
    parser.add_argument("--wait", metavar="SECONDS", type=float, default=None,
                        help="how long to wait for a project another program is writing "
                             "(default 10)")
    # Hidden: open the project, show the window, close it, exit 0 (the installers'
    # smoke test; packaging/README.md).
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the app (the default)")
    gui.add_argument("--project", metavar="PATH", dest="sub_project", help=argparse.SUPPRESS)

    def with_project(sub: argparse.ArgumentParser, *, create: bool = False) -> None:
        sub.add_argument("--project", metavar="PATH", dest="sub_project",
                         required=False, help="project file" +
                         (" (created if missing)" if create else ""))

    imp = commands.add_parser(
        "import", help="import documents (.txt .md .html .htm .pdf .docx; files or folders), "
                       "dataset packages (folder or .zip) and JSONL exports of documents "
                       "or claims")
    with_project(imp, create=True)
    imp.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
    imp.add_argument("--reflow", choices=("auto", "on", "off"), default="auto",
                     help="join lines broken by PDF extraction in plain text: auto (when the "
                          "text looks PDF-extracted), on, off (store text as read)")
    imp.add_argument("--encoding", metavar="CODEC",
                     help="decode text files with this encoding instead of detecting it")
    imp.add_argument("--add-new-labels", action="store_true", help=NEW_LABELS_HELP)

    ann = commands.add_parser(
        "import-annotations",
        help="import a colleague's work: a canonical JSONL export, a dataset package "
             "(folder or .zip) or their project file; claims match by id, documents by "
             "the SHA-256 of their text, and a newer edit updates the claim (the older "
             "version is kept in its history)")
    with_project(ann)
    ann.add_argument("file", metavar="FILE")
    ann.add_argument("--add-new-labels", action="store_true", help=NEW_LABELS_HELP)

    agr = commands.add_parser(
        "agreement", help="inter-annotator agreement: Cohen's kappa (two analysts), "
                          "Krippendorff's alpha and span precision/recall/F1",
        epilog="JSON maps stance, source_reliability, info_credibility, claim_type to "
               "cohen_kappa and krippendorff_alpha, and spans to exact and overlap "
               "precision, recall and f1; per-document figures are under documents.")
    with_project(agr)
    agr.add_argument("--annotators", action="append", default=[], metavar="A,B",
                     help="the analysts to compare (default: everyone with claims)")
    agr.add_argument("--documents", nargs="+", action="extend", default=[], metavar="ID",
                     help="only these documents (ids or SHA-256 of their texts)")
    agr.add_argument("--format", choices=("table", "json"), default="table")
    agr.add_argument("--match", choices=MEASURES, default=JACCARD,
                     help="how spans are matched (default jaccard)")
    agr.add_argument("--threshold", type=float, default=0.5,
                     help="overlap matching: the least score of a match (default 0.5)")
    agr.add_argument("--unjudgeable", choices=UNJUDGEABLE_TREATMENTS, default=MISSING,
                     help="F and 6 (cannot be judged): missing values (default) or their "
                          "own category")
    agr.add_argument("-o", "--output", metavar="FILE",
                     help="write to FILE instead of standard output")

    exp = commands.add_parser(
        "export", help="export claims as a dataset (jsonl, csv, w3c, label-studio, doccano, "
                       "parquet, brat, spacy, claimreview, inception, refi-qda), a dataset "
                       "package (folder or .zip), or the documents",
        epilog="Scope options combine: a claim is exported when it passes all of them. "
               "Label options keep claims whose key in that dimension is listed "
               "(e.g. --stance supports,refutes); unlabelled claims are then left out.")
    with_project(exp)
    exp.add_argument("--format", choices=exports.EXPORT_FORMATS, default="jsonl",
                     help="jsonl (default; re-imports exactly), csv, w3c (Web Annotation "
                          "JSON-LD), label-studio, doccano, parquet (needs pyarrow), brat "
                          "(zip of .txt + .ann), spacy (DocBin; needs spaCy), claimreview "
                          "(schema.org JSON-LD), inception (UIMA CAS XMI zip; needs "
                          "dkpro-cassis), refi-qda (.qdpx for QDA programs), package (folder, "
                          "or zip when OUT ends in .zip), documents")
    exp.add_argument("-o", "--output", required=True, metavar="OUT")
    scope = exp.add_argument_group("scope")
    scope.add_argument("--documents", nargs="+", action="extend", default=[], metavar="ID",
                       help="only these documents (ids or SHA-256 of their texts)")
    scope.add_argument("--annotators", action="append", default=[], metavar="A,B",
                       help="only claims by these annotators (comma-separated)")
    scope.add_argument("--done-only", action="store_true",
                       help="only documents marked done")
    scope.add_argument("--gold-only", action="store_true",
                       help="the gold layer: adjudicated claims with their provenance")
    scope.add_argument("--labels", action="append", default=[], metavar="DIMENSION=K1,K2",
                       help="only claims whose DIMENSION key is listed (repeatable)")
    for dimension in Dimension:
        scope.add_argument(f"--{dimension.value.replace('_', '-')}", action="append",
                           default=[], metavar="K1,K2", dest=f"keep_{dimension.value}",
                           help=f"same as --labels {dimension.value}=K1,K2")
    team_cli.add_parser(commands, with_project)
    shape = exp.add_argument_group("format options")
    shape.add_argument("--no-bom", action="store_true",
                       help="csv: no UTF-8 byte-order mark (Excel needs one to read UTF-8)")
    shape.add_argument("--span-label", choices=[d.value for d in Dimension], default="stance",
                       help="label-studio, doccano, spacy: the dimension that labels spans "
                            "(default stance)")
    shape.add_argument("--offsets", choices=("utf-16", "codepoint"), default="utf-16",
                       help="doccano: offset unit: utf-16 (default) for doccano's editor, "
                            "which counts UTF-16 code units; codepoint (Python str indexes) "
                            "for scripts only: in doccano every span after an emoji would "
                            "land on the wrong characters")
    shape.add_argument("--include-paths", action="store_true",
                       help="documents, package: keep the local paths documents were "
                            "imported from (by default only their file names)")

    search_cli.add_parser(commands, with_project)
    similar_cli.add_parser(commands, with_project)
    evidence_cli.add_parser(commands, with_project)
    bak = commands.add_parser(
        "backup", help="back the project up now (checked copy in its backup folder)")
    with_project(bak)
    lst = commands.add_parser("backups", help="list the project's backups (newest first)")
    with_project(lst)
    res = commands.add_parser(
        "restore", help="replace the project by one of its backups (the project as it is "
                        "is backed up first); close it everywhere before")
    with_project(res)
    res.add_argument("--backup", required=True, metavar="FILE",
                     help="the backup: its path, or its name as 'annotator backups' lists it")
    return parser


NEW_LABELS_HELP = ("add the labels the imported claims use that match none of this "
                   "project's codebook, not even through its history of renamed keys "
                   "(without it such an import is refused, naming them)")


def _project_arg(args: argparse.Namespace) -> str | None:
    return getattr(args, "sub_project", None) or args.project


def _open(args: argparse.Namespace, *, create: bool = False,
          read_only: bool = False) -> ProjectService:
    """The project of ``--project``; ``read_only`` for commands that only read it:
    they never make a project of an empty file, nor write to an up-to-date one."""
    location = _project_arg(args)
    if not location:
        raise UserError("--project PATH is required for this command")
    return team_cli.open_project(location, create=create, busy_timeout=args.wait,
                                 read_only=read_only)


def _run_import(args: argparse.Namespace) -> int:
    if args.encoding:
        try:
            text_codec(args.encoding)
        except LookupError:
            raise UserError(f"unknown text encoding {args.encoding!r}") from None
    options = ImportOptions(encoding=args.encoding,
                            reflow={"auto": None, "on": True, "off": False}[args.reflow])
    files, datasets = _sort_imports(args.paths)
    service = _open(args, create=True)
    try:
        failed = False
        if files or not datasets:
            failed = _import_files(service, files, options)
        for kind, path in datasets:
            failed = _import_dataset(service, kind, path, args.add_new_labels) or failed
    finally:
        service.close()
    return EXIT_PARTIAL if failed else 0


def _import_files(service: ProjectService, paths: Sequence[str], options: ImportOptions) -> bool:
    """Import documents; True when some failed or left claims unplaced."""
    report = import_files(service, paths, options=options)
    if report.stopped:       # the project cannot be written (locked, full): one error
        stored = [r for r in report.results if r.status in STORED]
        for result in report.results:
            if result.status in STORED:
                print(f"{result.status.value}: {result.path} ({result.title})")
            elif result.reason != NOT_WRITTEN and not result.reason.startswith("not stored:"):
                print(f"annotator: {result.path}: {result.reason}", file=sys.stderr)
        raise UserError(report.stopped + (f" (the import stopped after {len(stored)} of "
                                          f"{len(report.results)} files)" if stored else ""))
    for result in report.results:
        if result.status in (FileStatus.FAILED, FileStatus.SKIPPED):
            print(f"annotator: {result.path}: {result.reason}", file=sys.stderr)
        else:
            print(f"{result.status.value}: {result.path} ({result.title})")
            note = _encoding_note(result, options)
            if note:
                print(f"{result.path}: {note}")
    for claim in report.unplaced:
        print(f"annotator: claim {claim.id} (“{' '.join(claim.quote.split())[:60]}”) could not "
              "be placed in the new version; place it in the app (Document › Claims to "
              "Place)", file=sys.stderr)
    print(report.summary())
    return bool(report.count(FileStatus.FAILED) or report.unplaced)


def _encoding_note(result: FileResult, options: ImportOptions) -> str:
    """"decoded as Windows-1252 (guessed; …)" for a text file that was not read
    as UTF-8, so a wrong guess is seen where it happened."""
    if result.encoding_guessed:
        return (f"decoded as {short_label(result.encoding)} "
                "(guessed; use --encoding to override)")
    if options.encoding and result.encoding and not result.encoding.lower().startswith(
            ("utf-8", "utf_8")):
        return f"decoded as {short_label(result.encoding)} (as --encoding asked)"
    return ""


def _sort_imports(paths: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files and folders of documents, and (kind, path) of dataset packages and
    JSONL exports in the order they import: documents before the claims on them."""
    files: list[str] = []
    datasets: list[tuple[str, str]] = []
    for item in paths:
        path = Path(item)
        if is_package(path):
            datasets.append(("package", item))
        elif qdpx_import.is_qdpx(path):
            datasets.append(("qdpx", item))
        elif path.suffix.lower() == ".jsonl" and path.is_file():
            kind = packages.jsonl_kind(path)
            if kind is None:
                files.append(item)
            else:
                datasets.append((kind, item))
        else:
            files.append(item)
    order = {"documents": 0, "package": 1, "qdpx": 1, "claims": 2}
    datasets.sort(key=lambda entry: order[entry[0]])
    return files, datasets


def _import_dataset(service: ProjectService, kind: str, path: str,
                    add_new_labels: bool = False) -> bool:
    """Import a dataset package or a JSONL export; True when records were skipped."""
    if kind == "documents":
        report = packages.import_documents_jsonl(service, path)
    elif kind == "qdpx":
        report = qdpx_import.import_qdpx(service, path)
    else:
        importer = {"package": packages.import_package,
                    "claims": packages.import_claims_jsonl}[kind]
        report = importer(service, path, add_new_labels=add_new_labels)
    for problem in report.problems:
        print(f"annotator: {problem}", file=sys.stderr)
    shown = {"package": "dataset package", "qdpx": "REFI-QDA project"}.get(kind, kind)
    print(f"{shown}: {path}: {report.summary()}")
    return bool(report.problems)


def _run_import_annotations(args: argparse.Namespace) -> int:
    service = _open(args)
    try:
        report = packages.import_work(service, args.file,
                                      add_new_labels=args.add_new_labels)
    finally:
        service.close()
    for problem in report.problems:
        print(f"annotator: {problem}", file=sys.stderr)
    print(report.summary())
    return EXIT_PARTIAL if report.problems else 0


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _scope(args: argparse.Namespace) -> exports.ExportScope:
    labels: dict[str, list[str]] = {}
    for item in args.labels:
        dimension, equals, keys = item.partition("=")
        if not equals:
            raise UserError(f"--labels {item!r}: write DIMENSION=KEY,KEY (e.g. "
                            "stance=supports,refutes)")
        labels.setdefault(dimension.strip().replace("-", "_"), []).extend(_split([keys]))
    for dimension in Dimension:
        keys = _split(getattr(args, f"keep_{dimension.value}"))
        if keys:
            labels.setdefault(dimension.value, []).extend(keys)
    return exports.ExportScope.of(documents=_split(args.documents),
                                  annotators=_split(args.annotators),
                                  done_only=args.done_only, labels=labels,
                                  gold_only=args.gold_only)


def _run_export(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if not out.parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist")
    options = exports.ExportOptions(bom=not args.no_bom, span_label=args.span_label,
                                    offset_unit=args.offsets,
                                    include_paths=args.include_paths)
    project = _project_arg(args)
    if project:     # before the project is even opened
        problem = exports.target_problem(project, args.format, out, options)
        if problem is not None:
            raise UserError(problem)
    service = _open(args, read_only=True)
    try:
        result = exports.export(service, args.format, out, _scope(args), options)
    except exports.ExportError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(exports.write_problem(out, error)) from None
    finally:
        service.close()
    for refusal in result.refused:
        print(f"annotator: {refusal}", file=sys.stderr)
    for stale in result.cleaned:
        print(f"annotator: removed {stale}, a partial file an interrupted export had "
              "left behind", file=sys.stderr)
    print(result.summary())
    for extra in result.files[1:]:
        print(f"wrote {extra}")
    return EXIT_PARTIAL if result.refused else 0


def _run_agreement(args: argparse.Namespace) -> int:
    try:
        matching = Matching(args.match, args.threshold)
    except ValueError as error:
        raise UserError(str(error)) from None
    if args.output:
        problem = protected_reason(args.output, filter(None, [_project_arg(args)]))
        if problem is not None:
            raise UserError(problem)
    service = _open(args, read_only=True)
    try:
        review = ReviewService(service)
        everyone = [name for name, _count in review.analysts()]
        analysts = list(dict.fromkeys(_split(args.annotators))) or everyone
        unknown = [name for name in analysts if name not in everyone]
        if unknown:
            raise UserError(f"no claims by {', '.join(map(repr, unknown))}; analysts: "
                            f"{', '.join(map(repr, everyone)) or '(none)'}")
        if len(analysts) < 2:
            raise UserError("agreement needs two analysts or more; this project has "
                            f"claims by {', '.join(map(repr, everyone)) or 'nobody'}")
        documents = None
        if args.documents:
            try:
                documents = exports.resolve_scope(
                    service, exports.ExportScope.of(documents=args.documents)).documents
            except exports.ExportError as error:
                raise UserError(str(error)) from None
        report = review.agreement(analysts, matching, documents,
                                  unjudgeable=args.unjudgeable)
    finally:
        service.close()
    if args.format == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    else:
        counts = report["counts"]
        documents_word = "document" if counts["documents"] == 1 else "documents"
        text = (f"Analysts: {', '.join(analysts)}; {counts['documents']} {documents_word}, "
                f"{counts['units']} units ({counts['by_all']} by all, {counts['by_some']} by "
                f"some, {counts['by_one']} by one; {counts['label_disagreements']} with label "
                f"disagreements)\n{_left_out(report)}\n{text_table(report)}\n")
    if args.output:
        try:
            with atomic_write(args.output, newline="\n") as handle:
                handle.write(text)
        except ProtectedFileError:
            raise
        except OSError as error:
            raise UserError(exports.write_problem(args.output, error)) from None
    else:
        sys.stdout.write(text)
    return 0


def _left_out(report: dict) -> str:
    """The documents agreement left out, one a line ("" when none)."""
    left = report.get("left_out") or []
    if not left:
        return ""
    lines = [f"Left out {len(left)} document{'s' if len(left) != 1 else ''} not every "
             "compared analyst has (not in their imported work):"]
    lines += [f"  {item['title'] or '(untitled)'} ({item['document_id']})" for item in left]
    return "\n".join(lines) + "\n"


def _project_file(args: argparse.Namespace) -> Path:
    location = _project_arg(args)
    if not location:
        raise UserError("--project PATH is required for this command")
    if "://" in location:
        raise UserError("backups are for project files; a database server keeps its own")
    return Path(location).expanduser().absolute()


def _warn_cloud(project: Path) -> None:
    warning = backup.cloud_warning(project)
    if warning:
        print(f"annotator: warning: {warning}", file=sys.stderr)


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _describe(item: backup.Backup) -> str:
    when = item.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    if not item.readable:
        return f"{when}  {item.describe():<28} (cannot be read)  {item.path.name}"
    return (f"{when}  {item.describe():<28} {item.claims:>6} claims {item.documents:>5} "
            f"documents {_size(item.size):>9}  {item.path.name}")


def _run_backup(args: argparse.Namespace) -> int:
    project = _project_file(args)
    _warn_cloud(project)
    service = _open(args)       # checked (and upgraded) as any open is
    try:
        taken = backup.take_backup(project, "manual")
    finally:
        service.close()
    backup.mark_current(project)
    print(f"backed up {project} to {taken.path} ({plural(taken.claims, 'claim')}, "
          f"{plural(taken.documents, 'document')})")
    return 0


def _run_backups(args: argparse.Namespace) -> int:
    project = _project_file(args)
    _warn_cloud(project)
    folder = backup.backup_folder(project)
    found = backup.list_backups(project)
    if not found:
        print(f"no backups of {project} (they go to {folder})")
        return 0
    print(f"backups of {project} in {folder}:")
    for item in found:
        print(_describe(item))
    return 0


def _run_restore(args: argparse.Namespace) -> int:
    project = _project_file(args)
    chosen = backup.find_backup(project, args.backup)
    # Not under a window that has the project open (it names who has it).
    lock = ProjectLock.acquire(project, analyst="annotator restore") \
        if project.parent.is_dir() else None
    try:
        before = backup.restore(project, chosen)
    finally:
        if lock is not None:
            lock.release()
    claims, documents, _revision = backup.summary(project) or (None, None, None)
    print(f"restored {project} from {chosen} ({plural(claims, 'claim')}, "
          f"{plural(documents, 'document')})")
    if before is not None:
        print(f"the project as it was is backed up as {before.path}")
    return 0


def _run_search(args: argparse.Namespace) -> int:
    search_cli.filters(args, UserError)         # bad filters: refused before opening
    return search_cli.run(args, _open(args, read_only=True), UserError)


def _run_similar(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UserError("--limit must be 1 or more")      # refused before opening
    return similar_cli.run(args, _open(args, read_only=True), UserError)


def _damage_hint(error: DamagedProjectError) -> str:
    if error.backup is None:
        return ""
    path = getattr(error.backup, "path", "")
    return (f"\nannotator: to restore that backup: annotator restore --project "
            f"\"{error.project}\" --backup \"{path}\"")


def main(argv: Sequence[str] | None = None) -> int:
    from annotator.cli import launch

    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(launch.file_argument(argv))
    try:
        if args.command in (None, "gui"):
            from annotator.ui.app import run_gui

            return run_gui(_project_arg(args), self_test=args.self_test)
        if args.command == "team":
            return team_cli.run(args, _project_arg(args))
        runner = {"import": _run_import, "import-annotations": _run_import_annotations,
                  "export": _run_export, "agreement": _run_agreement,
                  "backup": _run_backup, "backups": _run_backups,
                  "restore": _run_restore, "search": _run_search,
                  "similar": _run_similar,
                  "evidence": lambda a: evidence_cli.run(a, _open(a, read_only=True), UserError),
                  }[args.command]
        return runner(args)
    except DamagedProjectError as error:
        print(f"annotator: error: {error}{_damage_hint(error)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except (UserError, ProjectError, ImportProblem, ProtectedFileError,
            team_cli.TeamCommandError) as error:
        print(f"annotator: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: its traceback goes to the log, one line here
        return launch.report_bug(error, argv)
