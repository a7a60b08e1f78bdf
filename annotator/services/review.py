"""Review of a project: comparing analysts, agreement, the gold layer, review
comments, review status and claim history.

Nothing here writes to the analysts' claims (``claims`` table): decisions and
gold claims live in their own tables (``adjudications``, ``gold_claims``), so
review can always be undone or redone without touching anyone's work. Each
change is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, literal, select
from sqlalchemy.orm import Session

from annotator.domain.codebook import Codebook
from annotator.domain.model import Claim
from annotator.domain.review import (
    Adjudication,
    Decision,
    HistoryEntry,
    ReviewComment,
    ReviewStatus,
)
from annotator.review import (
    Comparison,
    DocumentComparison,
    Matching,
    compare,
    compare_document,
)
from annotator.review.agreement import MISSING, streamed_agreement_report
from annotator.services.codebook import CodebookService
from annotator.services.project import NotFoundError, ProjectService, _claim, _fill
from annotator.services.provenance import shared_documents, titles
from annotator.storage.models import (
    AdjudicationRow,
    ClaimHistoryRow,
    ClaimRow,
    DocumentRow,
    GoldClaimRow,
    ReviewCommentRow,
    SourceRow,
)

#: Overlap matching at the review core's default measure and threshold.
DEFAULT_MATCHING = Matching()


class ClaimLabels(NamedTuple):
    """What agreement and span matching read of a claim: its span, analyst and
    labels. Read-only like a :class:`Claim` and with the same attribute names, but
    a tuple: building tens of thousands of them costs a fraction of as many
    frozen dataclasses (whose every field is set through ``object.__setattr__``)."""

    id: str
    document_id: str
    start: int
    end: int
    annotator: str
    stance: str | None
    source_reliability: str | None
    info_credibility: int | None
    claim_type: str | None
    likelihood: str | None
    confidence: str | None


def _labels_only(connection: Connection, document_id: str,
                 analysts: Sequence[str]) -> list[Claim]:
    """A document's claims by ``analysts`` with only what agreement reads (span,
    analyst, labels; no quote, note or context): the comparison of a large
    project is mostly reading these."""
    table = ClaimRow.__table__
    query = (select(table.c.id, literal(document_id), table.c.start, table.c.end,
                    table.c.annotator, table.c.stance, table.c.source_reliability,
                    table.c.info_credibility, table.c.claim_type, table.c.likelihood,
                    table.c.confidence)
             .where(table.c.document_id == document_id,
                    table.c.annotator.in_(list(analysts))))
    make = ClaimLabels._make
    return [make(row) for row in connection.execute(query)]  # type: ignore[misc]


def _documents_with_claims(connection: Connection,
                           analysts: Iterable[str] | None) -> list[str]:
    """Ids of the documents with a claim by one of ``analysts`` (anyone: None)."""
    query = select(ClaimRow.document_id).distinct().order_by(ClaimRow.document_id)
    if analysts is not None:
        query = query.where(ClaimRow.annotator.in_(list(analysts)))
    return list(connection.execute(query).scalars())


def compared_documents(connection: Connection, analysts: Sequence[str],
                       document_ids: Iterable[str] | None = None
                       ) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """The documents to compare (those with the analysts' claims, or
    ``document_ids``) that every analyst has, and (id, title) of those left out
    (see :mod:`annotator.services.provenance`)."""
    candidates = (sorted(set(document_ids)) if document_ids is not None
                  else _documents_with_claims(connection, analysts))
    kept, left = shared_documents(connection, analysts, candidates)
    names = titles(connection, left)
    return kept, tuple((doc, names.get(doc, "")) for doc in left)


def _compared(connection: Connection, analysts: Sequence[str], matching: Matching,
              documents: Iterable[str]) -> Iterator[DocumentComparison]:
    """Each of ``documents`` compared from labels only, one at a time."""
    for document_id in documents:
        yield compare_document(_labels_only(connection, document_id, analysts), analysts,
                               matching, document_id=document_id)


def agreement_on(connection: Connection, analysts: Sequence[str], codebook: Codebook,
                 matching: Matching = DEFAULT_MATCHING,
                 document_ids: Iterable[str] | None = None, *, per_document: bool = True,
                 unjudgeable: str = MISSING) -> dict[str, Any]:
    """The agreement report read through ``connection`` (inside a caller's read
    transaction, e.g. an export's snapshot): see :meth:`ReviewService.agreement`."""
    documents, left_out = compared_documents(connection, analysts, document_ids)
    return streamed_agreement_report(analysts, matching,
                                     _compared(connection, analysts, matching, documents),
                                     codebook, per_document=per_document,
                                     unjudgeable=unjudgeable, left_out=left_out)


def _adjudication(row: AdjudicationRow, gold: Claim | None) -> Adjudication:
    return Adjudication(id=row.id, document_id=row.document_id, decision=Decision(row.decision),
                        considered=tuple(row.considered), adjudicator=row.adjudicator,
                        created_at=row.created_at, span_from=row.span_from,
                        labels_from=row.labels_from, gold=gold)


def _comment(row: ReviewCommentRow) -> ReviewComment:
    return ReviewComment(row.id, row.claim_id, row.author, row.body, row.created_at)


class ReviewService:
    """Review operations on one project (shares its :class:`ProjectService`)."""

    def __init__(self, project: ProjectService) -> None:
        self.project = project
        self.database = project.database

    # Analysts' work ------------------------------------------------------------------

    def analysts(self) -> list[tuple[str, int]]:
        """Every analyst with a claim, and their number of claims, in name order."""
        query = (select(ClaimRow.annotator, func.count()).group_by(ClaimRow.annotator)
                 .order_by(ClaimRow.annotator))
        with self.database.reading() as session:
            return [(name, count) for name, count in session.execute(query)]

    def analyst_claims(self, document_ids: Iterable[str] | None = None,
                       analysts: Iterable[str] | None = None) -> list[Claim]:
        """The analysts' claims (never gold), of some documents and analysts."""
        if document_ids is not None:
            wanted = set(analysts) if analysts is not None else None
            return [claim for document_id in dict.fromkeys(document_ids)
                    for claim in self.project.claims(document_id)
                    if wanted is None or claim.annotator in wanted]
        with self.database.reading() as session:
            documents = _documents_with_claims(session.connection(), analysts)
        # Document by document through the fast Core reader (no ORM objects).
        return self.analyst_claims(documents, analysts)

    def compare(self, analysts: Sequence[str], matching: Matching = DEFAULT_MATCHING,
                document_ids: Iterable[str] | None = None) -> Comparison:
        ids = list(document_ids) if document_ids is not None else None
        claims = self.analyst_claims(ids, analysts)
        return compare(claims, analysts, matching, document_ids=ids)

    def compare_labels(self, analysts: Sequence[str],
                       matching: Matching = DEFAULT_MATCHING) -> Comparison:
        """:meth:`compare` over every document, from claims read with only their
        span, analyst and labels (no quote, note, source or context): enough for
        agreement figures and for finding disagreements, at a fraction of the cost.
        Compare a document again with :meth:`compare` to show or decide its units."""
        analysts = tuple(analysts)
        with self.database.reading() as session:
            connection = session.connection()
            documents, left_out = compared_documents(connection, analysts)
            return Comparison(analysts, matching, {
                compared.document_id: compared
                for compared in _compared(connection, analysts, matching, documents)},
                left_out)

    def agreement(self, analysts: Sequence[str], matching: Matching = DEFAULT_MATCHING,
                  document_ids: Iterable[str] | None = None, *,
                  codebook: Codebook | None = None, per_document: bool = True,
                  unjudgeable: str = MISSING) -> dict[str, Any]:
        """:func:`annotator.review.agreement_report` for these analysts, over every
        document with claims (or ``document_ids``). Documents are read and compared
        one at a time, so memory does not grow with the project."""
        codebook = codebook or CodebookService(self.database).codebook()
        with self.database.reading() as session:     # one snapshot for every document
            return agreement_on(session.connection(), analysts, codebook, matching,
                                document_ids, per_document=per_document,
                                unjudgeable=unjudgeable)

    # Gold layer -----------------------------------------------------------------------

    def gold_claims(self, document_id: str) -> list[Claim]:
        """The document's gold claims in text order."""
        query = (select(GoldClaimRow, SourceRow.name)
                 .outerjoin(SourceRow, SourceRow.id == GoldClaimRow.source_id)
                 .where(GoldClaimRow.document_id == document_id)
                 .order_by(GoldClaimRow.start, GoldClaimRow.end, GoldClaimRow.id))
        with self.database.reading() as session:
            return [_claim(row, name) for row, name in session.execute(query)]  # type: ignore[arg-type]

    def adjudications(self, document_id: str) -> list[Adjudication]:
        """The document's decisions, oldest first, each with its gold claim."""
        with self.database.reading() as session:
            rows = session.scalars(select(AdjudicationRow)
                                   .where(AdjudicationRow.document_id == document_id)
                                   .order_by(AdjudicationRow.created_at,
                                             AdjudicationRow.id)).all()
            gold = {row.adjudication_id: (row, name) for row, name in session.execute(
                select(GoldClaimRow, SourceRow.name)
                .outerjoin(SourceRow, SourceRow.id == GoldClaimRow.source_id)
                .where(GoldClaimRow.document_id == document_id))}
            result = []
            for row in rows:
                found = gold.get(row.id)
                result.append(_adjudication(row, _claim(*found) if found else None))  # type: ignore[arg-type]
            return result

    def adjudication(self, adjudication_id: str) -> Adjudication:
        with self.database.reading() as session:
            return self._adjudication(session, adjudication_id)

    def _adjudication(self, session: Session, adjudication_id: str) -> Adjudication:
        row = session.get(AdjudicationRow, adjudication_id)
        if row is None:
            raise NotFoundError(f"no adjudication {adjudication_id}")
        gold_row = session.scalar(select(GoldClaimRow).where(
            GoldClaimRow.adjudication_id == adjudication_id))
        gold = None
        if gold_row is not None:
            gold = _claim(gold_row, self.project._source_name(session,  # type: ignore[arg-type]
                                                              gold_row.source_id))
        return _adjudication(row, gold)

    def add_adjudication(self, adjudication: Adjudication) -> Adjudication:
        """Store a decision and its gold claim (also puts back a removed one, ids
        and times kept, for redo). Refused when one of its claims is already
        decided on: undo that decision first."""
        self.add_adjudications([adjudication])
        return adjudication

    def add_adjudications(self, adjudications: Sequence[Adjudication]) -> None:
        """Store many decisions in one transaction: all or none."""
        with self.database.writing() as session:
            decided: dict[str, set[str]] = {}
            for adjudication in adjudications:
                self._add(session, adjudication, decided)

    def _add(self, session: Session, adjudication: Adjudication,
             decided: dict[str, set[str]]) -> None:
        if adjudication.document_id not in decided:
            decided[adjudication.document_id] = self._decided(session, adjudication.document_id)
        taken = decided[adjudication.document_id]
        if any(claim_id in taken for claim_id in adjudication.considered):
            raise ValueError("a claim of this unit is already adjudicated; undo that "
                             "decision first")
        taken.update(adjudication.considered)
        if adjudication.gold is not None:
            self.project._check_quote(session, adjudication.gold)
        session.add(AdjudicationRow(
            id=adjudication.id, document_id=adjudication.document_id,
            decision=adjudication.decision.value, considered=list(adjudication.considered),
            span_from=adjudication.span_from, labels_from=adjudication.labels_from,
            adjudicator=adjudication.adjudicator, created_at=adjudication.created_at))
        session.flush()
        if adjudication.gold is not None:
            row = GoldClaimRow(id=adjudication.gold.id, adjudication_id=adjudication.id)
            session.add(_fill(row, adjudication.gold))  # type: ignore[arg-type]

    @staticmethod
    def _decided(session: Session, document_id: str) -> set[str]:
        decided: set[str] = set()
        for considered in session.scalars(select(AdjudicationRow.considered).where(
                AdjudicationRow.document_id == document_id)):
            decided.update(considered)
        return decided

    def decided_claims(self, document_id: str) -> set[str]:
        """Ids of the document's analysts' claims already decided on."""
        with self.database.reading() as session:
            return self._decided(session, document_id)

    def remove_adjudication(self, adjudication_id: str) -> Adjudication:
        """Take a decision back (with its gold claim); returns it, for redo."""
        (adjudication,) = self.remove_adjudications([adjudication_id])
        return adjudication

    def remove_adjudications(self, adjudication_ids: Sequence[str]) -> list[Adjudication]:
        """Take decisions back in one transaction; returns them as stored, for redo."""
        removed = []
        with self.database.writing() as session:
            for adjudication_id in adjudication_ids:
                removed.append(self._adjudication(session, adjudication_id))
                session.query(GoldClaimRow).filter(
                    GoldClaimRow.adjudication_id == adjudication_id).delete()
                session.query(AdjudicationRow).filter(
                    AdjudicationRow.id == adjudication_id).delete()
        return removed

    def update_gold(self, claim: Claim) -> Claim:
        """Replace a gold claim's span or labels (its provenance stays)."""
        return self.project.replace_row(GoldClaimRow, claim, "gold claim")  # type: ignore[arg-type]

    def gold_claim(self, claim_id: str) -> Claim:
        with self.database.reading() as session:
            row = session.get(GoldClaimRow, claim_id)
            if row is None:
                raise NotFoundError(f"no gold claim {claim_id}")
            return _claim(row, self.project._source_name(session, row.source_id))  # type: ignore[arg-type]

    # Comments -------------------------------------------------------------------------

    def comments(self, claim_id: str) -> list[ReviewComment]:
        with self.database.reading() as session:
            return [_comment(row) for row in session.scalars(
                select(ReviewCommentRow).where(ReviewCommentRow.claim_id == claim_id)
                .order_by(ReviewCommentRow.created_at, ReviewCommentRow.id))]

    def comments_for(self, author: str) -> list[tuple[ReviewComment, Claim]]:
        """Review comments on ``author``'s claims, newest first."""
        query = (select(ReviewCommentRow, ClaimRow, SourceRow.name)
                 .join(ClaimRow, ClaimRow.id == ReviewCommentRow.claim_id)
                 .outerjoin(SourceRow, SourceRow.id == ClaimRow.source_id)
                 .where(ClaimRow.annotator == author)
                 .order_by(ReviewCommentRow.created_at.desc(), ReviewCommentRow.id))
        with self.database.reading() as session:
            return [(_comment(comment), _claim(claim, name))
                    for comment, claim, name in session.execute(query)]

    def add_comment(self, comment: ReviewComment) -> ReviewComment:
        with self.database.writing() as session:
            if session.get(ClaimRow, comment.claim_id) is None:
                raise NotFoundError(f"no claim {comment.claim_id}")
            session.add(ReviewCommentRow(id=comment.id, claim_id=comment.claim_id,
                                         author=comment.author, body=comment.body,
                                         created_at=comment.created_at))
        return comment

    def merge_comments(self, comments: Iterable[ReviewComment]) -> int:
        """Add the comments not yet here (by id) whose claim is here; returns how many
        were added. One transaction."""
        added = 0
        with self.database.writing() as session:
            for comment in comments:
                if session.get(ReviewCommentRow, comment.id) is not None:
                    continue
                if session.get(ClaimRow, comment.claim_id) is None:
                    continue
                session.add(ReviewCommentRow(id=comment.id, claim_id=comment.claim_id,
                                             author=comment.author, body=comment.body,
                                             created_at=comment.created_at))
                added += 1
        return added

    def delete_comment(self, comment_id: str) -> ReviewComment:
        with self.database.writing() as session:
            row = session.get(ReviewCommentRow, comment_id)
            if row is None:
                raise NotFoundError(f"no review comment {comment_id}")
            comment = _comment(row)
            session.delete(row)
        return comment

    def comment_counts(self, document_id: str) -> dict[str, int]:
        """Claim id → number of review comments, for a document's claims."""
        query = (select(ReviewCommentRow.claim_id, func.count())
                 .join(ClaimRow, ClaimRow.id == ReviewCommentRow.claim_id)
                 .where(ClaimRow.document_id == document_id)
                 .group_by(ReviewCommentRow.claim_id))
        with self.database.reading() as session:
            return {claim_id: count for claim_id, count in session.execute(query)}

    # Review status ----------------------------------------------------------------------

    def review_status(self, document_id: str) -> ReviewStatus:
        with self.database.reading() as session:
            status = session.scalar(select(DocumentRow.review_status)
                                    .where(DocumentRow.id == document_id))
        if status is None:
            raise NotFoundError(f"no document {document_id}")
        return ReviewStatus(status)

    def set_review_status(self, document_id: str, status: ReviewStatus | str) -> ReviewStatus:
        """Set a document's review status; returns the previous one."""
        status = ReviewStatus(status)
        with self.database.writing() as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"no document {document_id}")
            previous, row.review_status = ReviewStatus(row.review_status), status.value
        return previous

    # History ------------------------------------------------------------------------------

    def history(self, claim_id: str) -> list[HistoryEntry]:
        """Earlier versions of a claim, oldest first."""
        with self.database.reading() as session:
            return [HistoryEntry(row.claim_id, row.updated_at, dict(row.record), row.recorded_at)
                    for row in session.scalars(
                        select(ClaimHistoryRow).where(ClaimHistoryRow.claim_id == claim_id)
                        .order_by(ClaimHistoryRow.updated_at))]

