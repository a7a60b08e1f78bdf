"""Undo steps for claims across documents: linking two claims (the same claim,
or evidence for or against one), removing a link, confirming a similar
passage (a new claim linked as the same, in one step) and dismissing one.

Links go through :class:`LinkController`, which commits before it announces
(``links_changed``) and reports what could not be saved (``failed``), as the
project controller does for claims.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from annotator.domain.model import Claim
from annotator.services import links
from annotator.services.links import Link
from annotator.ui.commands import Focus, short
from annotator.ui.controller import ChangeFailed, GuardedController, ProjectController

RELATION_VERBS = {"same": "as the same claim", "supports": "as supporting",
                  "refutes": "as refuting", "not_enough_info": "as not enough info"}


class LinkController(GuardedController):
    """The UI's door to links between claims and to dismissed candidates.

    Signals:
        links_changed(): a link or a dismissal was stored or removed.
        saved(datetime), failed(str): as :class:`ProjectController`'s.
    """

    links_changed = Signal()
    saved = Signal(object)
    failed = Signal(str)

    def __init__(self, project: ProjectController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project

    @property
    def service(self):  # type: ignore[no-untyped-def]
        return self.project.service

    def _done(self, result: Any) -> Any:
        self.links_changed.emit()
        self._announce_saved()
        return result

    def add_link(self, link: Link) -> Link:
        return self._done(self._guard(links.restore_link, self.service, link))

    def remove_link(self, link_id: str) -> Link:
        return self._done(self._guard(links.remove_link, self.service, link_id))

    def call(self, action: Callable[..., Any], *args: Any) -> Any:
        """Another change (a dismissal): saved, then announced."""
        return self._done(self._guard(action, self.service, *args))


class AddLinkCommand(QUndoCommand):
    """Link ``link.target_id`` to ``link.claim_id`` (one step; undo removes it)."""

    def __init__(self, controller: LinkController, link: Link, claim: Claim,
                 focus_document: str) -> None:
        super().__init__(f"Link “{short(claim.quote)}” {RELATION_VERBS[link.relation]}")
        self._controller, self.link = controller, link
        self._focus = Focus(focus_document, link.claim_id)

    def redo(self) -> None:
        try:
            self._controller.add_link(self.link)
        except ChangeFailed:
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            self._controller.remove_link(self.link.id)
        except ChangeFailed:
            self.setObsolete(True)

    def focus_after(self, undone: bool) -> Focus:
        return self._focus


class RemoveLinkCommand(QUndoCommand):
    """Remove a link; undo puts it back as it was (id, analyst, time)."""

    def __init__(self, controller: LinkController, link: Link, claim: Claim,
                 focus: Focus) -> None:
        super().__init__(f"Unlink “{short(claim.quote)}”")
        self._controller, self.link, self._focus = controller, link, focus

    def redo(self) -> None:
        try:
            self._controller.remove_link(self.link.id)
        except ChangeFailed:
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            self._controller.add_link(self.link)
        except ChangeFailed:
            self.setObsolete(True)

    def focus_after(self, undone: bool) -> Focus:
        return self._focus


class ConfirmCandidateCommand(QUndoCommand):
    """A similar passage confirmed as the same claim, in one step: unlabelled
    text becomes a new claim (``new_claim``) linked to the claim; an existing
    claim is linked. Undo removes the link (and the new claim)."""

    def __init__(self, project: ProjectController, controller: LinkController,
                 link: Link, new_claim: Claim | None, quote: str, focus: Focus) -> None:
        super().__init__(f"Confirm “{short(quote)}” as the same claim")
        self._project, self._controller = project, controller
        self.link, self.new_claim, self._focus = link, new_claim, focus

    def redo(self) -> None:
        if self.new_claim is not None:
            try:
                self.new_claim = self._project.add_claim(self.new_claim)
            except ChangeFailed:
                self.setObsolete(True)
                return
        try:
            self._controller.add_link(self.link)
        except ChangeFailed:
            if self.new_claim is not None:     # all or nothing
                with suppress(ChangeFailed):
                    self._project.delete_claim(self.new_claim.id)
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            self._controller.remove_link(self.link.id)
            if self.new_claim is not None:
                self._project.delete_claim(self.new_claim.id)
        except ChangeFailed:
            self.setObsolete(True)

    def focus_after(self, undone: bool) -> Focus:
        return self._focus


class DismissCandidateCommand(QUndoCommand):
    """A similar passage dismissed (never suggested again for this claim); undo
    suggests it again. ``dismiss`` and ``undismiss`` are service calls."""

    def __init__(self, controller: LinkController, dismiss: Callable[..., Any],
                 undismiss: Callable[..., Any], args: tuple, quote: str,
                 focus: Focus) -> None:
        super().__init__(f"Dismiss “{short(quote)}”")
        self._controller, self._dismiss, self._undismiss = controller, dismiss, undismiss
        self._args, self._focus = args, focus
        #: Whether the dismissal was stored (not there already: a colleague's stays).
        self._stored = False

    def redo(self) -> None:
        try:
            self._stored = self._controller.call(self._dismiss, *self._args) is not False
        except ChangeFailed:
            self.setObsolete(True)

    def undo(self) -> None:
        if not self._stored:
            return
        try:
            self._controller.call(self._undismiss, *self._args)
        except ChangeFailed:
            self.setObsolete(True)

    def focus_after(self, undone: bool) -> Focus:
        return self._focus
