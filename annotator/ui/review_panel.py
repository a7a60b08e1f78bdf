"""The Compare panel: which analysts to compare and how spans match, the current
document's comparison units, the labels of the selected unit side by side, and
the reviewer's decisions on it.

The panel never writes to the project. It shows what it is given and *asks*
through signals and through the review actions its buttons carry; the review
mode (:mod:`annotator.ui.review_mode`) turns those into undoable commands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.model import Claim
from annotator.domain.review import Adjudication, Decision, ReviewStatus
from annotator.domain.wording import shorten
from annotator.review import BY_ALL, BY_ONE, BY_SOME, EXACT, JACCARD, OVERLAP_RATIO, Matching
from annotator.review.matching import Unit
from annotator.ui.colours import background, foreground, outline, set_text_role
from annotator.ui.flow_layout import FlowLayout
from annotator.ui.item_models import RowTableModel
from annotator.ui.plain import plain, plain_tooltip
from annotator.ui.tables import ColumnFitter, add_header_tips

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_NAME_ROLE = Qt.ItemDataRole.UserRole + 1

#: One colour per analyst, by the analyst's place in name order: Okabe–Ito, with
#: brown for its black (a black fill would hide the text).
ANALYST_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                   "#8C564B", "#F0E442")

COVERAGE_NAMES = {BY_ALL: "All", BY_SOME: "Some", BY_ONE: "One only"}

#: What the units table can show: key, name.
FILTERS: tuple[tuple[str, str], ...] = (
    ("all", "All units"),
    ("differences", "Any disagreement"),
    ("by_all", "Marked by all"),
    ("by_some", "Marked by some"),
    ("by_one", "Marked by one only"),
    ("labels", "Label disagreements"),
    ("undecided", "Undecided"),
)

#: Matching choices: key, name, measure.
MEASURE_CHOICES: tuple[tuple[str, str], ...] = (
    (EXACT, "Exact span"),
    (JACCARD, "Overlap (Jaccard)"),
    (OVERLAP_RATIO, "Overlap (share of shorter)"),
)

#: The label rows of the unit details, in order.
DETAIL_DIMENSIONS = (Dimension.STANCE, Dimension.SOURCE_RELIABILITY,
                     Dimension.INFO_CREDIBILITY, Dimension.CLAIM_TYPE,
                     Dimension.LIKELIHOOD, Dimension.CONFIDENCE)


def analyst_colour(index: int) -> str:
    return ANALYST_COLOURS[index % len(ANALYST_COLOURS)]


_icons: dict[tuple[str, ...], QIcon] = {}


def swatches(colours: Sequence[str]) -> QIcon:
    """Small squares side by side, one per colour (outlined, so pale ones show)."""
    edge = outline()
    key = (*colours, edge.name())
    icon = _icons.get(key)
    if icon is None:
        pixmap = QPixmap(max(1, 13 * len(colours)), 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        for i, colour in enumerate(colours):
            painter.fillRect(13 * i, 0, 12, 12, QColor(colour))
            painter.setPen(edge)
            painter.drawRect(13 * i, 0, 11, 11)
        painter.end()
        icon = _icons[key] = QIcon(pixmap)
    return icon



def is_difference(unit: Unit) -> bool:
    """Not marked by every analyst alike (span and labels): what F8 steps through."""
    return not unit.agreed


def unit_passes(unit: Unit, key: str, decided: bool) -> bool:
    """Whether the units table shows ``unit`` under filter ``key``."""
    if key == "differences":
        return is_difference(unit)
    if key == "by_all":
        return unit.coverage == BY_ALL
    if key == "by_some":
        return unit.coverage == BY_SOME
    if key == "by_one":
        return unit.coverage == BY_ONE
    if key == "labels":
        return bool(unit.disagreements)
    if key == "undecided":
        return not decided
    return True


def label_name(codebook: Codebook, dimension: Dimension, key: object) -> str:
    if key is None or key == "":
        return "—"
    label = codebook.label(dimension, key)  # type: ignore[arg-type]
    if label is None:
        return str(key)
    return f"{label.key} — {label.name}" if dimension.fixed_keys else label.name


def analyst_of(unit: Unit, claim_id: str | None) -> str | None:
    return next((a for a, c in unit.claims.items() if c.id == claim_id), None)


def decision_summary(adjudication: Adjudication | None, unit: Unit | None = None) -> str:
    """How the Decision column reads: "Accepted alice", "Merged (span bob, labels
    alice)", "Edited", "Rejected", or "" when undecided."""
    if adjudication is None:
        return ""
    span = analyst_of(unit, adjudication.span_from) if unit else None
    labels = analyst_of(unit, adjudication.labels_from) if unit else None
    decision = adjudication.decision
    if decision is Decision.ACCEPT:
        return f"Accepted {span}" if span else "Accepted"
    if decision is Decision.MERGE:
        return f"Merged (span {span}, labels {labels})" if span and labels else "Merged"
    if decision is Decision.EDIT:
        return "Edited"
    return "Rejected"


