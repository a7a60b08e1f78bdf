"""The source registry panel: who makes claims, how reliable they are, and what
they claimed across the project.

Source reliability (Admiralty A–F) belongs to the source; each claim keeps the
grade it was given. "F — reliability cannot be judged" is a category of its
own, never a point on the scale: it sorts after A–E and before ungraded sources.

The panel never writes to the project. Its controls *ask*, through
``grade_requested`` and ``kind_requested``; the window turns a request into an
undoable command and then calls :meth:`SourcePanel.refresh`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook, Dimension, Label, default_codebook
from annotator.domain.model import Claim, Source, SourceSummary
from annotator.domain.wording import shorten
from annotator.services.project import ProjectService
from annotator.ui.colours import outline
from annotator.ui.item_models import RowTableModel
from annotator.ui.plain import plain_tooltip
from annotator.ui.tables import ColumnFitter, table_defaults

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole

RELIABILITY = Dimension.SOURCE_RELIABILITY
CREDIBILITY = Dimension.INFO_CREDIBILITY

#: Source kinds as stored (``Source.kind``) and as shown; "" is unknown.
SOURCE_KINDS: tuple[tuple[str, str], ...] = (
    ("person", "Person"), ("organisation", "Organisation"), ("", "Unknown"))
_KIND_NAMES = dict(SOURCE_KINDS)
_KIND_ORDER = {kind: i for i, (kind, _) in enumerate(SOURCE_KINDS)}

NO_GRADE = "—"
MISSING_HALF = "–"

_icons: dict[str, QIcon] = {}


def swatch(colour: str) -> QIcon:
    """A small square of ``colour`` with a thin outline, so pale grades stay visible."""
    edge = outline()
    icon = _icons.get(colour + edge.name())
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(QColor(colour))
        painter = QPainter(pixmap)
        painter.setPen(edge)
        painter.drawRect(0, 0, 11, 11)
        painter.end()
        icon = _icons[colour + edge.name()] = QIcon(pixmap)
    return icon



def kind_name(kind: str) -> str:
    return _KIND_NAMES.get(kind, kind.capitalize() or "Unknown")


def grade_tooltip(codebook: Codebook, dimension: Dimension, key: str | int | None) -> str:
    """``B — Usually reliable`` and the grade's definition; "Not graded" for None."""
    if key is None:
        return "Not graded"
    label = codebook.label(dimension, key)
    if label is None:
        return f"{key} (not in the codebook)"
    text = f"{label.key} — {label.name}"
    if label.retired:
        text += " (retired)"
    description = label.description[:1].upper() + label.description[1:]
    return f"{text}\n{description}" if description else text


def grade_sort_value(codebook: Codebook, key: str | None) -> int:
    """One integer that orders grades A..E, then F (cannot be judged), then none."""
    group, rank = codebook.sort_key(RELIABILITY, key)
    return group * 1000 + rank


def admiralty_code(claim: Claim) -> str:
    """The claim's grades as given: ``B2``; a missing half shows as ``–`` (``B–``,
    ``–3``); ``—`` when neither is set."""
    if claim.source_reliability is None and claim.info_credibility is None:
        return NO_GRADE
    reliability = claim.source_reliability or MISSING_HALF
    credibility = MISSING_HALF if claim.info_credibility is None else claim.info_credibility
    return f"{reliability}{credibility}"


