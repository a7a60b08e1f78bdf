"""Importing what :mod:`annotator.services.exports` writes: dataset packages
(folder or zip), document JSONL exports and claim JSONL exports.

Importing into an empty project reproduces the exported documents and claims
exactly: document ids, texts, titles, sources, dates, metadata, import times
and statuses; claim ids, offsets, labels, claim sources, notes, tags,
annotators and timestamps. Importing again adds nothing; a claim whose
incoming ``updated_at`` is newer replaces the stored one (as
``import-annotations`` does).

The codebook comes too: a project that is still as new (no claims, codebook
never changed) takes the package's codebook whole; any other project keeps
its own and gains only the labels (and propositions) the imported claims use
that it lacks, as one new codebook version. Claims whose labels are in
neither are reported and skipped.

Each bad record is reported with its file and line number, and the others
still import (:mod:`annotator.formats.jsonl` bounds and checks every line).
A package is imported all or nothing per file: a member that cannot be read
whole (over its size limit, a zip bomb, damaged) is reported and none of it is
stored, while the other members still import. Claims are stored in one
transaction. An import the project stops (a full disk) keeps what it stored
and says so in its report.
"""

from __future__ import annotations

import dataclasses
import itertools
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from annotator.domain.codebook import Codebook, CodebookError, Dimension, Proposition
from annotator.domain.codebook import from_dict as codebook_from_dict
from annotator.domain.model import DOCUMENT_STATUSES, Document, text_sha256
from annotator.formats import claims as claim_format
from annotator.formats import jsonl
from annotator.formats.export import package
from annotator.formats.jsonl import BadRecord
from annotator.formats.problems import ImportProblem
from annotator.services import exports
from annotator.services.codebook import CodebookService
from annotator.services.project import MergeResult, ProjectService
from annotator.services.transfer import (
    AnnotationImportReport,
    import_annotations,
    read_claims,
    store_imported,
)
from annotator.storage.database import SQLITE_HEADER
from annotator.storage.errors import ProjectError
from annotator.storage.models import DocumentRow

#: Longest document text accepted from a JSONL record (as for imported files).
MAX_TEXT_CHARS = 64 * 1024 * 1024

#: (line number, record or BadRecord) pairs, read afresh at each call.
Records = Callable[[], Iterator[tuple[int, Any]]]


@dataclass
class DatasetImportReport:
    documents_added: int = 0
    documents_present: int = 0
    claims_added: int = 0
    claims_updated: int = 0
    claims_unchanged: int = 0
    #: "stance: maybe", … labels added to the codebook for the imported claims.
    labels_added: list[str] = field(default_factory=list)
    #: True when the project took the imported codebook whole.
    codebook_adopted: bool = False
    comments_added: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.documents_added} documents added, "
                 f"{self.documents_present} already in the project",
                 f"{self.claims_added} claims added, {self.claims_updated} updated, "
                 f"{self.claims_unchanged} already present"]
        if self.comments_added:
            parts.append(f"{self.comments_added} review comments added")
        if self.codebook_adopted:
            parts.append("codebook imported")
        elif self.labels_added:
            parts.append(f"codebook labels added: {', '.join(self.labels_added)}")
        parts.append(f"{len(self.problems)} skipped")
        return "; ".join(parts)


def _records_of(path: Path, max_line: int | None = None) -> Records:
    def records() -> Iterator[tuple[int, Any]]:
        with jsonl.open_bounded(path) as handle:
            try:
                yield from jsonl.read_records(handle, path, max_line=max_line)
            except OSError as error:
                raise ImportProblem(path, f"cannot be read: {error.strerror or error}") \
                    from None
    return records


def jsonl_kind(path: str | Path) -> str | None:
    """``"documents"`` or ``"claims"`` for a JSONL file exported by Annotator
    (judged by its first record, or the first good one of the first ten), else None."""
    record = None
    try:
        with jsonl.open_bounded(path) as handle:
            records = jsonl.read_records(handle, path, max_line=jsonl.MAX_DOCUMENT_LINE_BYTES)
            for _number, record in itertools.islice(records, 10):  # the first good one
                if isinstance(record, dict):
                    break
    except (ImportProblem, OSError):
        return None
    if not isinstance(record, dict):
        return None
    if isinstance(record.get("text"), str) and "sha256" in record:
        return "documents"
    if {"id", "start", "end", "quote"} <= record.keys() and (
            "document_sha256" in record or "document_id" in record):
        return "claims"
    return None


# Documents ---------------------------------------------------------------------------