def differences_text(unit: Unit, codebook: Codebook) -> tuple[str, str]:
    """The Disagreements column: a short text and a tooltip with each analyst's value."""
    short: list[str] = []
    details: list[str] = []
    if unit.matched and not unit.same_span:
        short.append("span")
        details.append("Span: " + ", ".join(f"{a} {c.start}–{c.end}"
                                            for a, c in unit.claims.items()))
    for disagreement in unit.disagreements:
        dimension = disagreement.dimension
        short.append(dimension.title.lower().replace(" (icd 203)", ""))
        details.append(f"{dimension.title}: " + ", ".join(
            f"{a} {label_name(codebook, dimension, v)}" for a, v in disagreement.values.items()))
    return " · ".join(short), "\n".join(details)


class UnitTableModel(RowTableModel):
    """The current document's units (as filtered) in text order."""

    HEADERS = ("Span", "Coverage", "Analysts", "Disagreements", "Decision")
    HEADER_TIPS = (
        "The text the unit's claims cover",
        "Marked by all compared analysts, by some, or by one only",
        "Who marked it (colours as in the viewer)",
        "What the matched claims disagree on: span boundaries and labels",
        "The reviewer's decision: what went into the gold layer",
    )
    _rows: list[Unit]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._colours: dict[str, str] = {}
        self._decisions: dict[str, Adjudication] = {}
        self._codebook = Codebook()
        self._analysts = 0

    def set_units(self, units: Iterable[Unit], *, text: str, colours: dict[str, str],
                  decisions: dict[str, Adjudication], codebook: Codebook,
                  analysts: int) -> None:
        """``decisions``: claim id → the adjudication that considered it."""
        self.beginResetModel()
        self._rows = list(units)
        self._text, self._colours = text, colours
        self._decisions, self._codebook, self._analysts = decisions, codebook, analysts
        self.endResetModel()

    def units(self) -> list[Unit]:
        return list(self._rows)

    def unit_at(self, row: int) -> Unit:
        return self._rows[row]

    def decision(self, unit: Unit) -> Adjudication | None:
        return next((self._decisions[c.id] for c in unit.claims.values()
                     if c.id in self._decisions), None)

    def row_of_claim(self, claim_id: str) -> int | None:
        for row, unit in enumerate(self._rows):
            if any(c.id == claim_id for c in unit.claims.values()):
                return row
        return None

    def row_of(self, unit: Unit) -> int | None:
        first = next(iter(unit.claims.values())).id
        return self.row_of_claim(first)

    def quote(self, unit: Unit) -> str:
        if self._text and 0 <= unit.start < unit.end <= len(self._text):
            return self._text[unit.start:unit.end]
        return next(iter(unit.claims.values())).quote

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        unit = self._rows[index.row()]
        column = index.column()
        if role == _DISPLAY:
            if column == 0:
                return shorten(self.quote(unit), 90)
            if column == 1:
                count = len(unit.claims)
                if unit.coverage == BY_SOME:
                    return f"Some ({count} of {self._analysts})"
                return COVERAGE_NAMES[unit.coverage]
            if column == 2:
                return ", ".join(unit.claims)
            if column == 3:
                return differences_text(unit, self._codebook)[0]
            return decision_summary(self.decision(unit), unit) or "—"
        if role == _TOOLTIP:
            if column == 0:
                return plain_tooltip(f"{self.quote(unit)}\n[{unit.start}, {unit.end})")
            if column == 3:
                return plain_tooltip(differences_text(unit, self._codebook)[1]
                                     or "The analysts agree")
            if column == 4:
                adjudication = self.decision(unit)
                if adjudication is None:
                    return "Not decided yet"
                return plain_tooltip(
                    f"{decision_summary(adjudication, unit)} by {adjudication.adjudicator}"
                    f", {adjudication.created_at:%Y-%m-%d %H:%M} UTC")
        if role == Qt.ItemDataRole.DecorationRole and column == 2:
            return swatches([self._colours.get(a, "#999999") for a in unit.claims])
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 3 and (unit.disagreements or not unit.same_span):
                return foreground("warning")
            if column == 4 and self.decision(unit) is not None:
                return foreground("success")
        return None


