"""Reading and changing one project's documents and claims."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.domain.labels import Stance
from annotator.domain.model import Claim, Document, DocumentInfo, SpanError
from annotator.storage.database import Database, open_database
from annotator.storage.models import ClaimRow, DocumentRow


class NotFoundError(LookupError):
    pass


class MergeResult(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def _document(row: DocumentRow) -> Document:
    return Document(id=row.id, sha256=row.sha256, title=row.title, text=row.text,
                    source=row.source, published=row.published, metadata=dict(row.meta),
                    created_at=row.created_at)


def _claim(row: ClaimRow) -> Claim:
    return Claim(
        id=row.id, document_id=row.document_id, start=row.start, end=row.end,
        quote=row.quote, prefix=row.prefix, suffix=row.suffix, proposition=row.proposition,
        stance=Stance(row.stance) if row.stance else None,
        source_reliability=row.source_reliability, info_credibility=row.info_credibility,
        note=row.note, tags=tuple(row.tags), annotator=row.annotator,
        created_at=row.created_at, updated_at=row.updated_at,
    )


_CLAIM_FIELDS = ("document_id", "start", "end", "quote", "prefix", "suffix", "proposition",
                 "source_reliability", "info_credibility", "note", "annotator",
                 "created_at", "updated_at")


def _fill(row: ClaimRow, claim: Claim) -> ClaimRow:
    for name in _CLAIM_FIELDS:
        setattr(row, name, getattr(claim, name))
    row.stance = claim.stance.value if claim.stance else None
    row.tags = list(claim.tags)
    return row


@dataclass(frozen=True, slots=True)
class AddedDocument:
    document: Document
    created: bool


class ProjectService:
    """One project: documents (text stored once, never changed) and their claims."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @classmethod
    def open(cls, location: str | Path, *, create: bool = False,
             busy_timeout: float | None = None) -> ProjectService:
        kwargs = {} if busy_timeout is None else {"busy_timeout": busy_timeout}
        return cls(open_database(location, create=create, **kwargs))

    @property
    def location(self) -> str:
        return self.database.where

    def close(self) -> None:
        self.database.close()

    # Documents ---------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        counts = (select(ClaimRow.document_id, func.count().label("n"))
                  .group_by(ClaimRow.document_id).subquery())
        query = (select(DocumentRow.id, DocumentRow.sha256, DocumentRow.title,
                        DocumentRow.source, DocumentRow.published,
                        func.coalesce(counts.c.n, 0))
                 .outerjoin(counts, counts.c.document_id == DocumentRow.id)
                 .order_by(DocumentRow.created_at, DocumentRow.title))
        with self.database.reading() as session:
            return [DocumentInfo(*row) for row in session.execute(query)]

    def document(self, document_id: str) -> Document:
        with self.database.reading() as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"no document {document_id}")
            return _document(row)

    def document_by_sha256(self, sha256: str) -> Document | None:
        with self.database.reading() as session:
            row = session.scalar(select(DocumentRow).where(DocumentRow.sha256 == sha256))
            return None if row is None else _document(row)

    def add_document(self, document: Document) -> AddedDocument:
        """Store ``document`` unless a document with the same text is already here."""
        with self.database.writing() as session:
            existing = session.scalar(
                select(DocumentRow).where(DocumentRow.sha256 == document.sha256))
            if existing is not None:
                return AddedDocument(_document(existing), created=False)
            session.add(DocumentRow(
                id=document.id, sha256=document.sha256, title=document.title,
                source=document.source, published=document.published,
                meta=dict(document.metadata), text=document.text,
                length=len(document.text), created_at=document.created_at))
        return AddedDocument(document, created=True)

    def iter_documents(self) -> Iterator[Document]:
        """Every document with its text, one at a time (memory stays flat)."""
        with self.database.reading() as session:
            ids = session.scalars(select(DocumentRow.id).order_by(DocumentRow.created_at)).all()
        for document_id in ids:
            yield self.document(document_id)

    # Claims ------------------------------------------------------------------

    def claims(self, document_id: str) -> list[Claim]:
        query = (select(ClaimRow).where(ClaimRow.document_id == document_id)
                 .order_by(ClaimRow.start, ClaimRow.end, ClaimRow.id))
        with self.database.reading() as session:
            return [_claim(row) for row in session.scalars(query)]

    def claim(self, claim_id: str) -> Claim:
        with self.database.reading() as session:
            row = session.get(ClaimRow, claim_id)
            if row is None:
                raise NotFoundError(f"no claim {claim_id}")
            return _claim(row)

    def claim_count(self) -> int:
        with self.database.reading() as session:
            return session.scalar(select(func.count()).select_from(ClaimRow)) or 0

    def iter_claims(self, batch: int = 1000) -> Iterator[tuple[Claim, DocumentInfo]]:
        """Every claim with its document's summary, streamed in document order."""
        query = (select(ClaimRow, DocumentRow.sha256, DocumentRow.title)
                 .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
                 .order_by(DocumentRow.created_at, ClaimRow.document_id, ClaimRow.start,
                           ClaimRow.end, ClaimRow.id)
                 .execution_options(yield_per=batch))
        with self.database.reading() as session:
            for row, sha256, title in session.execute(query):
                yield _claim(row), DocumentInfo(row.document_id, sha256, title, "", "")

    def propositions(self) -> list[str]:
        query = (select(ClaimRow.proposition).where(ClaimRow.proposition != "")
                 .group_by(ClaimRow.proposition).order_by(func.count().desc()))
        with self.database.reading() as session:
            return list(session.scalars(query))

    def add_claim(self, claim: Claim) -> Claim:
        """Store a new claim (or put back a deleted one: id and timestamps are kept)."""
        with self.database.writing() as session:
            self._check_quote(session, claim)
            session.add(_fill(ClaimRow(id=claim.id), claim))
        return claim

    def add_claims(self, claims: Iterable[Claim]) -> int:
        """Store many new claims in one transaction; all or none."""
        count = 0
        with self.database.writing() as session:
            for claim in claims:
                session.add(_fill(ClaimRow(id=claim.id), claim))
                count += 1
        return count

    def update_claim(self, claim: Claim) -> Claim:
        """Replace the stored claim with the same id by ``claim``."""
        with self.database.writing() as session:
            row = session.get(ClaimRow, claim.id)
            if row is None:
                raise NotFoundError(f"no claim {claim.id}")
            if (row.start, row.end, row.document_id) != (claim.start, claim.end,
                                                          claim.document_id):
                self._check_quote(session, claim)
            _fill(row, claim)
        return claim

    def delete_claim(self, claim_id: str) -> Claim:
        with self.database.writing() as session:
            row = session.get(ClaimRow, claim_id)
            if row is None:
                raise NotFoundError(f"no claim {claim_id}")
            claim = _claim(row)
            session.delete(row)
        return claim

    def merge_claims(self, claims: Iterable[Claim]) -> list[MergeResult]:
        """Add claims that are new, update those whose incoming edit is newer, in one
        transaction. Callers check quotes against the text before."""
        results = []
        with self.database.writing() as session:
            for claim in claims:
                row = session.get(ClaimRow, claim.id)
                if row is None:
                    session.add(_fill(ClaimRow(id=claim.id), claim))
                    results.append(MergeResult.ADDED)
                elif claim.updated_at > row.updated_at:
                    _fill(row, claim)
                    results.append(MergeResult.UPDATED)
                else:
                    results.append(MergeResult.UNCHANGED)
                session.flush()
        return results

    @staticmethod
    def _check_quote(session: Session, claim: Claim) -> None:
        row = session.execute(
            select(DocumentRow.length,
                   func.substr(DocumentRow.text, claim.start + 1, claim.end - claim.start))
            .where(DocumentRow.id == claim.document_id)).first()
        if row is None:
            raise NotFoundError(f"no document {claim.document_id}")
        length, quote = row
        if not (0 <= claim.start < claim.end <= length):
            raise SpanError(f"span [{claim.start}, {claim.end}) outside the document "
                            f"(length {length})")
        if quote != claim.quote:
            raise SpanError(f"quote does not match the document text at [{claim.start}, "
                            f"{claim.end})")
