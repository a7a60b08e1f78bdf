"""Bringing documents and claims into a project: files, folders, JSONL claim records.
(Exports are :mod:`annotator.services.exports`.)"""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from annotator.domain.codebook import Codebook
from annotator.domain.model import Claim, Document, Source
from annotator.domain.review import ReviewComment
from annotator.formats import claims as claim_format
from annotator.formats import jsonl
from annotator.formats.jsonl import BadRecord
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import (
    ImportCancelled,
    ImportOptions,
    Registry,
    default_registry,
)
from annotator.services.codebook import CodebookService
from annotator.services.document_batch import BATCH_CHARS, BATCH_DOCUMENTS, document_batch
from annotator.services.link_records import Relations, relations_summary, store_relations
from annotator.services.project import MergeResult, ProjectService
from annotator.services.review import ReviewService
from annotator.storage.errors import ProjectError

#: Why the files after one the project could not store were skipped.
NOT_WRITTEN = "not imported: the project could not be written"


class FileStatus(StrEnum):
    IMPORTED = "imported"
    NEW_VERSION = "new version"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    status: FileStatus
    reason: str = ""
    document_id: str | None = None
    title: str = ""
    importer: str = ""
    #: How a text file was decoded (its metadata's "encoding"), and whether that
    #: encoding was guessed (a legacy code page) rather than known or chosen.
    encoding: str = ""
    encoding_guessed: bool = False


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    #: True when the import was cancelled; the files not read are listed as skipped.
    cancelled: bool = False
    #: Claims of replaced versions that re-anchoring could not place.
    unplaced: list[Claim] = field(default_factory=list)
    #: Why the import stopped before the end (the project could not be written:
    #: a full disk, a lock), or "" when it did not.
    stopped: str = ""

    def count(self, status: FileStatus) -> int:
        return sum(1 for result in self.results if result.status is status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status in (FileStatus.FAILED, FileStatus.SKIPPED)]

    def summary(self) -> str:
        versions = self.count(FileStatus.NEW_VERSION)
        text = (f"{self.count(FileStatus.IMPORTED)} imported, "
                + (f"{versions} new versions ({len(self.unplaced)} claims to place), "
                   if versions else "") +
                f"{self.count(FileStatus.DUPLICATE)} already in the project, "
                f"{self.count(FileStatus.FAILED)} failed, "
                f"{self.count(FileStatus.SKIPPED)} skipped")
        if self.stopped:
            text += f" (stopped: {self.stopped})"
        return f"{text} (cancelled)" if self.cancelled else text


#: An entry of a folder that is not imported, with its status and reason.
Refusal = tuple[FileStatus, str]


def _expand(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool, Refusal | None]]:
    """Files to import, each with whether the user named it directly, or the
    reason a folder's entry is not imported. A file or link named directly is
    read wherever it leads: the user chose it."""
    for item in paths:
        path = Path(item)
        if path.is_dir():
            for child, refusal in _folder_files(path):
                yield child, False, refusal
        else:
            yield path, True, None


def _folder_files(folder: Path) -> list[tuple[Path, Refusal | None]]:
    """The files in ``folder`` and its subfolders, by path, hidden ones (a part
    starting with ``.``) left out, and the entries not imported with why: links
    leading out of the folder (never followed), to nothing, or round in a loop;
    links to folders; pipes, sockets and devices (never opened); a second link
    to a file already imported; subfolders that cannot be read."""
    try:
        root = Path(os.path.realpath(folder, strict=True))
    except OSError as error:
        return [(folder, (FileStatus.FAILED, _cannot_read("folder", error)))]
    found: list[tuple[Path, Refusal | None]] = []
    files: dict[Path, list[tuple[Path, bool]]] = {}     # real path: (path, is a link)
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as scan:
                entries = [entry for entry in scan if not entry.name.startswith(".")]
        except OSError as error:
            found.append((current, (FileStatus.FAILED, _cannot_read("folder", error))))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    real, refusal = _link_target(path, root,
                                                 root / path.parent.relative_to(folder))
                    if refusal is None:
                        files.setdefault(real, []).append((path, True))
                    else:
                        found.append((path, refusal))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                elif entry.is_file(follow_symlinks=False):
                    files.setdefault(root / path.relative_to(folder), []).append((path, False))
                else:
                    found.append((path, _not_regular(entry.stat(follow_symlinks=False).st_mode)))
            except OSError as error:
                found.append((path, (FileStatus.FAILED, _cannot_read("file", error))))
    for same in files.values():
        # One file reached by several paths (links) is read once, from the file itself.
        same.sort(key=lambda candidate: (candidate[1], candidate[0]))
        kept = same[0][0]
        found.append((kept, None))
        found.extend((path, (FileStatus.SKIPPED, f"the same file as "
                                                 f"{kept.relative_to(folder)} (a link), "
                                                 f"imported once"))
                     for path, _ in same[1:])
    found.sort(key=lambda item: item[0])
    return found


