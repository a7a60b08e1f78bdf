"""Importing a REFI-QDA project (``.qdpx``) another program wrote (ATLAS.ti,
MAXQDA, NVivo, QualCoder) or Annotator's own REFI-QDA export.

- Each ``TextSource`` becomes a document (its GUID its id, so importing again
  adds nothing): its text from ``PlainTextContent`` or from the ``sources/``
  file its ``plainTextPath`` names inside the ``.qdpx`` (``internal://``);
  a path outside the file is not followed (reported).
- Each ``PlainTextSelection`` becomes a claim (its GUID its id): positions are
  read as code points into that text, as the standard counts them; the quote
  is the text there. Its user is the analyst, its memos (``NoteRef``) the note.
- Codes: a code under a code named like a dimension (``Stance``, ``Claim
  type``, …) whose label the project's codebook has (by ``key:`` in its
  description, as Annotator writes, or by name) sets that label; the code
  ``Claim`` is the claim itself; any other code becomes a tag (its name).
- Sizes are checked before anything is read: ``project.qde`` up to
  :data:`MAX_PROJECT_BYTES`, each source up to the longest document text.
  The XML is parsed without entities or network.
"""

from __future__ import annotations

import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

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
_CLAIM_CODE = "Claim"


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


class _Project:
    """What one ``project.qde`` says, as documents and claim records."""

    def __init__(self, root: Any, service: ProjectService) -> None:
        self.users = {u.get("guid"): u.get("name") or u.get("id") or ""
                      for u in root.iter() if _local(u.tag) == "User"}
        self.notes = {n.get("guid"): next((c.text or "" for c in n
                                           if _local(c.tag) == "PlainTextContent"), "")
                      for n in root.iter() if _local(n.tag) == "Note"}
        codebook = CodebookService(service.database).codebook()
        titles = {d.title.lower(): d for d in Dimension}
        #: code GUID → (dimension, key) of a label, None for "Claim", or a tag name.
        self.codes: dict[str, tuple[Dimension, str] | str | None] = {}
        for code in root.iter():
            if _local(code.tag) != "Code":
                continue
            name = (code.get("name") or "").strip()
            parent = code.getparent()
            dimension = titles.get((parent.get("name") or "").strip().lower()) \
                if _local(parent.tag) == "Code" else None
            meaning: tuple[Dimension, str] | str | None = name
            if name == _CLAIM_CODE and dimension is None:
                meaning = None
            elif dimension is not None:
                described = "".join(
                    child.text or "" for child in code if _local(child.tag) == "Description")
                key = described.split("\n")[0].removeprefix("key: ").strip()
                for label in codebook.of(dimension):
                    if label.key == key or label.name == name or \
                            f"{label.key} — {label.name}" == name:
                        meaning = (dimension, label.key)
                        break
            self.codes[code.get("guid")] = meaning

    def claim(self, selection: Any, text: str, document_id: str) -> dict[str, Any]:
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


def import_qdpx(service: ProjectService, path: str | Path) -> packages.DatasetImportReport:
    """Import the documents and coded selections of a ``.qdpx``. Raises
    :class:`ImportProblem` when it is not a readable REFI-QDA project."""
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
        project = _Project(root, service)
        documents: list[tuple[int, Any]] = []
        claims: list[tuple[int, Any]] = []
        for number, source in enumerate(
                (s for s in root.iter() if _local(s.tag) == "TextSource"), start=1):
            text = _source_text(archive, source, where, report)
            if text is None:
                continue
            ident = _uuid(source.get("guid"))
            documents.append((number, {"id": ident, "text": text,
                                       "title": source.get("name") or path.stem,
                                       "source": path.name}))
            claims += [(number, project.claim(selection, text, ident)) for selection in source
                       if _local(selection.tag) == "PlainTextSelection"]
    with packages._stopped_by_project(report, path):
        packages._import_documents(service, lambda: iter(documents), where, report)
        _store_claims(service, claims, where, report)
    return report


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