def _document(record: Any) -> tuple[Document, str]:
    """The document a documents.jsonl record describes, and its status."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text is longer than {MAX_TEXT_CHARS} characters")
    sha = text_sha256(text)
    if record.get("sha256") not in (None, sha):
        raise ValueError("sha256 does not match the text (the text was changed)")
    raw_id = record.get("id")
    try:
        document_id = str(uuid.UUID(str(raw_id))) if raw_id is not None else None
    except ValueError:
        raise ValueError(f"id must be a UUID, not {raw_id!r}") from None
    fields = {}
    # The columns' sizes: SQLite would store more, a team server refuses it.
    for name, limit in (("title", 500), ("source", 2000), ("published", 64),
                        ("origin", 2000)):
        value = record.get(name) or ""
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string, not {value!r}")
        if len(value) > limit:
            raise ValueError(f"{name} is longer than {limit} characters")
        fields[name] = value
    metadata = record.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise ValueError("metadata must be a JSON object")
    status = record.get("status") or "new"
    if status not in DOCUMENT_STATUSES:
        raise ValueError(f"status must be one of {', '.join(DOCUMENT_STATUSES)}, not {status!r}")
    previous_id = record.get("previous_id")
    if previous_id is not None and not isinstance(previous_id, str):
        raise ValueError(f"previous_id must be a document id, not {previous_id!r}")
    document = Document.from_text(text, title=fields["title"] or "Untitled",
                                  source=fields["source"], published=fields["published"],
                                  metadata=metadata, origin=fields["origin"])
    document = dataclasses.replace(document, id=document_id or document.id,
                                   previous_id=previous_id or None)
    if record.get("created_at") is not None:
        document = dataclasses.replace(
            document, created_at=claim_format.parse_timestamp(record["created_at"]))
    return document, status


def _import_documents(service: ProjectService, records: Records, where: str,
                      report: DatasetImportReport) -> None:
    for number, record in records():
        try:
            if isinstance(record, BadRecord):
                raise record
            document, status = _document(record)
            with service.database.reading() as session:
                stored_sha = session.scalar(select(DocumentRow.sha256).where(
                    DocumentRow.id == document.id))
                if document.previous_id is not None and session.scalar(
                        select(DocumentRow.id).where(
                            DocumentRow.id == document.previous_id)) is None:
                    # The earlier version was not exported with it: a version of its own.
                    document = dataclasses.replace(document, previous_id=None)
            if stored_sha is not None and stored_sha != document.sha256:
                raise ValueError(f"another document with id {document.id} is already in "
                                 "this project")
            added = service.add_document(document)
        except (ValueError, TypeError) as error:
            report.problems.append(ImportProblem(where, str(error), line=number))
            continue
        if added.created:
            report.documents_added += 1
            if status != "new":
                service.set_document_status(document.id, status)
        else:
            report.documents_present += 1


def import_documents_jsonl(service: ProjectService, path: str | Path) -> DatasetImportReport:
    """Import a documents JSONL export (``annotator export --format documents``)
    keeping each document's id, import time and status."""
    report = DatasetImportReport()
    path = Path(path)
    with _stopped_by_project(report, path):
        _import_documents(service, _records_of(path, jsonl.MAX_DOCUMENT_LINE_BYTES),
                          str(path), report)
    return report


# Codebook ----------------------------------------------------------------------------

def _used_labels(records: Records) -> tuple[dict[Dimension, set[str]], set[str]]:
    """The label keys (per dimension) and propositions the claim records use."""
    used: dict[Dimension, set[str]] = {dimension: set() for dimension in Dimension}
    propositions: set[str] = set()
    for _number, record in records():
        if not isinstance(record, dict):
            continue
        for dimension in Dimension:
            value = record.get(dimension.value)
            if value is not None and value != "":
                used[dimension].add(str(value))
        if isinstance(record.get("proposition"), str) and record["proposition"]:
            propositions.add(record["proposition"])
    return used, propositions


def _is_pristine(service: ProjectService, codebook: Codebook) -> bool:
    return codebook.version == 1 and service.claim_count() == 0


