"""Blind double coding in the window (see annotator/services/assignments.py).

* The document list's "Assigned" column shows the analyst's assignment on each
  document assigned to them: "Assigned", "Done (waiting for 1)", "Done".
* Document › Mark Document Done (Ctrl+D) on a document assigned to the analyst
  marks *their* assignment done (again: not done), as an undoable step; the
  document's own status becomes done when every assignee is done.
* A blind document (assigned to the analyst and to a colleague, not yet done by
  all) shows only the analyst's own claims, whatever View › Show Claims says or
  comparing asks; the status bar says why. Search leaves out colleagues' claims
  on it too, and comparing analysts leaves the document out (no units, no
  agreement) until it is no longer blind. :meth:`Assignments.visible` is what
  the window's readers ask (:class:`~annotator.ui.identity.Identity`); live
  updates follow, since they load only the analysts the document was read for.
* Review › Queue by Disagreement… lists the documents every assignee finished,
  most disagreement first; double-click (or Enter) opens one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.assignments import AssignmentState
from annotator.domain.model import DocumentInfo
from annotator.domain.wording import plural
from annotator.services.assignments import AssignmentService, QueueEntry
from annotator.services.project import NotFoundError
from annotator.storage.errors import ProjectError
from annotator.ui.actions import make_action
from annotator.ui.item_models import DocumentListModel
from annotator.ui.plain import plain_label, plain_tooltip
from annotator.ui.tables import ColumnFitter, table_defaults

if TYPE_CHECKING:
    from annotator.services.search import SearchResult
    from annotator.ui.main_window import MainWindow

BLIND_HINT = ("Blind coding: colleagues' claims on this document stay hidden until "
              "everyone assigned to it has marked it done (Ctrl+D marks your part).")
QUEUE_TIP = ("Documents every assigned analyst has finished, most disagreement first: "
             "by the matched claims they did not mark alike, then by 1 − span F1")


class SetAssignmentDoneCommand(QUndoCommand):
    """Mark the analyst's own assignment on a document done (or not done)."""

    def __init__(self, assignments: Assignments, document_id: str, done: bool) -> None:
        super().__init__("Mark your part done" if done else "Mark your part not done")
        self._assignments, self.document_id, self.done = assignments, document_id, done

    def redo(self) -> None:
        if not self._assignments.set_done(self.document_id, self.done):
            self.setObsolete(True)

    def undo(self) -> None:
        self._assignments.set_done(self.document_id, not self.done)


