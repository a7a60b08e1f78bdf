"""Importing a REFI-QDA project (``.qdpx``) another program wrote (ATLAS.ti,
MAXQDA, NVivo, QualCoder) or Annotator's own REFI-QDA export.

- Each ``TextSource`` becomes a document (its GUID its id, so importing again
  adds nothing): its text from ``PlainTextContent`` or from the ``sources/``
  file its ``plainTextPath`` names inside the ``.qdpx`` (``internal://``);
  a path outside the file is not followed (reported).
- Each ``PlainTextSelection`` becomes a claim (its GUID its id): positions are
  read as code points into that text, as the standard counts them; the quote
  is the text there. Its user is the analyst, its memos (``NoteRef``) the note.
- Codes are mapped onto the codebook before anything is written
  (:mod:`annotator.domain.code_mapping`): each is proposed a label (a code
  under or prefixed by a code named like a dimension, as Annotator's own
  export writes them, or named like a label: ``Supports``, ``Claim/Quantity``),
  the claim itself (``Claim``) or a tag (its name); the analyst may change any
  of them, or skip a code, in :func:`prepare_qdpx`'s mapping before
  :func:`write_qdpx` stores the documents and coded selections.
- Sizes are checked before anything is read: ``project.qde`` up to
  :data:`MAX_PROJECT_BYTES`, each source up to the longest document text.
  The XML is parsed without entities or network.
"""

from __future__ import annotations

import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from annotator.domain.code_mapping import SKIP, TAG, CodeMapping, ForeignCode, propose
from annotator.domain.codebook import Dimension
from annotator.domain.model import text_sha256
from annotator.formats import claims as claim_format
from annotator.formats.problems import ImportProblem
from annotator.services import packages
from annotator.services.codebook import CodebookService
from annotator.services.project import MergeResult, ProjectService
from annotator.services.transfer import read_claims, store_imported

PROJECT_FILE = "project.qde"
MAX_PROJECT_BYTES = 256 * 1024 * 1024
#: A source file's bytes: UTF-8 takes at most 4 per character.
MAX_SOURCE_BYTES = 4 * packages.MAX_TEXT_CHARS


