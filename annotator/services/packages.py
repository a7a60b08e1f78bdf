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
its own, and the labels and propositions the imported claims use are mapped
onto it (:mod:`annotator.domain.exchange`: same key, a proposition's id, or
either codebook's history of renames). A label that maps onto nothing is
refused (:class:`UnmappedLabels`) unless the caller chose to add it; what is
added comes as one new codebook version. Work is read and mapped first
(:func:`prepare_work`, nothing written), then stored (:func:`write_work`),
both with progress and cancel hooks.

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
import sqlite3
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from annotator.domain.codebook import Codebook, CodebookError, Dimension, validate
from annotator.domain.codebook import from_dict as codebook_from_dict
from annotator.domain.exchange import CodebookMapping, map_codebook, translate, with_additions
from annotator.domain.model import DOCUMENT_STATUSES, Document, text_sha256
from annotator.formats import claims as claim_format
from annotator.formats import jsonl
from annotator.formats.export import package
from annotator.formats.jsonl import BadRecord
from annotator.formats.problems import ImportProblem
from annotator.services import exports
from annotator.services.codebook import CodebookService
from annotator.services.link_records import Relations, relations_summary, store_relations
from annotator.services.project import MergeResult, ProjectService
from annotator.services.provenance import record_work
from annotator.services.review import ReviewService
from annotator.services.transfer import read_claims, with_sources
from annotator.storage.backup import copy_without_writing
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
    links_added: int = 0
    dismissals_added: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.documents_added} documents added, "
                 f"{self.documents_present} already in the project",
                 f"{self.claims_added} claims added, {self.claims_updated} updated, "
                 f"{self.claims_unchanged} already present"]
        if self.comments_added:
            parts.append(f"{self.comments_added} review comments added")
        if self.links_added or self.dismissals_added:
            parts.append(relations_summary(self.links_added,
                                           self.dismissals_added).removeprefix(", "))
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


#: What an import calls as it goes: (stage, done, total); total 0 when unknown.
Progress = Callable[[str, int, int], None]
#: What an import polls: True once it should stop.
Cancelled = Callable[[], bool]


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


def _never() -> bool:
    return False


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
                      report: DatasetImportReport, *,
                      held: list[tuple[str, bool]] | None = None,
                      progress: Progress | None = None,
                      cancelled: Cancelled | None = None) -> None:
    """Store each document record (one transaction each); ``held`` gains the id
    each has here and whether it was added. Polls ``cancelled`` between documents."""
    for number, record in records():
        if cancelled is not None and cancelled():
            raise ImportCancelled(report)
        if progress is not None:
            progress("Copying their documents", report.documents_added
                     + report.documents_present, 0)
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
        if held is not None:
            held.append((added.document.id, added.created))
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

class ImportCancelled(Exception):
    """The import was cancelled; ``report`` says what was stored before (whole
    documents, never a claim: the claims' transaction is rolled back)."""

    def __init__(self, report: DatasetImportReport) -> None:
        super().__init__("the import was cancelled")
        self.report = report


def _used_labels(records: Records, cancelled: Cancelled = _never
                 ) -> tuple[dict[Dimension, set[str]], set[str], int]:
    """The label keys (per dimension) and propositions the claim records use,
    and how many records there are."""
    used: dict[Dimension, set[str]] = {dimension: set() for dimension in Dimension}
    propositions: set[str] = set()
    count = 0
    for _number, record in records():
        count += 1
        if count % 500 == 0 and cancelled():
            raise ImportCancelled(DatasetImportReport())
        if not isinstance(record, dict):
            continue
        for dimension in Dimension:
            value = record.get(dimension.value)
            if value is not None and value != "":
                used[dimension].add(str(value))
        if isinstance(record.get("proposition"), str) and record["proposition"]:
            propositions.add(record["proposition"])
    return used, propositions, count


def _is_pristine(service: ProjectService, codebook: Codebook) -> bool:
    return codebook.version == 1 and service.claim_count() == 0


