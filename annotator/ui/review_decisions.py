"""The reviewer's decisions on the current unit (accept, merge, edit, reject,
take back, accept all agreed), gold edits, review status and comments, with
their actions in the Review menu. Each decision is one undo command on the
window's stack (:mod:`annotator.ui.review_commands`); none changes an
analyst's claim."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDialog, QMenu

from annotator.domain.model import Claim
from annotator.domain.review import (
    Adjudication,
    Decision,
    ReviewComment,
    ReviewStatus,
    adjudicate,
)
from annotator.review import Unit
from annotator.ui.actions import make_action
from annotator.ui.commands import EditClaimCommand
from annotator.ui.review_commands import (
    AddCommentCommand,
    AdjudicateCommand,
    AdjudicateManyCommand,
    DeleteCommentCommand,
    SetReviewStatusCommand,
    TakeBackDecisionCommand,
)
from annotator.ui.review_dialogs import (
    ClaimHistoryDialog,
    CommentDialog,
    GoldClaimDialog,
    MergeDialog,
    MyCommentsDialog,
)

if TYPE_CHECKING:
    from annotator.ui.review_mode import ReviewHost, ReviewMode


class ReviewDecisions(QObject):
    """Decisions, comments and review status for a :class:`ReviewMode`."""

    def __init__(self, review: ReviewMode, host: ReviewHost) -> None:
        super().__init__(review)
        self.review = review
        self.host = host
        self.menu: QMenu | None = None
        self._accept_actions: list[QAction] = []
        a = lambda *args, **kw: make_action(host, *args, **kw)  # noqa: E731
        self.merge_action = a(
            "&Merge…", self.merge, "Ctrl+Shift+M",
            "Gold claim with the span of one analyst's claim and the labels of another's")
        self.edit_action = a(
            "&Edit Decision…", self.edit_decision, "F2",
            "Gold claim with a span and labels of your own, starting from an analyst's")
        self.reject_action = a("&Reject", self.reject, "Ctrl+0",
                               "Not a claim: no gold claim for this unit")
        self.accept_agreed_action = a(
            "Accept All A&greed Units", self.accept_agreed, None,
            "Accept every undecided unit all analysts marked alike (span and labels)")
        self.take_back_action = a("&Take Back Decision", self.take_back, None,
                                  "Remove the decision on this unit (and its gold claim)")
        self.edit_gold_action = a("Edit Gold &Claim…", self.edit_gold, None,
                                  "Change the span or labels of this unit's gold claim")
        self.comment_action = a("Comment on Claim…", self.comment, "Ctrl+Shift+C",
                                "A review comment its author will see")
        self.my_comments_action = a("Comments on My Claims…", self.show_my_comments)
        self.history_action = a(
            "Claim &History…", self.show_history, None,
            "The current claim's earlier versions, kept when work was exchanged")
        self.status_group = QActionGroup(host)
        self.status_actions: dict[ReviewStatus, QAction] = {}
        for status in ReviewStatus:
            action = QAction(f"Mark {status.title}", host)
            action.setCheckable(True)
            action.triggered.connect(lambda _c=False, s=status: self.set_review_status(s))
            self.status_group.addAction(action)
            self.status_actions[status] = action

    def add_to_menu(self, menu: QMenu) -> None:
        self.menu = menu
        menu.addActions([self.merge_action, self.edit_action, self.reject_action,
                         self.accept_agreed_action, self.take_back_action,
                         self.edit_gold_action])
        menu.addSeparator()
        menu.addActions([self.comment_action, self.my_comments_action, self.history_action])
        menu.addSeparator()
        status_menu = menu.addMenu("Review &Status")
        status_menu.addActions(list(self.status_actions.values()))

    def rebuild_accept_actions(self, analysts: tuple[str, ...]) -> list[QAction]:
        """One "Accept <analyst>" per compared analyst (Ctrl+1, Ctrl+2, ...)."""
        for action in self._accept_actions:
            if self.menu is not None:
                self.menu.removeAction(action)
            action.deleteLater()
        self._accept_actions = []
        for number, name in enumerate(analysts, start=1):
            action = make_action(self.host, f"Accept {name}", lambda n=name: self.accept(n),
                                 f"Ctrl+{number}" if number <= 9 else None,
                                 f"{name}'s claim, span and labels, becomes gold")
            action.setData(name)
            self._accept_actions.append(action)
            if self.menu is not None:
                self.menu.insertAction(self.merge_action, action)
        return self.accept_actions()

    def accept_actions(self) -> list[QAction]:
        return list(self._accept_actions)

    def update_actions(self, *, has_project: bool, has_document: bool,
                       status: ReviewStatus | None) -> None:
        review = self.review
        unit = review.current_unit if review.active else None
        decision = review.decision_of(unit) if unit is not None else None
        undecided = unit is not None and decision is None
        for action in self._accept_actions:
            action.setEnabled(undecided and action.data() in unit.claims)  # type: ignore[union-attr]
        self.merge_action.setEnabled(undecided and len(unit.claims) > 1)  # type: ignore[union-attr]
        self.edit_action.setEnabled(undecided)
        self.reject_action.setEnabled(undecided)
        self.take_back_action.setEnabled(decision is not None)
        self.edit_gold_action.setEnabled(decision is not None and decision.gold is not None)
        self.accept_agreed_action.setEnabled(review.active and bool(self._agreed_undecided()))
        for action in (self.comment_action, self.my_comments_action, self.history_action):
            action.setEnabled(has_project)
        for each, action in self.status_actions.items():
            action.setEnabled(has_document)
            if each is status:
                action.setChecked(True)

    # Decisions ----------------------------------------------------------------------------

    def _agreed_undecided(self) -> list[Unit]:
        review = self.review
        return [u for u in review.units() if u.agreed and review.decision_of(u) is None]

    def _need_unit(self) -> Unit | None:
        review = self.review
        unit = review.current_unit if review.active else None
        if unit is None:
            self.host.show_message("Select a unit in the Compare panel first (or F8 for the "
                                   "next disagreement).")
            return None
        if review.decision_of(unit) is not None:
            self.host.show_message("This unit is decided: take the decision back (or undo) "
                                   "to decide again.")
            return None
        return unit

    def _decide(self, adjudication: Adjudication, quote: str) -> bool:
        controller = self.review.controller
        if controller is None:
            return False
        self.host.undo_stack.push(AdjudicateCommand(controller, adjudication, quote=quote,
                                                    document_status=self.review.status))
        return adjudication.id in {a.id for a in self.review.adjudications}

    def _quote(self, unit: Unit) -> str:
        document = self.host.current_document
        if document is not None:
            return document.text[unit.start:unit.end]
        return next(iter(unit.claims.values())).quote

    def accept(self, analyst: str) -> Adjudication | None:
        """Accept ``analyst``'s claim of the current unit as gold."""
        unit = self._need_unit()
        if unit is None or analyst not in unit.claims:
            return None
        claim = unit.claims[analyst]
        adjudication = adjudicate(Decision.ACCEPT, list(unit.claims.values()),
                                  adjudicator=self.host.analyst(), span_from=claim)
        return adjudication if self._decide(adjudication, claim.quote) else None

    def reject(self) -> Adjudication | None:
        unit = self._need_unit()
        if unit is None:
            return None
        adjudication = adjudicate(Decision.REJECT, list(unit.claims.values()),
                                  adjudicator=self.host.analyst())
        return adjudication if self._decide(adjudication, self._quote(unit)) else None

    def merge(self, span_from: str | None = None,
              labels_from: str | None = None) -> Adjudication | None:
        """Gold from the span of ``span_from``'s claim and the labels of
        ``labels_from``'s; without both, a dialog asks."""
        unit = self._need_unit()
        if unit is None:
            return None
        if len(unit.claims) < 2:
            self.host.show_message("Only one analyst marked this: accept, edit or reject it.")
            return None
        if span_from is None or labels_from is None:
            dialog = MergeDialog(unit, self.review.codebook, self.host)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            span_from, labels_from = dialog.choice()
        if span_from == labels_from:
            return self.accept(span_from)
        adjudication = adjudicate(Decision.MERGE, list(unit.claims.values()),
                                  adjudicator=self.host.analyst(),
                                  span_from=unit.claims[span_from],
                                  labels_from=unit.claims[labels_from])
        return adjudication if self._decide(adjudication, unit.claims[span_from].quote) \
            else None

    def _gold_dialog(self, **kwargs: object) -> Claim | GoldClaimDialog | None:
        document = self.host.current_document
        if document is None:
            return None
        codebook = self.review.codebook
        dialog = GoldClaimDialog(codebook, document.text, selection=self.host.selected_span(),
                                 propositions=[p.text for p in codebook.propositions
                                               if not p.retired],
                                 parent=self.host, **kwargs)  # type: ignore[arg-type]
        return dialog if dialog.exec() == QDialog.DialogCode.Accepted else None

    def edit_decision(self, edited: Claim | None = None, *, span_from: str | None = None,
                      labels_from: str | None = None) -> Adjudication | None:
        """Gold as the reviewer edits it. Without ``edited``, a dialog starts from an
        analyst's claim; ``span_from`` / ``labels_from`` name the analysts whose
        claims the edit started from."""
        unit = self._need_unit()
        if unit is None or self.host.current_document is None:
            return None
        span_claim = unit.claims.get(span_from) if span_from else None
        labels_claim = unit.claims.get(labels_from) if labels_from else None
        if edited is None:
            dialog = self._gold_dialog(claims=unit.claims)
            if not isinstance(dialog, GoldClaimDialog):
                return None
            edited = dialog.claim()
            span_claim, labels_claim = dialog.span_from(), dialog.labels_from()
        adjudication = adjudicate(Decision.EDIT, list(unit.claims.values()),
                                  adjudicator=self.host.analyst(), edited=edited,
                                  span_from=span_claim, labels_from=labels_claim)
        return adjudication if self._decide(adjudication, edited.quote) else None

    def accept_agreed(self) -> int:
        """Accept every undecided unit all analysts marked alike, as one undo step."""
        units = self._agreed_undecided()
        controller = self.review.controller
        if not units or controller is None:
            return 0
        decisions = [adjudicate(Decision.ACCEPT, list(unit.claims.values()),
                                adjudicator=self.host.analyst(),
                                span_from=next(iter(unit.claims.values())))
                     for unit in units]
        self.host.undo_stack.push(AdjudicateManyCommand(
            controller, decisions,
            f"Accept {len(units)} agreed unit{'s' if len(units) != 1 else ''}",
            document_status=self.review.status))
        return len(units)

    def _current_decision(self) -> Adjudication | None:
        review = self.review
        unit = review.current_unit if review.active else None
        return review.decision_of(unit) if unit is not None else None

    def take_back(self) -> None:
        decision = self._current_decision()
        controller = self.review.controller
        unit = self.review.current_unit
        if decision is None or controller is None or unit is None:
            return
        self.host.undo_stack.push(TakeBackDecisionCommand(controller, decision,
                                                          self._quote(unit)))

    def edit_gold(self, after: Claim | None = None) -> None:
        """Edit the current unit's gold claim (a dialog unless ``after`` is given)."""
        decision = self._current_decision()
        if decision is None or decision.gold is None or self.review.controller is None:
            return
        if after is None:
            dialog = self._gold_dialog(gold=decision.gold)
            if not isinstance(dialog, GoldClaimDialog):
                return
            after = dialog.claim()
        if after != decision.gold:
            self.host.undo_stack.push(EditClaimCommand(
                self.review.controller.update_gold, decision.gold, after.edited(),
                "gold claim"))

    # Review status and comments -------------------------------------------------------------

    def set_review_status(self, status: ReviewStatus) -> None:
        document = self.host.current_document
        controller = self.review.controller
        if document is None or controller is None:
            return
        before = controller.review_status(document.id)
        if before is not status:
            self.host.undo_stack.push(SetReviewStatusCommand(controller, document.id, before,
                                                             ReviewStatus(status)))
        else:
            self.review.update_actions()

    def _comment_targets(self) -> dict[str, Claim]:
        review = self.review
        if review.active and review.current_unit is not None:
            return dict(review.current_unit.claims)
        claim = self.host.current_claim()
        if claim is not None and not review.gold_shown:
            return {claim.annotator: claim}
        return {}

    def comment(self, claim_id: str | None = None, body: str | None = None
                ) -> ReviewComment | None:
        """Comment on an analyst's claim (the current unit's, or the current claim);
        without ``body`` a dialog asks."""
        controller = self.review.controller
        if controller is None:
            return None
        targets = self._comment_targets()
        if body is None:
            if not targets:
                self.host.show_message("Select an analyst's claim (or a unit) to comment on.")
                return None
            current = self.host.current_claim()
            dialog = CommentDialog(targets, self.host.analyst(), controller.comments,
                                   self.delete_comment,
                                   current=claim_id or (current.id if current else None),
                                   parent=self.host)
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.text():
                return None
            claim_id, body = dialog.claim_id(), dialog.text()
        if claim_id is None:
            if len(targets) != 1:
                return None
            claim_id = next(iter(targets.values())).id
        try:
            comment = ReviewComment.new(claim_id, self.host.analyst(), body)
        except ValueError as error:
            self.host.show_message(str(error))
            return None
        self.host.undo_stack.push(AddCommentCommand(controller, comment))
        return comment

    def delete_comment(self, comment: ReviewComment) -> None:
        if self.review.controller is not None:
            self.host.undo_stack.push(DeleteCommentCommand(self.review.controller, comment))

    def show_my_comments(self) -> MyCommentsDialog | None:
        controller = self.review.controller
        if controller is None:
            return None
        name = self.host.analyst()
        titles = self.host.document_titles()
        rows = [(comment, claim, titles.get(claim.document_id, ""))
                for comment, claim in controller.comments_for(name)]
        dialog = MyCommentsDialog(name, rows, self.host)
        dialog.reveal_requested.connect(self._reveal_commented)
        dialog.show()
        return dialog

    def show_history(self) -> ClaimHistoryDialog | None:
        """The current analyst claim's versions (Review › Claim History…)."""
        claim = self.host.current_claim()
        controller = self.review.controller
        if controller is None or claim is None or self.review.gold_shown:
            self.host.show_message("Select an analyst's claim first (its history is kept "
                                   "when work is exchanged).")
            return None
        dialog = ClaimHistoryDialog(claim, controller.history(claim.id), self.host)
        dialog.show()
        return dialog

    def _reveal_commented(self, document_id: str, claim_id: str) -> None:
        if self.review.gold_shown:
            self.review.set_gold_shown(False)
        self.host.reveal_claim(document_id, claim_id)