def _link_target(link: Path, root: Path, place: Path) -> tuple[Path, Refusal | None]:
    """The real path of the file ``link`` (in real folder ``place`` inside real
    folder ``root``) leads to, or why it is not imported."""
    try:
        real = Path(os.path.realpath(link, strict=True))
    except OSError as error:
        if error.errno == errno.ELOOP:
            return link, (FileStatus.SKIPPED, "link loop: the link leads back to itself "
                                              "and was not followed")
        if error.errno == errno.ENOENT:
            return link, (FileStatus.SKIPPED, "link to nothing: what it points to does "
                                              "not exist")
        return link, (FileStatus.FAILED, _cannot_read("link", error))
    if not real.is_relative_to(root):
        return real, (FileStatus.SKIPPED, f"link points outside the folder (to {real}) "
                                          f"and was not followed")
    mode = real.stat().st_mode
    if stat.S_ISDIR(mode):
        if place.is_relative_to(real):
            return real, (FileStatus.SKIPPED, "link loop: a link to a folder that holds "
                                              "it; not followed")
        return real, (FileStatus.SKIPPED, "not followed: a link to a folder (the "
                                          "folder's files are imported where they are)")
    if not stat.S_ISREG(mode):
        return real, _not_regular(mode)
    return real, None


def _not_regular(mode: int) -> Refusal:
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")
    return FileStatus.SKIPPED, f"not a regular file ({kind}); not opened"


def _cannot_read(what: str, error: OSError) -> str:
    return f"{what} cannot be read: {error.strerror or error}"


#: Options that store plain text exactly as read (no reflow): what
#: :func:`import_files` uses when given no options.
AS_READ = ImportOptions(reflow=False)

#: ``progress(path, index, total)``: called before each file is read; ``index``
#: counts from 0, ``total`` is the number of files found.
ProgressCallback = Callable[[Path, int, int], None]


def _cancel(pending: _Pending, report: ImportReport,
            rest: list[tuple[Path, bool, Refusal | None]]) -> None:
    """The import was cancelled at ``rest``: store what was read before it (its
    batch), and skip the rest, saying so (or stop, if that batch cannot be stored)."""
    if pending.store():
        report.cancelled = True
        report.results.extend(FileResult(str(p), FileStatus.SKIPPED,
                                         "not imported: the import was cancelled")
                              for p, _, _ in rest)
    else:
        _stop(report, rest)