class UnitDetails(QTableWidget):
    """The selected unit's claims side by side: one column per compared analyst
    (and the gold claim once decided), one row per field; cells that differ
    between the analysts are shaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.setObjectName("unitDetails")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._columns: list[Claim | None] = []
        self._names: list[str] = []

    def show_unit(self, unit: Unit | None, analysts: Sequence[str], colours: dict[str, str],
                  codebook: Codebook, gold: Claim | None = None,
                  comments: dict[str, int] | None = None) -> None:
        self.clear()
        comments = comments or {}
        present = set(codebook.dimensions()) or set(DETAIL_DIMENSIONS[:4])
        dimensions = [d for d in DETAIL_DIMENSIONS if d in present]
        rows = ["Span", "Quote", *(d.title for d in dimensions), "Source", "Proposition",
                "Note", "Comments"]
        if unit is None:
            self.setRowCount(0)
            self.setColumnCount(0)
            self._columns, self._names = [], []
            return
        names = list(analysts)
        claims: list[Claim | None] = [unit.claims.get(a) for a in names]
        if gold is not None:
            names.append("Gold")
            claims.append(gold)
        self._columns, self._names = claims, names
        self.setRowCount(len(rows))
        self.setColumnCount(len(names))
        # Tall enough for every row: the fields are what the reviewer decides on.
        self.setMinimumHeight(self.verticalHeader().defaultSectionSize() * len(rows)
                              + self.horizontalHeader().sizeHint().height()
                              + 2 * self.frameWidth() + 2)
        self.setVerticalHeaderLabels(rows)
        for column, name in enumerate(names):
            item = QTableWidgetItem(name)
            if name in colours:
                item.setIcon(swatches([colours[name]]))
            if name == "Gold":
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.setHorizontalHeaderItem(column, item)

        def values(claim: Claim) -> list[tuple[str, str]]:
            cells = [(f"{claim.start}–{claim.end}", ""),
                     (shorten(claim.quote, 60), claim.quote)]
            for dimension in dimensions:
                key = getattr(claim, dimension.value)
                label = codebook.label(dimension, key)
                cells.append((label_name(codebook, dimension, key),
                              label.description if label else ""))
            cells.append((claim.source_name or "—", ""))
            cells.append((shorten(claim.proposition, 60) or "—", claim.proposition))
            cells.append((shorten(claim.note, 60) or "—", claim.note))
            count = comments.get(claim.id, 0)
            cells.append((str(count) if count else "—", ""))
            return cells

        table = [values(c) if c is not None else None for c in claims]
        analysts_only = [t for t, name in zip(table, names, strict=True)
                         if t is not None and name != "Gold"]
        for row in range(len(rows)):
            differs = len({t[row][0] for t in analysts_only}) > 1
            for column, cells in enumerate(table):
                if cells is None:
                    item = QTableWidgetItem("(not marked)" if row == 0 else "")
                    item.setForeground(foreground("muted"))
                else:
                    text, tip = cells[row]
                    item = QTableWidgetItem(text)
                    if tip:
                        item.setToolTip(plain_tooltip(tip))
                    if differs and row not in (1, len(rows) - 1) and names[column] != "Gold":
                        item.setBackground(background("different"))
                self.setItem(row, column, item)

    def claim_at_column(self, column: int) -> Claim | None:
        return self._columns[column] if 0 <= column < len(self._columns) else None

class ComparePanel(QWidget):
    """Signals:
        analysts_changed(): the analysts to compare changed (read :meth:`chosen_analysts`).
        matching_changed(): the matching changed (read :meth:`matching`).
        filter_changed(): the units filter changed (read :meth:`filter_key`).
        unit_selected(object): the selected unit (a ``Unit``) or None.
        review_status_chosen(object): the user picked a ``ReviewStatus``.
    """

    analysts_changed = Signal()
    matching_changed = Signal()
    filter_changed = Signal()
    unit_selected = Signal(object)
    review_status_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._codebook = Codebook()
        self._colours: dict[str, str] = {}
        self._order: list[str] = []
        self._loading = False

        self.analysts = QListWidget()
        self.analysts.setObjectName("compareAnalysts")
        self.analysts.setToolTip("Check two or more analysts to compare. Each has its own "
                                 "colour in the viewer.")
        self.analysts.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.analysts.setFixedHeight(self.fontMetrics().height() * 4 + 14)
        self.measure = QComboBox()
        self.measure.setObjectName("matchingMeasure")
        for key, name in MEASURE_CHOICES:
            self.measure.addItem(name, key)
        self.measure.setToolTip(
            "How the analysts' spans are matched into units: the exact same span, or "
            "overlapping at least the threshold (Jaccard: shared characters over the "
            "characters either covers; share of shorter: shared over the shorter span)")
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("matchingThreshold")
        self.threshold.setRange(0.05, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(0.5)
        self.threshold.setPrefix("≥ ")
        self.threshold.setToolTip("The least overlap for two spans to match")
        self.filter = QComboBox()
        self.filter.setObjectName("unitFilter")
        for key, name in FILTERS:
            self.filter.addItem(name, key)
        self.status = QComboBox()
        self.status.setObjectName("reviewStatus")
        for status in ReviewStatus:
            self.status.addItem(status.title, status.value)
        self.status.setToolTip("The document's review status")

        self.units = UnitTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("unitTable")
        self.table.setModel(self.units)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        add_header_tips(self.table)
        # The span keeps at least 40% of the table; the other columns give way
        # (in a narrow panel the analysts' swatches, then the coverage, step aside:
        # the viewer's colours and the details below show them).
        self.columns = ColumnFitter(self.table, 0, share=0.4, cap=130, drop=(2, 1))
        self.hint = plain(QLabel())
        self.hint.setObjectName("compareHint")
        self.hint.setWordWrap(True)
        set_text_role(self.hint, "muted")
        self.details = UnitDetails()

        # Rows of buttons that wrap in a narrow panel (they never widen it).
        self.accept_row = FlowLayout()
        self.accept_row.setSpacing(4)
        self.action_row = FlowLayout()
        self.action_row.setSpacing(4)
        self._accept_buttons: list[QToolButton] = []

        controls = QGridLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(QLabel("Analysts"), 0, 0, Qt.AlignmentFlag.AlignTop)
        controls.addWidget(self.analysts, 0, 1, 1, 3)
        controls.addWidget(QLabel("Matching"), 1, 0)
        controls.addWidget(self.measure, 1, 1, 1, 2)
        controls.addWidget(self.threshold, 1, 3)
        controls.addWidget(QLabel("Show"), 2, 0)
        controls.addWidget(self.filter, 2, 1, 1, 3)
        # A row of its own: the panel stays narrow enough to leave the text room.
        controls.addWidget(QLabel("Review"), 3, 0)
        controls.addWidget(self.status, 3, 1, 1, 3)
        controls.setColumnStretch(1, 1)

        units_box = QWidget()
        units_layout = QVBoxLayout(units_box)
        units_layout.setContentsMargins(0, 0, 0, 0)
        units_layout.addWidget(self.hint)
        units_layout.addWidget(self.table, 1)
        details_box = QWidget()
        details_layout = QVBoxLayout(details_box)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.details, 1)
        details_layout.addLayout(self.accept_row)
        details_layout.addLayout(self.action_row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(units_box)
        splitter.addWidget(details_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)

        self.analysts.itemChanged.connect(self._on_analyst_item_changed)
        self.measure.currentIndexChanged.connect(self._on_measure_changed)
        self.threshold.valueChanged.connect(lambda _v: self._emit_matching())
        self.filter.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())
        self.status.activated.connect(
            lambda _i: self.review_status_chosen.emit(ReviewStatus(self.status.currentData())))
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.measure.setCurrentIndex(1)

    # Choices ------------------------------------------------------------------------------

    @property
    def codebook(self) -> Codebook:
        """The codebook the panel names labels with."""
        return self._codebook

    def set_codebook(self, codebook: Codebook) -> None:
        self._codebook = codebook

    def set_analysts(self, analysts: Sequence[tuple[str, int]], chosen: Iterable[str],
                     colours: dict[str, str]) -> None:
        chosen = set(chosen)
        self._colours = dict(colours)
        self._order = [name for name, _ in analysts]
        self._loading = True
        self.analysts.clear()
        for name, count in analysts:
            item = QListWidgetItem(swatches([colours.get(name, "#999999")]),
                                   f"{name}  ·  {count} claim{'s' if count != 1 else ''}")
            item.setData(_NAME_ROLE, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen
                               else Qt.CheckState.Unchecked)
            self.analysts.addItem(item)
        rows = min(max(len(analysts), 2), 5)
        self.analysts.setFixedHeight(self.analysts.sizeHintForRow(0) * rows
                                     + 2 * self.analysts.frameWidth() + 2
                                     if analysts else self.fontMetrics().height() * 2 + 8)
        self._loading = False

    def chosen_analysts(self) -> tuple[str, ...]:
        return tuple(self.analysts.item(i).data(_NAME_ROLE) for i in range(self.analysts.count())
                     if self.analysts.item(i).checkState() == Qt.CheckState.Checked)

    def set_chosen(self, names: Iterable[str]) -> None:
        """Check exactly ``names`` (as the user would, one signal at the end)."""
        wanted = set(names)
        self._loading = True
        for i in range(self.analysts.count()):
            item = self.analysts.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(_NAME_ROLE) in wanted
                               else Qt.CheckState.Unchecked)
        self._loading = False
        self.analysts_changed.emit()

    def _on_analyst_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._loading:
            self.analysts_changed.emit()

    def matching(self) -> Matching:
        measure = self.measure.currentData()
        if measure == EXACT:
            return Matching(EXACT, 1.0)
        return Matching(measure, round(self.threshold.value(), 2))

    def set_matching(self, matching: Matching) -> None:
        self._loading = True
        self.measure.setCurrentIndex(max(0, self.measure.findData(matching.measure)))
        if not matching.exact:
            self.threshold.setValue(matching.threshold)
        self.threshold.setEnabled(not matching.exact)
        self._loading = False
        self.matching_changed.emit()

    def _on_measure_changed(self, _index: int) -> None:
        self.threshold.setEnabled(self.measure.currentData() != EXACT)
        self._emit_matching()

    def _emit_matching(self) -> None:
        if not self._loading:
            self.matching_changed.emit()

    def filter_key(self) -> str:
        return str(self.filter.currentData())

    def set_filter_key(self, key: str) -> None:
        self.filter.setCurrentIndex(max(0, self.filter.findData(key)))

    def set_review_status(self, status: ReviewStatus | None) -> None:
        self.status.setEnabled(status is not None)
        if status is not None:
            self.status.setCurrentIndex(self.status.findData(status.value))

    # Units ----------------------------------------------------------------------------------

    def set_units(self, units: Iterable[Unit], *, text: str,
                  decisions: dict[str, Adjudication], analysts: int,
                  keep: str | None = None) -> None:
        """Show ``units``; the unit holding claim ``keep`` stays selected (no signal)."""
        self.units.set_units(units, text=text, colours=self._colours, decisions=decisions,
                             codebook=self._codebook, analysts=analysts)
        row = self.units.row_of_claim(keep) if keep else None
        self.select_row(row, notify=False)

    def current_unit(self) -> Unit | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
                index.row(), QModelIndex()):
            return None
        return self.units.unit_at(index.row())

    def select_row(self, row: int | None, *, notify: bool = True) -> None:
        selection = self.table.selectionModel()
        if row is None:
            blocker = selection.blockSignals(True)
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
            selection.blockSignals(blocker)
            if notify:
                self.unit_selected.emit(None)
            return
        index = self.units.index(row, 0)
        blocker = selection.blockSignals(not notify)
        self.table.setCurrentIndex(index)
        selection.select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                         | QItemSelectionModel.SelectionFlag.Rows)
        selection.blockSignals(blocker)
        self.table.scrollTo(index)

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.unit_selected.emit(self.units.unit_at(current.row()) if current.isValid()
                                else None)

    def show_details(self, unit: Unit | None, analysts: Sequence[str], gold: Claim | None,
                     comments: dict[str, int]) -> None:
        self.details.show_unit(unit, analysts, self._colours, self._codebook, gold, comments)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    # Actions -------------------------------------------------------------------------------

    @staticmethod
    def _button(action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def set_accept_actions(self, actions: Sequence[QAction]) -> None:
        for button in self._accept_buttons:
            self.accept_row.removeWidget(button)
            button.deleteLater()
        self._accept_buttons = [self._button(a) for a in actions]
        for position, button in enumerate(self._accept_buttons):
            self.accept_row.insertWidget(position, button)

    def set_actions(self, accept_end: Sequence[QAction], row: Sequence[QAction]) -> None:
        """The fixed buttons: after the accept buttons, and the row below."""
        for action in accept_end:
            self.accept_row.addWidget(self._button(action))
        self.accept_row.addStretch(1)
        for action in row:
            self.action_row.addWidget(self._button(action))
        self.action_row.addStretch(1)