class SourceTableModel(RowTableModel):
    """The project's sources with their kind, reliability grade and claim count."""

    HEADERS = ("Name", "Kind", "Reliability", "Claims")
    HEADER_TIPS = ("Who makes the claims", "Person or organisation",
        "Source reliability (Admiralty A–F), the source's own grade",
        "Claims made by this source, in all documents")
    NAME, KIND, GRADE, CLAIMS = range(4)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    #: A value per column that orders rows the way analysts expect.
    SORT_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SourceSummary] = []
        self._codebook = default_codebook()

    def set_codebook(self, codebook: Codebook) -> None:
        self._codebook = codebook
        if self._rows:
            self.dataChanged.emit(self.index(0, self.GRADE),
                                  self.index(len(self._rows) - 1, self.GRADE))

    def set_sources(self, sources: list[SourceSummary]) -> None:
        self.beginResetModel()
        self._rows = list(sources)
        self.endResetModel()

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        source = summary.source
        column = index.column()
        if role == _DISPLAY:
            if column == self.NAME:
                return source.name
            if column == self.KIND:
                return kind_name(source.kind)
            if column == self.GRADE:
                return source.reliability or NO_GRADE
            return summary.claim_count
        if role == _TOOLTIP:
            if column == self.NAME:
                return plain_tooltip(f"{source.name}\n{source.note}" if source.note
                                     else source.name)
            if column == self.GRADE:
                return plain_tooltip(grade_tooltip(self._codebook, RELIABILITY,
                                                   source.reliability))
            if column == self.CLAIMS:
                return f"{summary.claim_count} claim{'s' * (summary.claim_count != 1)}"
            return None
        if role == _DECORATION and column == self.GRADE and source.reliability:
            colour = self._codebook.colour(RELIABILITY, source.reliability)
            return swatch(colour) if colour else None
        if role == _ALIGN:
            if column == self.CLAIMS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == self.SORT_ROLE:
            if column == self.NAME:
                return source.name.casefold()
            if column == self.KIND:
                return _KIND_ORDER.get(source.kind, len(_KIND_ORDER))
            if column == self.GRADE:
                return grade_sort_value(self._codebook, source.reliability)
            return summary.claim_count
        if role == self.ID_ROLE:
            return source.id
        return None

    def source_at(self, row: int) -> Source:
        return self._rows[row].source

    def summary_at(self, row: int) -> SourceSummary:
        return self._rows[row]

    def row_of(self, source_id: str) -> int | None:
        for row, summary in enumerate(self._rows):
            if summary.source.id == source_id:
                return row
        return None


class SourceFilterProxy(QSortFilterProxyModel):
    """Filters sources by name (every word typed must appear, in any order) and
    sorts by :attr:`SourceTableModel.SORT_ROLE`. On the reliability column,
    "cannot be judged" and ungraded sources stay after the graded ones whichever
    way the column is sorted: they are not points on the scale."""

    _GROUP = 1000

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()
        self.setSortRole(SourceTableModel.SORT_ROLE)

    def set_filter_text(self, text: str) -> None:
        terms = tuple(text.casefold().split())
        if terms == self._terms:
            return
        if hasattr(self, "beginFilterChange"):   # Qt ≥ 6.9
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._terms = terms
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._terms:
            return True
        model = self.sourceModel()
        name = model.data(model.index(source_row, SourceTableModel.NAME, source_parent),
                          SourceTableModel.SORT_ROLE)
        return all(term in name for term in self._terms)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        model = self.sourceModel()
        role = SourceTableModel.SORT_ROLE
        lv, rv = model.data(left, role), model.data(right, role)
        descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
        if left.column() == SourceTableModel.GRADE:
            lg, rg = lv // self._GROUP, rv // self._GROUP
            if lg != rg:   # graded, cannot be judged, none: always in that order
                return lg > rg if descending else lg < rg
            if lg > 0 and lv != rv:   # both outside the scale: never reversed either
                return lv > rv if descending else lv < rv
        if lv == rv:
            return self._by_name(left, right, descending)
        return lv < rv

    def _by_name(self, left: _Index, right: _Index, descending: bool) -> bool:
        """Ties keep names A..Z whichever way the column is sorted."""
        model = self.sourceModel()
        role = SourceTableModel.SORT_ROLE
        ln = model.data(left.siblingAtColumn(SourceTableModel.NAME), role)
        rn = model.data(right.siblingAtColumn(SourceTableModel.NAME), role)
        return ln > rn if descending else ln < rn


