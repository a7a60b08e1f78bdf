"""The UI's door to review: wraps :class:`ReviewService` for the widgets.

Like :class:`~annotator.ui.controller.ProjectController`, each change is
committed before it is announced: a signal means "saved". Reads pass straight
through. Nothing here can change an analyst's claim: the review service only
writes decisions, gold claims, comments and review status.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.domain.codebook import Codebook
from annotator.domain.model import Claim
from annotator.domain.review import Adjudication, HistoryEntry, ReviewComment, ReviewStatus
from annotator.review import Comparison, Matching, agreement_report
from annotator.services.review import ReviewService
from annotator.ui.controller import GuardedController


class ReviewController(GuardedController):
    """Signals:
        adjudication_added(Adjudication): a decision (and its gold claim) was stored.
        adjudication_removed(Adjudication): a decision was taken back.
        adjudications_changed(list, list): many decisions stored and taken back at
            once (added, removed), as one change.
        gold_changed(Claim, Claim): a gold claim changed from the first to the second.
        claim_conflict(Claim): a gold claim edit was made on an older version than
            the stored one (given), so it was not saved (``failed`` says so, with
            both versions), as for analysts' claims.
        comment_added(ReviewComment) / comment_removed(ReviewComment).
        review_status_changed(str, ReviewStatus): a document's id and its new status.
        saved(datetime): the moment the last change was committed.
        failed(str): a change could not be saved; the message is for the user.
    """

    adjudication_added = Signal(object)
    adjudication_removed = Signal(object)
    adjudications_changed = Signal(object, object)
    gold_changed = Signal(object, object)
    claim_conflict = Signal(object)
    comment_added = Signal(object)
    comment_removed = Signal(object)
    review_status_changed = Signal(str, object)
    saved = Signal(object)
    failed = Signal(str)

    def __init__(self, service: ReviewService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service

    # Reads ------------------------------------------------------------------------------

    def analysts(self) -> list[tuple[str, int]]:
        return self.service.analysts()

    def compare(self, analysts: Sequence[str], matching: Matching,
                document_ids: Iterable[str] | None = None) -> Comparison:
        return self.service.compare(analysts, matching, document_ids)

    def compare_labels(self, analysts: Sequence[str], matching: Matching) -> Comparison:
        return self.service.compare_labels(analysts, matching)

    @staticmethod
    def agreement_of(comparison: Comparison, codebook: Codebook) -> dict[str, Any]:
        """:meth:`ReviewService.agreement`'s report, from a comparison already made."""
        return agreement_report(comparison, codebook)

    def gold_claims(self, document_id: str) -> list[Claim]:
        return self.service.gold_claims(document_id)

    def adjudications(self, document_id: str) -> list[Adjudication]:
        return self.service.adjudications(document_id)

    def decided_claims(self, document_id: str) -> set[str]:
        return self.service.decided_claims(document_id)

    def comments(self, claim_id: str) -> list[ReviewComment]:
        return self.service.comments(claim_id)

    def history(self, claim_id: str) -> list[HistoryEntry]:
        return self.service.history(claim_id)

    def comments_for(self, author: str) -> list[tuple[ReviewComment, Claim]]:
        return self.service.comments_for(author)

    def comment_counts(self, document_id: str) -> dict[str, int]:
        return self.service.comment_counts(document_id)

    def review_status(self, document_id: str) -> ReviewStatus:
        return self.service.review_status(document_id)

    # Changes ----------------------------------------------------------------------------

    def add_adjudication(self, adjudication: Adjudication) -> Adjudication:
        stored = self._guard(self.service.add_adjudication, adjudication)
        self.adjudication_added.emit(stored)
        self._announce_saved()
        return stored

    def add_adjudications(self, adjudications: list[Adjudication]) -> None:
        """Many decisions in one transaction (one announcement)."""
        self._guard(self.service.add_adjudications, adjudications)
        self.adjudications_changed.emit(list(adjudications), [])
        self._announce_saved()

    def remove_adjudications(self, adjudication_ids: list[str]) -> list[Adjudication]:
        removed = self._guard(self.service.remove_adjudications, adjudication_ids)
        self.adjudications_changed.emit([], removed)
        self._announce_saved()
        return removed

    def remove_adjudication(self, adjudication_id: str) -> Adjudication:
        removed = self._guard(self.service.remove_adjudication, adjudication_id)
        self.adjudication_removed.emit(removed)
        self._announce_saved()
        return removed

    def update_gold(self, claim: Claim) -> Claim:
        before = self._guard(self.service.gold_claim, claim.id)
        stored = self.know(self._guard(self.service.update_gold, self._known(claim)))
        self.gold_changed.emit(before, stored)
        self._announce_saved()
        return stored

    def add_comment(self, comment: ReviewComment) -> ReviewComment:
        stored = self._guard(self.service.add_comment, comment)
        self.comment_added.emit(stored)
        self._announce_saved()
        return stored

    def delete_comment(self, comment_id: str) -> ReviewComment:
        removed = self._guard(self.service.delete_comment, comment_id)
        self.comment_removed.emit(removed)
        self._announce_saved()
        return removed

    def set_review_status(self, document_id: str, status: ReviewStatus) -> ReviewStatus:
        previous = self._guard(self.service.set_review_status, document_id, status)
        self.review_status_changed.emit(document_id, ReviewStatus(status))
        self._announce_saved()
        return previous