class UnmappedLabels(ImportProblem):
    """An import refused because labels it uses map onto none of ours; the
    message names them (up to 20), ``mapping`` has them all."""

    def __init__(self, path: str | Path, mapping: CodebookMapping) -> None:
        entries = mapping.unmapped()
        names = [f"{entry.dimension.value if entry.dimension else 'proposition'} "
                 f"“{entry.key}”" + (f" ({entry.name})" if entry.name != entry.key else "")
                 for entry in entries[:20]]
        if len(entries) > 20:
            names.append(f"and {len(entries) - 20} more")
        super().__init__(path, "")
        self.mapping = mapping
        self.reason = ("uses labels that match none of this project's codebook, not even "
                       f"through its history of renamed keys: {', '.join(names)}. Map them "
                       "onto yours in the app (File › Import a Colleague's Work), rename "
                       "yours, or add them as new labels (--add-new-labels)")
        self.args = (f"{self.path}: {self.reason}",)


def codebook_plan(service: ProjectService, incoming: Codebook | None,
                  mapping: CodebookMapping) -> tuple[Codebook | None, list[str], bool]:
    """The codebook the import leaves (None: ours unchanged), the labels it adds
    and whether it is ``incoming`` taken whole (a project still as new)."""
    current = CodebookService(service.database).codebook()
    if incoming is not None and _is_pristine(service, current):
        labels = list(incoming.labels)
        for dimension in Dimension:     # the Admiralty scales are always there
            if dimension.fixed_keys and not incoming.of(dimension):
                labels.extend(current.of(dimension))
        new = Codebook(current.version, tuple(labels), incoming.propositions, incoming.tags,
                       incoming.requirements, incoming.renames)
        if (new.labels, new.propositions, new.tags, new.requirements) == (
                current.labels, current.propositions, current.tags, current.requirements):
            return None, [], False
        return new, [], True
    new, added = with_additions(current, mapping, uuid.uuid4)
    if not added and len(new.propositions) == len(current.propositions):
        return None, [], False
    return new, added, False


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


# A colleague's work: read, mapped, then written --------------------------------------

@dataclass
class PreparedWork:
    """A colleague's work read (nothing written yet) and how their codebook maps
    onto ours. :meth:`close` it (it may hold a temporary copy and an open zip)."""

    path: Path
    #: Names the file in problems (their file, not a temporary copy).
    where: str
    mapping: CodebookMapping
    incoming: Codebook | None
    claim_count: int
    reader: package.PackageReader | None = None
    claims: Records | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    scratch: tempfile.TemporaryDirectory[str] | None = None
    #: False when the claims could not be read whole (reported in ``problems``).
    claims_readable: bool = True

    @property
    def claims_where(self) -> str:
        return self.reader.where(package.CLAIMS) if self.reader is not None else self.where

    def claim_records(self) -> Records | None:
        if not self.claims_readable:
            return None
        if self.reader is not None:
            reader = self.reader
            return (lambda: reader.records(package.CLAIMS)) if reader.has(package.CLAIMS) \
                else None
        return self.claims

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None


def prepare_work(service: ProjectService, path: str | Path, *,
                 codebook: str | Path | None = None, progress: Progress = _no_progress,
                 cancelled: Cancelled = _never) -> PreparedWork:
    """Read a colleague's work (their project file, a dataset package, or a claims
    JSONL export with its ``<name>.codebook.json`` beside it, or ``codebook``)
    and map its codebook onto ours. Nothing is written to the project. Raises
    :class:`ImportProblem` for what cannot be read, :class:`ImportCancelled`."""
    path = Path(path)
    if not path.exists():
        raise ImportProblem(path, "no such file or folder")
    scratch = None
    where = str(path)
    problems: list[ImportProblem] = []
    try:
        source = path
        if is_project_file(path):
            progress("Copying their project", 0, 0)
            scratch = tempfile.TemporaryDirectory(prefix="annotator-import-")
            source = _project_as_package(service, path, Path(scratch.name), cancelled)
        if cancelled():
            raise ImportCancelled(DatasetImportReport())
        reader = None
        claims: Records | None = None
        incoming = None
        report = DatasetImportReport()
        if source.is_dir() or package.is_package(source):
            reader = package.PackageReader(source)
            if reader.has(package.CODEBOOK):
                try:
                    incoming = _read_codebook(
                        lambda: reader.read_json(package.CODEBOOK),
                        where if scratch else reader.where(package.CODEBOOK), report)
                except BaseException:
                    reader.close()
                    raise
        else:
            claims = _records_of(path)
            codebook_file = (Path(codebook) if codebook
                             else path.with_name(f"{path.stem}.codebook.json"))
            if codebook_file.is_file():
                incoming = _read_codebook(lambda: _json_file(codebook_file),
                                          str(codebook_file), report)
        problems += report.problems
        prepared = PreparedWork(path, where, CodebookMapping(), incoming, 0, reader, claims,
                                problems, scratch)
        scratch = None
        try:
            records = prepared.claim_records()
            if records is not None:
                progress("Reading their claims", 0, 0)
                try:
                    used, texts, prepared.claim_count = _used_labels(records, cancelled)
                except ImportProblem as problem:    # stored whole or not at all
                    if prepared.reader is None:     # nothing else in it to import
                        raise
                    problems.append(problem)
                    prepared.claims_readable = False
                    used, texts = {}, set()
                ours = CodebookService(service.database).codebook()
                adopted = codebook_plan(service, incoming, CodebookMapping())
                if adopted[2] and adopted[0] is not None:
                    ours = adopted[0]
                prepared.mapping = map_codebook(ours, incoming, used, texts)
        except BaseException:
            prepared.close()
            raise
        return prepared
    finally:
        if scratch is not None:
            scratch.cleanup()