def is_qdpx(path: str | Path) -> bool:
    path = Path(path)
    return path.suffix.lower() == ".qdpx" and path.is_file()


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _read(archive: zipfile.ZipFile, name: str, limit: int, where: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ImportProblem(where, f"{name} is larger than {limit // (1024 * 1024)} MB")
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ImportProblem(where, f"{name} is larger than {limit // (1024 * 1024)} MB")
    return data


def _timestamp(value: str | None) -> str:
    moment = None
    if value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return claim_format.format_timestamp(moment)


def _uuid(value: str | None) -> str:
    try:
        return str(uuid.UUID(str(value).strip("{}")))
    except ValueError:
        return str(uuid.uuid4())


def foreign_codes(root: Any) -> list[ForeignCode]:
    """The codes of a ``project.qde``, in order, each with how many selections it codes."""
    codings: Counter[str] = Counter()
    for selection in root.iter():
        if _local(selection.tag) == "PlainTextSelection":
            codings.update({ref.get("targetGUID") for child in selection
                            if _local(child.tag) == "Coding" for ref in child})
    codes = []
    for code in root.iter():
        if _local(code.tag) != "Code":
            continue
        parents = []
        parent = code.getparent()
        while parent is not None and _local(parent.tag) == "Code":
            parents.insert(0, (parent.get("name") or "").strip())
            parent = parent.getparent()
        described = "".join(child.text or "" for child in code
                            if _local(child.tag) == "Description")
        guid = code.get("guid") or ""
        codes.append(ForeignCode(guid, (code.get("name") or "").strip(), tuple(parents),
                                 described.split("\n")[0].strip(), codings[guid]))
    return codes


class _Project:
    """What one ``project.qde`` says, as documents and claim records."""

    def __init__(self, root: Any) -> None:
        self.users = {u.get("guid"): u.get("name") or u.get("id") or ""
                      for u in root.iter() if _local(u.tag) == "User"}
        self.notes = {n.get("guid"): next((c.text or "" for c in n
                                           if _local(c.tag) == "PlainTextContent"), "")
                      for n in root.iter() if _local(n.tag) == "Note"}
        #: code GUID → (dimension, key) of a label, None for the claim itself or a
        #: skipped code, or a tag name; set from the mapping by :func:`write_qdpx`.
        self.codes: dict[str, tuple[Dimension, str] | str | None] = {}
        self.skipped: set[str] = set()

    def map_codes(self, mapping: CodeMapping) -> None:
        self.codes, self.skipped = {}, set()
        for choice in mapping.choices:
            target, guid = choice.target, choice.code.guid
            if target == SKIP:
                self.skipped.add(guid)
            dimension, _, key = target.partition(":")
            self.codes[guid] = ((Dimension(dimension), key) if key
                                else choice.code.name if target == TAG else None)

    def claim(self, selection: Any, text: str, document_id: str) -> dict[str, Any] | None:
        """The claim record of a coded selection, or None when every code on it is
        skipped."""
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        record: dict[str, Any] = {
            "id": _uuid(selection.get("guid")), "document_id": document_id,
            "document_sha256": text_sha256(text), "start": start, "end": end,
            "quote": text[start:end] if 0 <= start < end <= len(text) else "",
            "annotator": self.users.get(selection.get("creatingUser"), ""),
            "created_at": _timestamp(selection.get("creationDateTime")),
            "updated_at": _timestamp(selection.get("modifiedDateTime")
                                     or selection.get("creationDateTime")),
            "proposition": selection.get("name") or None, "tags": []}
        notes = []
        refs = [ref.get("targetGUID") for child in selection if _local(child.tag) == "Coding"
                for ref in child]
        if refs and all(ref in self.skipped for ref in refs):
            return None
        for child in selection:
            if _local(child.tag) == "Coding":
                for ref in child:
                    meaning = self.codes.get(ref.get("targetGUID"))
                    if isinstance(meaning, tuple):
                        dimension, key = meaning
                        record[dimension.value] = (int(key) if dimension is
                                                   Dimension.INFO_CREDIBILITY else key)
                    elif isinstance(meaning, str) and meaning:
                        record["tags"].append(meaning)
            elif _local(child.tag) == "NoteRef" and self.notes.get(child.get("targetGUID")):
                notes.append(self.notes[child.get("targetGUID")])
        record["note"] = "\n\n".join(notes)
        if record["proposition"] and record["proposition"] == record["quote"]:
            record["proposition"] = None
        return record


@dataclass
class PreparedQdpx:
    """A ``.qdpx`` read (nothing written): its documents, its coded selections and
    how its codes map onto the codebook (change :attr:`mapping` before writing)."""

    path: Path
    documents: list[tuple[int, Any]]
    #: (source number, selection element, the source's text, document id).
    selections: list[tuple[int, Any, str, str]]
    mapping: CodeMapping
    project: _Project
    problems: list[ImportProblem] = field(default_factory=list)


def prepare_qdpx(service: ProjectService, path: str | Path) -> PreparedQdpx:
    """Read a ``.qdpx`` and propose how its codes map onto the project's codebook.
    Nothing is written. Raises :class:`ImportProblem` when it is not a readable
    REFI-QDA project."""
    path = Path(path)
    where = str(path)
    report = packages.DatasetImportReport()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ImportProblem(where, f"is not a readable .qdpx (zip) file ({error})") from None
    with archive:
        if PROJECT_FILE not in archive.NameToInfo:
            raise ImportProblem(where, f"has no {PROJECT_FILE}: not a REFI-QDA project")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(_read(archive, PROJECT_FILE, MAX_PROJECT_BYTES, where),
                                    parser)
        except etree.XMLSyntaxError as error:
            raise ImportProblem(where, f"{PROJECT_FILE} is not well-formed XML ({error})") \
                from None
        documents: list[tuple[int, Any]] = []
        selections: list[tuple[int, Any, str, str]] = []
        for number, source in enumerate(
                (s for s in root.iter() if _local(s.tag) == "TextSource"), start=1):
            text = _source_text(archive, source, where, report)
            if text is None:
                continue
            ident = _uuid(source.get("guid"))
            documents.append((number, {"id": ident, "text": text,
                                       "title": source.get("name") or path.stem,
                                       "source": path.name}))
            selections += [(number, selection, text, ident) for selection in source
                           if _local(selection.tag) == "PlainTextSelection"]
    codebook = CodebookService(service.database).codebook()
    return PreparedQdpx(path, documents, selections, propose(foreign_codes(root), codebook),
                        _Project(root), report.problems)


def write_qdpx(service: ProjectService, prepared: PreparedQdpx) -> packages.DatasetImportReport:
    """Store a prepared ``.qdpx``: its documents, then its coded selections as
    claims (one transaction), their codes as :attr:`PreparedQdpx.mapping` says."""
    report = packages.DatasetImportReport(problems=list(prepared.problems))
    prepared.project.map_codes(prepared.mapping)
    claims = []
    for number, selection, text, ident in prepared.selections:
        record = prepared.project.claim(selection, text, ident)
        if record is not None:
            claims.append((number, record))
    with packages._stopped_by_project(report, prepared.path):
        packages._import_documents(service, lambda: iter(prepared.documents),
                                   str(prepared.path), report)
        _store_claims(service, claims, str(prepared.path), report)
    return report


def import_qdpx(service: ProjectService, path: str | Path,
                codes: dict[str, Any] | None = None) -> packages.DatasetImportReport:
    """Import the documents and coded selections of a ``.qdpx``, its codes mapped
    as proposed, or as ``codes`` (code name → ``dimension:key``, ``tag``, ``skip``)
    says. Raises :class:`ImportProblem` when it is not a readable REFI-QDA project
    or ``codes`` names a code or label there is not."""
    prepared = prepare_qdpx(service, path)
    if codes:
        try:
            prepared.mapping.apply(codes, CodebookService(service.database).codebook())
        except ValueError as error:
            raise ImportProblem(path, f"code mapping: {error}") from None
    return write_qdpx(service, prepared)


def _store_claims(service: ProjectService, records: list[tuple[int, Any]], where: str,
                  report: packages.DatasetImportReport) -> None:
    """The coded selections as claims, in one transaction. Their labels are ours
    (our own export) or tags (another program's codes): nothing to map."""
    codebook = CodebookService(service.database).codebook()
    claims, comments = read_claims(service, iter(records), where, codebook, report.problems)
    counts = store_imported(service, claims, comments)
    report.claims_added += counts[MergeResult.ADDED]
    report.claims_updated += counts[MergeResult.UPDATED]
    report.claims_unchanged += counts[MergeResult.UNCHANGED]
    report.comments_added += counts["comments"]


def _source_text(archive: zipfile.ZipFile, source: Any, where: str,
                 report: packages.DatasetImportReport) -> str | None:
    for child in source:
        if _local(child.tag) == "PlainTextContent":
            return child.text or ""
    place = source.get("plainTextPath") or ""
    if not place.startswith("internal://"):
        report.problems.append(ImportProblem(
            where, f"source {source.get('name')!r}: its text is at {place!r}, outside the "
                   ".qdpx; not followed"))
        return None
    name = "sources/" + place.removeprefix("internal://")
    if name not in archive.NameToInfo:
        report.problems.append(ImportProblem(where, f"source {source.get('name')!r}: "
                                                    f"{name} is not in the file"))
        return None
    try:
        return _read(archive, name, MAX_SOURCE_BYTES, where).decode("utf-8-sig")
    except (ImportProblem, UnicodeDecodeError) as error:
        reason = error.reason if isinstance(error, ImportProblem) else "not UTF-8 text"
        report.problems.append(ImportProblem(where, f"source {source.get('name')!r}: "
                                                    f"{reason}"))
        return None
