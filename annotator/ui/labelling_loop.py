"""The one path from a key, a drag or a claim-panel edit to a saved change.

The window asks :func:`annotator.domain.labelling.decide` what an action does to
the claim shown as current, and pushes the answer as an undo command through
the active :class:`ClaimLayer`: the analysts' claims, or the gold layer while
review shows it. A refusal is shown in the status bar; nothing else changes.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.labelling import (
    Action,
    Context,
    Create,
    Delete,
    Digit,
    Drag,
    Edit,
    LoopState,
    Mark,
    MoveEdge,
    Refused,
    Remove,
    SetField,
    SourceRef,
    decide,
    modes,
)
from annotator.domain.model import Claim, Document
from annotator.ui.commands import (
    DeleteClaimCommand,
    EditClaimCommand,
    GradeSourceCommand,
    MarkClaimCommand,
)
from annotator.ui.controller import ChangeFailed, ProjectController


class ClaimLayer(Protocol):
    """The claims the viewer shows and how changing them is saved."""

    grades_sources: bool

    def read_only_reason(self, claim: Claim) -> str | None: ...
    def mark_refusal(self) -> str | None: ...
    def edit_command(self, edit: Edit) -> QUndoCommand: ...
    def remove_command(self, claim: Claim) -> QUndoCommand | None: ...


class LoopHost(Protocol):
    """What the loop needs of the window."""

    undo_stack: QUndoStack
    snap: bool

    @property
    def codebook(self) -> Codebook: ...
    @property
    def current_document(self) -> Document | None: ...
    def current_claim(self) -> Claim | None: ...
    def selected_span(self) -> tuple[int, int] | None: ...
    def digit_mode(self) -> Dimension: ...
    def set_digit_mode(self, mode: Dimension) -> None: ...
    def document_status(self) -> str: ...
    def analyst(self) -> str: ...
    def show_message(self, message: str) -> None: ...
    def current_in_sight(self) -> bool: ...
    def reveal_current(self) -> None: ...
    def claim_marked(self, claim: Claim) -> None: ...


class AnalystLayer:
    """The analyst's own claims: another analyst's are read-only."""

    grades_sources = True

    def __init__(self, controller: ProjectController, analyst: str) -> None:
        self.controller = controller
        self.analyst = analyst

    def read_only_reason(self, claim: Claim) -> str | None:
        if not claim.annotator or claim.annotator == self.analyst:
            return None
        return (f"{claim.annotator}’s claim: read-only for you ({self.analyst}). Review it "
                "with Review › Compare Analysts.")

    def mark_refusal(self) -> str | None:
        return None

    def edit_command(self, edit: Edit) -> QUndoCommand:
        return EditClaimCommand(self.controller.update_claim, edit.before, edit.after,
                                edit.field)

    def remove_command(self, claim: Claim) -> QUndoCommand:
        return DeleteClaimCommand(self.controller, claim)


class LabellingLoop(QObject):
    """Turns actions on the current claim into undo commands (see module doc)."""

    def __init__(self, host: LoopHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.controller: ProjectController | None = None
        self.layer: ClaimLayer | None = None

    def set_controller(self, controller: ProjectController | None) -> None:
        self.controller = controller

    # Actions ----------------------------------------------------------------------------

    def mark(self) -> Claim | None:
        """Enter: the selection becomes a new claim (the digit mode starts again at
        its first dimension, so "1" labels what it labelled on the last new claim)."""
        document = self._host.current_document
        if self.layer is None or self.controller is None or document is None:
            self._host.show_message("Open a document first.")
            return None
        refusal = self.layer.mark_refusal()
        if refusal is not None:
            self._host.show_message(refusal)
            return None
        outcome = decide(self._state(), Mark(document, self._host.analyst(),
                                             self._host.codebook.version), self._context())
        if isinstance(outcome, Refused):
            self._host.show_message(outcome.reason)
            return None
        assert isinstance(outcome, Create)
        claim = outcome.claim
        stack = self._host.undo_stack
        index = stack.index()
        stack.push(MarkClaimCommand(self.controller, claim, self._host.document_status()))
        if stack.index() == index:      # not saved: the stack dropped the command
            return None
        self._host.set_digit_mode(modes(self._host.codebook)[0])
        self._host.claim_marked(claim)
        return claim

    def digit(self, digit: str) -> None:
        self._run(Digit(digit), key=True)

    def set_label(self, dimension: Dimension, key: str | None) -> None:
        """A label set with a key in the text (A–F)."""
        self._run(SetField(dimension.value, key), key=True)

    def set_field(self, field: str, value: object) -> None:
        """A field set in the claim panel (which shows the claim it edits)."""
        self._run(SetField(field, value))

    def move_edge(self, edge: str, direction: int) -> None:
        self._run(MoveEdge(edge, direction), key=True)

    def drag(self, claim_id: str, start: int, end: int) -> bool:
        """A dragged edge; False when refused (the view puts the edge back)."""
        return self._run(Drag(claim_id, start, end))

    def delete(self) -> None:
        self._run(Delete(), key=True)

    # The path ---------------------------------------------------------------------------

    def _state(self) -> LoopState:
        claim = self._host.current_claim()
        layer = self.layer
        return LoopState(
            current=claim,
            read_only=layer.read_only_reason(claim) if claim is not None and layer else None,
            selection=self._host.selected_span(), mode=self._host.digit_mode(),
            snap=self._host.snap, grades_sources=bool(layer and layer.grades_sources))

    def _context(self) -> Context:
        document = self._host.current_document
        controller = self.controller

        def source(source_id: str) -> SourceRef | None:
            if controller is None:
                return None
            found = controller.service.source(source_id)
            return SourceRef(found.id, found.name, found.reliability)

        def source_named(name: str) -> SourceRef:
            assert controller is not None
            found = controller.source_for(name)    # ChangeFailed: the user was told
            return SourceRef(found.id, found.name, found.reliability)

        return Context(document.text if document else "", self._host.codebook,
                       source_named if controller is not None else None, source)

    def _run(self, action: Action, *, key: bool = False) -> bool:
        """Decide and push; True when a change was made (or nothing needed to be).
        ``key``: the action is a key pressed in the text."""
        if self.layer is None or self.controller is None:
            return False
        if key and self._host.current_claim() is not None \
                and not self._host.current_in_sight():
            # Never let a key change a claim the analyst cannot see: show it, and let
            # the next press act on it. (The claim panel shows what it edits.)
            self._host.reveal_current()
            self._host.show_message("The current claim was out of sight: it is shown now. "
                                    "Press the key again to change it.")
            return False
        try:
            outcome = decide(self._state(), action, self._context())
        except ChangeFailed:
            return False        # a source could not be added: the user has been told
        if isinstance(outcome, Refused):
            self._host.show_message(outcome.reason)
            return False
        stack = self._host.undo_stack
        if isinstance(outcome, Remove):
            command = self.layer.remove_command(outcome.claim)
            if command is not None:
                stack.push(command)
        elif isinstance(outcome, Edit):
            self._push_edit(outcome)
        return True

    def _push_edit(self, edit: Edit) -> None:
        assert self.layer is not None and self.controller is not None
        stack = self._host.undo_stack
        command = self.layer.edit_command(edit)
        if edit.grade_source is None:
            stack.push(command)
            return
        # Reliability belongs to the source: grading this claim grades its source,
        # which pre-fills the grade on the source's other ungraded claims.
        source_id, grade = edit.grade_source
        source = self.controller.service.source(source_id)
        stack.beginMacro(f"Grade {source.name} {grade or '—'}")
        stack.push(command)
        stack.push(GradeSourceCommand(self.controller, source, grade))
        stack.endMacro()
