"""The UI's single door to the project: calls services, announces changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import NoReturn

from PySide6.QtCore import QObject, Signal

from annotator.domain.codebook import Codebook, CodebookError, Dimension
from annotator.domain.model import Claim, Document, Source
from annotator.services.codebook import CodebookService
from annotator.services.live import claim_versions
from annotator.services.project import NotFoundError, ProjectService
from annotator.storage.errors import ClaimConflictError, ProjectError, ServerUnreachableError


class ChangeFailed(Exception):
    """A change was not saved; the user has been told why (``failed`` was emitted)."""


class GuardedController(QObject):
    """A door to a service whose changes are committed before they are announced.
    Subclasses declare ``saved(datetime)`` and ``failed(str)`` signals, and
    ``claim_conflict(Claim)`` when they show the stored claim in place of an edit
    made on an older version (see :meth:`_fail`)."""

    saved: Signal
    failed: Signal

    def _guard(self, action, *args):  # type: ignore[no-untyped-def]
        """Run a service call; a change that could not be saved emits ``failed``
        (with the reason, for the user) and raises :class:`ChangeFailed`."""
        try:
            return action(*args)
        except (ProjectError, NotFoundError, ValueError) as error:
            self._fail(error)

    def _fail(self, error: Exception) -> NoReturn:
        """Tell why a change was not saved (``unreachable`` too when the team server
        is out of reach) and raise :class:`ChangeFailed`."""
        if isinstance(error, ServerUnreachableError):
            unreachable = getattr(self, "unreachable", None)
            if unreachable is not None:
                unreachable.emit(str(error))
        claim_conflict = getattr(self, "claim_conflict", None)
        if isinstance(error, ClaimConflictError) and claim_conflict is not None:
            from annotator.ui.live import describe_conflict
            claim_conflict.emit(self.know(error.stored))    # type: ignore[arg-type]
            self.failed.emit(describe_conflict(error))      # the stored one is shown
        else:
            self.failed.emit(f"Not saved: {error}")
        raise ChangeFailed(str(error)) from error

    def _announce_saved(self) -> None:
        self.saved.emit(datetime.now())

    # Claim versions: an edit is saved only onto the version the window knows (see
    # ProjectService.replace_row). Undo and redo write old values of a claim: on the
    # version the window last saved or was shown, not the one the step first saw.

    def _known(self, claim: Claim) -> Claim:
        """``claim`` to be saved on the version of it the window knows last."""
        versions: dict[str, int] = self.__dict__.setdefault("_versions", {})
        known = versions.get(claim.id, 0)
        return replace(claim, version=known) if known > claim.version else claim

    def know(self, claim: Claim) -> Claim:
        """Remember ``claim``'s version as the one the window shows; returns it."""
        versions: dict[str, int] = self.__dict__.setdefault("_versions", {})
        if claim.version:
            versions[claim.id] = claim.version
        return claim


