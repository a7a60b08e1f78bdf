"""What the labelling keys may change while reviewing (see
:class:`annotator.ui.labelling_loop.ClaimLayer`): nothing while comparing
analysts (their claims are read-only; decisions make gold claims), and the gold
claims while the gold layer is shown. Edits of a gold claim are the same
decisions and undo commands as an analyst's edits, saved through review."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.domain.labelling import Edit
from annotator.domain.model import Claim
from annotator.domain.review import Adjudication
from annotator.ui.commands import EditClaimCommand
from annotator.ui.review_commands import TakeBackDecisionCommand
from annotator.ui.review_controller import ReviewController


class CompareLayer:
    """While comparing: every analyst's claim is read-only."""

    grades_sources = False

    def read_only_reason(self, _claim: Claim) -> str | None:
        return "Comparing analysts: claims are read-only (decide with the Review menu)."

    def mark_refusal(self) -> str | None:
        return "Comparing analysts: turn Review › Compare Analysts off to mark a claim."

    def edit_command(self, edit: Edit) -> QUndoCommand:
        raise AssertionError("read-only layer")

    def remove_command(self, _claim: Claim) -> QUndoCommand | None:
        return None


class GoldLayer:
    """The gold layer: its claims are edited like an analyst's; Delete takes the
    claim's decision back. ``decisions`` gives the shown document's decisions."""

    grades_sources = False

    def __init__(self, controller: ReviewController,
                 decisions: Callable[[], list[Adjudication]]) -> None:
        self._controller = controller
        self._decisions = decisions

    def _decision(self, claim_id: str) -> Adjudication | None:
        return next((a for a in self._decisions()
                     if a.gold is not None and a.gold.id == claim_id), None)

    def read_only_reason(self, claim: Claim) -> str | None:
        if self._decision(claim.id) is not None:
            return None
        return "Not a gold claim: turn Review › Show Gold Layer off to see it."

    def mark_refusal(self) -> str | None:
        return ("Gold claims come from decisions on the analysts' claims: turn Review › "
                "Show Gold Layer off to mark a claim.")

    def edit_command(self, edit: Edit) -> QUndoCommand:
        return EditClaimCommand(self._controller.update_gold, edit.before, edit.after,
                                edit.field, what="gold")

    def remove_command(self, claim: Claim) -> QUndoCommand | None:
        decision = self._decision(claim.id)
        if decision is None:
            return None
        return TakeBackDecisionCommand(self._controller, decision, claim.quote)
