"""Reading and changing one project's documents and claims."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from itertools import islice
from operator import itemgetter, le
from pathlib import Path
from typing import Any

from sqlalchemy import (
    String,
    cast,
    delete,
    func,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from annotator.domain.anchoring import reanchor
from annotator.domain.lazy_claims import LazyClaims
from annotator.domain.model import (
    CONTEXT_CHARS,
    DOCUMENT_STATUSES,
    Claim,
    Document,
    DocumentInfo,
    Source,
    SourceSummary,
    SpanError,
    span_context,
    utc_now,
)
from annotator.services import merging
from annotator.services.codebook import CodebookService
from annotator.services.counts import claim_counts
from annotator.services.document_batch import document_row, newest_version
from annotator.storage.database import Database, open_database
from annotator.storage.errors import ClaimConflictError, ProjectAccessError, not_yours
from annotator.storage.models import ClaimRow, DocumentRow, SourceRow


class NotFoundError(LookupError):
    pass


class MergeResult(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def _document(row: DocumentRow) -> Document:
    return Document(id=row.id, sha256=row.sha256, title=row.title, text=row.text,
                    source=row.source, published=row.published, metadata=dict(row.meta),
                    created_at=row.created_at, origin=row.origin,
                    previous_id=row.previous_id)


def _claim(row: ClaimRow, source_name: str | None = None) -> Claim:
    return Claim(
        id=row.id, document_id=row.document_id, start=row.start, end=row.end,
        quote=row.quote, prefix=row.prefix, suffix=row.suffix, proposition=row.proposition,
        stance=row.stance, source_reliability=row.source_reliability,
        info_credibility=row.info_credibility, note=row.note, tags=tuple(row.tags),
        annotator=row.annotator, created_at=row.created_at, updated_at=row.updated_at,
        claim_type=row.claim_type, source_id=row.source_id, source_name=source_name or "",
        likelihood=row.likelihood, confidence=row.confidence,
        codebook_version=row.codebook_version, version=row.version,
    )


def _timestamp(value: object) -> datetime:
    """A stored timestamp (naive UTC; a string on SQLite) as an aware UTC datetime."""
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


#: Columns read by :meth:`ProjectService.claims`, in this order (then the context
#: columns, when the text is not given, then the source's name). Timestamps and tags
#: come back as the stored strings and are parsed here: SQLAlchemy's per-value
#: processing would cost more than the rest of opening a large document.
_FAST_COLUMNS = ("id", "start", "end", "proposition", "stance", "source_reliability",
                 "info_credibility", "note", "tags", "annotator", "created_at", "updated_at",
                 "claim_type", "source_id", "likelihood", "confidence", "codebook_version",
                 "version")
_CONTEXT_COLUMNS = ("quote", "prefix", "suffix")
_RAW = frozenset({"tags", "created_at", "updated_at"})


def _tags(value: object) -> tuple[str, ...]:
    if value == "[]":
        return ()
    return tuple(json.loads(value) if isinstance(value, str) else value)  # type: ignore[arg-type]


def _claim_maker(document_id: str, text: str | None,
                 sources: dict[str, str]) -> Callable[[Sequence[Any]], Claim]:
    """Makes a claim from a row of :data:`_FAST_COLUMNS` (then the context columns
    when ``text`` is None; with ``text``, quote and context are cut from it);
    ``sources`` names the sources by id. Kept tight: a document may hold 10,000
    claims."""
    n = CONTEXT_CHARS
    stamp = _timestamp

    def make(row: Sequence[Any]) -> Claim:
        (key, start, end, proposition, stance, reliability, credibility, note, tags,
         annotator, created, updated, claim_type, source_id, likelihood, confidence,
         codebook_version, version) = row[:18]
        if text is None:
            quote, prefix, suffix = row[18:]
        else:
            quote, prefix, suffix = (text[start:end], text[start - n if start > n else 0:start],
                                     text[end:end + n])
        created_at = stamp(created)
        return Claim(key, document_id, start, end, quote, prefix, suffix, proposition, stance,
                     reliability, credibility, note, () if tags == "[]" else _tags(tags),
                     annotator, created_at, created_at if updated == created else stamp(updated),
                     claim_type, source_id, sources.get(source_id) or "" if source_id else "",
                     likelihood, confidence, codebook_version, version)

    return make


def _source(row: SourceRow) -> Source:
    return Source(id=row.id, name=row.name, kind=row.kind, reliability=row.reliability,
                  note=row.note, created_at=row.created_at)


_CLAIM_FIELDS = ("document_id", "start", "end", "quote", "prefix", "suffix", "proposition",
                 "stance", "source_reliability", "info_credibility", "note", "annotator",
                 "created_at", "updated_at", "claim_type", "source_id", "likelihood",
                 "confidence", "codebook_version")


def _fill(row: ClaimRow, claim: Claim) -> ClaimRow:
    for name in _CLAIM_FIELDS:
        setattr(row, name, getattr(claim, name))
    row.stance = str(claim.stance) if claim.stance else None
    row.tags = list(claim.tags)
    return row


def _name_key(name: str) -> str:
    """A source name for sorting and matching: case and accents aside."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _source_named(session: Session, name: str) -> SourceRow | None:
    """The source whose name equals ``name`` but for case (compared here: SQLite's
    lower() knows only ASCII, PostgreSQL's all of Unicode)."""
    wanted = name.casefold()
    for source_id, stored in session.execute(select(SourceRow.id, SourceRow.name)):
        if stored.casefold() == wanted:
            return session.get(SourceRow, source_id)
    return None