class ProjectController(GuardedController):
    """Wraps a :class:`ProjectService` for the widgets.

    Each method commits before it announces: a signal means "saved".

    Signals:
        claim_added(Claim): a claim was stored.
        claim_changed(Claim, Claim): the stored claim changed from the first to the second.
        claim_removed(Claim): a claim was deleted.
        claim_conflict(Claim): an edit (or a delete) was made on an older version than
            the stored one (given), so it was not saved (``failed`` says so, with both
            versions).
        unreachable(str): a change failed because the team server cannot be reached.
        document_status_changed(str, str): a document's id and its new status.
        sources_changed(): a source was added or changed.
        authors_changed(): claims were recorded under another analyst's name.
        saved(datetime): the moment the last change was committed.
        failed(str): a change could not be saved; the message is for the user.
    """

    document_changed = Signal(object)
    claim_added = Signal(object)
    claim_changed = Signal(object, object)
    claim_removed = Signal(object)
    claim_conflict = Signal(object)
    unreachable = Signal(str)
    document_status_changed = Signal(str, str)
    sources_changed = Signal()
    authors_changed = Signal()
    saved = Signal(object)
    failed = Signal(str)

    def __init__(self, service: ProjectService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        #: The analyst working (``None``: anyone): whose claims grading pre-fills.
        self.analyst: Callable[[], str] | None = None

    def add_claim(self, claim: Claim) -> Claim:
        stored = self.know(self._guard(self.service.add_claim, claim))
        self.claim_added.emit(stored)
        self._announce_saved()
        return stored

    def update_claim(self, claim: Claim) -> Claim:
        """Save an edited claim (made on ``claim.version``); the claim as stored."""
        before = self._guard(self.service.claim, claim.id)
        stored = self.know(self._guard(self.service.update_claim, self._known(claim)))
        self.claim_changed.emit(before, stored)
        self._announce_saved()
        return stored

    def delete_claim(self, claim_id: str, version: int = 0) -> Claim:
        """Delete a claim at the version the window last saved or was shown (else
        ``version``, the one it was read at): one a colleague saved since is not
        deleted (``claim_conflict`` and ``failed`` say so, as for an edit)."""
        versions: dict[str, int] = self.__dict__.setdefault("_versions", {})
        version = versions.get(claim_id) or version
        removed = self._guard(self.service.delete_claim, claim_id, version)
        self.claim_removed.emit(removed)
        self._announce_saved()
        return removed

    def relabelled(self) -> None:
        """The analyst's own codebook change relabelled claims (a rename): each one
        it touched is a version on. Read again the versions the window knows, so
        that undoing an earlier edit, or deleting, is not taken for a colleague's
        change."""
        versions: dict[str, int] = self.__dict__.setdefault("_versions", {})
        if versions:
            versions.update(self._guard(claim_versions, self.service, list(versions)))

    def update_document_details(self, document_id: str, details: dict) -> Document:
        document = self._guard(lambda: self.service.update_document_details(document_id,
                                                                            **details))
        self.document_changed.emit(document)
        self._announce_saved()
        return document

    def set_document_status(self, document_id: str, status: str) -> str:
        previous = self._guard(self.service.set_document_status, document_id, status)
        self.document_status_changed.emit(document_id, status)
        self._announce_saved()
        return previous

    def source_for(self, name: str) -> Source:
        """The registry's source of this name, created if new (creating one is not
        an undo step: an unused source changes nothing)."""
        existing = self.service.source_named(name)
        if existing is not None:
            return existing
        source = self._guard(self.service.add_source, Source.new(name))
        self.sources_changed.emit()
        return source

    def update_source(self, source: Source) -> Source:
        stored = self._guard(self.service.update_source, source)
        self.sources_changed.emit()
        self._announce_saved()
        return stored

    def grade_source(self, source_id: str, grade: str | None) -> list[tuple[Claim, Claim]]:
        analyst = self.analyst() if self.analyst is not None else None
        changed = self._guard(lambda: self.service.grade_source(source_id, grade,
                                                                analyst=analyst))
        for before, after in changed:
            self.claim_changed.emit(before, self.know(after))
        self.sources_changed.emit()
        self._announce_saved()
        return changed

    def restore_source_grade(self, source: Source, claims: list[Claim]) -> None:
        """Undo a source grading: its grade and the claims it pre-filled, at once."""
        replaced = self._guard(self.service.restore_source_grade, source, claims)
        restored = {claim.id: claim for claim in claims}
        for before in replaced:      # each save raised the version by one
            self.claim_changed.emit(before, self.know(
                replace(restored[before.id], version=before.version + 1)))
        self.sources_changed.emit()
        self._announce_saved()


    def reassign_claims(self, old: str, new: str,
                        claim_ids: list[str] | None = None) -> dict[str, datetime]:
        """``old``'s claims (those of ``claim_ids`` when given) become ``new``'s;
        their ids, with when each was changed before."""
        changed = self._guard(lambda: self.service.reassign_claims(old, new,
                                                                   claim_ids=claim_ids))
        self.authors_changed.emit()
        self._announce_saved()
        return changed

    def restore_claim_authors(self, author: str, changed: Mapping[str, datetime]) -> None:
        """Undo :meth:`reassign_claims`: the claims are ``author``'s again."""
        self._guard(self.service.restore_claim_authors, author, changed)
        self.authors_changed.emit()
        self._announce_saved()


class CodebookController(QObject):
    """The UI's door to the codebook. Each change is saved at once; the changes of
    one codebook-dialog session make one codebook version (see :meth:`begin_session`).

    Signals:
        codebook_changed(Codebook): the stored codebook is now this one.
        failed(str): a change was refused or could not be saved; the message is for the user.
    """

    codebook_changed = Signal(object)
    failed = Signal(str)

    def __init__(self, service: CodebookService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._codebook = service.codebook()
        #: While the codebook dialog is open: the version its session wrote (None
        #: before its first change); its later changes amend that version.
        self._session: list[int | None] | None = None

    @property
    def codebook(self) -> Codebook:
        return self._codebook

    def apply(self, new: Codebook, change: str, *,
              renames: Mapping[Dimension, Mapping[str, str]] | None = None,
              proposition_renames: Mapping[str, str] | None = None) -> Codebook:
        try:
            stored = self.service.apply(new, change, renames=renames,
                                        proposition_renames=proposition_renames,
                                        amend=self._session[0] if self._session else None)
        except (ProjectError, CodebookError) as error:
            self.failed.emit(str(error))
            raise ChangeFailed(str(error)) from error
        self._codebook = stored
        if self._session is not None:
            self._session[0] = stored.version
        self.codebook_changed.emit(stored)
        return stored

    @property
    def in_session(self) -> bool:
        """Whether the codebook dialog is open (its changes make one version)."""
        return self._session is not None

    def begin_session(self) -> None:
        """The codebook dialog opened: its changes make one codebook version."""
        self._session = [None]

    def end_session(self) -> None:
        """The dialog closed: the next change (an undo, too) is a new version."""
        self._session = None

    def reload(self) -> Codebook:
        """Read the stored codebook again (after an import changed it) and announce
        it if it differs from the one shown."""
        stored = self.service.codebook()
        if stored != self._codebook:
            self._codebook = stored
            self.codebook_changed.emit(stored)
        return stored

    def usage(self, dimension: Dimension, key: str) -> int:
        return self.service.usage(dimension, key)

    def proposition_usage(self, text: str) -> int:
        return self.service.proposition_usage(text)
