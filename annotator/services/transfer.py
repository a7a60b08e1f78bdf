"""Moving documents and claims in and out of a project: files, folders, JSONL, CSV."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from annotator.domain.model import Document, Source
from annotator.formats import claims as claim_format
from annotator.formats.problems import ImportProblem
from annotator.formats.text import SUFFIXES, read_text_file
from annotator.services.codebook import CodebookService
from annotator.services.project import MergeResult, ProjectService


class FileStatus(StrEnum):
    IMPORTED = "imported"
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


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: FileStatus) -> int:
        return sum(1 for result in self.results if result.status is status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status in (FileStatus.FAILED, FileStatus.SKIPPED)]

    def summary(self) -> str:
        return (f"{self.count(FileStatus.IMPORTED)} imported, "
                f"{self.count(FileStatus.DUPLICATE)} already in the project, "
                f"{self.count(FileStatus.FAILED)} failed, "
                f"{self.count(FileStatus.SKIPPED)} skipped")


def _expand(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    """Files to import, each with whether the user named it directly."""
    for item in paths:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in
                                               child.relative_to(path).parts):
                    yield child, False
        else:
            yield path, True


def import_files(service: ProjectService, paths: Iterable[str | Path],
                 overrides: Callable[[Path], dict] | None = None,
                 progress: Callable[[Path], None] | None = None) -> ImportReport:
    """Import text and Markdown files and folders. Each file succeeds or fails on
    its own; a failure names the file and the reason and the rest go on.

    ``overrides(path)`` may give a title, source, published date and extra metadata.
    """
    report = ImportReport()
    for path, named in _expand(paths):
        if progress is not None:
            progress(path)
        if path.suffix.lower() not in SUFFIXES:
            if named and path.exists():
                report.results.append(FileResult(
                    str(path), FileStatus.FAILED,
                    f"unsupported file type {path.suffix or '(none)'!r}; "
                    f"supported: {', '.join(SUFFIXES)}"))
            elif named:
                report.results.append(FileResult(str(path), FileStatus.FAILED,
                                                 "no such file or folder"))
            else:
                report.results.append(FileResult(str(path), FileStatus.SKIPPED,
                                                 f"unsupported file type {path.suffix!r}"))
            continue
        try:
            read = read_text_file(path)
        except ImportProblem as problem:
            report.results.append(FileResult(str(path), FileStatus.FAILED, problem.reason))
            continue
        extra = overrides(path) if overrides else {}
        document = Document.from_text(
            read.text, title=extra.get("title") or read.title,
            source=extra.get("source", ""), published=extra.get("published", ""),
            metadata={**read.metadata, **extra.get("metadata", {})})
        added = service.add_document(document)
        report.results.append(FileResult(
            str(path), FileStatus.IMPORTED if added.created else FileStatus.DUPLICATE,
            "" if added.created else f"same text as “{added.document.title}”",
            added.document.id, added.document.title))
    return report


@dataclass
class AnnotationImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.added} claims added, {self.updated} updated, "
                f"{self.unchanged} already present, {len(self.problems)} skipped")


def import_annotations(service: ProjectService, path: str | Path) -> AnnotationImportReport:
    """Import canonical JSONL claim records. Bad records are reported with their
    line number and skipped; the valid ones are stored in one transaction."""
    report = AnnotationImportReport()
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError as error:
        raise ImportProblem(path, f"cannot be read: {error.strerror or error}") from None
    documents: dict[str, Document | None] = {}
    codebook = CodebookService(service.database).codebook()

    def find_document(record: dict) -> Document | None:
        sha = record.get("document_sha256")
        key = sha if isinstance(sha, str) and sha else f"id:{record.get('document_id')}"
        if key not in documents:
            document = service.document_by_sha256(sha) if key == sha else None
            if document is None and isinstance(record.get("document_id"), str):
                try:
                    document = service.document(record["document_id"])
                except LookupError:
                    document = None
            documents[key] = document
        return documents[key]

    valid = []
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    if not isinstance(record, dict):
                        raise ValueError("not a JSON object")
                    document = find_document(record)
                    if document is None:
                        raise ValueError("its document is not in this project (sha256 "
                                         f"{record.get('document_sha256')!r})")
                    valid.append(claim_format.claim_from_record(record, document, codebook))
                except ValueError as error:   # json.JSONDecodeError is a ValueError
                    report.problems.append(ImportProblem(path, str(error), line=number))
        except UnicodeDecodeError as error:
            raise ImportProblem(path, f"is not UTF-8 text ({error.reason})") from None
    seen: set[str] = set()
    unique = []
    for claim in valid:
        if claim.id not in seen:
            seen.add(claim.id)
            unique.append(claim)
    sources: dict[str, str] = {}
    for i, claim in enumerate(unique):
        if claim.source_name:
            key = claim.source_name.lower()
            if key not in sources:
                sources[key] = service.add_source(Source.new(claim.source_name)).id
            unique[i] = dataclasses.replace(claim, source_id=sources[key])
    for result in service.merge_claims(unique):
        if result is MergeResult.ADDED:
            report.added += 1
        elif result is MergeResult.UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1
    return report


EXPORT_FORMATS = ("jsonl", "csv", "documents")


def claim_records(service: ProjectService) -> Iterator[dict]:
    for claim, info in service.iter_claims():
        yield claim_format.claim_record(claim, info.sha256, info.title)


def export(service: ProjectService, fmt: str, out: str | Path) -> int:
    """Write the project's claims (``jsonl``, ``csv``) or documents (``documents``)."""
    if fmt == "jsonl":
        return claim_format.write_jsonl(claim_records(service), out)
    if fmt == "csv":
        return claim_format.write_csv(claim_records(service), out)
    if fmt == "documents":
        return claim_format.write_jsonl(
            (claim_format.document_record(d) for d in service.iter_documents()), out)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