class SourceClaimsModel(RowTableModel):
    """One source's claims across all documents, each with the grades it was given."""

    HEADERS = ("Document", "Quote", "Grade", "Stance")
    HEADER_TIPS = ("The document the claim is in", "The claim's text",
        "Source reliability and information credibility as given to the "
        "claim (Admiralty code, e.g. B2)", "Stance key")
    DOCUMENT, QUOTE, GRADE, STANCE = range(4)
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Claim, str]] = []
        self._source: Source | None = None
        self._codebook = default_codebook()

    def set_codebook(self, codebook: Codebook) -> None:
        self._codebook = codebook
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.HEADERS) - 1))

    def set_claims(self, source: Source | None, claims: list[tuple[Claim, str]]) -> None:
        self.beginResetModel()
        self._source = source
        self._rows = list(claims)
        self.endResetModel()

    def _grade_tooltip(self, claim: Claim) -> str:
        lines = [
            "Source reliability: "
            + grade_tooltip(self._codebook, RELIABILITY, claim.source_reliability),
            "Information credibility: "
            + grade_tooltip(self._codebook, CREDIBILITY, claim.info_credibility),
        ]
        current = self._source.reliability if self._source else None
        if claim.source_reliability and current and claim.source_reliability != current:
            lines.append(f"The source is now graded {current}; this claim keeps the "
                         f"{claim.source_reliability} it was given.")
        return "\n".join(lines)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        claim, title = self._rows[index.row()]
        column = index.column()
        stance = str(claim.stance) if claim.stance else None
        if role == _DISPLAY:
            if column == self.DOCUMENT:
                return shorten(title, 300)
            if column == self.QUOTE:
                return shorten(claim.quote, 160)
            if column == self.GRADE:
                return admiralty_code(claim)
            return stance or NO_GRADE
        if role == _TOOLTIP:
            if column == self.DOCUMENT:
                return plain_tooltip(title)
            if column == self.QUOTE:
                return plain_tooltip(claim.quote)
            if column == self.GRADE:
                return plain_tooltip(self._grade_tooltip(claim))
            if stance is None:
                return "No stance"
            label = self._codebook.label(Dimension.STANCE, stance)
            if label is None:
                return plain_tooltip(stance)
            return plain_tooltip(f"{label.name}\n{label.description}" if label.description
                                 else label.name)
        if role == _DECORATION:
            colour = None
            if column == self.GRADE and claim.source_reliability:
                colour = self._codebook.colour(RELIABILITY, claim.source_reliability)
            elif column == self.STANCE and stance:
                colour = self._codebook.colour(Dimension.STANCE, stance)
            return swatch(colour) if colour else None
        if role == self.ID_ROLE:
            return claim.id
        if role == self.DOCUMENT_ROLE:
            return claim.document_id
        return None

    def claim_at(self, row: int) -> Claim:
        return self._rows[row][0]

    def row_of(self, claim_id: str) -> int | None:
        for row, (claim, _) in enumerate(self._rows):
            if claim.id == claim_id:
                return row
        return None


