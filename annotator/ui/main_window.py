"""The main window: document list, viewer, claim editor, legend and claims table."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__
from annotator.domain.codebook import Codebook, Dimension, Proposition
from annotator.domain.editing import adjust_span, is_complete, snap_to_words, with_span
from annotator.domain.model import Claim, Document, normalise_tags
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportOptions, default_registry
from annotator.paths import PROJECT_SUFFIX
from annotator.services.codebook import CodebookService
from annotator.services.exports import ExportResult
from annotator.services.packages import import_work
from annotator.services.project import ProjectService
from annotator.services.transfer import FileStatus, ImportReport, export
from annotator.storage.errors import ProjectError
from annotator.ui.claim_editor import ClaimEditor
from annotator.ui.commands import (
    ChangeCodebookCommand,
    DeleteClaimCommand,
    EditClaimCommand,
    EditDocumentDetailsCommand,
    GradeSourceCommand,
    MarkClaimCommand,
    SetDocumentStatusCommand,
    UpdateSourceCommand,
)
from annotator.ui.controller import CodebookController, ProjectController
from annotator.ui.document_panel import DocumentPanel
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.import_flow import EncodingDialog, ImportJob, files_to_review
from annotator.ui.item_models import (
    STATUS_NAMES,
    ClaimFilterModel,
    ClaimTableModel,
    DocumentFilterModel,
    DocumentListModel,
)
from annotator.ui.keyboard import KeyboardFlow
from annotator.ui.legend import LegendPanel, claim_key
from annotator.ui.review_mode import ReviewMode
from annotator.ui.settings import UiSettings
from annotator.ui.shortcuts_dialog import ShortcutsDialog, action_rows
from annotator.ui.source_panel import SourcePanel
from annotator.ui.text_view import ClaimTextView
from annotator.ui.unplaced_dialog import UnplacedDialog

PROJECT_FILTER = f"Annotator projects (*{PROJECT_SUFFIX} *.sqlite *.db);;All files (*)"


def _label_value(dimension: Dimension, key: object) -> object:
    """A label key as the claim stores it (credibility grades are integers)."""
    if key is None or key == "":
        return None
    return int(str(key)) if dimension is Dimension.INFO_CREDIBILITY else str(key)


class MainWindow(QMainWindow):
    """One project at a time; every change is an undoable command, saved at once.

    Signals:
        project_opened(str): a project was opened (its location).
    """

    project_opened = Signal(str)
    import_finished = Signal(object)

    def __init__(self, settings: UiSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or UiSettings()
        self.controller: ProjectController | None = None
        self.codebook_controller: CodebookController | None = None
        self.undo_stack = QUndoStack(self)
        self._document: Document | None = None
        self.snap = self.settings.snap_to_words()
        self._sources_refresh = QTimer(self)
        self._sources_refresh.setSingleShot(True)
        self._sources_refresh.setInterval(0)
        self._sources_refresh.timeout.connect(self._on_sources_changed)
        self.setWindowTitle("Annotator")
        self._make_widgets()
        self._make_actions()
        self._connect()
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        if state is not None:
            self.restoreState(state)
        self._default_layout = state is None

    # Construction ------------------------------------------------------------------

    def _make_widgets(self) -> None:
        self.documents = DocumentListModel(self)
        self.document_proxy = DocumentFilterModel(self)
        self.document_proxy.setSourceModel(self.documents)
        self.document_list = QTableView()
        self.document_list.setObjectName("documentList")
        self.document_list.setModel(self.document_proxy)
        self._table_defaults(self.document_list)
        self.document_list.setSortingEnabled(True)
        self.document_list.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.document_list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem("All documents", None)
        for key, name in STATUS_NAMES.items():
            self.status_filter.addItem(name, key)
        documents_panel = QWidget()
        documents_layout = QVBoxLayout(documents_panel)
        documents_layout.setContentsMargins(0, 0, 0, 0)
        documents_layout.addWidget(self.status_filter)
        documents_layout.addWidget(self.document_list)

        self.view = ClaimTextView()
        self.view.setObjectName("documentView")
        self.keyboard = KeyboardFlow(self, lambda: self.codebook, self)
        self.view.installEventFilter(self.keyboard)

        self.claims = ClaimTableModel(self)
        self.claim_proxy = ClaimFilterModel(self)
        self.claim_proxy.setSourceModel(self.claims)
        self.claim_table = QTableView()
        self.claim_table.setObjectName("claimTable")
        self.claim_table.setModel(self.claim_proxy)
        self._table_defaults(self.claim_table)
        # Text order until the user clicks a header: sorting 10,000 rows through
        # the proxy on every document switch would cost more than opening the text.
        self.claim_table.setSortingEnabled(True)
        self.claim_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header = self.claim_table.horizontalHeader()
        header.setDefaultSectionSize(105)
        # The quote gets real room (the labels' columns are short); the last column
        # takes what is left over.
        header.resizeSection(0, 300)
        header.setStretchLastSection(True)
        header.resizeSection(ClaimTableModel.HEADERS.index("Start"), 60)
        header.resizeSection(ClaimTableModel.HEADERS.index("Reliability"), 80)

        self.editor = ClaimEditor()
        self.editor.setObjectName("claimEditor")
        self.editor.read_only_reason = self.read_only_reason
        self.legend = LegendPanel()
        self.legend.setObjectName("legend")
        self.sources = SourcePanel()
        self.sources.setObjectName("sources")
        self.details = DocumentPanel()
        self.details.setObjectName("documentDetails")
        self._import: tuple[ImportJob, QProgressDialog] | None = None
        self.unplaced_dialog: UnplacedDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.setAcceptDrops(True)

        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.view)
        centre.addWidget(self.claim_table)
        centre.setStretchFactor(0, 3)
        centre.setStretchFactor(1, 1)
        self.setCentralWidget(centre)
        self.documents_dock = self._dock("Documents", documents_panel,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.legend_dock = self._dock("Legend", self.legend, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.details_dock = self._dock("Document", self.details,
                                       Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.legend_dock, self.details_dock)
        self.legend_dock.raise_()
        self.claim_dock = self._dock("Claim", self.editor, Qt.DockWidgetArea.RightDockWidgetArea)
        self.sources_dock = self._dock("Sources", self.sources,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.claim_dock, self.sources_dock)
        self.claim_dock.raise_()

        self.mode_label = QLabel()
        self.mode_label.setObjectName("modeLabel")
        self.progress = QProgressBar()
        self.progress.setObjectName("corpusProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("%v of %m documents done")
        self.progress_label = QLabel()
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.statusBar().addWidget(self.mode_label)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.saved_label)

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
        self.import_action = self._action(
            "&Import Documents…", self._on_import_documents, "Ctrl+I",
            "Import text, Markdown, web pages (HTML), PDF and Word (DOCX) files "
            "(or drop them on the window)")
        self.import_folder_action = self._action("Import &Folder…", self._on_import_folder)
        self.unplaced_action = self._action("Claims to &Place…", self.show_unplaced)
        self.import_claims_action = self._action(
            "Import a Colleague's &Work…", self._on_import_annotations, None,
            "Import claims from a JSONL export, a dataset package or a colleague's project "
            "file (documents match by text, claims by id; newer edits win)")
        self.export_action = self._action(
            "&Export…", self.show_export_dialog, "Ctrl+E",
            "Export claims or documents: choose the format and which claims, with a preview")
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
        self.snap_action = self._action("Snap to &Words", self.toggle_snap, None,
                                        "Widen new and adjusted spans to whole words (W)")
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(self.snap)
        self.name_action = self._action("Analyst &Name…", self._on_set_name)
        self.codebook_action = self._action("&Codebook…", self.show_codebook, "Ctrl+K",
                                            "Edit the project's labels and propositions")

        self.status_actions = QActionGroup(self)
        self.status_action: dict[str, QAction] = {}
        for key, name, shortcut in (("new", "New", "Ctrl+Shift+1"),
                                    ("in_progress", "In Progress", "Ctrl+Shift+2"),
                                    ("done", "Done", "Ctrl+D")):
            action = self._action(f"Mark Document {name}",
                                  lambda _=False, k=key: self.set_document_status(k), shortcut)
            action.setCheckable(True)
            self.status_actions.addAction(action)
            self.status_action[key] = action
        self.next_document_action = self._action("Next Document Not Done",
                                                 self.next_undone_document, "Ctrl+J")
        self.next_document_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

        self.colour_actions = QActionGroup(self)
        self.shortcuts_action = self._action("&Keyboard Shortcuts", self.show_shortcuts,
                                             QKeySequence.StandardKey.HelpContents)

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.new_project_action, self.open_project_action])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.import_folder_action,
                              self.import_claims_action])
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.mark_action, self.delete_action, self.snap_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.name_action)

        self.document_menu = self.menuBar().addMenu("&Document")
        self.document_menu.addActions(list(self.status_action.values()))
        self.document_menu.addSeparator()
        self.document_menu.addAction(self.next_document_action)
        self.document_menu.addAction(self.unplaced_action)

        self.view_menu = self.menuBar().addMenu("&View")
        self.colour_menu = self.view_menu.addMenu("&Colour Claims By")
        self.view_menu.addSeparator()
        for dock in (self.documents_dock, self.legend_dock, self.details_dock, self.claim_dock,
                     self.sources_dock):
            self.view_menu.addAction(dock.toggleViewAction())

        project_menu = self.menuBar().addMenu("&Project")
        project_menu.addAction(self.codebook_action)

        self.review = ReviewMode(self)
        self.review.build_menu(self.menuBar().addMenu("&Review"))

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self._action("&About Annotator", self._on_about))

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.addActions([self.mark_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.snap_action, self.codebook_action])
        self.addToolBar(toolbar)

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
        self.document_list.selectionModel().currentRowChanged.connect(
            self._on_document_row_changed)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_changed)
        self.claim_table.selectionModel().currentRowChanged.connect(self._on_claim_row_changed)
        self.view.claim_clicked.connect(self._on_view_claim_clicked)
        self.view.span_dragged.connect(self._on_view_span_dragged)
        self.view.selectionChanged.connect(self._update_actions)
        self.editor.edited.connect(self._on_editor_edited)
        self.editor.note_escaped.connect(self.view.setFocus)
        self.legend.colour_by_changed.connect(self._on_colour_by_changed)
        self.legend.filter_changed.connect(self._on_filter_changed)
        self.keyboard.mode_changed.connect(self._on_mode_changed)
        self._on_mode_changed(self.keyboard.mode)
        self.sources.grade_requested.connect(self._on_sources_grade_requested)
        self.sources.kind_requested.connect(self._on_sources_kind_requested)
        self.sources.claim_activated.connect(self.reveal_claim)
        self.details.details_edited.connect(self._on_details_edited)
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
        self.controller.analyst = self.settings.annotator_name
        self.controller.claim_added.connect(self._on_claim_added)
        self.controller.claim_changed.connect(self._on_claim_changed)
        self.controller.claim_removed.connect(self._on_claim_removed)
        self.controller.document_status_changed.connect(self._on_document_status_changed)
        self.controller.sources_changed.connect(self._on_sources_changed)
        self.controller.document_changed.connect(self._on_document_changed)
        self.controller.saved.connect(self._on_saved)
        self.controller.failed.connect(self._on_failed)
        self.codebook_controller = CodebookController(CodebookService(service.database), self)
        self.codebook_controller.codebook_changed.connect(self._on_codebook_changed)
        self.codebook_controller.failed.connect(self._on_codebook_failed)
        self.sources.set_service(service)
        self.review.set_service(service)
        location = service.location
        if not location.startswith(("postgresql", "sqlite")):
            self.settings.add_recent_project(location)
        self.setWindowTitle(f"{Path(location).name} — Annotator")
        self.saved_label.setText("All changes saved")
        self._apply_codebook(self.codebook)
        colour_by = self.settings.colour_by()
        if colour_by in {d.value for d in self.codebook.dimensions()}:
            self.legend.set_dimension(Dimension(colour_by))
        self._on_sources_changed()
        self._reload_documents()
        self.project_opened.emit(location)

    def _close_project(self) -> None:
        self.editor.commit_note()
        self.undo_stack.clear()
        if self.controller is not None:
            self.controller.service.close()
            self.controller.deleteLater()
            self.controller = None
        if self.codebook_controller is not None:
            self.codebook_controller.deleteLater()
            self.codebook_controller = None
        self._document = None
        self.view.set_document(None, [])
        self.claims.set_claims([])
        self.editor.set_claim(None)
        self.sources.set_service(None)
        self.review.set_service(None)

    def _reload_documents(self, select: str | None = None) -> None:
        assert self.service is not None
        self.documents.set_documents(self.service.documents())
        self._update_progress()
        self.update_review_column()
        if self.documents.rowCount() == 0:
            self.show_document(None)
            return
        target = select or (self._document.id if self._document else None)
        self._select_document_row(target)

    def _select_document_row(self, document_id: str | None) -> None:
        row = self.documents.row_of(document_id) if document_id else None
        source = self.documents.index(row if row is not None else 0, 0)
        proxy = self.document_proxy.mapFromSource(source)
        if not proxy.isValid():
            proxy = self.document_proxy.index(0, 0)
        if proxy.isValid():
            self.document_list.setCurrentIndex(proxy)
            if self._document is None or self.documents.document_id(
                    self.document_proxy.mapToSource(proxy).row()) != self._document.id:
                self.show_document(self.documents.document_id(
                    self.document_proxy.mapToSource(proxy).row()))

    def update_review_column(self) -> None:
        """The document list's Review column shows while comparing analysts, or once
        a document is under review; otherwise it would only take the titles' room."""
        shown = self.review.active or self.documents.any_reviewed()
        self.document_list.setColumnHidden(DocumentListModel.HEADERS.index("Review"), not shown)

    def _update_progress(self) -> None:
        total = self.documents.rowCount()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(self.documents.done_count())
        self.progress_label.setText(f"{self.documents.total_claims()} claims")

    # Codebook ----------------------------------------------------------------------

    def _apply_codebook(self, codebook: Codebook) -> None:
        self.editor.set_codebook(codebook)
        self.legend.set_codebook(codebook)
        self.sources.set_codebook(codebook)
        self.claims.set_codebook(codebook)
        self._on_colour_by_changed(self.legend.dimension)
        if self.keyboard.mode not in self.keyboard.modes():
            self.keyboard.set_mode(Dimension.STANCE)

    def _colouring(self, dimension: Dimension):  # type: ignore[no-untyped-def]
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

        dialog = CodebookDialog(self.codebook_controller, self.undo_stack, self)
        dialog.exec()

    # Documents and claims ------------------------------------------------------------

    def show_document(self, document_id: str | None) -> None:
        self.editor.commit_note()
        if document_id is None or self.service is None:
            self._document = None
            self.details.set_document(None)
            self.view.set_document(None, [])
            self.claims.set_claims([])
            self.editor.set_claim(None)
            self.review.document_shown()
            self._update_actions()
            return
        document = self.service.document(document_id)
        claims = self.service.claims(document_id, document.text)
        self._document = document
        self.view.set_document(document, claims)
        self.claims.set_claims(claims)
        self.legend.update_counts(claims)
        self.details.set_document(document, version=self._version_text(document))
        self.editor.set_claim(None)
        self.review.document_shown()
        self.view.setFocus()
        self._update_actions()

    @property
    def current_document(self) -> Document | None:
        return self._document

    def current_claim(self) -> Claim | None:
        return self.editor.claim

    def _claim_by_id(self, claim_id: str) -> Claim | None:
        row = self.claims.row_of(claim_id)
        return None if row is None else self.claims.claim_at(row)

    def select_claim(self, claim_id: str | None, *, reveal: bool = True) -> None:
        """Make ``claim_id`` the current claim in the viewer, the table and the editor."""
        claim = self._claim_by_id(claim_id) if claim_id else None
        self.view.set_current_claim(claim.id if claim else None, reveal=reveal)
        self.editor.set_claim(claim)
        selection = self.claim_table.selectionModel()
        row = self.claims.row_of(claim.id) if claim else None
        proxy = (self.claim_proxy.mapFromSource(self.claims.index(row, 0))
                 if row is not None else QModelIndex())
        blocker = selection.blockSignals(True)
        try:
            if not proxy.isValid():
                selection.clearSelection()
            elif self.claim_table.currentIndex().row() != proxy.row():
                self.claim_table.setCurrentIndex(proxy)
                selection.select(proxy, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)
                self.claim_table.scrollTo(proxy)
        finally:
            selection.blockSignals(blocker)
        self._update_actions()

    def mark_claim(self) -> Claim | None:
        """Make the viewer's selection a claim (the Enter key)."""
        if self.review.mark():      # not while comparing or on the gold layer
            return None
        span = self.view.selected_span()
        if span is None or self._document is None or self.controller is None:
            self.statusBar().showMessage("Select some text first, then press Enter.", 4000)
            return None
        if self.snap:
            span = snap_to_words(self._document.text, *span)
        claim = Claim.new(self._document, *span, annotator=self.settings.annotator_name(),
                          codebook_version=self.codebook.version)
        status = self.documents.info(self.documents.row_of(self._document.id) or 0).status
        self.undo_stack.push(MarkClaimCommand(self.controller, claim, status))
        if self.claims.row_of(claim.id) is None:   # not saved: the command was dropped
            return None
        self.view.clear_selection()
        self.select_claim(claim.id, reveal=False)
        return claim

    def read_only_reason(self, claim: Claim) -> str | None:
        """Why the analyst may not change ``claim``: another analyst's claims are
        read-only (review makes gold claims instead of changing them)."""
        if self.review.handles(claim):      # comparing, or the gold layer
            return self.review.read_only_reason(claim)
        me = self.settings.annotator_name()
        if not claim.annotator or claim.annotator == me:
            return None
        return (f"{claim.annotator}’s claim: read-only for you ({me}). Review it with "
                "Review › Compare Analysts.")

    def _refused(self, claim: Claim) -> bool:
        reason = self.read_only_reason(claim)
        if reason is not None:
            self.statusBar().showMessage(reason, 6000)
        return reason is not None

    def delete_current_claim(self) -> None:
        if self.review.delete():    # on the gold layer: take the decision back
            return
        claim = self.current_claim()
        if claim is None or self.controller is None or self._refused(claim):
            return
        self.undo_stack.push(DeleteClaimCommand(self.controller, claim))

    def edit_current_claim(self, field: str, value: object) -> None:
        """Apply an edit of the current claim as one undo step (the editor, keys and
        scripts all come here)."""
        if self.review.edit(field, value):      # on the gold layer: edit the gold claim
            return
        claim = self.current_claim()
        if claim is None or self.controller is None:
            self.statusBar().showMessage("Select a claim first (click it, or Tab).", 4000)
            return
        if self._refused(claim):
            return
        if field == "source":
            self._edit_source(claim, str(value or ""))
            return
        if field == "proposition":
            self._edit_proposition(claim, " ".join(str(value or "").split()))
            return
        if field in {d.value for d in Dimension}:
            value = _label_value(Dimension(field), value)
        elif field == "tags":
            value = normalise_tags(value)
        if getattr(claim, field) == value:
            return
        after = claim.edited(**{field: value})
        if field == Dimension.SOURCE_RELIABILITY.value and claim.source_id:
            # Reliability belongs to the source: grading this claim grades its source,
            # which pre-fills the grade on the source's other ungraded claims.
            self.undo_stack.beginMacro(f"Grade {claim.source_name} {value or '—'}")
            self.undo_stack.push(EditClaimCommand(self.controller, claim, after, field))
            source = self.controller.service.source(claim.source_id)
            if source.reliability != value:
                self.undo_stack.push(GradeSourceCommand(self.controller, source,
                                                        value))  # type: ignore[arg-type]
            self.undo_stack.endMacro()
            return
        self.undo_stack.push(EditClaimCommand(self.controller, claim, after, field))

    def _edit_source(self, claim: Claim, name: str) -> None:
        assert self.controller is not None
        name = " ".join(name.split())
        if not name:
            after = claim.edited(source_id=None, source_name="")
        else:
            try:
                source = self.controller.source_for(name)
            except Exception:
                return
            changes: dict[str, object] = {"source_id": source.id, "source_name": source.name}
            if claim.source_reliability is None and source.reliability is not None:
                changes["source_reliability"] = source.reliability   # pre-filled
            after = claim.edited(**changes)
        if (after.source_id, after.source_name) != (claim.source_id, claim.source_name):
            self.undo_stack.push(EditClaimCommand(self.controller, claim, after, "source"))

    def _edit_proposition(self, claim: Claim, text: str) -> None:
        assert self.controller is not None and self.codebook_controller is not None
        if text == claim.proposition:
            return
        codebook = self.codebook
        known = any(p.text == text for p in codebook.propositions)
        self.undo_stack.beginMacro("Set proposition")
        if text and not known:
            import uuid

            after = Codebook(codebook.version, codebook.labels,
                             (*codebook.propositions, Proposition(str(uuid.uuid4()), text)),
                             codebook.tags)
            self.undo_stack.push(ChangeCodebookCommand(self.codebook_controller, codebook,
                                                       after, f"Add proposition “{text}”"))
        self.undo_stack.push(EditClaimCommand(self.controller, claim,
                                              claim.edited(proposition=text), "proposition"))
        self.undo_stack.endMacro()

    def set_document_status(self, status: str) -> None:
        if self._document is None or self.controller is None:
            return
        row = self.documents.row_of(self._document.id)
        before = self.documents.info(row).status if row is not None else "new"
        if status == before and status == "done":
            status = "in_progress"            # Ctrl+D toggles done
        if status != before:
            self.undo_stack.push(SetDocumentStatusCommand(self.controller, self._document.id,
                                                          before, status))

    def _update_actions(self) -> None:
        has_claim = self.current_claim() is not None
        self.delete_action.setEnabled(has_claim)
        self.mark_action.setEnabled(self._document is not None
                                    and self.view.textCursor().hasSelection())
        for action in self.status_action.values():
            action.setEnabled(self._document is not None)
        if self._document is not None:
            row = self.documents.row_of(self._document.id)
            if row is not None:
                self.status_action[self.documents.info(row).status].setChecked(True)

    # The keyboard flow (see annotator.ui.keyboard) --------------------------------------

    def set_label(self, dimension: Dimension, key: str | None) -> None:
        self.edit_current_claim(dimension.value, key)

    def edit_note(self) -> None:
        if self.current_claim() is not None:
            self.claim_dock.show()
            self.editor.note.setFocus()

    def step_claim(self, direction: int) -> None:
        target = self.view.step_claim_id(direction)
        if target is not None:
            self.select_claim(target, reveal=True)

    def step_incomplete_claim(self, direction: int) -> None:
        target = self.view.step_claim_id(direction, accept=lambda c: not is_complete(c))
        if target is None:
            self.statusBar().showMessage("Every claim here is complete.", 4000)
            return
        self.select_claim(target, reveal=True)

    def next_undone_document(self) -> None:
        rows = self.document_proxy.rowCount()
        if rows == 0:
            return
        current = self.document_list.currentIndex().row()
        for step in range(1, rows + 1):
            proxy = self.document_proxy.index((current + step) % rows, 0)
            info = self.documents.info(self.document_proxy.mapToSource(proxy).row())
            if info.status != "done":
                self.document_list.setCurrentIndex(proxy)
                return
        self.statusBar().showMessage("All documents are done.", 4000)

    def adjust_span(self, edge: str, direction: int) -> None:
        if self.review.adjust(edge, direction):     # on the gold layer
            return
        claim = self.current_claim()
        if (claim is None or self._document is None or self.controller is None
                or self._refused(claim)):
            return
        after = adjust_span(claim, self._document.text, edge, direction, by_word=self.snap)
        if after is not None:
            self.undo_stack.push(EditClaimCommand(self.controller, claim, after, "span"))

    def toggle_snap(self) -> None:
        self.snap = not self.snap
        self.snap_action.setChecked(self.snap)
        self.settings.set_snap_to_words(self.snap)
        self.statusBar().showMessage(f"Snap to words {'on' if self.snap else 'off'}", 3000)

    def clear_current_claim(self) -> None:
        self.select_claim(None)

    def step_disagreement(self, direction: int) -> None:
        """Next (+1) or previous (-1) disagreement between analysts (review)."""
        self.review.step(direction)

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        return [*self.keyboard.sheet(), *action_rows(self.menu_actions())]

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_rows(), self).exec()

    # Slots ---------------------------------------------------------------------------

    def _on_document_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            document_id = self.documents.document_id(
                self.document_proxy.mapToSource(current).row())
            if self._document is None or self._document.id != document_id:
                self.show_document(document_id)

    def _on_status_filter_changed(self, _index: int) -> None:
        self.document_proxy.set_status_filter(self.status_filter.currentData())

    def _on_claim_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.claim_proxy.mapToSource(current).row()
            self.select_claim(self.claims.claim_at(row).id, reveal=True)

    def _on_view_claim_clicked(self, claim_id: str) -> None:
        self.select_claim(claim_id, reveal=False)

    def _on_view_span_dragged(self, claim_id: str, start: int, end: int) -> None:
        if self.review.drag(claim_id, start, end):      # on the gold layer
            return
        claim = self._claim_by_id(claim_id)
        if (claim is None or self._document is None or self.controller is None
                or self._refused(claim)):
            if claim is not None:
                self.view.update_claim(claim)     # put the dragged edge back
            return
        if self.snap:
            start, end = snap_to_words(self._document.text, start, end)
        if start < end and (start, end) != (claim.start, claim.end):
            after = with_span(claim, self._document.text, start, end)
            self.undo_stack.push(EditClaimCommand(self.controller, claim, after, "span"))

    def _on_editor_edited(self, field: str, value: object) -> None:
        self.edit_current_claim(field, value)

    def _on_colour_by_changed(self, dimension: Dimension) -> None:
        self.view.set_colouring(self._colouring(dimension))
        self.settings.set_colour_by(dimension.value)
        self.legend.update_counts(self.claims.claims())

    def _on_filter_changed(self) -> None:
        shown = self.legend.shows if self.legend.is_filtering() else None
        shown = self.review.view_filter(shown)     # comparing: the chosen analysts only
        self.view.set_filter(shown)
        self.claim_proxy.set_filter(shown)
        self.legend.update_counts(self.claims.claims())

    def _on_mode_changed(self, mode: Dimension) -> None:
        self.editor.set_mode(mode)
        self.mode_label.setText(f"Digits label: <b>{mode.title}</b> (M switches) · "
                                "A–F source reliability · F1 all keys")

    def _count_change(self, claim: Claim, sign: int) -> None:
        self.documents.update(claim.document_id, claims=sign,
                              incomplete=0 if is_complete(claim) else sign)
        self._update_progress()
        if claim.source_id:
            self._sources_stale()

    def _sources_stale(self) -> None:
        """Refresh the sources panel once, after the current burst of changes."""
        if not self._sources_refresh.isActive():
            self._sources_refresh.start()

    def _on_claim_added(self, claim: Claim) -> None:
        self._count_change(claim, +1)
        if self._document is not None and claim.document_id == self._document.id:
            self.show_claim(claim)

    def _on_claim_removed(self, claim: Claim) -> None:
        self._count_change(claim, -1)
        if self._document is not None and claim.document_id == self._document.id:
            self.unshow_claim(claim)

    def show_claim(self, claim: Claim) -> None:
        """Add a claim of the shown document (an analyst's, or a gold one on the gold
        layer) to the viewer, the table and the legend's counts."""
        self.view.add_claim(claim)
        self.claims.add(claim)
        self.legend.adjust_counts(None, claim)

    def unshow_claim(self, claim: Claim) -> None:
        """Take a claim of the shown document out of the viewer, the table, the
        legend's counts and (when current) the editor."""
        current = self.current_claim()
        if current is not None and current.id == claim.id:
            self.editor.set_claim(None)
        self.view.remove_claim(claim.id)
        self.claims.remove(claim)
        self.legend.adjust_counts(claim, None)
        self._update_actions()

    def _on_claim_changed(self, before: Claim, after: Claim) -> None:
        if before.document_id != after.document_id:      # placed in a new version
            self._count_change(before, -1)
            self._count_change(after, +1)
            if self._document is not None and before.document_id == self._document.id:
                self.view.remove_claim(before.id)
                self.claims.remove(before)
        else:
            self.documents.update(after.document_id, incomplete=int(not is_complete(after))
                                  - int(not is_complete(before)))
        if before.source_id or after.source_id:
            self._sources_stale()
        if self._document is not None and after.document_id == self._document.id:
            self.view.update_claim(after)
            self.claims.replace(before, after)
            self.legend.adjust_counts(before, after)
            current = self.current_claim()
            if current is not None and current.id == after.id:
                self.editor.set_claim(after)

    def _on_document_status_changed(self, document_id: str, status: str) -> None:
        self.documents.update(document_id, status=status)
        self._update_progress()
        self._update_actions()

    def _on_sources_changed(self) -> None:
        if self.service is not None:
            self.editor.set_sources([s.source.name for s in self.service.sources()])
            self.sources.refresh()

    def _on_sources_grade_requested(self, source_id: str, grade: object) -> None:
        if self.controller is None:
            return
        source = self.controller.service.source(source_id)
        self.undo_stack.push(GradeSourceCommand(self.controller, source,
                                                grade))  # type: ignore[arg-type]

    def _on_sources_kind_requested(self, source_id: str, kind: str) -> None:
        if self.controller is None:
            return
        source = self.controller.service.source(source_id)
        self.undo_stack.push(UpdateSourceCommand(self.controller, source,
                                                 dataclasses.replace(source, kind=kind)))

    def reveal_claim(self, document_id: str, claim_id: str) -> None:
        """Open ``document_id`` and make ``claim_id`` current (from the sources panel)."""
        if self._document is None or self._document.id != document_id:
            self.status_filter.setCurrentIndex(0)
            self._select_document_row(document_id)
        self.select_claim(claim_id, reveal=True)
        self.view.setFocus()

    def _on_codebook_changed(self, codebook: Codebook) -> None:
        self._apply_codebook(codebook)
        # A codebook change may have relabelled claims: show what is stored.
        if self._document is not None and self.service is not None:
            current = self.view.current_claim_id
            claims = self.service.claims(self._document.id)
            self.view.set_claims(claims)
            self.claims.set_claims(claims)
            self.legend.update_counts(claims)
            self.select_claim(current, reveal=False)
            self.documents.set_documents(self.service.documents())
            self._select_document_row(self._document.id)
        self._on_saved(datetime.now())

    def _on_codebook_failed(self, message: str) -> None:
        # The codebook dialog shows its own refusals; here a line is enough (a
        # proposition typed in the claim panel that could not be added).
        self.statusBar().showMessage(f"Codebook not changed: {message}", 8000)

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
                                                default_registry().file_filter())
        if paths:
            self.import_documents(paths)

    def _on_import_folder(self) -> None:
        if self.service is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "Import Folder", str(Path.home()))
        if folder:
            self.import_documents([folder])

    def import_documents(self, paths: list[str], *, review_encodings: bool = True,
                         options: ImportOptions | None = None) -> bool:
        """Import files and folders on a worker thread with a progress dialog;
        ``import_finished(report)`` is emitted when done. Text files whose encoding
        was guessed are shown for checking first. Returns False if nothing started."""
        if self.service is None or self._import is not None:
            return False
        files = [Path(p) for p in paths]
        encodings: dict[Path, str] = {}
        review = files_to_review(files) if review_encodings else {}
        if review:
            dialog = EncodingDialog(review, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            encodings = dialog.chosen()
        progress = QProgressDialog("Importing…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Import")
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        job = ImportJob(self, self.service.location, files, options or ImportOptions(),
                        encodings)
        self._import = (job, progress)
        progress.canceled.connect(job.cancel)
        job.progressed.connect(self._on_import_progressed)
        job.finished.connect(self._on_import_finished)
        job.failed.connect(self._on_import_failed)
        job.start()
        return True

    def _on_import_progressed(self, path: str, index: int, total: int) -> None:
        if self._import is not None:
            progress = self._import[1]
            progress.setMaximum(total)
            progress.setValue(index)
            progress.setLabelText(f"Importing {Path(path).name} ({index + 1} of {total})")

    def _end_import(self) -> None:
        """The worker has reported (or must stop): wait for its thread to end (it
        has reported, or stops at the next file), then let the job go."""
        if self._import is not None:
            job, progress = self._import
            progress.reset()
            progress.deleteLater()
            job.wait()
            job.deleteLater()
            self._import = None

    def _on_import_failed(self, message: str) -> None:
        self._end_import()
        QMessageBox.critical(self, "Import failed", message)

    def _on_import_finished(self, report: ImportReport) -> None:
        self._end_import()
        changed = [r.document_id for r in report.results if r.document_id
                   and r.status in (FileStatus.IMPORTED, FileStatus.NEW_VERSION)]
        if self.service is not None:
            self._reload_documents(select=changed[0] if changed else None)
            if self._document is not None:
                self.show_document(self._document.id)
        details = "\n".join(f"{Path(r.path).name}: {r.reason}" for r in report.results
                            if r.reason and r.status is not FileStatus.DUPLICATE)
        message = report.summary() + (f"\n\n{details}" if details else "")
        self.import_finished.emit(report)
        if report.count(FileStatus.FAILED) or report.unplaced:
            QMessageBox.warning(self, "Import finished", message)
            if report.unplaced:
                self.show_unplaced()
        else:
            self.statusBar().showMessage(message, 8000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_documents(paths)

    def show_unplaced(self) -> None:
        if self.service is None:
            return
        if self.unplaced_dialog is None:
            self.unplaced_dialog = UnplacedDialog(self)
            self.unplaced_dialog.show_requested.connect(self.reveal_document)
            self.unplaced_dialog.place_requested.connect(self.place_claim)
        self.unplaced_dialog.set_claims(self.service.unplaced_claims())
        self.unplaced_dialog.show()
        self.unplaced_dialog.raise_()

    def reveal_document(self, document_id: str) -> None:
        self.status_filter.setCurrentIndex(0)
        self._select_document_row(document_id)

    def place_claim(self, claim: Claim, document_id: str) -> bool:
        """Move an unplaced claim to the viewer's selection in ``document_id``."""
        span = self.view.selected_span()
        if self._document is None or self._document.id != document_id or span is None \
                or self.controller is None:
            QMessageBox.information(self, "Place Claim", "Open the new version and select "
                                    "the text the claim belongs to first.")
            return False
        start, end = span
        after = dataclasses.replace(with_span(claim, self._document.text, start, end),
                                    document_id=document_id)
        self.undo_stack.push(EditClaimCommand(self.controller, claim, after, "placement"))
        if self.unplaced_dialog is not None:
            self.unplaced_dialog.set_claims(self.controller.service.unplaced_claims())
        self.show_document(document_id)
        self.select_claim(claim.id, reveal=True)
        return True

    def _version_text(self, document: Document) -> str:
        row = self.documents.row_of(document.id)
        info = self.documents.info(row) if row is not None else None
        if info is not None and info.superseded:
            return "replaced by a newer version"
        return "newer version of an earlier import" if document.previous_id else "first version"

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
            self.details.set_document(document, version=self._version_text(document))
        if self.service is not None:
            self.documents.set_documents(self.service.documents())
            self._update_progress()

    def _on_import_annotations(self) -> None:
        if self.service is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a Colleague's Work", str(Path.home()),
            "Annotator work (*.jsonl *.zip *.sqlite *.db);;JSON Lines export (*.jsonl);;"
            "Dataset package (*.zip);;Project file (*.sqlite *.db);;All files (*)")
        if not path:
            return
        self.import_work(path)

    def import_work(self, path: str) -> object | None:
        """Import a colleague's JSONL export, dataset package or project file."""
        if self.service is None:
            return None
        self.editor.commit_note()
        try:
            report = import_work(self.service, path)
        except (ProjectError, ImportProblem) as error:
            QMessageBox.critical(self, "Import failed", str(error))
            return None
        self.undo_stack.clear()   # imported claims are not undoable one by one
        if self.codebook_controller is not None:
            self.codebook_controller.reload()      # the import may have added labels
        self._on_sources_changed()
        self._reload_documents()
        if self._document is not None:
            self.show_document(self._document.id)
        self.review.refresh()       # new or newer analysts' claims: compare them
        details = "\n".join(str(p) for p in report.problems[:20])
        QMessageBox.information(self, "Work imported",
                                report.summary() + (f"\n\n{details}" if details else ""))
        return report

    def show_export_dialog(self) -> ExportDialog | None:
        """File › Export…: format, scope, preview; the export runs on a worker."""
        if self.service is None:
            return None
        self.editor.commit_note()
        if self.export_dialog is not None:
            if self.export_dialog.isVisible():
                self.export_dialog.raise_()
                return self.export_dialog
            self.export_dialog.deleteLater()
        dialog = ExportDialog(self.service, self.settings,
                              analyst=self.settings.annotator_name(), parent=self)
        dialog.exported.connect(self._on_exported)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _on_exported(self, result: ExportResult) -> None:
        summary = result.summary()
        self.statusBar().showMessage(summary[:1].upper() + summary[1:], 8000)

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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._default_layout:
            # Dock sizes only hold once the window has its real size.
            self._default_layout = False
            QTimer.singleShot(0, self._size_docks)

    def _size_docks(self) -> None:
        self.resizeDocks([self.documents_dock, self.claim_dock], [330, 380],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.documents_dock, self.legend_dock], [420, 260],
                         Qt.Orientation.Vertical)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._import is not None:        # let the worker stop cleanly first
            self._import[0].cancel()
            self._end_import()
        if self.export_dialog is not None:
            self.export_dialog.abort()
        self.editor.commit_note()
        self.review.leave()     # review mode rearranges the docks: save the usual layout
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self._close_project()
        super().closeEvent(event)