class QueueDialog(QDialog):
    """The reviewer's queue: double-click (Enter) opens a document."""

    HEADERS = ("Title", "Analysts", "Differences", "Span F1", "Review")

    def __init__(self, window: MainWindow, entries: Sequence[QueueEntry]) -> None:
        super().__init__(window)
        self.setObjectName("reviewQueue")
        self.setWindowTitle("Queue by Disagreement")
        self._window = window
        self.table = QTableWidget(len(entries), len(self.HEADERS))
        self.table.setObjectName("reviewQueueTable")
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        table_defaults(self.table)
        for row, entry in enumerate(entries):
            f1 = "—" if entry.span_f1 is None else f"{entry.span_f1:.2f}"
            review = DocumentListModel.REVIEW_NAMES.get(entry.review_status,
                                                        entry.review_status)
            for column, value in enumerate((entry.title, ", ".join(entry.analysts),
                                            str(entry.differences), f1, review)):
                item = QTableWidgetItem(value)
                item.setToolTip(plain_tooltip(value))      # whole, when the cell elides
                item.setData(Qt.ItemDataRole.UserRole, entry.document_id)
                if column in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        # The title takes what the other columns (as wide as their text) leave.
        self.columns = ColumnFitter(self.table, 0, share=0.45, cap=160)
        self.table.itemActivated.connect(self._open)
        self.table.itemDoubleClicked.connect(self._open)
        text = (f"{plural(len(entries), 'document')} finished by every analyst assigned, "
                "most disagreement first (differences: matched claims not marked alike; "
                "then 1 − span F1). Double-click to open one."
                if entries else
                "No document is finished by every analyst assigned to it yet.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        label = plain_label(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 360)
        if entries:
            self.table.selectRow(0)

    def _open(self, item: QTableWidgetItem) -> None:
        self._window.reveal_document(item.data(Qt.ItemDataRole.UserRole))


class Assignments(QObject):
    """The window's side of blind double coding (see the module doc)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._states: dict[str, AssignmentState] = {}
        self.queue_action = make_action(window, "&Queue by Disagreement…", self.show_queue,
                                        None, QUEUE_TIP)
        self.queue_dialog: QueueDialog | None = None
        window.document_panel.show_assigned_column(False)

    def _service(self) -> AssignmentService | None:
        service = self._window.service
        return AssignmentService(service) if service is not None else None

    def _analyst(self) -> str:
        return self._window.settings.annotator_name()

    # What the analyst may see ---------------------------------------------------------

    def state(self, document_id: str | None) -> AssignmentState | None:
        return self._states.get(document_id) if document_id else None

    def blind_documents(self) -> set[str]:
        """The documents blind for the analyst (as the document list last read them)."""
        return {doc for doc, state in self._states.items() if state.blind}

    def visible(self, document_id: str, wanted: Collection[str] | None
                ) -> frozenset[str] | None:
        """Whose claims the window may read on the document, of ``wanted`` (None:
        everyone's); read from the project, so a colleague's done mark counts at once."""
        service = self._service()
        if service is None:
            return None if wanted is None else frozenset(wanted)
        try:
            found = service.visible_annotators(document_id, self._analyst(), wanted)
        except ProjectError:
            found = {self._analyst(), ""}      # when in doubt, blind
        blind = found is not None and (wanted is None or set(found) != set(wanted))
        if blind:
            self._window.show_message(BLIND_HINT, 10000)
        return None if found is None else frozenset(found)

    def documents(self, infos: list[DocumentInfo],
                  wanted: Collection[str] | None) -> list[DocumentInfo]:
        """The document list (its counts of ``wanted``'s claims, None: everyone's):
        the analyst's assignments read again (for the Assigned column), and on
        blind documents only the analyst's own claims counted."""
        service, window = self._service(), self._window
        self._states = service.states_for(self._analyst()) if service is not None else {}
        window.documents.set_assignments({doc: state.describe()
                                          for doc, state in self._states.items()})
        window.document_panel.show_assigned_column(bool(self._states))
        blind, own_work = self.blind_documents(), {self._analyst(), ""}
        if not blind or window.service is None or (wanted is not None
                                                   and set(wanted) <= own_work):
            return infos
        own = {info.id: info for info in window.service.documents(annotators=own_work)
               if info.id in blind}
        return [own.get(info.id, info) if info.id in blind else info for info in infos]

    def visible_results(self, found: list[SearchResult]) -> list[SearchResult]:
        """Search results without colleagues' claims on blind documents."""
        blind, me = self.blind_documents(), self._analyst()
        return [r for r in found if not (r.document_id in blind and r.claim_id
                                         and r.analyst not in (me, ""))]

    # Marking done ---------------------------------------------------------------------

    def toggle_done(self) -> None:
        """Ctrl+D: the analyst's own assignment on the shown document done (or not);
        a document not assigned to them gets its status toggled as always."""
        window, service = self._window, self._service()
        document = window.current_document
        state = None
        if document is not None and service is not None:     # as stored now
            state = service.states_for(self._analyst()).get(document.id)
        if document is None or state is None:
            window.set_document_status("done")
            return
        window.undo_stack.push(SetAssignmentDoneCommand(self, document.id,
                                                        state.status != "done"))

    def set_done(self, document_id: str, done: bool) -> bool:
        """Store the analyst's done mark and show what follows; False if not saved."""
        window, service = self._window, self._service()
        if service is None:
            return False
        try:
            service.set_done(document_id, self._analyst(), done)
        except (ProjectError, NotFoundError) as error:
            window.show_failure(f"Not saved: {error}")
            return False
        window.show_saved(datetime.now())
        self.refresh(document_id)
        state = self.state(document_id)
        if state is not None and (state.blind or not done):
            window.show_message(f"Your part: {state.describe()}.", 8000)
        return True

    def refresh(self, document_id: str | None = None) -> None:
        """Read the list again; the shown document's claims too when its
        blindness may have changed (a done mark, a colleague's, live)."""
        window = self._window
        if window.service is None:
            return
        shown = window.current_document
        before = self.state(shown.id if shown else None)
        window.reload_documents()
        after = self.state(shown.id if shown else None)
        if shown is not None and (document_id in (None, shown.id) or before != after):
            window.live.follow_visibility()     # claims added or removed one by one
        if before is not None and before.blind and after is not None and not after.blind:
            window.show_message("Everyone assigned to this document is done: colleagues' "
                                "claims are shown now (as View › Show Claims chooses).", 10000)

    def status_changed(self, document_id: str, _status: str) -> None:
        """A document's status changed (here, or a colleague's done mark seen live):
        an assigned document may no longer be blind."""
        if document_id in self._states:
            QTimer.singleShot(0, lambda: self.refresh(document_id))

    # The reviewer's queue --------------------------------------------------------------

    def show_queue(self) -> QueueDialog | None:
        window, service = self._window, self._service()
        if service is None:
            window.show_message("Open a project first.")
            return None
        try:
            entries = service.queue()
        except ProjectError as error:
            window.show_failure(f"Could not read the queue: {error}")
            return None
        if self.queue_dialog is not None:
            self.queue_dialog.deleteLater()
        self.queue_dialog = QueueDialog(window, entries)
        self.queue_dialog.setToolTip(plain_tooltip(QUEUE_TIP))
        self.queue_dialog.show()
        return self.queue_dialog


def install(window: MainWindow, review_menu: QWidget) -> Assignments:
    """Make ``window.assignments`` and put its action in the Review menu."""
    assignments = Assignments(window)
    review_menu.addSeparator()            # type: ignore[attr-defined]
    review_menu.addAction(assignments.queue_action)
    return assignments
