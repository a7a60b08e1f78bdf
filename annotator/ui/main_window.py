"""The main window: document list, viewer, claim panel, legend and claims table.

The claim shown as current is the one the keys act on; it is highlighted in
the viewer, shown in the claim panel and selected in the table, and only
:meth:`MainWindow.select_claim` changes it. Keys and panel edits go through
one path (:class:`~annotator.ui.labelling_loop.LabellingLoop`); the File
menu's work is in :mod:`annotator.ui.project_files`, actions and menus in
:mod:`annotator.ui.window_actions`, review in :mod:`annotator.ui.review_mode`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.labelling import digit_keys, key_range
from annotator.domain.model import Claim, Document
from annotator.formats.registry import ImportOptions
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.storage.errors import DamagedProjectError, ProjectError
from annotator.storage.lock import ProjectInUseError, ProjectLock
from annotator.ui import plain, window_actions, window_layout
from annotator.ui.backup_flow import ProjectBackups
from annotator.ui.commands import (
    EditDocumentDetailsCommand,
    GradeSourceCommand,
    SetDocumentStatusCommand,
    UndoStack,
    UpdateSourceCommand,
    focus_of,
)
from annotator.ui.controller import CodebookController, ProjectController
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.identity import Identity
from annotator.ui.labelling_loop import LabellingLoop
from annotator.ui.legend import claim_key
from annotator.ui.live import LiveUpdates
from annotator.ui.project_files import ProjectFiles
from annotator.ui.project_hold import ProjectHold, bring_forward, take_lock, window_holding
from annotator.ui.settings import UiSettings
from annotator.ui.shortcuts_dialog import ShortcutsDialog, action_rows
from annotator.ui.shown_claims import ShownClaims
from annotator.ui.team_connect import open_service, project_title
from annotator.ui.unplaced_dialog import UnplacedDialog


class MainWindow(QMainWindow):
    """One project at a time; every change is an undoable command, saved at once.

    Signals:
        project_opened(str): a project was opened (its location).
        import_finished(ImportReport): a document import ended.
    """

    project_opened = Signal(str)
    import_finished = Signal(object)

    def __init__(self, settings: UiSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or UiSettings()
        self.controller: ProjectController | None = None
        self.codebook_controller: CodebookController | None = None
        self.undo_stack = UndoStack(self)
        self.live = LiveUpdates(self)
        self._document: Document | None = None
        self._undo_index = 0
        self.snap = self.settings.snap_to_words()
        self._sources_refresh = QTimer(self)
        self._sources_refresh.setSingleShot(True)
        self._sources_refresh.setInterval(0)
        self._sources_refresh.timeout.connect(self._on_sources_changed)
        self.setWindowTitle("Annotator")
        self.loop = LabellingLoop(self, self)
        self.files = ProjectFiles(self)
        self.backups = ProjectBackups(self)
        self.project_hold = ProjectHold(self)
        self.project_hold.raise_requested.connect(self.come_forward)
        self.review_layout = window_layout.ReviewLayout(self)
        window_layout.build_widgets(self)
        self.shown = ShownClaims(self.view, self.claim_table, self.claims, self.claim_proxy,
                                 self.editor, self.legend, self._update_actions, self)
        window_actions.build(self)
        self.identity = Identity(self)
        self._connect()
        self._default_layout = not window_layout.restore_layout(self)

    # Construction ------------------------------------------------------------------

    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def menu_actions(self) -> list[QAction]:
        """Every action reachable from the menus (the shortcuts sheet lists them)."""
        found: list[QAction] = []

        def walk(actions: list[QAction]) -> None:
            for action in actions:
                if action.menu() is not None:
                    walk(action.menu().actions())
                elif not action.isSeparator():
                    found.append(action)

        walk(self.menuBar().actions())
        return found

    def _connect(self) -> None:
        self.document_panel.chosen.connect(self.show_document)
        self.view.span_dragged.connect(self._on_view_span_dragged)
        self.view.selectionChanged.connect(self._update_actions)
        self.find_bar.found.connect(lambda: self.select_claim(None, reveal=False))
        self.editor.edited.connect(self.loop.set_field)
        self.editor.escaped.connect(self.view.setFocus)
        self.legend.colour_by_changed.connect(self._on_colour_by_changed)
        self.legend.filter_changed.connect(self.apply_filter)
        self.keyboard.mode_changed.connect(self.show_mode)
        self.show_mode(self.keyboard.mode)
        self.sources.grade_requested.connect(self._on_sources_grade_requested)
        self.sources.kind_requested.connect(self._on_sources_kind_requested)
        self.sources.claim_activated.connect(self.reveal_claim)
        self.details.details_edited.connect(self._on_details_edited)
        self.undo_stack.indexChanged.connect(self._on_undo_index_changed)
        self._update_actions()

    # Project -----------------------------------------------------------------------

    @property
    def service(self) -> ProjectService | None:
        return self.controller.service if self.controller else None

    @property
    def codebook(self) -> Codebook:
        return self.codebook_controller.codebook if self.codebook_controller else Codebook()

    def open_project(self, location: str | Path, *, create: bool = False) -> bool:
        """Open a project, closing the current one. Returns False (and tells the
        user why) if it cannot be opened. A project open in another window is not
        opened twice: that window comes forward (or the user is told who has it)."""
        holder = window_holding(location)
        if holder is not None:
            if holder is not self:
                holder.come_forward()     # type: ignore[attr-defined]
            return holder is self
        try:
            lock = take_lock(location, self.settings.annotator_name())
        except ProjectInUseError as error:
            if not bring_forward(error.project):
                plain.warn(self, "Project open elsewhere", str(error))
            return False
        try:        # a team server's password is asked for if needed
            service = open_service(self, location, create=create)
        except ProjectError as error:
            if lock is not None:
                lock.release()
            if isinstance(error, DamagedProjectError):      # set aside: offer its backup
                return self.backups.offer_restore(error)
            plain.warn(self, "Cannot open project", str(error))
            return False
        if service is None:         # the password was not given
            return False
        self.set_service(service, lock)
        return True

    def come_forward(self) -> None:
        """Another launch asked for this window's project: show this window."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def set_service(self, service: ProjectService, lock: ProjectLock | None = None) -> None:
        """Show ``service``'s project; ``lock`` (from :func:`take_lock`) is held
        until another project is shown or the window closes."""
        self._close_project()
        self.project_hold.hold(lock)
        self.controller = ProjectController(service, self)
        self.controller.analyst = self.settings.annotator_name
        self.controller.claim_added.connect(self._on_claim_added)
        self.controller.claim_changed.connect(self._on_claim_changed)
        self.controller.claim_removed.connect(self._on_claim_removed)
        self.controller.document_status_changed.connect(self._on_document_status_changed)
        self.controller.sources_changed.connect(self._on_sources_changed)
        self.controller.document_changed.connect(self._on_document_changed)
        self.controller.saved.connect(self.show_saved)
        self.controller.failed.connect(self.show_failure)
        self.live.connect()
        self.loop.set_controller(self.controller)
        self.codebook_controller = CodebookController(CodebookService(service.database), self)
        self.codebook_controller.codebook_changed.connect(self._on_codebook_changed)
        self.codebook_controller.failed.connect(
            lambda message: self.show_message(f"Codebook not changed: {message}", 8000))
        self.sources.set_service(service)
        self.review.set_service(service)
        self.identity.project_opened()
        location = service.location         # a team URL holds no password
        if not location.startswith("sqlite"):
            self.settings.add_recent_project(location)
        self.setWindowTitle(f"{project_title(location)} — Annotator")
        self.saved_label.setText("All changes saved")
        self._apply_codebook(self.codebook)
        colour_by = self.settings.colour_by()
        if colour_by in {d.value for d in self.codebook.dimensions()}:
            self.legend.set_dimension(Dimension(colour_by))
        self._on_sources_changed()
        self.reload_documents()
        self.backups.project_opened(service)
        self.project_opened.emit(location)

    def close_project(self) -> None:
        """Close the open project (backed up first when it changed)."""
        self._close_project()

    def _close_project(self) -> None:
        self.live.stop()
        self.editor.commit_note()
        self.undo_stack.clear()
        self._undo_index = 0
        if self.controller is not None:
            self.backups.close_service(self.controller.service)
            self.controller.deleteLater()
            self.controller = None
        self.loop.set_controller(None)
        self.loop.layer = None
        if self.codebook_controller is not None:
            self.codebook_controller.deleteLater()
            self.codebook_controller = None
        self._document = None
        self.shown.open(None, [])
        self.sources.set_service(None)
        self.review.set_service(None)

    def reload_documents(self, select: str | None = None, *, reshow: bool = False) -> None:
        """Read the document list again; select ``select`` (or keep the open one);
        with ``reshow`` the open document's claims are read again too."""
        if self.service is None:
            return
        self.document_panel.set_documents(self.identity.documents())
        self.update_review_column()
        if self.documents.rowCount() == 0:
            self.show_document(None)
            return
        if reshow and self._document is not None and select is None:
            self.show_document(self._document.id)
        self._select_document(select or (self._document.id if self._document else None))

    def _select_document(self, document_id: str | None) -> None:
        chosen = self.document_panel.select(document_id)
        if chosen is not None and (self._document is None or chosen != self._document.id):
            self.show_document(chosen)

    def document_order(self) -> list[str]:
        return self.document_panel.order()

    def document_titles(self) -> dict[str, str]:
        return self.document_panel.titles()

    def set_document_review_status(self, document_id: str, status: str) -> None:
        self.documents.update(document_id, review_status=status)
        self.update_review_column()

    def update_review_column(self) -> None:
        self.document_panel.show_review_column(self.review.active)

    def work_imported(self) -> None:
        """A colleague's work was imported: show what is stored now."""
        self.undo_stack.clear()   # imported claims are not undoable one by one
        self._undo_index = 0
        if self.codebook_controller is not None:
            self.codebook_controller.reload()      # the import may have added labels
        self._on_sources_changed()
        self.reload_documents(reshow=True)
        self.review.refresh()       # new or newer analysts' claims: compare them
        self.identity.work_imported()

    # Codebook ----------------------------------------------------------------------

    def _apply_codebook(self, codebook: Codebook) -> None:
        self.editor.set_codebook(codebook)
        self.legend.set_codebook(codebook)
        self.sources.set_codebook(codebook)
        self.claims.set_codebook(codebook)
        self._on_colour_by_changed(self.legend.dimension)
        if self.keyboard.mode not in self.keyboard.modes():
            self.keyboard.set_mode(Dimension.STANCE)
        else:
            self.show_mode(self.keyboard.mode)

    def colouring(self, dimension: Dimension) -> Callable[[Claim], QColor | None]:
        if self.review.colours_by_analyst():      # comparing: one colour per analyst
            return self.review.analyst_colouring()
        codebook = self.codebook

        def colour(claim: Claim) -> QColor | None:
            found = codebook.colour(dimension, claim_key(claim, dimension))
            return QColor(found) if found else None

        return colour

    def show_codebook(self) -> None:
        if self.codebook_controller is None:
            return
        from annotator.ui.codebook_dialog import CodebookDialog

        CodebookDialog(self.codebook_controller, self.undo_stack, self).exec()

    def _on_codebook_changed(self, codebook: Codebook) -> None:
        self._apply_codebook(codebook)
        if self.controller is not None:     # relabelled claims: their versions, what is stored
            self.controller.relabelled()
        if self._document is not None and self.service is not None:
            self.shown.show(self.identity.claims_of(self._document))
            self.document_panel.set_documents(self.identity.documents())
            self._select_document(self._document.id)
        self.show_saved(datetime.now())

    # Documents --------------------------------------------------------------------------

    def show_document(self, document_id: str | None) -> None:
        self.editor.commit_note()
        self.document_panel.set_shown(document_id)
        if document_id is None or self.service is None:
            self._document = None
            self.details.set_document(None)
            self.shown.open(None, [])
            self.review.document_shown()
            return
        try:
            document = self.service.document(document_id)
            claims = self.identity.open_claims(document)
        except ProjectError as error:      # e.g. the team server out of reach
            return self.live.read_failed(error)
        self._document = document
        self.shown.open(document, claims)
        self.details.set_document(document, version=self.document_panel.version_text(document))
        self.review.document_shown()
        self.view.setFocus()
        self._update_actions()

    @property
    def current_document(self) -> Document | None:
        return self._document

    def reveal_document(self, document_id: str) -> None:
        self._select_document(self.document_panel.reveal(document_id))

    def reveal_claim(self, document_id: str, claim_id: str) -> None:
        """Open ``document_id`` and make ``claim_id`` current (from the sources panel)."""
        if self._document is None or self._document.id != document_id:
            self.reveal_document(document_id)
        self.select_claim(claim_id, reveal=True)
        self.view.setFocus()

    def document_status(self) -> str:
        return self.document_panel.status(self._document.id if self._document else None)

    def set_document_status(self, status: str) -> None:
        if self._document is None or self.controller is None:
            self.show_message("Open a document first.")
            return
        before = self.document_status()
        if status == before and status == "done":
            status = "in_progress"            # Ctrl+D toggles done
        if status != before:
            self.undo_stack.push(SetDocumentStatusCommand(self.controller, self._document.id,
                                                          before, status))

    def next_undone_document(self) -> None:
        if self.documents.rowCount() and not self.document_panel.next_not_done():
            self.show_message("All documents are done.")

    def _on_details_edited(self, values: dict) -> None:
        if self._document is None or self.controller is None:
            return
        before = {"title": self._document.title, "source": self._document.source,
                  "published": self._document.published,
                  "publisher": str(self._document.metadata.get("publisher", ""))}
        self.undo_stack.push(EditDocumentDetailsCommand(self.controller, self._document.id,
                                                        before, values))

    def _on_document_changed(self, document: Document) -> None:
        if self._document is not None and self._document.id == document.id:
            self._document = document
            self.details.set_document(document, version=self.document_panel.version_text(document))
        if self.service is not None:
            self.document_panel.set_documents(self.identity.documents())

    def _on_document_status_changed(self, document_id: str, status: str) -> None:
        self.document_panel.update(document_id, status=status)
        self._update_actions()

    # The current claim (see annotator.ui.shown_claims) ----------------------------------

    def current_claim(self) -> Claim | None:
        return self.shown.current

    def select_claim(self, claim_id: str | None, *, reveal: bool = True) -> None:
        """Make ``claim_id`` (a claim of the shown document, or None) current."""
        self.shown.select(claim_id, reveal=reveal)

    def show_claims(self, claims: list[Claim]) -> None:
        self.shown.show(claims)

    def analyst_claims(self, document: Document) -> list[Claim]:
        """``document``'s claims by the analysts shown (see :mod:`annotator.ui.identity`)."""
        return self.identity.claims_of(document)

    def show_claim(self, claim: Claim) -> None:
        self.shown.add(claim)

    def unshow_claim(self, claim: Claim) -> None:
        self.shown.remove(claim)

    def replace_claim(self, before: Claim, after: Claim) -> None:
        self.shown.replace(before, after)

    def selected_span(self) -> tuple[int, int] | None:
        return self.view.selected_span()

    def current_in_sight(self) -> bool:
        claim = self.current_claim()
        return claim is None or not self.view.isVisible() or self.view.in_sight(claim.id)

    def reveal_current(self) -> None:
        claim = self.current_claim()
        if claim is not None:
            self.view.set_current_claim(claim.id, reveal=True)

    def read_only_reason(self, claim: Claim) -> str | None:
        """Why the analyst may not change ``claim`` (another analyst's claim; while
        comparing, any claim; on the gold layer, any but gold claims)."""
        return self.loop.layer.read_only_reason(claim) if self.loop.layer else None

    def _on_undo_index_changed(self, index: int) -> None:
        """After an undo or a redo, the claim it changed is current (shown); after a
        new step, the claim it made or changed (where the analyst already looks)."""
        previous, self._undo_index = self._undo_index, index
        if index == previous:
            return
        reveal = not self.undo_stack.pushing
        undone = index < previous
        command = self.undo_stack.command(index if undone else index - 1)
        focus = focus_of(command, undone) if command is not None else None
        current = self.current_claim()
        if focus is None or (current is not None and current.id == focus.claim_id):
            return
        if self._document is None or self._document.id != focus.document_id:
            if self.documents.row_of(focus.document_id) is None:
                return
            self.reveal_document(focus.document_id)     # show where the step happened
        if focus.claim_id is None or self.shown.claim(focus.claim_id) is not None:
            self.select_claim(focus.claim_id, reveal=reveal and focus.claim_id is not None)

    # The keyboard flow (see annotator.ui.keyboard) --------------------------------------

    def mark_claim(self) -> Claim | None:
        """Make the viewer's selection a claim (the Enter key)."""
        return self.loop.mark()

    def claim_marked(self, claim: Claim) -> None:
        self.view.clear_selection()
        current = self.current_claim()
        if current is None or current.id != claim.id:
            self.select_claim(claim.id, reveal=False)

    def press_digit(self, digit: str) -> None:
        self.loop.digit(digit)

    def set_label(self, dimension: Dimension, key: str | None) -> None:
        self.loop.set_label(dimension, key)

    def edit_current_claim(self, field: str, value: object) -> None:
        """Edit the current claim as one undo step (scripts come here; the panel
        and the keys take the same path)."""
        self.loop.set_field(field, value)

    def adjust_span(self, edge: str, direction: int) -> None:
        self.loop.move_edge(edge, direction)

    def delete_current_claim(self) -> None:
        self.loop.delete()

    def _on_view_span_dragged(self, claim_id: str, start: int, end: int) -> None:
        if not self.loop.drag(claim_id, start, end):
            claim = self.shown.claim(claim_id)
            if claim is not None:
                self.view.update_claim(claim)     # put the dragged edge back

    def digit_mode(self) -> Dimension:
        return self.keyboard.mode

    def set_digit_mode(self, mode: Dimension) -> None:
        if mode != self.keyboard.mode:
            self.keyboard.set_mode(mode)

    def analyst(self) -> str:
        return self.settings.annotator_name()

    def edit_note(self) -> None:
        if self.current_claim() is None:
            self.show_message("No current claim: Tab to a claim, then N for its note.")
            return
        self.claim_dock.show()
        self.claim_dock.raise_()
        self.editor.note.setFocus()

    def step_claim(self, direction: int) -> None:
        target = self.view.step_claim_id(direction)
        if target is None:
            self.show_message("No claims here yet: select text and press Enter.")
            return
        self.select_claim(target, reveal=True)

    def step_incomplete_claim(self, direction: int) -> None:
        codebook = self.codebook
        target = self.view.step_claim_id(direction,
                                         accept=lambda c: not codebook.is_complete(c))
        if target is None:
            self.show_message("Every claim here is complete.")
            return
        self.select_claim(target, reveal=True)

    def toggle_snap(self) -> None:
        self.snap = not self.snap
        self.snap_action.setChecked(self.snap)
        self.settings.set_snap_to_words(self.snap)
        self.show_message(f"Snap to words {'on' if self.snap else 'off'}", 3000)

    def clear_current_claim(self) -> None:
        self.select_claim(None)

    def step_disagreement(self, direction: int) -> None:
        """Next (+1) or previous (-1) disagreement between analysts (review)."""
        self.review.step(direction)

    def focus_pane(self, direction: int) -> None:
        """F6 / Shift+F6: the next (previous) panel takes the keyboard."""
        panes = [w for w in (self.document_list, self.view, self.claim_table, self.editor)
                 if w.isVisible()]
        focused = self.focusWidget()
        index = next((i for i, pane in enumerate(panes)
                      if focused is pane or (focused is not None and pane.isAncestorOf(focused))),
                     -1)
        target = panes[(index + direction) % len(panes)]
        if target is self.editor:
            self.claim_dock.raise_()
            target.proposition.setFocus()
        else:
            target.setFocus()

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        return [*self.keyboard.sheet(), *action_rows(self.menu_actions())]

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_rows(), self).exec()

    def show_mode(self, mode: Dimension) -> None:
        self.editor.set_mode(mode)
        if not self.review.active:
            self.set_mode_text(None)

    def set_mode_text(self, text: str | None) -> None:
        """The status bar's key hint (None: what digits label now)."""
        if text is None:
            keys = key_range(digit_keys(self.codebook, self.keyboard.mode))
            text = (f"Digits [{keys}] label: {self.keyboard.mode.title} (M switches) · "
                    "A–F source reliability · F1 all keys")
        self.mode_label.setText(text)

    def restyle(self) -> None:
        """Colour and filter the claims again (review changed how)."""
        self.identity.sync()        # comparing reads every analyst's claims
        self.view.set_colouring(self.colouring(self.legend.dimension))
        self.apply_filter()

    # Showing what changed -------------------------------------------------------------

    def show_message(self, message: str, timeout: int = 5000) -> None:
        self.statusBar().showMessage(message, timeout)

    def show_saved(self, moment: datetime) -> None:
        self.saved_label.setText(f"Saved {moment:%H:%M:%S}")

    def show_failure(self, message: str) -> None:
        self.saved_label.setText("NOT SAVED")
        if not self.live.status.quiet_failure(message):    # one box an outage
            plain.fail(self, "Change not saved", message)

    def _update_actions(self) -> None:
        has_document = self._document is not None
        self.delete_action.setEnabled(has_document)   # refused, with the reason, if no claim
        self.mark_action.setEnabled(has_document)
        for action in self.status_action.values():
            action.setEnabled(self.controller is not None)
        if has_document:
            self.status_action[self.document_status()].setChecked(True)

    def _on_colour_by_changed(self, dimension: Dimension) -> None:
        self.view.set_colouring(self.colouring(dimension))
        self.settings.set_colour_by(dimension.value)
        self.legend.update_counts(self.claims.claims())

    def apply_filter(self) -> None:
        """Show the claims the legend (or, comparing, review) lets through."""
        shown = self.legend.shows if self.legend.is_filtering() else None
        self.shown.set_filter(self.review.view_filter(shown))  # comparing: chosen analysts

    def _count_change(self, claim: Claim, sign: int) -> None:
        if not self.identity.counts(claim):
            return
        self.document_panel.update(claim.document_id, claims=sign,
                                   incomplete=0 if self.codebook.is_complete(claim) else sign)
        if claim.source_id:
            self._sources_stale()

    def _sources_stale(self) -> None:
        """Refresh the sources panel once, after the current burst of changes."""
        if not self._sources_refresh.isActive():
            self._sources_refresh.start()

    def _on_claim_added(self, claim: Claim) -> None:
        self._count_change(claim, +1)
        if self._document is not None and claim.document_id == self._document.id \
                and not self.review.gold_shown and self.identity.loads(claim):
            self.shown.add(claim)

    def _on_claim_removed(self, claim: Claim) -> None:
        self._count_change(claim, -1)
        if self._document is not None and claim.document_id == self._document.id \
                and not self.review.gold_shown:
            self.shown.remove(claim)

    def _on_claim_changed(self, before: Claim, after: Claim) -> None:
        codebook = self.codebook
        if before.document_id != after.document_id:      # placed in a new version
            self._count_change(before, -1)
            self._count_change(after, +1)
            if self._document is not None and before.document_id == self._document.id:
                self.shown.remove(before)
        elif self.identity.counts(after):
            self.documents.update(after.document_id,
                                  incomplete=int(not codebook.is_complete(after))
                                  - int(not codebook.is_complete(before)))
        if before.source_id or after.source_id:
            self._sources_stale()
        if self._document is not None and after.document_id == self._document.id \
                and not self.review.gold_shown and self.identity.loads(after):
            self.shown.replace(before, after)

    def _on_sources_changed(self) -> None:
        if self.service is not None:
            self.editor.set_sources([s.source.name for s in self.service.sources()])
            self.sources.refresh()

    def _on_sources_grade_requested(self, source_id: str, grade: object) -> None:
        if self.controller is not None:
            source = self.controller.service.source(source_id)
            self.undo_stack.push(GradeSourceCommand(self.controller, source,
                                                    grade))  # type: ignore[arg-type]

    def _on_sources_kind_requested(self, source_id: str, kind: str) -> None:
        if self.controller is not None:
            import dataclasses

            source = self.controller.service.source(source_id)
            self.undo_stack.push(UpdateSourceCommand(self.controller, source,
                                                     dataclasses.replace(source, kind=kind)))

    # Files (see annotator.ui.project_files) ----------------------------------------------

    def import_documents(self, paths: list[str], *, review_encodings: bool = True,
                         options: ImportOptions | None = None) -> bool:
        return self.files.import_documents(paths, review_encodings=review_encodings,
                                           options=options)

    def import_work(self, path: str) -> object | None:
        return self.files.import_work(path)

    def show_export_dialog(self) -> ExportDialog | None:
        return self.files.show_export_dialog()

    def show_unplaced(self) -> None:
        self.files.show_unplaced()

    @property
    def unplaced_dialog(self) -> UnplacedDialog | None:
        return self.files.unplaced_dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_documents(paths)

    def ask_analyst_name(self) -> None:
        self.identity.rename()

    def show_about(self) -> None:
        from annotator.ui.about_dialog import AboutDialog

        AboutDialog(self).exec()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._default_layout:
            self._default_layout = False
            QTimer.singleShot(0, lambda: window_layout.size_docks(self))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.files.close()
        self.editor.commit_note()
        self.review.leave()     # review mode rearranges the docks: save the usual layout
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self._close_project()
        self.project_hold.release()
        super().closeEvent(event)