def merge_codebook(service: ProjectService, incoming: Codebook,
                   used: Mapping[Dimension, set[str]], propositions: Iterable[str] = (),
                   *, origin: str = "an import") -> tuple[bool, list[str]]:
    """Bring in what imported claims need from ``incoming``. A project still as
    new takes ``incoming`` whole; any other gains the missing labels in ``used``
    (a dimension it has no labels in at all gets all of ``incoming``'s, to keep
    a graded scale whole) and the used propositions, as one codebook version.
    Returns (adopted whole, labels added as ``"dimension: key"``)."""
    books = CodebookService(service.database)
    current = books.codebook()
    if _is_pristine(service, current):
        labels = list(incoming.labels)
        for dimension in Dimension:     # the Admiralty scales are always there
            if dimension.fixed_keys and not incoming.of(dimension):
                labels.extend(current.of(dimension))
        new = Codebook(current.version, tuple(labels), incoming.propositions, incoming.tags,
                       incoming.requirements)
        if (new.labels, new.propositions, new.tags, new.requirements) == (
                current.labels, current.propositions, current.tags, current.requirements):
            return False, []
        books.apply(new, f"Codebook of {origin}")
        return True, []
    labels = list(current.labels)
    added: list[str] = []
    for dimension in Dimension:
        if dimension.fixed_keys:
            continue
        have = {label.key for label in current.of(dimension)}
        missing = used.get(dimension, set()) - have
        if not missing:
            continue
        offered = incoming.of(dimension)
        # A dimension the project has no labels in takes the whole scale.
        chosen = [label for label in offered if not have or label.key in missing]
        shortcuts = {label.shortcut.upper() for label in current.of(dimension)
                     if label.shortcut and not label.retired}
        for label in chosen:
            if label.shortcut.upper() in shortcuts:
                label = dataclasses.replace(label, shortcut="")
            elif label.shortcut and not label.retired:
                shortcuts.add(label.shortcut.upper())
            labels.append(label)
            added.append(f"{dimension.value}: {label.key}")
    texts = {p.text for p in current.propositions}
    ids = {p.id for p in current.propositions}
    new_propositions = list(current.propositions)
    for proposition in incoming.propositions:
        if proposition.text in propositions and proposition.text not in texts:
            if proposition.id in ids:
                proposition = Proposition(str(uuid.uuid4()), proposition.text,
                                          proposition.description, proposition.retired)
            new_propositions.append(proposition)
            texts.add(proposition.text)
    if not added and len(new_propositions) == len(current.propositions):
        return False, []
    books.apply(dataclasses.replace(current, labels=tuple(labels),
                                    propositions=tuple(new_propositions)),
                f"Labels used by claims from {origin}")
    return False, added


def _read_codebook(read: Callable[[], Any], where: str,
                   report: DatasetImportReport) -> Codebook | None:
    """The codebook ``read()`` returns parsed, or None with the problem reported."""
    try:
        return codebook_from_dict(read())
    except ImportProblem as problem:
        report.problems.append(ImportProblem(where, f"codebook not used: {problem.reason}"))
    except (ValueError, TypeError, CodebookError) as error:
        report.problems.append(ImportProblem(where, f"codebook not used: {error}"))
    return None


# Claims ------------------------------------------------------------------------------

def _import_claims(service: ProjectService, records: Records, where: str,
                   report: DatasetImportReport, incoming: Codebook | None,
                   origin: str) -> None:
    if incoming is not None:
        used, propositions = _used_labels(records)
        adopted, added = merge_codebook(service, incoming, used, propositions, origin=origin)
        report.codebook_adopted = report.codebook_adopted or adopted
        report.labels_added.extend(added)
    codebook = CodebookService(service.database).codebook()
    claims, comments = read_claims(service, records(), where, codebook, report.problems)
    counts = store_imported(service, claims, comments)
    report.claims_added += counts[MergeResult.ADDED]
    report.claims_updated += counts[MergeResult.UPDATED]
    report.claims_unchanged += counts[MergeResult.UNCHANGED]
    report.comments_added += counts["comments"]


def import_claims_jsonl(service: ProjectService, path: str | Path, *,
                        codebook: str | Path | None = None) -> DatasetImportReport:
    """Import a claims JSONL export whose documents are in the project. The
    codebook beside it (``<name>.codebook.json``, or ``codebook``) brings the
    labels the claims use that the project lacks."""
    path = Path(path)
    report = DatasetImportReport()
    codebook_file = Path(codebook) if codebook else path.with_name(f"{path.stem}.codebook.json")
    incoming = None
    if codebook_file.is_file():
        incoming = _read_codebook(lambda: _json_file(codebook_file), str(codebook_file), report)
    with _stopped_by_project(report, path):
        _import_claims(service, _records_of(path), str(path), report, incoming, path.name)
    return report


def _json_file(path: Path) -> Any:
    with jsonl.open_bounded(path, package.MAX_CODEBOOK_BYTES) as handle:
        data = jsonl.read_bounded(handle, path, package.MAX_CODEBOOK_BYTES)
    return jsonl.parse_document(data.removeprefix(b"\xef\xbb\xbf"), path)