def _translated(records: Records, table: dict[str, dict[str, str]]) -> Records:
    def mapped() -> Iterator[tuple[int, Any]]:
        for number, record in records():
            yield number, translate(record, table)
    return mapped


def _polled(items: list[Any], progress: Progress, cancelled: Cancelled,
            report: DatasetImportReport) -> Iterator[Any]:
    """``items`` one by one, telling progress and stopping (raising
    :class:`ImportCancelled` inside the caller's transaction) when cancelled."""
    total = len(items)
    for done, item in enumerate(items):
        if done % 250 == 0:
            if cancelled():
                raise ImportCancelled(report)
            progress("Storing their claims", done, total)
        yield item


def write_work(service: ProjectService, prepared: PreparedWork, *,
               progress: Progress = _no_progress,
               cancelled: Cancelled = _never) -> DatasetImportReport:
    """Store prepared work: its documents (one at a time, each whole), then its
    claims in one transaction with their labels mapped, then the labels and
    propositions the mapping adds (one codebook version). Refused with
    :class:`ImportProblem` while a label is unmapped. Cancelling stops between
    documents or rolls the claims back: no claim and no codebook change is
    stored, documents already copied stay whole (:class:`ImportCancelled`
    carries the report)."""
    if prepared.mapping.unmapped():
        raise UnmappedLabels(prepared.where, prepared.mapping)
    report = DatasetImportReport()
    with _stopped_by_project(report, prepared.where):
        held: list[tuple[str, bool]] = []
        reader = prepared.reader
        if reader is not None and reader.has(package.DOCUMENTS):
            _member(reader, package.DOCUMENTS, report, lambda records, where:
                    _import_documents(service, records, where, report, held=held,
                                      progress=progress, cancelled=cancelled), verify=True)
        report.problems += prepared.problems    # the codebook's, the claims' as a file
        records = prepared.claim_records()
        if records is not None:
            new, added, adopted = codebook_plan(service, prepared.incoming, prepared.mapping)
            codebook = new or CodebookService(service.database).codebook()
            table = prepared.mapping.translations()
            relations = Relations()
            claims, comments = read_claims(service, _translated(records, table)(),
                                           prepared.claims_where, codebook, report.problems,
                                           relations)
            if cancelled():
                raise ImportCancelled(report)
            if new is not None:
                validate(new)
            if cancelled():
                raise ImportCancelled(report)
            claims = with_sources(service, claims)
            # One transaction, polled as it goes: a cancel rolls every claim back.
            counts: Counter[str] = Counter(service.merge_claims(
                _polled(claims, progress, cancelled, report)))
            counts["comments"] = ReviewService(service).merge_comments(comments)
            stored = store_relations(service, relations, report.problems)
            report.links_added, report.dismissals_added = stored.links, stored.dismissals
            if new is not None:     # once the claims are in: a cancel leaves it as it was
                origin = prepared.path.name
                CodebookService(service.database).apply(
                    new, f"Codebook of {origin}" if adopted
                    else f"Labels used by claims from {origin}")
            report.codebook_adopted, report.labels_added = adopted, added
            report.claims_added += counts[MergeResult.ADDED]
            report.claims_updated += counts[MergeResult.UPDATED]
            report.claims_unchanged += counts[MergeResult.UNCHANGED]
            report.comments_added += counts["comments"]
            if reader is not None:
                record_work(service, {claim.annotator for claim in claims}, held)
    if prepared.scratch is not None:    # name their file, not the temporary package
        report.problems = [ImportProblem(prepared.path, problem.reason)
                           for problem in report.problems]
    return report


