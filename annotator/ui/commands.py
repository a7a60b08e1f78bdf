"""Undo commands: each is one user action and calls the controller; the
controller announces the change, so views never know about undo.

A command whose change cannot be saved marks itself obsolete, and
``QUndoStack.push`` then drops it: the stack never holds work that is not in
the database.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QUndoCommand

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.model import Claim, Source
from annotator.ui.controller import ChangeFailed, CodebookController, ProjectController

_EDIT_ID = 1001


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class _ClaimCommand(QUndoCommand):
    def __init__(self, controller: ProjectController, text: str) -> None:
        super().__init__(text)
        self._controller = controller

    def _try(self, action, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            action(*args)
        except ChangeFailed:
            self.setObsolete(True)


class AddClaimCommand(_ClaimCommand):
    def __init__(self, controller: ProjectController, claim: Claim) -> None:
        super().__init__(controller, f"Mark claim “{_short(claim.quote)}”")
        self.claim = claim

    def redo(self) -> None:
        self._try(self._controller.add_claim, self.claim)

    def undo(self) -> None:
        self._try(self._controller.delete_claim, self.claim.id)


class MarkClaimCommand(_ClaimCommand):
    """Mark a new claim; a document still "new" becomes "in progress" with it."""

    def __init__(self, controller: ProjectController, claim: Claim,
                 document_status: str) -> None:
        super().__init__(controller, f"Mark claim “{_short(claim.quote)}”")
        self.claim = claim
        self._starts_work = document_status == "new"

    def redo(self) -> None:
        try:
            self._controller.add_claim(self.claim)
            if self._starts_work:
                self._controller.set_document_status(self.claim.document_id, "in_progress")
        except ChangeFailed:
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            if self._starts_work:
                self._controller.set_document_status(self.claim.document_id, "new")
            self._controller.delete_claim(self.claim.id)
        except ChangeFailed:
            self.setObsolete(True)


class DeleteClaimCommand(_ClaimCommand):
    def __init__(self, controller: ProjectController, claim: Claim) -> None:
        super().__init__(controller, f"Delete claim “{_short(claim.quote)}”")
        self.claim = claim

    def redo(self) -> None:
        self._try(self._controller.delete_claim, self.claim.id)

    def undo(self) -> None:
        self._try(self._controller.add_claim, self.claim)


class EditClaimCommand(_ClaimCommand):
    """Replace a claim by an edited copy. Consecutive edits of the same field of
    the same claim (typing a note) merge into one undo step."""

    def __init__(self, controller: ProjectController, before: Claim, after: Claim,
                 field: str) -> None:
        super().__init__(controller, f"Edit {field.replace('_', ' ')}")
        self.before, self.after, self.field = before, after, field

    def id(self) -> int:
        return _EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditClaimCommand) or other.after.id != self.after.id \
                or other.field != self.field \
                or self.field not in ("note", "proposition", "tags", "span"):
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self._try(self._controller.update_claim, self.after)

    def undo(self) -> None:
        self._try(self._controller.update_claim, self.before)


class ChangeCodebookCommand(QUndoCommand):
    """One codebook change (a label renamed, added, retired, a preset applied ...).
    Undo applies the previous codebook as a new version, renaming keys back."""

    def __init__(self, controller: CodebookController, before: Codebook, after: Codebook,
                 change: str, *, renames: Mapping[Dimension, Mapping[str, str]] | None = None,
                 proposition_renames: Mapping[str, str] | None = None) -> None:
        super().__init__(change)
        self._controller = controller
        self.before, self.after, self.change = before, after, change
        self.renames = {d: dict(m) for d, m in (renames or {}).items()}
        self.proposition_renames = dict(proposition_renames or {})

    def redo(self) -> None:
        try:
            self._controller.apply(self.after, self.change, renames=self.renames,
                                   proposition_renames=self.proposition_renames)
        except ChangeFailed:
            self.setObsolete(True)

    def undo(self) -> None:
        inverse = {d: {new: old for old, new in m.items()} for d, m in self.renames.items()}
        try:
            self._controller.apply(
                self.before, f"Undo: {self.change}", renames=inverse,
                proposition_renames={n: o for o, n in self.proposition_renames.items()})
        except ChangeFailed:
            self.setObsolete(True)


class SetDocumentStatusCommand(_ClaimCommand):
    def __init__(self, controller: ProjectController, document_id: str, before: str,
                 after: str) -> None:
        super().__init__(controller, f"Mark document {after.replace('_', ' ')}")
        self.document_id, self.before, self.after = document_id, before, after

    def redo(self) -> None:
        self._try(self._controller.set_document_status, self.document_id, self.after)

    def undo(self) -> None:
        self._try(self._controller.set_document_status, self.document_id, self.before)


class GradeSourceCommand(_ClaimCommand):
    """Grade a source's reliability; its ungraded claims take the grade (graded
    claims keep theirs). Undo restores the source's grade and those claims."""

    def __init__(self, controller: ProjectController, source: Source,
                 grade: str | None) -> None:
        super().__init__(controller, f"Grade source “{_short(source.name)}” {grade or '—'}")
        self.source, self.grade = source, grade
        self._prefilled: list[Claim] = []

    def redo(self) -> None:
        try:
            changed = self._controller.grade_source(self.source.id, self.grade)
        except ChangeFailed:
            self.setObsolete(True)
            return
        self._prefilled = [before for before, _after in changed]

    def undo(self) -> None:
        self._try(self._controller.restore_source_grade, self.source, self._prefilled)


class UpdateSourceCommand(_ClaimCommand):
    def __init__(self, controller: ProjectController, before: Source, after: Source) -> None:
        super().__init__(controller, f"Edit source “{_short(after.name)}”")
        self.before, self.after = before, after

    def redo(self) -> None:
        self._try(self._controller.update_source, self.after)

    def undo(self) -> None:
        self._try(self._controller.update_source, self.before)


class EditDocumentDetailsCommand(_ClaimCommand):
    """Title, source, date or publisher of a document (never its text)."""

    def __init__(self, controller: ProjectController, document_id: str, before: dict,
                 after: dict) -> None:
        super().__init__(controller, "Edit document details")
        self.document_id, self.before, self.after = document_id, before, after

    def redo(self) -> None:
        self._try(self._controller.update_document_details, self.document_id, self.after)

    def undo(self) -> None:
        self._try(self._controller.update_document_details, self.document_id, self.before)
