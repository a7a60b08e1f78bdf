"""The Documents panel: every document with its status, claims and claims still
to label, sortable, filtered by status; and the corpus progress in the status
bar. Choosing a row (click, keys, Ctrl+J) asks the window to show it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Document, DocumentInfo
from annotator.domain.wording import plural
from annotator.ui.item_models import STATUS_NAMES, DocumentFilterModel, DocumentListModel
from annotator.ui.tables import ColumnFitter, ElideRightDelegate, table_defaults

#: The Version line of a document a newer version replaced.
REPLACED = "replaced by a newer version"


class DocumentList(QObject):
    """Signals:
        chosen(str): the analyst chose this document's row (show it).
    """

    chosen = Signal(str)
    #: The columns that step aside in a narrow panel, in order: without and with
    #: the Assigned column.
    DROP = (3, 2)
    DROP_ASSIGNED = (1, 2)
    #: The title's least share of the panel's width, without and with Assigned.
    SHARE, SHARE_ASSIGNED = 0.45, 0.36

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(self)
        self.proxy = DocumentFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("documentList")
        self.table.setModel(self.proxy)
        table_defaults(self.table)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        # The title keeps at least 45% of the panel (the Review column, when shown,
        # narrows the counts, not the titles); long titles elide in the middle.
        # In a narrow panel "To do", then "Claims", step aside; with the Assigned
        # column (blind double coding) Status steps aside first, then Claims, and
        # Assigned narrows (its text elides; the tooltip has it whole).
        self.columns = ColumnFitter(self.table, 0, share=self.SHARE, cap=110, drop=self.DROP,
                                    squeeze=(DocumentListModel.HEADERS.index("Assigned"),),
                                    comfort=self.SHARE)
        # A narrow title shows its start ("DeepSeek shocks…"; the tooltip has it whole).
        self.table.setItemDelegateForColumn(0, ElideRightDelegate(self.table))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem("All documents", None)
        for key, name in STATUS_NAMES.items():
            self.status_filter.addItem(name, key)
        self.panel = QWidget()
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status_filter)
        layout.addWidget(self.table)
        self.progress = QProgressBar()
        self.progress.setObjectName("corpusProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("%v of %m documents done")
        # Never squeezed into two cut lines by the status bar's other labels (the
        # team server's state among them): the hint on the left gives way instead.
        self.progress.setMinimumWidth(self.progress.fontMetrics().horizontalAdvance(
            "000 of 000 documents done") + 12)
        self.progress_label = QLabel()
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status_filter(self.status_filter.currentData()))
        self._shown: str | None = None

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        self.model.set_documents(documents)
        self.update_progress()

    def set_shown(self, document_id: str | None) -> None:
        """The document the window shows (its row is not "chosen" again)."""
        self._shown = document_id

    def select(self, document_id: str | None) -> str | None:
        """Make ``document_id``'s row current (the first row when it is missing or
        filtered out); returns the id of the row made current, if any."""
        row = self.model.row_of(document_id) if document_id else None
        proxy = self.proxy.mapFromSource(self.model.index(row if row is not None else 0, 0))
        if not proxy.isValid():
            proxy = self.proxy.index(0, 0)
        if not proxy.isValid():
            return None
        self.table.setCurrentIndex(proxy)
        return self.model.document_id(self.proxy.mapToSource(proxy).row())

    def reveal(self, document_id: str) -> str | None:
        """Select ``document_id`` even when the status filter hides it."""
        self.status_filter.setCurrentIndex(0)
        return self.select(document_id)

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            document_id = self.model.document_id(self.proxy.mapToSource(current).row())
            if document_id != self._shown:
                self.chosen.emit(document_id)

    def next_not_done(self) -> bool:
        """Choose the next row (wrapping) whose document is not done; False if none."""
        rows = self.proxy.rowCount()
        current = self.table.currentIndex().row()
        for step in range(1, rows + 1):
            proxy = self.proxy.index((current + step) % rows, 0)
            if self.model.info(self.proxy.mapToSource(proxy).row()).status != "done":
                self.table.setCurrentIndex(proxy)
                return True
        return False

    def status(self, document_id: str | None) -> str:
        row = self.model.row_of(document_id) if document_id else None
        return self.model.info(row).status if row is not None else "new"

    def update(self, document_id: str, **changes: object) -> None:
        self.model.update(document_id, **changes)  # type: ignore[arg-type]
        self.update_progress()

    def set_counts(self, document_id: str, claims: int, incomplete: int) -> None:
        """A document's claims and claims still to label, as stored now."""
        self.model.set_counts(document_id, claims, incomplete)
        self.update_progress()

    def order(self) -> list[str]:
        """The documents' ids in the list's order (as sorted and filtered)."""
        return [self.model.document_id(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def titles(self) -> dict[str, str]:
        return {info.id: info.title
                for info in (self.model.info(r) for r in range(self.model.rowCount()))}

    def version_text(self, document: Document) -> str:
        row = self.model.row_of(document.id)
        info = self.model.info(row) if row is not None else None
        if info is not None and info.superseded:
            return REPLACED
        return "newer version of an earlier import" if document.previous_id else "first version"

    def show_review_column(self, comparing: bool) -> None:
        """The Review column shows while comparing analysts, or once a document is
        under review; otherwise it would only take the titles' room."""
        self.table.setColumnHidden(DocumentListModel.HEADERS.index("Review"),
                                   not (comparing or self.model.any_reviewed()))

    def show_assigned_column(self, shown: bool) -> None:
        """The Assigned column shows while the analyst has assignments."""
        self.table.setColumnHidden(DocumentListModel.HEADERS.index("Assigned"), not shown)
        self.columns.set_drop(self.DROP_ASSIGNED if shown else self.DROP)
        self.columns.set_share(self.SHARE_ASSIGNED if shown else self.SHARE)

    def update_progress(self) -> None:
        self.progress.setMaximum(max(self.model.rowCount(), 1))
        self.progress.setValue(self.model.done_count())
        self.progress_label.setText(plural(self.model.total_claims(), "claim"))