def import_work(service: ProjectService, path: str | Path, *, add_new_labels: bool = False,
                codebook: str | Path | None = None, progress: Progress = _no_progress,
                cancelled: Cancelled = _never) -> DatasetImportReport:
    """Import a colleague's work, whatever form it came in: their project file, a
    dataset package (folder or zip), a REFI-QDA project or a claims JSONL export.
    Labels that map onto none of ours are refused (:class:`ImportProblem` naming
    them) unless ``add_new_labels``. A REFI-QDA project (``.qdpx``) is read by
    :mod:`annotator.services.qdpx_import` (its codes mapped as proposed: labels by
    name or key, else tags)."""
    from annotator.services import qdpx_import  # it builds on this module

    if qdpx_import.is_qdpx(path):
        return qdpx_import.import_qdpx(service, path)
    prepared = prepare_work(service, path, codebook=codebook, progress=progress,
                            cancelled=cancelled)
    try:
        if add_new_labels:
            prepared.mapping.add_all_new()
        return write_work(service, prepared, progress=progress, cancelled=cancelled)
    finally:
        prepared.close()


def import_claims_jsonl(service: ProjectService, path: str | Path, *,
                        codebook: str | Path | None = None,
                        add_new_labels: bool = False) -> DatasetImportReport:
    """Import a claims JSONL export whose documents are in the project. The
    codebook beside it (``<name>.codebook.json``, or ``codebook``) is mapped
    onto ours (see :func:`import_work`)."""
    return import_work(service, path, codebook=codebook, add_new_labels=add_new_labels)


def import_package(service: ProjectService, path: str | Path, *,
                   add_new_labels: bool = False) -> DatasetImportReport:
    """Import a dataset package (folder or zip): its documents, its codebook
    mapped onto ours, and its claims. Raises :class:`ImportProblem` if ``path``
    is not a readable package. Each member file is imported whole or not at all
    (see :func:`_member`); a member that fails leaves the others to import."""
    if not package.is_package(path):
        raise ImportProblem(path, "is not a dataset package")
    return import_work(service, path, add_new_labels=add_new_labels)


def import_project(service: ProjectService, path: str | Path, *,
                   add_new_labels: bool = False) -> DatasetImportReport:
    """Import a colleague's project file (see :func:`_project_as_package`)."""
    return import_work(service, path, add_new_labels=add_new_labels)


# A colleague's project ---------------------------------------------------------------

def is_project_file(path: str | Path) -> bool:
    """Whether ``path`` is a SQLite file (an Annotator project, or another database)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _project_as_package(service: ProjectService, path: Path, folder: Path,
                        cancelled: Cancelled) -> Path:
    """A colleague's project file as a dataset package in ``folder``: their
    documents (matched by the SHA-256 of their text), codebook and claims
    (matched by id; a newer edit updates ours, the older version staying in the
    claim's history). Their file is never written, and nothing is created beside
    it (it may sit in a read-only folder): it is copied with SQLite's backup API,
    the copy is brought to this version's schema, and exported."""
    if not path.is_file():
        raise ImportProblem(path, "is not a file")
    if Path(service.location).resolve() == path.resolve():
        raise ImportProblem(path, "is the project you are working in")
    copy = folder / "colleague.annotator.sqlite"
    try:
        copy_without_writing(path, copy)
    except (sqlite3.Error, OSError) as error:
        raise ImportProblem(path, f"cannot be read ({error})") from None
    if cancelled():
        raise ImportCancelled(DatasetImportReport())
    try:
        colleague = ProjectService.open(copy, back_up=False)     # a temporary copy
    except ProjectError as error:
        raise ImportProblem(path, str(error).replace(str(copy), "").strip(": ")) from None
    try:
        exports.export(colleague, "package", folder / "package")
    finally:
        colleague.close()
    return folder / "package"
