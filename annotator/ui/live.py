"""Working beside colleagues on one project: edit conflicts, and their changes
shown as they are saved.

A claim edited on a version older than the stored one is not saved (the
service raises :class:`~annotator.storage.errors.ClaimConflictError`): the
analyst is shown both versions (:func:`describe_conflict`) and the stored one
replaces theirs on screen (:class:`LiveUpdates`), so the next edit is made on it.

Colleagues' work appears without a restart: every :data:`POLL_MS` the window asks
the project what changed (:func:`~annotator.services.live.changes_since`) and
announces it through the project controller's signals, as if saved here: the
open document's claims are added, replaced and removed one by one (the document
is not shown again; the current claim stays current), the document list's
statuses and claim counts follow (of every document: a colleague working in
another one is seen there), and a changed codebook is read again. Documents
imported or replaced by a new version, and assignments made or marked done,
read the document list again (the open document's blind state follows: claims
it may now show, or no longer, are added or removed one by one); a link added
or removed reads the Elsewhere panel again when it shows one of its claims;
under review, another reviewer's decisions on the open document come through
the review controller's signals (gold claims shown, replaced, taken away one
by one). On a team server a
:class:`~annotator.services.live.ChangeListener` (LISTEN/NOTIFY) makes it look at
once after anyone's save; polling stays as the fallback. A team server out of
reach is shown, and tried again with backoff, by
:class:`~annotator.ui.connection_status.ConnectionStatus` (each poll is a try).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.domain.model import Claim
from annotator.domain.wording import shorten
from annotator.services.live import (
    ChangeListener,
    ChangeProbe,
    Changes,
    Token,
    changes_since,
    current_token,
)
from annotator.services.project import NotFoundError
from annotator.storage.errors import ClaimConflictError, ProjectError, ServerUnreachableError
from annotator.ui.connection_status import ConnectionStatus
from annotator.ui.document_list import REPLACED

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

_log = logging.getLogger(__name__)

#: How often the window asks the project for colleagues' changes.
POLL_MS = 2000

#: The fields a conflict message compares, with their names for the analyst.
_FIELDS = (("span", "span"), ("proposition", "proposition"), ("stance", "stance"),
           ("claim_type", "claim type"), ("source_name", "source"),
           ("source_reliability", "source reliability"),
           ("info_credibility", "information credibility"), ("likelihood", "likelihood"),
           ("confidence", "confidence"), ("note", "note"), ("tags", "tags"))
#: The most characters of one value a conflict message shows.
VALUE_LIMIT = 80


def _value(claim: Claim, field: str) -> str:
    if field == "span":
        value: Any = f"{claim.start}–{claim.end} “{claim.quote}”"
    elif field == "tags":
        value = ", ".join(claim.tags)
    else:
        value = getattr(claim, field)
    return shorten(str(value if value is not None else ""), VALUE_LIMIT) or "(none)"


def describe_conflict(error: ClaimConflictError) -> str:
    """Plain text for the analyst: what was not saved, and both versions where they
    differ."""
    stored, yours = error.stored, error.yours
    assert isinstance(stored, Claim) and isinstance(yours, Claim)
    # A gold claim's analyst is its adjudicator, not necessarily who saved it last.
    who = f" by {stored.annotator}" if stored.annotator and error.kind == "claim" else ""
    lines = [f"Not saved: this {error.kind} was changed meanwhile{who} (it is at version "
             f"{error.stored_version}; your edit was made on version {error.your_version})."]
    differ = [(name, _value(stored, field), _value(yours, field)) for field, name in _FIELDS
              if _value(stored, field) != _value(yours, field)]
    if differ:
        lines.append("Stored: " + "; ".join(f"{name}: {s}" for name, s, _ in differ))
        lines.append("Yours: " + "; ".join(f"{name}: {y}" for name, _, y in differ))
    lines.append("The stored version is shown now; make your edit again on it if it "
                 "still applies.")
    return "\n".join(lines)


class _Author:
    """Just the analyst of a claim: what the window's analyst filter looks at."""

    __slots__ = ("annotator",)

    def __init__(self, annotator: str) -> None:
        self.annotator = annotator


class _Wakeup(QObject):
    """Carries the listener thread's wake-ups to the window's thread (queued)."""

    woken = Signal()