def import_files(service: ProjectService, paths: Iterable[str | Path],
                 overrides: Callable[[Path], dict] | None = None,
                 progress: ProgressCallback | None = None, *,
                 options: ImportOptions | None = None,
                 cancel: Callable[[], bool] | None = None,
                 registry: Registry | None = None) -> ImportReport:
    """Import files and folders (every type in the importer registry: text,
    Markdown, HTML, PDF, DOCX). Each file succeeds, is a duplicate of a document
    already in the project, or fails with a reason naming it; the rest go on.
    Nothing already in the project is changed. When the project cannot be
    written (a full disk, a lock), the file being stored fails with the reason,
    the rest are skipped and :attr:`ImportReport.stopped` says why; the files
    stored before stay stored. In a folder, files of unknown
    types are skipped; a file named directly with an unknown type fails.

    ``overrides(path)`` may give a title, source, published date and extra
    metadata, and ``"options"``: an :class:`ImportOptions` for that file.
    ``options`` apply to every file (encoding, reflow, PDF limits). Without
    them, text is stored exactly as read, as before reflow existed
    (:data:`AS_READ`); pass ``ImportOptions()`` for the app's defaults, which
    reflow plain text detected as extracted from a PDF.
    ``cancel()`` is polled before each file and while a PDF is parsed; once it
    returns true the import stops, and the files not read are reported as
    skipped with ``report.cancelled`` set. Call from a worker thread to keep a
    window responsive; ``progress`` is then called on that thread.
    A :class:`ProjectError` (a full disk, a lock held too long) raises when no
    file was stored yet; after that it ends the import with what was stored
    listed, the file it hit failed, the rest skipped and ``report.stopped`` set.
    """
    registry = registry or default_registry()
    options = options or AS_READ
    if cancel is not None:
        options = replace(options, cancel=cancel)
    report = ImportReport()
    files = list(_expand(paths))
    pending = _Pending(service, report)
    for index, (path, named, refusal) in enumerate(files):
        if options.cancelled():
            _cancel(pending, report, files[index:])
            break
        if progress is not None:
            progress(path, index, len(files))
        if refusal is not None:
            report.results.append(FileResult(str(path), *refusal))
            continue
        importer = registry.importer_for(path)
        if importer is None:
            if named and path.exists():
                report.results.append(FileResult(str(path), FileStatus.FAILED,
                                                 registry.unsupported_reason(path)))
            elif named:
                report.results.append(FileResult(str(path), FileStatus.FAILED,
                                                 "no such file or folder"))
            else:
                report.results.append(FileResult(str(path), FileStatus.SKIPPED,
                                                 f"unsupported file type {path.suffix!r}"))
            continue
        extra = overrides(path) if overrides else {}
        file_options = extra.get("options") or options
        if cancel is not None and file_options.cancel is None:
            file_options = replace(file_options, cancel=cancel)
        try:
            read = registry.extract_file(path, file_options)
        except ImportCancelled:
            _cancel(pending, report, files[index:])
            break
        except ImportProblem as problem:
            report.results.append(FileResult(str(path), FileStatus.FAILED, problem.reason,
                                             importer=importer.name))
            continue
        except Exception as error:     # one bad file never stops an import
            report.results.append(FileResult(
                str(path), FileStatus.FAILED,
                f"could not be read ({type(error).__name__}: {error})"[:500],
                importer=importer.name))
            continue
        origin = str(read.metadata.get("canonical_url") or read.metadata.get("original_path")
                     or "")
        document = Document.from_text(
            read.text, title=extra.get("title") or read.title,
            source=extra.get("source") or read.source,
            published=extra.get("published") or read.published,
            metadata={**read.metadata, **extra.get("metadata", {})}, origin=origin)
        decoded = {"encoding": str(read.metadata.get("encoding") or ""),
                   "encoding_guessed": bool(read.metadata.get("encoding_guessed"))}
        if not pending.add(path, document, importer.name, decoded):
            _stop(report, files[index + 1:])
            break
    else:
        if not pending.store():
            _stop(report, [])
    return report


def _stop(report: ImportReport, rest: list[tuple[Path, bool, Refusal | None]]) -> None:
    """The project could not be written: the files not yet stored are skipped."""
    report.results.extend(FileResult(str(p), FileStatus.SKIPPED, NOT_WRITTEN)
                          for p, _, _ in rest)


