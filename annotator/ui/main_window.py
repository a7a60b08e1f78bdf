"""The main window: document list, viewer, claim editor and claims table."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from annotator import __version__
from annotator.domain.labels import Stance
from annotator.domain.model import Claim, Document, normalise_tags
from annotator.formats.problems import ImportProblem
from annotator.paths import PROJECT_SUFFIX
from annotator.services.project import ProjectService
from annotator.services.transfer import export, import_annotations, import_files
from annotator.storage.errors import ProjectError
from annotator.ui.claim_editor import ClaimEditor
from annotator.ui.commands import AddClaimCommand, DeleteClaimCommand, EditClaimCommand
from annotator.ui.controller import ProjectController
from annotator.ui.item_models import ClaimTableModel, DocumentListModel
from annotator.ui.settings import UiSettings
from annotator.ui.text_view import ClaimTextView

PROJECT_FILTER = f"Annotator projects (*{PROJECT_SUFFIX} *.sqlite *.db);;All files (*)"


def _value_for(field: str, value: object) -> object:
    if field == "stance":
        return Stance(value) if value else None
    if field == "tags":
        return normalise_tags(value)
    return value


class MainWindow(QMainWindow):
    """One project at a time; every change is an undoable command, saved at once.

    Signals:
        project_opened(str): a project was opened (its location).
    """

    project_opened = Signal(str)

    def __init__(self, settings: UiSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or UiSettings()
        self.controller: ProjectController | None = None
        self.undo_stack = QUndoStack(self)
        self._document: Document | None = None
        self.setWindowTitle("Annotator")

        self.documents = DocumentListModel(self)
        self.document_list = QTableView()
        self.document_list.setObjectName("documentList")
        self.document_list.setModel(self.documents)
        self._table_defaults(self.document_list)
        self.document_list.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)

        self.view = ClaimTextView()
        self.view.setObjectName("documentView")

        self.claims = ClaimTableModel(self)
        self.claim_table = QTableView()
        self.claim_table.setObjectName("claimTable")
        self.claim_table.setModel(self.claims)
        self._table_defaults(self.claim_table)
        header = self.claim_table.horizontalHeader()
        header.setDefaultSectionSize(110)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(ClaimTableModel.HEADERS.index("Start"), 60)

        self.editor = ClaimEditor()
        self.editor.setObjectName("claimEditor")

        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.view)
        centre.addWidget(self.claim_table)
        centre.setStretchFactor(0, 3)
        centre.setStretchFactor(1, 1)
        self.setCentralWidget(centre)
        documents_dock = self._dock("Documents", self.document_list,
                                    Qt.DockWidgetArea.LeftDockWidgetArea)
        claim_dock = self._dock("Claim", self.editor, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([documents_dock, claim_dock], [300, 360], Qt.Orientation.Horizontal)

        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.progress_label = QLabel()
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.saved_label)

        self._make_actions()
        self._connect()
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if state is not None:
            self.restoreState(state)

    # Construction ------------------------------------------------------------------

    @staticmethod
    def _table_defaults(table: QTableView) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None,  # type: ignore[no-untyped-def]
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        self.new_project_action = self._action("&New Project…", self._on_new_project,
                                               QKeySequence.StandardKey.New)
        self.open_project_action = self._action("&Open Project…", self._on_open_project,
                                                QKeySequence.StandardKey.Open)
        self.import_action = self._action("&Import Documents…", self._on_import_documents,
                                          "Ctrl+I", "Import .txt and .md files")
        self.import_claims_action = self._action("Import &Annotations (JSONL)…",
                                                 self._on_import_annotations)
        self.export_jsonl_action = self._action("Export Claims as &JSONL…",
                                                lambda: self._on_export("jsonl"), "Ctrl+E")
        self.export_csv_action = self._action("Export Claims as &CSV…",
                                              lambda: self._on_export("csv"))
        self.export_documents_action = self._action("Export &Documents as JSONL…",
                                                    lambda: self._on_export("documents"))
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)

        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.mark_action = self._action("&Mark Claim", self.mark_claim, None,
                                        "Make the selected text a claim (Enter)")
        self.mark_action.setShortcuts([QKeySequence(Qt.Key.Key_Return),
                                       QKeySequence(Qt.Key.Key_Enter)])
        self.mark_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.addAction(self.mark_action)
        self.delete_action = self._action("&Delete Claim", self.delete_current_claim,
                                          QKeySequence.StandardKey.Delete,
                                          "Delete the current claim")
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.view.addAction(self.delete_action)
        self.claim_table.addAction(self.delete_action)
        self.stance_actions = []
        for number, stance in enumerate(Stance, start=1):
            action = self._action(f"Stance: {stance.label}",
                                  lambda _=False, s=stance: self.editor.set_stance(s),
                                  f"Ctrl+{number}")
            self.stance_actions.append(action)
        self.clear_stance_action = self._action("Stance: None",
                                                lambda: self.editor.set_stance(None), "Ctrl+0")
        self.name_action = self._action("Analyst &Name…", self._on_set_name)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.new_project_action, self.open_project_action])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.import_claims_action])
        file_menu.addSeparator()
        file_menu.addActions([self.export_jsonl_action, self.export_csv_action,
                              self.export_documents_action])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.mark_action, self.delete_action])
        edit_menu.addSeparator()
        edit_menu.addActions([*self.stance_actions, self.clear_stance_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.name_action)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About Annotator", self._on_about))

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.addActions([self.mark_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        self.addToolBar(toolbar)

    def _connect(self) -> None:
        self.document_list.selectionModel().currentRowChanged.connect(
            self._on_document_row_changed)
        self.claim_table.selectionModel().currentRowChanged.connect(self._on_claim_row_changed)
        self.view.claim_clicked.connect(self._on_view_claim_clicked)
        self.view.selectionChanged.connect(self._update_actions)
        self.editor.edited.connect(self._on_editor_edited)
        self._update_actions()

    # Project -----------------------------------------------------------------------

    @property
    def service(self) -> ProjectService | None:
        return self.controller.service if self.controller else None

    def open_project(self, location: str | Path, *, create: bool = False) -> bool:
        """Open a project, closing the current one. Returns False (and tells the
        user why) if it cannot be opened."""
        try:
            service = ProjectService.open(location, create=create)
        except ProjectError as error:
            QMessageBox.warning(self, "Cannot open project", str(error))
            return False
        self.set_service(service)
        return True

    def set_service(self, service: ProjectService) -> None:
        self._close_project()
        self.controller = ProjectController(service, self)
        self.controller.claim_added.connect(self._on_claim_added)
        self.controller.claim_changed.connect(self._on_claim_changed)
        self.controller.claim_removed.connect(self._on_claim_removed)
        self.controller.saved.connect(self._on_saved)
        self.controller.failed.connect(self._on_failed)
        location = service.location
        if not location.startswith(("postgresql", "sqlite")):
            self.settings.add_recent_project(location)
        self.setWindowTitle(f"{Path(location).name} — Annotator")
        self.saved_label.setText("All changes saved")
        self._reload_documents()
        self.project_opened.emit(location)

    def _close_project(self) -> None:
        self.editor.commit_note()
        self.undo_stack.clear()
        if self.controller is not None:
            self.controller.service.close()
            self.controller.deleteLater()
            self.controller = None
        self._document = None
        self.view.set_document(None, [])
        self.claims.set_claims([])
        self.editor.set_claim(None)

    def _reload_documents(self, select: str | None = None) -> None:
        assert self.service is not None
        documents = self.service.documents()
        self.documents.set_documents(documents)
        self.editor.set_propositions(self.service.propositions())
        self._update_progress()
        if not documents:
            self.show_document(None)
            return
        row = self.documents.row_of(select) if select else None
        if row is None and self._document is not None:
            row = self.documents.row_of(self._document.id)
        self.document_list.setCurrentIndex(self.documents.index(row or 0, 0))

    def _update_progress(self) -> None:
        self.progress_label.setText(f"{self.documents.rowCount()} documents · "
                                    f"{self.documents.total_claims()} claims")

    # Documents and claims ------------------------------------------------------------

    def show_document(self, document_id: str | None) -> None:
        self.editor.commit_note()
        if document_id is None or self.service is None:
            self._document = None
            self.view.set_document(None, [])
            self.claims.set_claims([])
            self.editor.set_claim(None)
            return
        document = self.service.document(document_id)
        claims = self.service.claims(document_id)
        self._document = document
        self.view.set_document(document, claims)
        self.claims.set_claims(claims)
        self.editor.set_claim(None)
        self.view.setFocus()
        self._update_actions()

    @property
    def current_document(self) -> Document | None:
        return self._document

    def current_claim(self) -> Claim | None:
        return self.editor.claim

    def select_claim(self, claim_id: str | None, *, reveal: bool = True) -> None:
        """Make ``claim_id`` the current claim in the viewer, the table and the editor."""
        row = self.claims.row_of(claim_id) if claim_id else None
        claim = self.claims.claim_at(row) if row is not None else None
        self.view.set_current_claim(claim.id if claim else None, reveal=reveal)
        self.editor.set_claim(claim)
        selection = self.claim_table.selectionModel()
        if row is None:
            selection.clearSelection()
        elif self.claim_table.currentIndex().row() != row:
            blocker = selection.blockSignals(True)
            try:
                self.claim_table.setCurrentIndex(self.claims.index(row, 0))
                selection.select(self.claims.index(row, 0),
                                 QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)
            finally:
                selection.blockSignals(blocker)
            self.claim_table.scrollTo(self.claims.index(row, 0))
        self._update_actions()

    def mark_claim(self) -> Claim | None:
        """Make the viewer's selection a claim (the Enter key)."""
        span = self.view.selected_span()
        if span is None or self._document is None or self.controller is None:
            self.statusBar().showMessage("Select some text first, then press Enter.", 4000)
            return None
        claim = Claim.new(self._document, *span, annotator=self.settings.annotator_name())
        self.undo_stack.push(AddClaimCommand(self.controller, claim))
        if self.claims.row_of(claim.id) is None:   # not saved: the command was dropped
            return None
        self.view.clear_selection()
        self.select_claim(claim.id, reveal=False)
        return claim

    def delete_current_claim(self) -> None:
        claim = self.current_claim()
        if claim is None or self.controller is None:
            return
        self.undo_stack.push(DeleteClaimCommand(self.controller, claim))

    def edit_current_claim(self, field: str, value: object) -> None:
        claim = self.current_claim()
        if claim is None or self.controller is None:
            return
        after = claim.edited(**{field: _value_for(field, value)})
        self.undo_stack.push(EditClaimCommand(self.controller, claim, after, field))

    def _update_actions(self) -> None:
        has_claim = self.current_claim() is not None
        self.delete_action.setEnabled(has_claim)
        for action in (*self.stance_actions, self.clear_stance_action):
            action.setEnabled(has_claim)
        self.mark_action.setEnabled(self._document is not None
                                    and self.view.textCursor().hasSelection())

    # Slots ---------------------------------------------------------------------------

    def _on_document_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            document_id = self.documents.document_id(current.row())
            if self._document is None or self._document.id != document_id:
                self.show_document(document_id)

    def _on_claim_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.select_claim(self.claims.claim_at(current.row()).id, reveal=True)

    def _on_view_claim_clicked(self, claim_id: str) -> None:
        self.select_claim(claim_id, reveal=False)

    def _on_editor_edited(self, field: str, value: object) -> None:
        self.edit_current_claim(field, value)

    def _on_claim_added(self, claim: Claim) -> None:
        self.documents.change_count(claim.document_id, +1)
        self._update_progress()
        if self._document is not None and claim.document_id == self._document.id:
            self.view.add_claim(claim)
            self.claims.add(claim)

    def _on_claim_removed(self, claim: Claim) -> None:
        self.documents.change_count(claim.document_id, -1)
        self._update_progress()
        if self._document is not None and claim.document_id == self._document.id:
            if self.current_claim() is not None and self.current_claim().id == claim.id:
                self.editor.set_claim(None)
            self.view.remove_claim(claim.id)
            self.claims.remove(claim)
            self._update_actions()

    def _on_claim_changed(self, before: Claim, after: Claim) -> None:
        if self._document is not None and after.document_id == self._document.id:
            self.view.update_claim(after)
            self.claims.replace(before, after)
            current = self.current_claim()
            if current is not None and current.id == after.id:
                self.editor.set_claim(after)
        if after.proposition and after.proposition != before.proposition:
            self.editor.set_propositions(self.service.propositions() if self.service else [])

    def _on_saved(self, moment: datetime) -> None:
        self.saved_label.setText(f"Saved {moment:%H:%M:%S}")

    def _on_failed(self, message: str) -> None:
        self.saved_label.setText("NOT SAVED")
        QMessageBox.critical(self, "Change not saved", message)

    def _on_new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New Project", str(Path.home()),
                                              PROJECT_FILTER)
        if not path:
            return
        if not path.endswith((PROJECT_SUFFIX, ".sqlite", ".db")):
            path += PROJECT_SUFFIX
        if Path(path).exists():
            QMessageBox.warning(self, "New Project", f"{path} already exists; use Open Project.")
            return
        self.open_project(path, create=True)

    def _on_open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open Project", str(Path.home()),
                                              PROJECT_FILTER)
        if path:
            self.open_project(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_projects()
        for number, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            QMessageBox.warning(self, "Open Recent", f"{path} no longer exists.")
            self.settings.remove_recent_project(path)
            return
        self.open_project(path)

    def _on_import_documents(self) -> None:
        if self.service is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Import Documents", str(Path.home()),
                                                "Text and Markdown (*.txt *.md *.markdown);;"
                                                "All files (*)")
        if paths:
            self.import_documents(paths)

    def import_documents(self, paths: list[str]) -> None:
        assert self.service is not None
        try:
            report = import_files(self.service, paths)
        except ProjectError as error:
            QMessageBox.critical(self, "Import failed", str(error))
            return
        imported = [r.document_id for r in report.results if r.document_id]
        self._reload_documents(select=imported[0] if imported else None)
        details = "\n".join(f"{Path(r.path).name}: {r.reason}" for r in report.failed)
        message = report.summary() + (f"\n\n{details}" if details else "")
        if report.failed:
            QMessageBox.warning(self, "Import finished with problems", message)
        else:
            self.statusBar().showMessage(message, 6000)

    def _on_import_annotations(self) -> None:
        if self.service is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Import Annotations", str(Path.home()),
                                              "JSON Lines (*.jsonl);;All files (*)")
        if not path:
            return
        try:
            report = import_annotations(self.service, path)
        except (ProjectError, ImportProblem) as error:
            QMessageBox.critical(self, "Import failed", str(error))
            return
        self.undo_stack.clear()   # imported claims are not undoable one by one
        self._reload_documents()
        if self._document is not None:
            self.show_document(self._document.id)
        details = "\n".join(str(p) for p in report.problems[:20])
        QMessageBox.information(self, "Annotations imported",
                                report.summary() + (f"\n\n{details}" if details else ""))

    def _on_export(self, fmt: str) -> None:
        if self.service is None:
            return
        suffix = {"jsonl": "jsonl", "csv": "csv", "documents": "jsonl"}[fmt]
        name = "documents" if fmt == "documents" else "claims"
        path, _ = QFileDialog.getSaveFileName(self, "Export", str(Path.home() / f"{name}.{suffix}"),
                                              f"{suffix.upper()} (*.{suffix})")
        if path:
            self.export_to(fmt, path)

    def export_to(self, fmt: str, path: str) -> int | None:
        assert self.service is not None
        self.editor.commit_note()
        try:
            count = export(self.service, fmt, path)
        except (ProjectError, OSError) as error:
            QMessageBox.critical(self, "Export failed", f"{path}: {error}")
            return None
        self.statusBar().showMessage(f"Exported {count} records to {path}", 6000)
        return count

    def _on_set_name(self) -> None:
        name, ok = QInputDialog.getText(self, "Analyst Name",
                                        "Your name, recorded on every claim you make:",
                                        text=self.settings.annotator_name())
        if ok and name.strip():
            self.settings.set_annotator_name(name)

    def _on_about(self) -> None:
        QMessageBox.about(self, "About Annotator",
                          f"<b>Annotator {__version__}</b><br>Label claims in documents."
                          "<br>Apache License 2.0")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.commit_note()
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self._close_project()
        super().closeEvent(event)