class LiveUpdates:
    """Keeps the window's claims, document statuses and codebook on what is stored:
    after a conflicting edit, and as colleagues save (polling, see module doc)."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._token = Token()
        self._stocked = False
        self.timer = QTimer(window)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        # A burst of saves elsewhere makes one look, shortly after the first.
        self._soon = QTimer(window)
        self._soon.setSingleShot(True)
        self._soon.setInterval(100)
        self._soon.timeout.connect(self.poll)
        self._wakeup = _Wakeup(window)
        self._wakeup.woken.connect(self._on_woken)
        self._listener: ChangeListener | None = None
        self.status = ConnectionStatus(window)
        self.status.restored.connect(self._on_restored)
        self._probe: ChangeProbe | None = None
        #: The open document and gold layer when last looked (a switch needs a look).
        self._looked_at: tuple[str | None, bool, bool] = (None, False, False)

    def connect(self) -> None:
        """A project was opened in the window: follow it."""
        controller = self._window.controller
        if controller is None:
            return
        controller.claim_conflict.connect(self.show_stored)
        controller.unreachable.connect(self._unreachable)
        self.status.reset()
        self._token, self._stocked = Token(), False
        service = self._window.service
        if service is not None:
            try:
                self._probe = ChangeProbe(service)
            except Exception as error:      # every poll then reads
                _log.warning("cannot probe for changes: %s", error)
        self._take_stock()
        self.timer.start()
        self._listen()

    def _listen(self) -> None:
        service = self._window.service
        if service is not None and not service.database.is_sqlite:
            listener = ChangeListener(service, self._wakeup.woken.emit)
            try:
                if listener.start():
                    self._listener = listener
            except Exception as error:    # polling does it (more slowly)
                _log.warning("cannot listen for colleagues' changes: %s", error)

    def _unreachable(self, reason: str) -> None:
        """The team server is out of reach: say so; the next poll (later and later)
        is the next try."""
        self.status.unreachable(reason)
        wait = self.status.next_wait()
        if wait is not None:
            self.timer.start(wait)

    def read_failed(self, error: ProjectError) -> None:
        """A document the analyst chose could not be read: tell them (and, when the
        team server is out of reach, show that it is); the list goes back to the
        document still shown."""
        from annotator.ui import plain
        if isinstance(error, ServerUnreachableError):
            self._unreachable(str(error))
        shown = self._window.current_document
        self._window.document_panel.set_shown(shown.id if shown is not None else None)
        if shown is not None:
            self._window.document_panel.select(shown.id)
        plain.warn(self._window, "Cannot show this document", str(error))

    def _reached(self) -> None:
        if self.status.down:
            self.timer.start(POLL_MS)
            self.status.reachable()

    def _on_restored(self) -> None:
        """Back on the server: listen again (the listener's connection was lost)."""
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        self._listen()

    def _on_woken(self) -> None:
        if not self._soon.isActive():
            self._soon.start()

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def _take_stock(self) -> None:
        """What is stored as the window opens the project: later polls report what
        changes from here (the window reads documents and codebook as it opens)."""
        service = self._window.service
        if service is None:
            return
        try:
            self._token = current_token(service, None, counted=self._counted())
            self._stocked = True
        except (ProjectError, NotFoundError) as error:
            _log.warning("could not look for colleagues' changes: %s", error)
            if isinstance(error, ServerUnreachableError):
                self._unreachable(str(error))
            return
        self._reached()

    def stop(self) -> None:
        self.status.reset()
        self.timer.setInterval(POLL_MS)
        self.timer.stop()
        self._soon.stop()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if self._probe is not None:
            self._probe.close()
            self._probe = None
        self._token, self._stocked = Token(), False

    def show_stored(self, stored: Claim,
                    changed: Callable[[Claim, Claim], None] | None = None) -> None:
        """Replace the shown version of ``stored`` by it, as a save of it would
        (``changed``: what follows a save of it; the window's handler of an
        analyst's claim when not given; review's of a gold claim), and show it in
        the claim panel if it is current, dropping what was typed there."""
        window = self._window
        shown = window.shown.claim(stored.id)
        if shown is not None and shown.document_id == stored.document_id:
            (changed or window._on_claim_changed)(shown, stored)
        current = window.shown.current
        if current is not None and current.id == stored.id:
            window.editor.reload(stored)

    def _counted(self) -> frozenset[str] | None:
        """The analysts whose claims the document list counts (None: all)."""
        return self._window.identity.shown().annotators()

    def _loads(self, annotator: str) -> bool:
        """Whether the window shows the claims of ``annotator`` (its analyst filter)."""
        return self._window.identity.loads(_Author(annotator))  # type: ignore[arg-type]

    def poll(self) -> bool:
        """Show what colleagues saved since the last poll; whether anything was."""
        window = self._window
        controller, service = window.controller, window.service
        if controller is None or service is None:
            return False
        document = window.current_document
        claims_shown = document is not None and not window.review.gold_shown
        review = window.review
        reviewing = document is not None and review.controller is not None \
            and (review.active or review.gold_shown)     # its decisions are held
        looking_at = (document.id if document is not None else None, claims_shown,
                      reviewing)
        try:
            quiet = self._probe is not None and not self._probe.changed() \
                and looking_at == self._looked_at
        except Exception as error:
            _log.warning("could not probe for changes: %s", error)
            quiet = False
        if quiet and self._stocked:
            return False
        self._looked_at = looking_at
        token = replace(self._token,
                        document_id=document.id if claims_shown and document else None,
                        claims=window.claims.versions() if claims_shown else {},
                        gold_document=document.id if reviewing and document else None,
                        gold={a.id: a.gold.version if a.gold is not None else 0
                              for a in review.adjudications} if reviewing else {})
        if not self._stocked:     # stock not taken yet (the project was busy)
            self._take_stock()
            return False
        try:
            changes = changes_since(service, token,
                                    document.text if document is not None else None,
                                    self._loads, self._counted())
        except (ProjectError, NotFoundError) as error:
            # The next poll tries again; a lost connection shows on the next save.
            _log.warning("could not look for colleagues' changes: %s", error)
            if self._probe is not None:
                self._probe.forget()
            if isinstance(error, ServerUnreachableError):
                self._unreachable(str(error))
            return False
        self._reached()
        self._token = changes.token
        if changes.linked:
            window.elsewhere.links_changed(changes.linked)
        for claim in changes.added:
            controller.know(claim)
            controller.claim_added.emit(claim)
        for claim in changes.changed:
            controller.know(claim)
            before = window.shown.claim(claim.id)
            if before is not None:
                controller.claim_changed.emit(before, claim)
        for claim_id in changes.removed:
            gone = window.shown.claim(claim_id)
            if gone is not None:
                controller.claim_removed.emit(gone)
        for document_id, (status, _review) in changes.statuses.items():
            controller.document_status_changed.emit(document_id, status)
        # Counts as stored (after the open document's claims were announced, which
        # counted them one by one): other documents' rows follow colleagues' work
        # without anything shown again. A blind document's row counts only one's
        # own claims (see Assignments.documents): colleagues' work there stays unseen.
        blind = window.assignments.blind_documents()
        for document_id, (claims, incomplete) in changes.counts.items():
            if document_id not in blind:
                window.document_panel.set_counts(document_id, claims, incomplete)
        if changes.codebook and window.codebook_controller is not None \
                and not window.codebook_controller.in_session:
            window.codebook_controller.reload()
        if changes.gold_added or changes.gold_removed or changes.gold_changed:
            self._show_gold(changes)
        if changes.documents or changes.assignments:     # last: it may look again
            self._follow_documents()
        return bool(changes)

    def _show_gold(self, changes: Changes) -> None:
        """Another reviewer's decisions on the open document, announced through the
        review controller's signals as if made here: gold claims shown, taken
        away or replaced one by one (the document is not shown again; the
        current claim stays current, and the claim panel shows a changed one)."""
        window = self._window
        controller = window.review.controller
        if controller is None:
            return
        held = {a.id: a for a in window.review.adjudications}
        removed = [held[key] for key in changes.gold_removed if key in held]
        if changes.gold_added or removed:
            controller.adjudications_changed.emit(changes.gold_added, removed)
        for adjudication in changes.gold_changed:
            before = held.get(adjudication.id)
            after = adjudication.gold
            if before is None or before.gold is None or after is None:
                continue
            controller.gold_changed.emit(before.gold, after)
            current = window.shown.current
            if window.review.gold_shown and current is not None and current.id == after.id:
                window.editor.reload(after)

    def _follow_documents(self) -> None:
        """Documents came or went, or assignments changed: the document list is
        read again (its Assigned column too; the open document stays open, not
        shown again), and the open document's claims follow whose it may show."""
        window = self._window
        document = window.current_document
        before = document is not None and window.document_panel.version_text(document)
        window.assignments.refresh()
        if document is not None and window.current_document is document:
            after = window.document_panel.version_text(document)
            if after != before:
                window.details.set_version(after)
                if after == REPLACED:
                    window.show_message("A colleague imported a newer version of this "
                                        "document: its claims moved to it (it is in the "
                                        "document list).", 10000)

    def follow_visibility(self) -> None:
        """Whose claims the open document may show changed (a blind document's
        last assignee done, here or by a colleague; a new assignment): a look now
        adds or removes those claims one by one, as a colleague's saves (the
        document is not shown again; the current claim stays current)."""
        if not self._window.identity.follow():
            return
        if self._probe is not None:
            self._probe.forget()
        if self.poll() and self._stocked:    # a failed look leaves it to the next one
            # Each claim shown counted in its row; the row says what is stored.
            window, document = self._window, self._window.current_document
            if document is not None and document.id not in window.assignments.blind_documents():
                claims, incomplete = self._token.counts.get(document.id, (0, 0))
                window.document_panel.set_counts(document.id, claims, incomplete)