class _Pending:
    """Documents read and not yet stored, stored a batch at a time (see
    :mod:`annotator.services.document_batch`); their results keep their place
    among the others' in the report."""

    def __init__(self, service: ProjectService, report: ImportReport) -> None:
        self.service = service
        self.report = report
        self.items: list[tuple[int, Path, Document, str, dict]] = []
        self.chars = 0

    def add(self, path: Path, document: Document, importer: str, decoded: dict) -> bool:
        """Hold ``document`` to be stored, storing the batch once it is full.
        False when the project could not be written (the import stops)."""
        self.items.append((len(self.report.results), path, document, importer, decoded))
        self.report.results.append(FileResult(str(path), FileStatus.SKIPPED, NOT_WRITTEN,
                                              importer=importer))
        self.chars += len(document.text)
        if len(self.items) >= BATCH_DOCUMENTS or self.chars >= BATCH_CHARS:
            return self.store()
        return True

    def store(self) -> bool:
        """Store the documents held, in one transaction; a new version of an
        earlier import after it, by :func:`_store`. When the project refuses one
        (a full disk, a lock, a role), the transaction is rolled back and they
        are stored one at a time as before batching: those before it stored, it
        failed, the rest skipped. False when the import has to stop."""
        items, self.items, self.chars = self.items, [], 0
        if not items:
            return True
        results = self.report.results
        try:
            with document_batch(self.service.database) as batch:
                outcomes = batch.store([item[2] for item in items])
        except ProjectError:
            return self._one_by_one(items)
        later = []
        for (slot, path, document, importer, decoded), outcome in zip(items, outcomes,
                                                                       strict=True):
            if outcome.created:
                results[slot] = FileResult(str(path), FileStatus.IMPORTED, "", document.id,
                                           document.title, importer, **decoded)
            elif outcome.same is not None:
                results[slot] = FileResult(
                    str(path), FileStatus.DUPLICATE, f"same text as “{outcome.same[1]}”",
                    outcome.same[0], outcome.same[1], importer, **decoded)
            else:
                later.append((slot, path, document, importer, decoded))
        return self._one_by_one(later)

    def _one_by_one(self, items: list[tuple[int, Path, Document, str, dict]]) -> bool:
        for slot, path, document, importer, decoded in items:
            try:
                self.report.results[slot] = _store(self.service, self.report, path, document,
                                                   importer, decoded)
            except ProjectError as error:
                self.report.results[slot] = FileResult(str(path), FileStatus.FAILED,
                                                       f"not stored: {error}",
                                                       importer=importer)
                self.report.stopped = str(error)
                return False
        return True


def _store(service: ProjectService, report: ImportReport, path: Path, document: Document,
           importer: str, decoded: dict) -> FileResult:
    """Store one read document: new, a new version of an earlier import, or a duplicate."""
    previous = service.current_version(document.origin)
    if previous is not None and previous.sha256 != document.sha256 \
            and service.document_by_sha256(document.sha256) is None:
        # Changed text from the same file or page: a new version, claims carried over.
        version = service.add_version(previous.id, document)
        report.unplaced.extend(version.unplaced)
        return FileResult(
            str(path), FileStatus.NEW_VERSION,
            f"new version of “{previous.title}”: {len(version.moved)} claims carried "
            f"over, {len(version.unplaced)} to place by hand",
            document.id, document.title, importer, **decoded)
    added = service.add_document(document)
    return FileResult(
        str(path), FileStatus.IMPORTED if added.created else FileStatus.DUPLICATE,
        "" if added.created else f"same text as “{added.document.title}”",
        added.document.id, added.document.title, importer, **decoded)


@dataclass
class AnnotationImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    comments_added: int = 0
    links_added: int = 0
    dismissals_added: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        comments = (f", {self.comments_added} review comments added" if self.comments_added
                    else "") + relations_summary(self.links_added, self.dismissals_added)
        return (f"{self.added} claims added, {self.updated} updated, "
                f"{self.unchanged} already present{comments}, {len(self.problems)} skipped")


class DocumentFinder:
    """Finds a claim record's document (by the SHA-256 of its text, then by
    id), keeping the last few found."""

    def __init__(self, service: ProjectService, size: int = 4) -> None:
        self.service = service
        self.size = size
        self._cache: OrderedDict[str, Document | None] = OrderedDict()

    def find(self, record: dict[str, Any]) -> Document | None:
        sha = record.get("document_sha256")
        doc_id = record.get("document_id")
        key = sha if isinstance(sha, str) and sha else f"id:{doc_id}"
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        document = self.service.document_by_sha256(sha) if key == sha else None
        if document is None and isinstance(doc_id, str):
            try:
                document = self.service.document(doc_id)
            except LookupError:
                document = None
        self._cache[key] = document
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return document