class SourcePanel(QWidget):
    """The per-project source registry: filter, sources table, the selected source's
    kind and reliability, and its claims across all documents.

    Signals:
        grade_requested(str source_id, object grade): the user picked a reliability
            grade for the selected source (a codebook key such as ``"B"``, or None to
            clear it). Nothing is written: the window makes an undoable command
            (``ProjectService.grade_source``) and then calls :meth:`refresh`.
        kind_requested(str source_id, str kind): the user picked a kind:
            ``"person"``, ``"organisation"`` or ``""`` (unknown), as ``Source.kind``
            stores it.
        claim_activated(str document_id, str claim_id): the user double-clicked, or
            pressed Enter on, one of the source's claims.
    """

    grade_requested = Signal(str, object)
    kind_requested = Signal(str, str)
    claim_activated = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service: ProjectService | None = None
        self._codebook = default_codebook()
        self._shown: Source | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("sourceFilter")
        self.filter_edit.setPlaceholderText("Filter sources…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Show sources whose name has every word typed here "
                                    "(Down moves into the list, Escape clears)")

        self.sources = SourceTableModel(self)
        self.proxy = SourceFilterProxy(self)
        self.proxy.setSourceModel(self.sources)
        self.source_table = QTableView()
        self.source_table.setObjectName("sourceTable")
        self.source_table.setModel(self.proxy)
        table_defaults(self.source_table)
        self.source_table.setSortingEnabled(True)
        self.source_table.sortByColumn(SourceTableModel.NAME, Qt.SortOrder.AscendingOrder)
        # The name keeps at least 45% of a narrow panel; the others give way.
        self.source_columns = ColumnFitter(self.source_table, SourceTableModel.NAME,
                                           share=0.45, cap=110)

        self.title_label = QLabel()
        self.title_label.setObjectName("sourceTitle")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("sourceKind")
        for kind, name in SOURCE_KINDS:
            self.kind_combo.addItem(name, kind)
        self.kind_combo.setToolTip("Is the source a person or an organisation?")
        self.grade_combo = QComboBox()
        self.grade_combo.setObjectName("sourceGrade")
        self.grade_combo.setToolTip("The source's reliability (Admiralty A–F). Grading a "
                                    "source pre-fills the grade on its claims that have "
                                    "none; graded claims keep theirs.")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("sourceSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)

        self.claims = SourceClaimsModel(self)
        self.claim_table = QTableView()
        self.claim_table.setObjectName("sourceClaimTable")
        self.claim_table.setModel(self.claims)
        table_defaults(self.claim_table)
        self.claim_columns = ColumnFitter(self.claim_table, SourceClaimsModel.QUOTE,
                                          share=0.4, cap=120)

        self._layout()
        self._fill_grade_combo(None)
        self._connect()
        self._show_source(None)

    # Construction ------------------------------------------------------------------

    def _layout(self) -> None:
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.filter_edit)
        top_layout.addWidget(self.source_table)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.title_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Kind:", self.kind_combo)
        form.addRow("&Reliability:", self.grade_combo)
        bottom_layout.addLayout(form)
        bottom_layout.addWidget(self.summary_label)
        bottom_layout.addWidget(self.claim_table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.setFocusProxy(self.filter_edit)
        QWidget.setTabOrder(self.filter_edit, self.source_table)
        QWidget.setTabOrder(self.source_table, self.kind_combo)
        QWidget.setTabOrder(self.kind_combo, self.grade_combo)
        QWidget.setTabOrder(self.grade_combo, self.claim_table)

    def _connect(self) -> None:
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.source_table.selectionModel().selectionChanged.connect(
            self._on_source_selection_changed)
        self.kind_combo.activated.connect(self._on_kind_activated)
        self.grade_combo.activated.connect(self._on_grade_activated)
        self.claim_table.doubleClicked.connect(self._activate_claim)
        for widget in (self.filter_edit, self.source_table, self.claim_table):
            widget.installEventFilter(self)

    # Public API --------------------------------------------------------------------

    @property
    def service(self) -> ProjectService | None:
        return self._service

    @property
    def codebook(self) -> Codebook:
        return self._codebook

    def set_service(self, service: ProjectService | None) -> None:
        """Show ``service``'s sources (none when None); the selection starts empty."""
        self._service = service
        self.source_table.selectionModel().clearSelection()
        self._shown = None
        self.refresh()

    def set_codebook(self, codebook: Codebook) -> None:
        """Grade names, tooltips and colours come from ``codebook``."""
        self._codebook = codebook
        self.sources.set_codebook(codebook)
        self.claims.set_codebook(codebook)
        self.proxy.invalidate()
        self._sync_controls(self._shown)

    def refresh(self) -> None:
        """Reload sources and the selected source's claims from the service, keeping
        the selected source and claim, and the scroll position."""
        source_id = self._shown.id if self._shown else None
        claim_id = self.current_claim_id()
        bar = self.source_table.verticalScrollBar()
        scroll = bar.value()
        summaries = self._service.sources() if self._service is not None else []
        selection = self.source_table.selectionModel()
        blocker = selection.blockSignals(True)
        try:
            self.sources.set_sources(summaries)
            row = self._proxy_row(source_id)
            if row is not None:
                self._select_row(row)
        finally:
            selection.blockSignals(blocker)
        bar.setValue(scroll)
        self._show_source(self.current_source_id(), keep_claim=claim_id)

    def current_source_id(self) -> str | None:
        """The selected source's id (None when no source is selected or visible)."""
        rows = self.source_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.sources.source_at(self.proxy.mapToSource(rows[0]).row()).id

    def current_source(self) -> Source | None:
        return self._shown

    def select_source(self, source_id: str | None) -> bool:
        """Select ``source_id``, clearing the filter if it hides it. False if unknown."""
        if source_id is None:
            self.source_table.selectionModel().clearSelection()
            return True
        if self.sources.row_of(source_id) is None:
            return False
        if self._proxy_row(source_id) is None:
            self.filter_edit.clear()
        row = self._proxy_row(source_id)
        assert row is not None
        self._select_row(row)
        self.source_table.scrollTo(self.proxy.index(row, 0))
        return True

    def current_claim_id(self) -> str | None:
        rows = self.claim_table.selectionModel().selectedRows()
        return self.claims.claim_at(rows[0].row()).id if rows else None

    # Internals ---------------------------------------------------------------------

    def _proxy_row(self, source_id: str | None) -> int | None:
        row = self.sources.row_of(source_id) if source_id else None
        if row is None:
            return None
        index = self.proxy.mapFromSource(self.sources.index(row, 0))
        return index.row() if index.isValid() else None

    def _select_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.source_table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def _show_source(self, source_id: str | None, *, keep_claim: str | None = None) -> None:
        row = self.sources.row_of(source_id) if source_id else None
        summary = self.sources.summary_at(row) if row is not None else None
        source = summary.source if summary else None
        self._shown = source
        claims = (self._service.claims_by_source(source.id)
                  if source is not None and self._service is not None else [])
        self.claims.set_claims(source, claims)
        self._sync_controls(source)
        if source is None:
            self.title_label.setText("No source selected" if self._service else "No project")
            self.summary_label.setText("Pick a source to see and grade its claims.")
        else:
            self.title_label.setText(source.name)
            documents = len({claim.document_id for claim, _ in claims})
            ungraded = sum(1 for claim, _ in claims if claim.source_reliability is None)
            text = (f"{len(claims)} claim{'s' * (len(claims) != 1)} in {documents} "
                    f"document{'s' * (documents != 1)}")
            if ungraded:
                text += (f" · {ungraded} without a reliability grade"
                         + (" (grading the source fills them in)" if not source.reliability
                            else ""))
            self.summary_label.setText(text)
        if keep_claim is not None:
            claim_row = self.claims.row_of(keep_claim)
            if claim_row is not None:
                self.claim_table.selectionModel().setCurrentIndex(
                    self.claims.index(claim_row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)

    def _fill_grade_combo(self, current: str | None) -> None:
        combo = self.grade_combo
        blocker = combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(NO_GRADE, None)
            combo.setItemData(0, plain_tooltip("Not graded"), _TOOLTIP)
            labels: list[Label] = self._codebook.of(RELIABILITY, include_retired=False)
            if current is not None and all(label.key != current for label in labels):
                retired = self._codebook.label(RELIABILITY, current)
                labels = [*labels, retired] if retired else labels
            for label in labels:
                suffix = " (retired)" if label.retired else ""
                combo.addItem(swatch(label.colour), f"{label.key} — {label.name}{suffix}",
                              label.key)
                combo.setItemData(combo.count() - 1, plain_tooltip(
                    grade_tooltip(self._codebook, RELIABILITY, label.key)), _TOOLTIP)
            if current is not None and combo.findData(current) < 0:
                combo.addItem(f"{current} (not in the codebook)", current)
            combo.setCurrentIndex(0 if current is None else combo.findData(current))
        finally:
            combo.blockSignals(blocker)

    def _sync_controls(self, source: Source | None) -> None:
        self._fill_grade_combo(source.reliability if source else None)
        blocker = self.kind_combo.blockSignals(True)
        try:
            kind = source.kind if source else ""
            index = self.kind_combo.findData(kind)
            if index < 0:
                self.kind_combo.addItem(kind_name(kind), kind)
                index = self.kind_combo.count() - 1
            self.kind_combo.setCurrentIndex(index)
        finally:
            self.kind_combo.blockSignals(blocker)
        for widget in (self.kind_combo, self.grade_combo):
            widget.setEnabled(source is not None)

    # Slots ---------------------------------------------------------------------------

    def _on_filter_changed(self, text: str) -> None:
        # When the filter hides the shown source, the view would select a neighbour:
        # show nothing instead of a source nobody picked.
        shown = self._shown.id if self._shown else None
        selection = self.source_table.selectionModel()
        blocker = selection.blockSignals(True)
        try:
            self.proxy.set_filter_text(text)
            row = self._proxy_row(shown)
            if row is None:
                selection.clear()
            elif self.current_source_id() != shown:
                self._select_row(row)
        finally:
            selection.blockSignals(blocker)
        self.source_table.viewport().update()
        if self.current_source_id() != shown:
            self._show_source(self.current_source_id())

    def _on_source_selection_changed(self, _selected: QItemSelection,
                                     _deselected: QItemSelection) -> None:
        source_id = self.current_source_id()
        if source_id != (self._shown.id if self._shown else None):
            self._show_source(source_id)

    def _on_kind_activated(self, index: int) -> None:
        source = self._shown
        kind = self.kind_combo.itemData(index)
        if source is not None and kind is not None and kind != source.kind:
            self.kind_requested.emit(source.id, kind)

    def _on_grade_activated(self, index: int) -> None:
        source = self._shown
        if source is None:
            return
        grade = self.grade_combo.itemData(index)
        if grade != source.reliability:
            self.grade_requested.emit(source.id, grade)

    def _activate_claim(self, index: QModelIndex) -> None:
        if index.isValid():
            claim = self.claims.claim_at(index.row())
            self.claim_activated.emit(claim.document_id, claim.id)

    def _enter_sources(self) -> None:
        if self.proxy.rowCount() == 0:
            return
        self.source_table.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.source_table.selectionModel().selectedRows():
            self._select_row(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.filter_edit and plain:
            if key == Qt.Key.Key_Down or enter:
                self._enter_sources()
                return True
            if key == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
        elif watched is self.source_table and plain:
            current = self.source_table.currentIndex()
            if key == Qt.Key.Key_Up and (not current.isValid() or current.row() == 0):
                self.filter_edit.setFocus(Qt.FocusReason.BacktabFocusReason)
                return True
            if enter and self.claims.rowCount():
                self.claim_table.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.claim_table.selectionModel().selectedRows():
                    self.claim_table.selectRow(0)
                return True
        elif watched is self.claim_table and plain and enter:
            self._activate_claim(self.claim_table.currentIndex())
            return True
        return super().eventFilter(watched, event)