def _claims_query():  # type: ignore[no-untyped-def]
    return (select(ClaimRow, SourceRow.name)
            .outerjoin(SourceRow, SourceRow.id == ClaimRow.source_id))


@dataclass(frozen=True, slots=True)
class VersionReport:
    """A new version: its claims moved over (before, after, how) and those that
    could not be placed (left on the old version)."""

    document: Document
    moved: list[tuple[Claim, Claim, str]]
    unplaced: list[Claim]


@dataclass(frozen=True, slots=True)
class AddedDocument:
    document: Document
    created: bool


class ProjectService:
    """One project: documents (text stored once, never changed) and their claims."""

    #: How many document texts are kept to check quotes without reading them again.
    TEXT_CACHE = 4
    #: How many claims :meth:`merge_claims` looks up and writes at a time.
    MERGE_BATCH = 500

    def __init__(self, database: Database) -> None:
        self.database = database
        self._texts: OrderedDict[str, str] = OrderedDict()

    def _remember(self, document: Document) -> None:
        self._texts[document.id] = document.text
        self._texts.move_to_end(document.id)
        while len(self._texts) > self.TEXT_CACHE:
            self._texts.popitem(last=False)

    @classmethod
    def open(cls, location: str | Path, *, create: bool = False,
             busy_timeout: float | None = None, read_only: bool = False,
             back_up: bool = True) -> ProjectService:
        """Open the project at ``location``; ``read_only`` for work that only reads
        it, ``back_up=False`` for a temporary copy, which needs no backup before a
        schema upgrade (see :func:`~annotator.storage.database.open_database`)."""
        kwargs = {} if busy_timeout is None else {"busy_timeout": busy_timeout}
        return cls(open_database(location, create=create, read_only=read_only,
                                 back_up=back_up, **kwargs))

    @property
    def location(self) -> str:
        return self.database.where

    def close(self) -> None:
        self.database.close()

    # Documents ---------------------------------------------------------------

    def documents(self, *, annotators: Collection[str] | None = None) -> list[DocumentInfo]:
        """Every document with its claims counted: all of them, or only those of
        ``annotators`` (whose work the analyst chose to see)."""
        successor = aliased(DocumentRow)
        with self.database.reading() as session:
            counts = claim_counts(CodebookService.load(session), annotators).subquery()
            query = (select(DocumentRow.id, DocumentRow.sha256, DocumentRow.title,
                            DocumentRow.source, DocumentRow.published,
                            func.coalesce(counts.c.n, 0), DocumentRow.status,
                            func.coalesce(counts.c.incomplete, 0), DocumentRow.previous_id,
                            DocumentRow.id.in_(select(successor.previous_id).where(
                                successor.previous_id.is_not(None))),
                            DocumentRow.review_status)
                     .outerjoin(counts, counts.c.document_id == DocumentRow.id)
                     .order_by(DocumentRow.created_at, DocumentRow.title))
            return [DocumentInfo(*row) for row in session.execute(query)]

    def document(self, document_id: str) -> Document:
        with self.database.reading() as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"no document {document_id}")
            document = _document(row)
        self._remember(document)
        return document

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
            session.add(document_row(document))
        self._remember(document)
        return AddedDocument(document, created=True)

    def current_version(self, origin: str) -> Document | None:
        """The newest version of the document imported from ``origin``."""
        if not origin:
            return None
        with self.database.reading() as session:
            row = session.scalar(newest_version(origin))
            return None if row is None else _document(row)

    def add_version(self, previous_id: str, document: Document) -> VersionReport:
        """Store ``document`` as the new version of ``previous_id`` and carry the old
        version's claims over, re-anchored on quote and context (exact, then fuzzy).
        Claims that cannot be placed stay on the old version, listed in the report
        for the analyst: nothing is dropped. One transaction."""
        document = dataclasses.replace(document, previous_id=previous_id)
        with self.database.writing() as session:
            old = session.get(DocumentRow, previous_id)
            if old is None:
                raise NotFoundError(f"no document {previous_id}")
            if session.scalar(select(DocumentRow.id).where(
                    DocumentRow.sha256 == document.sha256)) is not None:
                raise ValueError("that text is already in the project")
            row = document_row(document)        # previous_id: set above
            row.status = old.status
            session.add(row)
            session.flush()
            rows = list(session.scalars(select(ClaimRow).where(
                ClaimRow.document_id == previous_id).order_by(ClaimRow.start)))
            placements = reanchor([_claim(r) for r in rows], document.text, old.text)
            moved, unplaced = [], []
            for row, placement in zip(rows, placements, strict=True):
                before = _claim(row, self._source_name(session, row.source_id))
                if placement.start is None or placement.end is None:
                    unplaced.append(before)
                    continue
                after = dataclasses.replace(
                    before, document_id=document.id, start=placement.start,
                    end=placement.end,
                    **span_context(document.text, placement.start, placement.end))
                _fill(row, after)
                moved.append((before, after, placement.method.value))
        self._remember(document)
        return VersionReport(document, moved, unplaced)

    def unplaced_claims(self) -> list[tuple[Claim, str]]:
        """Claims left on a document that a newer version replaced (re-anchoring
        could not place them), each with the id of the newest version."""
        successor = aliased(DocumentRow)
        query = (_claims_query().join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
                 .join(successor, successor.previous_id == DocumentRow.id)
                 .add_columns(successor.id).order_by(DocumentRow.created_at, ClaimRow.start))
        with self.database.reading() as session:
            found = [(_claim(row, name), newer) for row, name, newer in session.execute(query)]
        result = []
        for claim, newer in found:
            while True:   # follow the chain to the newest version
                with self.database.reading() as session:
                    nxt = session.scalar(select(DocumentRow.id).where(
                        DocumentRow.previous_id == newer))
                if nxt is None:
                    break
                newer = nxt
            result.append((claim, newer))
        return result

    def update_document_details(self, document_id: str, *, title: str, source: str,
                                published: str, publisher: str) -> Document:
        """Edit what the analyst may edit about a document (never its text)."""
        with self.database.writing() as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"no document {document_id}")
            row.title, row.source, row.published = title.strip() or row.title, source, published
            meta = dict(row.meta)
            if publisher:
                meta["publisher"] = publisher
            else:
                meta.pop("publisher", None)
            row.meta = meta
            return _document(row)

    def set_document_status(self, document_id: str, status: str) -> str:
        """Set a document's status (new, in_progress, done); return the previous one."""
        if status not in DOCUMENT_STATUSES:
            raise ValueError(f"status must be one of {', '.join(DOCUMENT_STATUSES)}")
        with self.database.writing() as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"no document {document_id}")
            previous, row.status = row.status, status
        return previous

    # Claims ------------------------------------------------------------------

    def claims(self, document_id: str, text: str | None = None, *,
               annotators: Collection[str] | None = None) -> list[Claim]:
        """A document's claims in text order (only ``annotators``' when given). Given
        the document's ``text``, quotes and context are cut from it instead of read
        (they are equal by construction: every write checks the quote against the
        text)."""
        rows, _spans, make = self._claim_rows(document_id, text, annotators)
        return [make(row) for row in rows]

    def claims_lazily(self, document_id: str, text: str, *,
                      annotators: Collection[str] | None = None) -> LazyClaims:
        """:meth:`claims`, each claim made only when first used (opening a document
        with 10,000 claims shows a few dozen)."""
        rows, spans, make = self._claim_rows(document_id, text, annotators)
        return LazyClaims(rows, _FAST_COLUMNS, make, spans)

    def _claim_rows(self, document_id: str, text: str | None,
                    annotators: Collection[str] | None = None) -> tuple[
            list[Sequence[Any]], list[tuple[int, int, str]], Callable[[Sequence[Any]], Claim]]:
        """The rows of a document's claims in text order, their ``(start, end,
        id)``, and what makes a claim of a row. Read with Core rather than the ORM:
        opening a document with 10,000 claims must stay quick."""
        table = ClaimRow.__table__
        raw = self.database.is_sqlite
        names = _FAST_COLUMNS + (() if text is not None else _CONTEXT_COLUMNS)
        # On a team server the tags come as text too (jsonb would be decoded per row).
        columns = [type_coerce(table.c[name], String) if raw and name in _RAW
                   else cast(table.c[name], String) if name == "tags"
                   else table.c[name] for name in names]
        # Ordered by the index on (document_id, start) only, with no join: a sort on
        # (end, id) in SQLite and the join with sources cost more than sorting the
        # rows here and looking the few sources up in a dict.
        query = select(*columns).where(table.c.document_id == document_id) \
            .order_by(table.c.start)
        if annotators is not None:
            query = query.where(table.c.annotator.in_(sorted(annotators)))
        with self.database.reading() as session:
            connection = session.connection()
            rows: list[Sequence[Any]] = list(connection.execute(query).all())   # Core: no ORM
            sources = dict(connection.execute(select(SourceRow.id, SourceRow.name)).all()) \
                if any(map(itemgetter(13), rows)) else {}   # source_id
        spans = list(map(itemgetter(1, 2, 0), rows))
        if not all(map(le, spans, islice(spans, 1, None))):   # claims sharing a start
            rows.sort(key=itemgetter(1, 2, 0))
            spans.sort()
        return rows, spans, _claim_maker(document_id, text, sources)

    def claim(self, claim_id: str) -> Claim:
        with self.database.reading() as session:
            found = session.execute(_claims_query().where(ClaimRow.id == claim_id)).first()
            if found is None:
                raise NotFoundError(f"no claim {claim_id}")
            return _claim(*found)

    def claim_count(self, *, annotators: Collection[str] | None = None) -> int:
        """How many claims the project holds (only ``annotators``' when given)."""
        query = select(func.count()).select_from(ClaimRow)
        if annotators is not None:
            query = query.where(ClaimRow.annotator.in_(sorted(annotators)))
        with self.database.reading() as session:
            return session.scalar(query) or 0

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
        return dataclasses.replace(claim, version=1)      # a stored claim's first version

    def add_claims(self, claims: Iterable[Claim]) -> int:
        """Store many new claims in one transaction; all or none."""
        count = 0
        with self.database.writing() as session:
            for claim in claims:
                session.add(_fill(ClaimRow(id=claim.id), claim))
                count += 1
        return count

    def update_claim(self, claim: Claim) -> Claim:
        """Replace the stored claim with the same id by ``claim``; returns it as
        stored (with its new version). See :meth:`replace_row`."""
        return self.replace_row(ClaimRow, claim, "claim")

    def replace_row(self, table: type[ClaimRow], claim: Claim, kind: str) -> Claim:
        """Replace the row of ``table`` (analysts' claims, or the gold layer's, which
        have the same columns) with ``claim``'s id by ``claim``; a moved span is
        checked against the text first. Returns the claim as stored (its version
        one up).

        ``claim.version`` is the version the edit was made on (0: unknown, for a
        claim not read from the project). When someone saved the claim since,
        :class:`ClaimConflictError` (with both versions) is raised and nothing is
        saved: checked here, and by the ``UPDATE ... WHERE version = ?`` itself
        for a save that lands between the read and the write."""
        try:
            with self.database.writing() as session:
                row = session.get(table, claim.id)
                if row is None:
                    raise NotFoundError(f"no {kind} {claim.id}")
                if claim.version and row.version != claim.version:
                    raise self._conflict(session, row, claim, kind)
                if (row.start, row.end, row.document_id) != (claim.start, claim.end,
                                                              claim.document_id):
                    self._check_quote(session, claim)
                _fill(row, claim)
                session.flush()
                version = row.version
        except ProjectAccessError as error:
            if not isinstance(error.__cause__, StaleDataError):
                raise
            # The version changed between the read and the write (or, on a team
            # server, the row is not this analyst's to change: then it did not).
            with self.database.reading() as session:
                row = session.get(table, claim.id)
                if row is None:
                    raise NotFoundError(f"no {kind} {claim.id} (deleted meanwhile)") \
                        from None
                if claim.version and row.version != claim.version:
                    raise self._conflict(session, row, claim, kind) from None
            raise
        return dataclasses.replace(claim, version=version)

    def _conflict(self, session: Session, row: ClaimRow, yours: Claim,
                  kind: str) -> ClaimConflictError:
        stored = _claim(row, self._source_name(session, row.source_id))
        who = f" by {stored.annotator}" if stored.annotator and kind == "claim" else ""
        return ClaimConflictError(
            f"the {kind} was changed meanwhile{who} (stored version {row.version}; your "
            f"edit was made on version {yours.version}); your edit was not saved",
            stored=stored, yours=yours, stored_version=row.version,
            your_version=yours.version, kind=kind)

    def delete_claim(self, claim_id: str, version: int = 0) -> Claim:
        """Delete a claim; ``version`` is the one the analyst saw (0: unknown). A
        claim saved since (by a colleague) is not deleted: :class:`ClaimConflictError`,
        also when the save lands between the read and the ``DELETE ... WHERE version``."""
        with self.database.writing() as session:
            row = session.get(ClaimRow, claim_id)
            if row is None:
                raise NotFoundError(f"no claim {claim_id}")
            claim = _claim(row, self._source_name(session, row.source_id))
            session.expunge(row)
            if not version or row.version == version:
                where = [ClaimRow.id == claim_id] + ([ClaimRow.version == version]
                                                     if version else [])
                deleted = session.execute(delete(ClaimRow).where(*where))
                if deleted.rowcount == 1:      # type: ignore[attr-defined]
                    return claim
                row = session.get(ClaimRow, claim_id)   # saved meanwhile, or not ours
            if row is None or not version or row.version == version:
                raise not_yours(self.database.where)
            raise self._conflict(session, row, dataclasses.replace(claim, version=version),
                                 "claim")

    def merge_claims(self, claims: Iterable[Claim]) -> list[MergeResult]:
        """Add claims that are new, update those whose incoming edit is newer, in one
        transaction. Callers check quotes against the text before.

        The version that loses (the stored one when the incoming edit is newer, the
        incoming one when it is older) is kept in the claim's history, once: merging
        the same claims again changes nothing. Claims are looked up and written
        :data:`MERGE_BATCH` at a time (a few round trips per batch, not per claim: on
        a team server each costs the network's latency); see :mod:`merging`."""
        return merging.merge_claims(self, claims, self.MERGE_BATCH)

    def reassign_claims(self, old: str, new: str, *,
                        claim_ids: Collection[str] | None = None) -> dict[str, datetime]:
        """Record ``old``'s claims (only those of ``claim_ids`` when given) as
        ``new``'s, each marked changed now, in one transaction: an analyst who renamed
        themselves carries their work along. Gold claims, decisions, comments and
        claims' history keep the names they were made under. Returns the ids of the
        claims reassigned, each with when it was changed before (what
        :meth:`restore_claim_authors` puts back)."""
        if not old or not new:
            raise ValueError("an analyst's name is needed to reassign claims")
        query = select(ClaimRow.id, ClaimRow.updated_at).where(ClaimRow.annotator == old)
        with self.database.writing() as session:
            found = {key: _timestamp(stamp) for key, stamp in session.execute(query)
                     if claim_ids is None or key in claim_ids}
            ids = sorted(found)
            now = utc_now()
            for chunk in range(0, len(ids), 500):      # bound the statement's size
                session.execute(update(ClaimRow)
                                .where(ClaimRow.id.in_(ids[chunk:chunk + 500]))
                                .values(annotator=new, updated_at=now))
        return found

    def restore_claim_authors(self, author: str, changed: Mapping[str, datetime]) -> list[str]:
        """Undo of :meth:`reassign_claims`: the claims of ``changed`` (its answer)
        are ``author``'s again, with the times they were changed before, in one
        transaction. Returns the ids of the claims put back (those still stored)."""
        restored = []
        with self.database.writing() as session:
            for claim_id, stamp in sorted(changed.items()):
                row = session.get(ClaimRow, claim_id)
                if row is not None:
                    row.annotator, row.updated_at = author, stamp
                    restored.append(claim_id)
        return restored

    # Sources -------------------------------------------------------------------

    @staticmethod
    def _source_name(session: Session, source_id: str | None) -> str:
        if source_id is None:
            return ""
        return session.scalar(select(SourceRow.name).where(SourceRow.id == source_id)) or ""

    def sources(self) -> list[SourceSummary]:
        """Every source with its number of claims, by name."""
        counts = (select(ClaimRow.source_id, func.count().label("n"))
                  .group_by(ClaimRow.source_id).subquery())
        query = (select(SourceRow, func.coalesce(counts.c.n, 0))
                 .outerjoin(counts, counts.c.source_id == SourceRow.id))
        with self.database.reading() as session:
            found = [SourceSummary(_source(row), n) for row, n in session.execute(query)]
        # Sorted here, not by the database: SQLite and a team server's collation differ.
        return sorted(found, key=lambda s: (_name_key(s.source.name), s.source.name))

    def source(self, source_id: str) -> Source:
        with self.database.reading() as session:
            row = session.get(SourceRow, source_id)
            if row is None:
                raise NotFoundError(f"no source {source_id}")
            return _source(row)

    def source_named(self, name: str) -> Source | None:
        name = " ".join(name.split())
        with self.database.reading() as session:
            row = _source_named(session, name)
            return None if row is None else _source(row)

    def add_source(self, source: Source) -> Source:
        """Store a new source, or return the existing one of the same name."""
        if not source.name:
            raise ValueError("a source needs a name")
        with self.database.writing() as session:
            row = _source_named(session, source.name)
            if row is not None:
                return _source(row)
            session.add(SourceRow(id=source.id, name=source.name, kind=source.kind,
                                  reliability=source.reliability, note=source.note,
                                  created_at=source.created_at))
        return source

    def update_source(self, source: Source) -> Source:
        with self.database.writing() as session:
            row = session.get(SourceRow, source.id)
            if row is None:
                raise NotFoundError(f"no source {source.id}")
            row.name, row.kind, row.reliability, row.note = (
                source.name, source.kind, source.reliability, source.note)
        return source

    def grade_source(self, source_id: str, grade: str | None, *,
                     analyst: str | None = None) -> list[tuple[Claim, Claim]]:
        """Set a source's reliability and pre-fill it on the source's claims that have
        no grade yet (claims already graded keep theirs) -- only ``analyst``'s claims
        when given, so grading never changes a colleague's work. Returns the changed
        claims as (before, after) pairs, in one transaction."""
        changed: list[tuple[Claim, Claim]] = []
        with self.database.writing() as session:
            row = session.get(SourceRow, source_id)
            if row is None:
                raise NotFoundError(f"no source {source_id}")
            row.reliability = grade
            if grade is not None:
                query = select(ClaimRow).where(ClaimRow.source_id == source_id,
                                               ClaimRow.source_reliability.is_(None))
                if analyst is not None:
                    query = query.where(ClaimRow.annotator.in_([analyst, ""]))
                rows = []
                for claim_row in session.scalars(query):
                    before = _claim(claim_row, row.name)
                    _fill(claim_row, before.edited(source_reliability=grade))
                    rows.append((before, claim_row))
                session.flush()        # the versions go up
                changed = [(before, _claim(claim_row, row.name)) for before, claim_row in rows]
        return changed

    def restore_source_grade(self, source: Source, claims: Iterable[Claim]) -> list[Claim]:
        """Undo of :meth:`grade_source`: put the source's grade and the claims it
        pre-filled back as they were, in one transaction. Returns the claims as
        they were stored just before (each save raised their version by one)."""
        replaced: list[Claim] = []
        with self.database.writing() as session:
            row = session.get(SourceRow, source.id)
            if row is None:
                raise NotFoundError(f"no source {source.id}")
            row.reliability = source.reliability
            for claim in claims:
                claim_row = session.get(ClaimRow, claim.id)
                if claim_row is None or claim_row.source_id != source.id:
                    continue
                replaced.append(_claim(claim_row, row.name))
                _fill(claim_row, claim)
        return replaced

    def claims_by_source(self, source_id: str) -> list[tuple[Claim, str]]:
        """A source's claims across all documents, with each document's title."""
        query = (select(ClaimRow, SourceRow.name, DocumentRow.title)
                 .join(DocumentRow, DocumentRow.id == ClaimRow.document_id)
                 .outerjoin(SourceRow, SourceRow.id == ClaimRow.source_id)
                 .where(ClaimRow.source_id == source_id)
                 .order_by(DocumentRow.created_at, ClaimRow.start))
        with self.database.reading() as session:
            return [(_claim(row, name), title) for row, name, title in session.execute(query)]

    def _check_quote(self, session: Session, claim: Claim) -> None:
        """Refuse a claim whose quote is not the text at its offsets. Texts never
        change after import, so a cached text is as good as the stored one."""
        text = self._texts.get(claim.document_id)
        if text is not None:
            if not 0 <= claim.start < claim.end <= len(text):
                raise SpanError(f"span [{claim.start}, {claim.end}) outside the document "
                                f"(length {len(text)})")
            if text[claim.start:claim.end] != claim.quote:
                raise SpanError(f"quote does not match the document text at [{claim.start}, "
                                f"{claim.end})")
            return
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
