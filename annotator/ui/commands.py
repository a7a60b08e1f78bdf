"""Undo commands: each is one user action and calls the controller; the
controller announces the change, so views never know about undo.

A command whose change cannot be saved marks itself obsolete, and
``QUndoStack.push`` then drops it: the stack never holds work that is not in
the database.

A command that changes one claim says which claim the analyst should see as
current once it is done (:meth:`focus_after`) or undone: the window makes that
claim current, so what an undo changed is what the claim panel shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import datetime
from typing import NamedTuple

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.model import Claim, Source
from annotator.domain.wording import plural, shorten
from annotator.ui.controller import ChangeFailed, CodebookController, ProjectController

_EDIT_ID = 1001


class Focus(NamedTuple):
    """Where an analyst looks after a step: a document and its claim (None: the
    step removed it, so no claim is current)."""

    document_id: str
    claim_id: str | None


class UndoStack(QUndoStack):
    """A QUndoStack that says whether its index moves because of a new step
    (``pushing``) rather than an undo or a redo."""

    pushing = False

    def push(self, command: QUndoCommand) -> None:
        self.pushing = True
        try:
            super().push(command)
        finally:
            self.pushing = False

    def endMacro(self) -> None:
        self.pushing = True
        try:
            super().endMacro()
        finally:
            self.pushing = False


def focus_of(command: QUndoCommand, undone: bool) -> Focus | None:
    """The focus of ``command`` (or of the first child of a macro that has one)."""
    focus = getattr(command, "focus_after", None)
    if focus is not None:
        return focus(undone)
    for i in range(command.childCount()):
        found = focus_of(command.child(i), undone)
        if found is not None:
            return found
    return None


#: The most characters of a quote or a name an undo step's text shows (the Undo
#: button and menu item must not grow with the claim they name).
SHORT = 24


def short(text: str) -> str:
    """``text`` as an undo step names it: one line of at most :data:`SHORT` characters."""
    return shorten(text, SHORT)


class _ClaimCommand(QUndoCommand):
    def __init__(self, controller: ProjectController, text: str) -> None:
        super().__init__(text)
        self._controller = controller

    def _try(self, action, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            action(*args)
        except ChangeFailed:
            self.setObsolete(True)


class MarkClaimCommand(_ClaimCommand):
    """Mark a new claim; a document still "new" becomes "in progress" with it."""

    def __init__(self, controller: ProjectController, claim: Claim,
                 document_status: str) -> None:
        super().__init__(controller, f"Mark claim “{short(claim.quote)}”")
        self.claim = claim
        self._starts_work = document_status == "new"

    def redo(self) -> None:
        try:
            self._controller.add_claim(self.claim)
        except ChangeFailed:
            self.setObsolete(True)
            return
        if self._starts_work:
            try:
                self._controller.set_document_status(self.claim.document_id, "in_progress")
            except ChangeFailed:
                # The claim is saved (and shown): keep the step, so it can be
                # undone; only the status stays as it was (the user was told).
                self._starts_work = False

    def undo(self) -> None:
        # The claim first: if it cannot be removed, nothing has changed.
        try:
            self._controller.delete_claim(self.claim.id)
        except ChangeFailed:
            self.setObsolete(True)
            return
        if self._starts_work:
            # The claim is gone as asked; if the status cannot follow, it stays
            # (and the user was told).
            with suppress(ChangeFailed):
                self._controller.set_document_status(self.claim.document_id, "new")

    def focus_after(self, undone: bool) -> Focus:
        return Focus(self.claim.document_id, None if undone else self.claim.id)


class DeleteClaimCommand(_ClaimCommand):
    def __init__(self, controller: ProjectController, claim: Claim) -> None:
        super().__init__(controller, f"Delete claim “{short(claim.quote)}”")
        self.claim = claim

    def redo(self) -> None:
        self._try(self._controller.delete_claim, self.claim.id, self.claim.version)

    def undo(self) -> None:
        self._try(self._controller.add_claim, self.claim)

    def focus_after(self, undone: bool) -> Focus:
        return Focus(self.claim.document_id, self.claim.id if undone else None)


class EditClaimCommand(QUndoCommand):
    """Replace a claim by an edited copy through ``update`` (an analyst's claim
    through the project, a gold claim through review). Consecutive edits of the
    same field of the same claim (typing a note, moving a span edge) merge into
    one undo step."""

    MERGING = frozenset({"note", "proposition", "tags", "span"})

    def __init__(self, update: Callable[[Claim], object], before: Claim, after: Claim,
                 field: str, *, what: str = "") -> None:
        super().__init__(f"Edit {what + ' ' if what else ''}{field.replace('_', ' ')}")
        self._update = update
        self.before, self.after, self.field = before, after, field

    def id(self) -> int:
        return _EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditClaimCommand) or other.after.id != self.after.id \
                or other.field != self.field or self.field not in self.MERGING \
                or other._update != self._update:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        try:
            self._update(self.after)
        except ChangeFailed:
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            self._update(self.before)
        except ChangeFailed:
            self.setObsolete(True)

    def focus_after(self, undone: bool) -> Focus:
        claim = self.before if undone else self.after
        return Focus(claim.document_id, claim.id)


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
        super().__init__(controller, f"Grade source “{short(source.name)}” {grade or '—'}")
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
        super().__init__(controller, f"Edit source “{short(after.name)}”")
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


class ReassignClaimsCommand(_ClaimCommand):
    """An analyst renames themselves and carries their claims to the new name, as
    one step (``name(n)`` records the analyst's name). Undo records the claims
    under the old name again, as they were, and the old name. The name changes
    first, so the claims are announced as the analyst's own; if they cannot be
    saved, the name goes back."""

    def __init__(self, controller: ProjectController, old: str, new: str, count: int,
                 name: Callable[[str], object]) -> None:
        super().__init__(controller, f"Rename {short(old)} to {short(new)}, carrying "
                                     f"{plural(count, 'claim')}")
        self.old, self.new, self._name = old, new, name
        self.changed: dict[str, datetime] | None = None

    def redo(self) -> None:
        ids = None if self.changed is None else sorted(self.changed)  # a redo: the same
        self._name(self.new)
        try:
            self.changed = self._controller.reassign_claims(self.old, self.new, ids)
        except ChangeFailed:
            self._name(self.old)
            self.setObsolete(True)

    def undo(self) -> None:
        self._name(self.old)
        try:
            self._controller.restore_claim_authors(self.old, self.changed or {})
        except ChangeFailed:
            self._name(self.new)
            self.setObsolete(True)
