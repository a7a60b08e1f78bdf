"""Undo commands for review: decisions, gold edits, review comments and review
status. They go on the main window's undo stack next to the labelling commands.

As there, a command whose change cannot be saved marks itself obsolete and the
stack drops it, so the stack never holds work that is not in the database.
None of them touches an analyst's claim.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from annotator.domain.review import Adjudication, Decision, ReviewComment, ReviewStatus
from annotator.ui.commands import short
from annotator.ui.controller import ChangeFailed
from annotator.ui.review_controller import ReviewController

_VERBS = {Decision.ACCEPT: "Accept", Decision.MERGE: "Merge", Decision.EDIT: "Edit",
          Decision.REJECT: "Reject"}


def decision_text(adjudication: Adjudication, quote: str = "") -> str:
    what = _VERBS[adjudication.decision]
    return f"{what} “{short(quote)}”" if quote else f"{what} claim"


class _ReviewCommand(QUndoCommand):
    def __init__(self, controller: ReviewController, text: str) -> None:
        super().__init__(text)
        self._controller = controller

    def _try(self, action, *args):  # type: ignore[no-untyped-def]
        try:
            return action(*args)
        except ChangeFailed:
            self.setObsolete(True)
            return None


class AdjudicateCommand(_ReviewCommand):
    """Store a decision and its gold claim; undo takes it back. A document still
    "unreviewed" becomes "in review" with its first decision (and back on undo)."""

    def __init__(self, controller: ReviewController, adjudication: Adjudication, *,
                 quote: str = "", document_status: ReviewStatus | None = None) -> None:
        super().__init__(controller, decision_text(adjudication, quote))
        self.adjudication = adjudication
        self._starts_review = document_status is ReviewStatus.UNREVIEWED

    def redo(self) -> None:
        try:
            self._controller.add_adjudication(self.adjudication)
            if self._starts_review:
                self._controller.set_review_status(self.adjudication.document_id,
                                                   ReviewStatus.IN_REVIEW)
        except ChangeFailed:
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            if self._starts_review:
                self._controller.set_review_status(self.adjudication.document_id,
                                                   ReviewStatus.UNREVIEWED)
            # Redo puts back exactly what was stored (gold edits made since included).
            self.adjudication = self._controller.remove_adjudication(self.adjudication.id)
        except ChangeFailed:
            self.setObsolete(True)


class AdjudicateManyCommand(_ReviewCommand):
    """Store many decisions in one transaction (Accept All Agreed Units); undo takes
    them all back in one. The document's first decision starts its review."""

    def __init__(self, controller: ReviewController, adjudications: list[Adjudication],
                 text: str, *, document_status: ReviewStatus | None = None) -> None:
        super().__init__(controller, text)
        self.adjudications = adjudications
        self._starts_review = document_status is ReviewStatus.UNREVIEWED

    def redo(self) -> None:
        try:
            self._controller.add_adjudications(self.adjudications)
            if self._starts_review:
                self._controller.set_review_status(self.adjudications[0].document_id,
                                                   ReviewStatus.IN_REVIEW)
        except ChangeFailed:
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            if self._starts_review:
                self._controller.set_review_status(self.adjudications[0].document_id,
                                                   ReviewStatus.UNREVIEWED)
            self.adjudications = self._controller.remove_adjudications(
                [a.id for a in self.adjudications])
        except ChangeFailed:
            self.setObsolete(True)


class TakeBackDecisionCommand(_ReviewCommand):
    """Remove a decision (and its gold claim) so the unit can be decided again."""

    def __init__(self, controller: ReviewController, adjudication: Adjudication,
                 quote: str = "") -> None:
        super().__init__(controller, f"Take back decision on “{short(quote)}”" if quote
                         else "Take back decision")
        self.adjudication = adjudication

    def redo(self) -> None:
        removed = self._try(self._controller.remove_adjudication, self.adjudication.id)
        if removed is not None:
            self.adjudication = removed

    def undo(self) -> None:
        self._try(self._controller.add_adjudication, self.adjudication)


class AddCommentCommand(_ReviewCommand):
    def __init__(self, controller: ReviewController, comment: ReviewComment) -> None:
        super().__init__(controller, f"Comment “{short(comment.body)}”")
        self.comment = comment

    def redo(self) -> None:
        self._try(self._controller.add_comment, self.comment)

    def undo(self) -> None:
        self._try(self._controller.delete_comment, self.comment.id)


class DeleteCommentCommand(_ReviewCommand):
    def __init__(self, controller: ReviewController, comment: ReviewComment) -> None:
        super().__init__(controller, f"Delete comment “{short(comment.body)}”")
        self.comment = comment

    def redo(self) -> None:
        self._try(self._controller.delete_comment, self.comment.id)

    def undo(self) -> None:
        self._try(self._controller.add_comment, self.comment)


class SetReviewStatusCommand(_ReviewCommand):
    def __init__(self, controller: ReviewController, document_id: str, before: ReviewStatus,
                 after: ReviewStatus) -> None:
        super().__init__(controller, f"Mark document {after.title.lower()}")
        self.document_id, self.before, self.after = document_id, before, after

    def redo(self) -> None:
        self._try(self._controller.set_review_status, self.document_id, self.after)

    def undo(self) -> None:
        self._try(self._controller.set_review_status, self.document_id, self.before)