def read_claims(service: ProjectService, records: Iterable[tuple[int, Any]],
                where: str | Path, codebook: Codebook, problems: list[ImportProblem],
                relations: Relations | None = None) -> tuple[list[Claim], list[ReviewComment]]:
    """The claims and review comments of ``(line number, record)`` pairs (as
    :func:`annotator.formats.jsonl.read_records` yields them). Each bad record,
    and each later record of a claim id already read (the first is kept), is
    added to ``problems`` with its line number; the rest are returned. The links
    and dismissed passages the records carry go to ``relations`` when given."""
    documents = DocumentFinder(service)
    first_line: dict[str, int] = {}
    claims: list[Claim] = []
    comments: list[ReviewComment] = []
    for number, record in records:
        try:
            if isinstance(record, BadRecord):
                raise record
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            document = documents.find(record)
            if document is None:
                raise ValueError("its document is not in this project (sha256 "
                                 f"{record.get('document_sha256')!r})")
            claim = claim_format.claim_from_record(record, document, codebook)
            if claim.id in first_line:
                raise ValueError(f"claim {claim.id} is listed again (first on line "
                                 f"{first_line[claim.id]}); the first record is kept")
        except (ValueError, TypeError) as error:   # json.JSONDecodeError is a ValueError
            problems.append(ImportProblem(where, str(error), line=number))
            continue
        first_line[claim.id] = number
        claims.append(claim)
        try:
            comments += claim_format.comments_from_record(record, claim.id)
        except (ValueError, TypeError) as error:
            problems.append(ImportProblem(where, f"review comments: {error}", line=number))
        if relations is not None:
            relations.read(record, claim.id, where, number, problems)
    return claims, comments


def claim_records(path: str | Path) -> Callable[[], Iterator[tuple[int, Any]]]:
    """The (line number, record) pairs of a claims JSONL file, read afresh at
    each call, bounded (:mod:`annotator.formats.jsonl`). Raises
    :class:`ImportProblem` for a file that cannot be read at all."""
    path = Path(path)

    def records() -> Iterator[tuple[int, Any]]:
        with jsonl.open_bounded(path) as handle:
            try:
                yield from jsonl.read_records(handle, path)
            except OSError as error:
                raise ImportProblem(path, f"cannot be read: {error.strerror or error}") \
                    from None
    return records


def import_annotations(service: ProjectService, path: str | Path) -> AnnotationImportReport:
    """Import canonical JSONL claim records. Bad records are reported with their
    line number and skipped; the valid ones are stored in one transaction."""
    report = AnnotationImportReport()
    records = claim_records(path)
    codebook = CodebookService(service.database).codebook()
    relations = Relations()
    claims, comments = read_claims(service, records(), path, codebook, report.problems,
                                   relations)
    counts = store_imported(service, claims, comments)
    report.added, report.updated, report.unchanged = (
        counts[MergeResult.ADDED], counts[MergeResult.UPDATED], counts[MergeResult.UNCHANGED])
    report.comments_added = counts["comments"]
    stored = store_relations(service, relations, report.problems)
    report.links_added, report.dismissals_added = stored.links, stored.dismissals
    return report


def with_sources(service: ProjectService, claims: Iterable[Claim]) -> list[Claim]:
    """The claims with their claim source found or added in the registry by name."""
    sources: dict[str, str] = {}
    resolved = []
    for claim in claims:
        if claim.source_name:
            key = claim.source_name.lower()
            if key not in sources:
                sources[key] = service.add_source(Source.new(claim.source_name)).id
            claim = dataclasses.replace(claim, source_id=sources[key])
        resolved.append(claim)
    return resolved


def store_imported(service: ProjectService, claims: Iterable[Claim],
                   comments: Iterable[ReviewComment]) -> Counter[str]:
    """Store imported claims (each claim source found or added in the registry by
    name; new claims added, newer edits merged) and then their review comments.
    Returns how many claims were added, updated and unchanged (by
    :class:`MergeResult`) and how many ``comments`` were added."""
    counts: Counter[str] = Counter(service.merge_claims(with_sources(service, claims)))
    counts["comments"] = ReviewService(service).merge_comments(comments)
    return counts