@contextmanager
def _stopped_by_project(report: DatasetImportReport, where: str | Path) -> Iterator[None]:
    """An import the project stopped (a full disk, a lock) partway keeps what it
    stored: the report counts it, and says why the rest is not there. One that
    stored nothing raises, as an import that could not run."""
    try:
        yield
    except ProjectError as error:
        if not (report.documents_added or report.claims_added or report.claims_updated
                or report.comments_added or report.labels_added or report.codebook_adopted):
            raise
        report.problems.append(ImportProblem(where, f"the import stopped: {error}"))


def _member(reader: package.PackageReader, name: str, report: DatasetImportReport,
            load: Callable[[Records, str], None], *, verify: bool = False) -> None:
    """Import one member of a package, all or nothing as a file: a member that
    cannot be read whole (over its size limit, a zip bomb, damaged) is reported
    and none of it is stored; a bad record in it is reported and skipped.
    Documents are stored one at a time, so their member is read through first
    (``verify``); claims are stored in one transaction once all are read."""
    where = reader.where(name)
    try:
        if verify:
            reader.verify(name)
        load(lambda: reader.records(name), where)
    except ImportProblem as problem:
        report.problems.append(problem)


def import_package(service: ProjectService, path: str | Path) -> DatasetImportReport:
    """Import a dataset package (folder or zip): its documents, the codebook its
    claims need, and its claims. Raises :class:`ImportProblem` if ``path`` is
    not a readable package. Each member file is imported whole or not at all
    (see :func:`_member`); a member that fails leaves the others to import."""
    report = DatasetImportReport()
    with package.PackageReader(path) as reader, _stopped_by_project(report, path):
        _member(reader, package.DOCUMENTS, report, lambda records, where:
                _import_documents(service, records, where, report), verify=True)
        incoming = None
        if reader.has(package.CODEBOOK):
            incoming = _read_codebook(lambda: reader.read_json(package.CODEBOOK),
                                      reader.where(package.CODEBOOK), report)
        _member(reader, package.CLAIMS, report, lambda records, where:
                _import_claims(service, records, where, report, incoming,
                               f"dataset package {Path(path).name}"))
    return report


# A colleague's project ---------------------------------------------------------------

def is_project_file(path: str | Path) -> bool:
    """Whether ``path`` is a SQLite file (an Annotator project, or another database)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _read_only(path: Path, scratch: Path) -> sqlite3.Connection:
    """A connection that reads a colleague's project without writing anything:
    ``immutable`` (no locks, no -shm) when the file holds all its data; when a
    write-ahead log beside it still holds some, both are copied (read, not
    opened) into ``scratch`` and the copy is opened instead."""
    wal = Path(f"{path}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        local = scratch / "source.sqlite"
        shutil.copyfile(path, local)
        shutil.copyfile(wal, Path(f"{local}-wal"))
        return sqlite3.connect(local)
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def import_project(service: ProjectService, path: str | Path) -> DatasetImportReport:
    """Import a colleague's project file: its documents (matched by the SHA-256
    of their text), the labels its claims need, and its claims (matched by id; a
    newer edit updates ours, the older version staying in the claim's history).

    Their file is never written, and nothing is created beside it (it may sit in
    a read-only folder): it is copied with SQLite's backup API, the copy is
    brought to this version's schema, and it is read as a dataset package."""
    path = Path(path)
    if not path.is_file():
        raise ImportProblem(path, "is not a file")
    if Path(service.location).resolve() == path.resolve():
        raise ImportProblem(path, "is the project you are working in")
    if not is_project_file(path):
        raise ImportProblem(path, "is not an Annotator project (not a SQLite file)")
    with tempfile.TemporaryDirectory(prefix="annotator-import-") as folder:
        copy = Path(folder) / "colleague.annotator.sqlite"
        try:
            source = _read_only(path, Path(folder))
            try:
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
        except (sqlite3.Error, OSError) as error:
            raise ImportProblem(path, f"cannot be read ({error})") from None
        try:
            colleague = ProjectService.open(copy, back_up=False)     # a temporary copy
        except ProjectError as error:
            raise ImportProblem(path, str(error).replace(str(copy), "").strip(": ")) from None
        try:
            exports.export(colleague, "package", Path(folder) / "package")
        finally:
            colleague.close()
        report = import_package(service, Path(folder) / "package")
    # Name their file, not the temporary package the records were read from.
    report.problems = [ImportProblem(path, problem.reason) for problem in report.problems]
    return report


def import_work(service: ProjectService,
                path: str | Path) -> DatasetImportReport | AnnotationImportReport:
    """Import a colleague's work, whatever form it came in: their project file, a
    dataset package (folder or zip) or a canonical JSONL export. The report has
    ``summary()`` and ``problems``."""
    if is_project_file(path):
        return import_project(service, path)
    if package.is_package(path):
        return import_package(service, path)
    return import_annotations(service, path)
