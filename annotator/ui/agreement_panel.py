"""The Agreement panel: how far the compared analysts agree, for the current
document or the corpus.

Rows are the label dimensions (Cohen's kappa for two analysts, Krippendorff's
alpha for any number, over the matched units) and the spans (precision, recall
and F1 between analysts, for exact and for overlap matching). It shows an
:func:`annotator.review.agreement_report` as it is: undefined figures read "—"
and their tooltip gives the reason.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Dimension
from annotator.domain.wording import plural
from annotator.review import EXACT, JACCARD, OVERLAP_RATIO
from annotator.ui.colours import background, foreground
from annotator.ui.item_models import RowTableModel
from annotator.ui.plain import plain, plain_tooltip
from annotator.ui.tables import add_header_tips

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole

DOCUMENT, CORPUS = "document", "corpus"
UNDEFINED = "—"

_MEASURE_NAMES = {EXACT: "exact", JACCARD: "Jaccard", OVERLAP_RATIO: "share of shorter"}


def _figure(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else UNDEFINED


class _Cell:
    __slots__ = ("applies", "text", "tip")

    def __init__(self, text: str = "", tip: str = "", applies: bool = True) -> None:
        self.text, self.tip, self.applies = text, tip, applies


class AgreementModel(RowTableModel):
    """Rows: dimensions, then spans (exact, overlap); columns: the figures."""

    HEADERS = ("", "Cohen's κ", "Krippendorff's α", "Precision", "Recall", "F1", "Items")
    HEADER_TIPS = (
        None,
        "Cohen's kappa (nominal) over the units both analysts marked; two analysts only",
        "Krippendorff's alpha over the matched units, any number of analysts (ordinal for "
        "the graded scales; \"cannot be judged\" left out as missing)",
        "Matched spans over the compared analyst's spans",
        "Matched spans over the reference analyst's spans",
        "2 × matched spans over both analysts' spans",
        "How many units or spans the figures rest on",
    )
    _rows: list[tuple[str, str, list[_Cell]]]

    def set_section(self, section: dict[str, Any] | None, analysts: int) -> None:
        """Show one scope of a report (the report itself for the corpus, or one of
        its ``documents`` entries)."""
        self.beginResetModel()
        self._rows = [] if section is None else self._build(section, analysts)
        self.endResetModel()

    def _build(self, section: dict[str, Any], analysts: int) -> list[tuple[str, str, list[_Cell]]]:
        rows = []
        blank = _Cell(applies=False)
        for dimension in Dimension:
            figures = section.get(dimension.value)
            if not isinstance(figures, dict):
                continue
            reasons = figures.get("reasons", {})
            if "cohen_kappa" in figures:
                kappa = _Cell(_figure(figures["cohen_kappa"]), reasons.get("cohen_kappa", ""))
            else:
                kappa = _Cell(UNDEFINED, "Cohen's κ is for exactly two analysts "
                              f"({analysts} compared): see Krippendorff's α", applies=False)
            alpha = _Cell(_figure(figures["krippendorff_alpha"]),
                          reasons.get("krippendorff_alpha", ""))
            units = int(figures.get("units", 0))
            item_tip = [f"{units} matched units with two or more values, "
                        f"{figures.get('pairable_values', 0)} values"]
            if figures.get("unjudgeable_values"):
                item_tip.append(f"{figures['unjudgeable_values']} “cannot be judged” values "
                                "left out")
            if figures.get("unknown_values"):
                item_tip.append(f"{figures['unknown_values']} values not in the codebook "
                                "left out")
            items = _Cell(plural(units, "unit"), "\n".join(item_tip))
            title = dimension.title
            level = figures.get("level", "")
            rows.append((title, f"{title}: {level} level of measurement",
                         [kappa, alpha, blank, blank, blank, items]))
        spans = section.get("spans")
        if isinstance(spans, dict):
            for kind in ("exact", "overlap"):
                figures = spans.get(kind)
                if not isinstance(figures, dict):
                    continue
                reasons = figures.get("reasons", {})
                cells = [blank, blank]
                cells += [_Cell(_figure(figures.get(name)), reasons.get(name, ""))
                          for name in ("precision", "recall", "f1")]
                pairs = int(figures.get("analyst_pairs", 1) or 0)
                matched = figures.get("matched", 0)
                reference = figures.get("reference_spans", 0)
                compared = figures.get("compared_spans", 0)
                tip = (f"{matched} matched; reference {reference}, compared {compared} spans"
                       if pairs == 1 else
                       f"Mean over {pairs} analyst pairs (each pair's reference is the "
                       f"earlier analyst); {matched} matched in all")
                if spans.get("reference"):
                    tip += f"\nReference analyst: {spans['reference']}"
                cells.append(_Cell(f"{matched} matched" if pairs == 1
                                   else f"{pairs} pairs", tip))
                if kind == "exact":
                    title, row_tip = "Spans, exact", "Spans match only when identical"
                else:
                    measure = _MEASURE_NAMES.get(str(figures.get("measure")), "overlap")
                    threshold = figures.get("threshold")
                    title = (f"Spans, overlap ({measure} ≥ {threshold:.2f})"
                             if isinstance(threshold, float) else "Spans, overlap")
                    row_tip = "Spans match when they overlap at least the threshold"
                rows.append((title, row_tip, cells))
        return rows

    def cell(self, row: int, column: int) -> str:
        return str(self.data(self.index(row, column)))

    def row_titles(self) -> list[str]:
        return [title for title, _tip, _cells in self._rows]

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        title, row_tip, cells = self._rows[index.row()]
        column = index.column()
        if column == 0:
            if role == _DISPLAY:
                return title
            if role == _TOOLTIP:
                return plain_tooltip(row_tip) or None
            return None
        cell = cells[column - 1]
        if role == _DISPLAY:
            return cell.text
        if role == _TOOLTIP:
            return plain_tooltip(cell.tip) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and not cell.applies:
            return background("not_applicable")
        if role == Qt.ItemDataRole.ForegroundRole and cell.text == UNDEFINED:
            return foreground("muted")
        return None


def _left_out_text(left_out: list[dict[str, Any]]) -> str:
    """The corpus summary's end: the documents left out of the comparison."""
    if not left_out:
        return ""
    names = [str(item.get("title") or "(untitled)") for item in left_out[:5]]
    if len(left_out) > 5:
        names.append(f"{len(left_out) - 5} more")
    return (f" Left out: {plural(len(left_out), 'document')} not every compared analyst "
            f"has ({', '.join(names)}).")


class AgreementPanel(QWidget):
    """Shows an agreement report for "This document" or the "Corpus".

    Signals:
        scope_changed(str): ``"document"`` or ``"corpus"``.
    """

    scope_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: dict[str, Any] | None = None
        self._document_id: str | None = None
        self.scope = QTabBar()
        self.scope.setObjectName("agreementScope")
        self.scope.addTab("This document")
        self.scope.addTab("Corpus")
        self.scope.setDrawBase(False)
        self.title = plain(QLabel())        # analysts' names
        self.title.setObjectName("agreementTitle")
        self.summary = plain(QLabel())
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        self.model = AgreementModel(self)
        self.table = QTableView()
        add_header_tips(self.table)
        self.table.setObjectName("agreementTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(AgreementModel.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addSpacing(12)
        top.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.scope.currentChanged.connect(self._on_scope_changed)
        self._show()

    @property
    def current_scope(self) -> str:
        return DOCUMENT if self.scope.currentIndex() == 0 else CORPUS

    def set_scope(self, scope: str) -> None:
        self.scope.setCurrentIndex(0 if scope == DOCUMENT else 1)

    def _on_scope_changed(self, _index: int) -> None:
        self._show()
        self.scope_changed.emit(self.current_scope)

    def set_report(self, report: dict[str, Any] | None, document_id: str | None) -> None:
        """Show ``report`` (an :func:`agreement_report` with per-document entries);
        None shows why there is nothing to show."""
        self._report = report
        self._document_id = document_id
        self._show()

    def section(self) -> dict[str, Any] | None:
        """The part of the report the panel shows now."""
        if self._report is None:
            return None
        if self.current_scope == CORPUS:
            return self._report
        return next((d for d in self._report.get("documents", [])
                     if d.get("document_id") == self._document_id), None)

    def _show(self) -> None:
        report = self._report
        analysts = len(report["analysts"]) if report else 0
        section = self.section()
        self.model.set_section(section, analysts)
        if report is None:
            self.title.setText("")
            self.summary.setText("Choose two or more analysts to compare (Compare panel).")
            return
        matching = report.get("matching", {})
        measure = _MEASURE_NAMES.get(str(matching.get("measure")), "")
        how = (f"{measure} ≥ {matching['threshold']:.2f}" if "threshold" in matching
               else "exact spans")
        self.title.setText(f"{', '.join(report['analysts'])} · units by {how}")
        left_out = report.get("left_out") or []
        if section is None:
            if any(item.get("document_id") == self._document_id for item in left_out):
                self.summary.setText("This document is left out: not every compared "
                                     "analyst has it (it was not in their imported work).")
            else:
                self.summary.setText("None of the compared analysts marked a claim in this "
                                     "document.")
            return
        counts = section.get("counts", {})
        by_analyst = counts.get("claims_by_analyst", {})
        scope = ("This document" if self.current_scope == DOCUMENT
                 else f"Corpus ({plural(counts.get('documents', 0), 'document')})")
        self.summary.setText(
            f"{scope}: {plural(counts.get('units', 0), 'unit')} — "
            f"{counts.get('by_all', 0)} by all, {counts.get('by_some', 0)} by some, "
            f"{counts.get('by_one', 0)} by one only; "
            f"{plural(counts.get('span_differences', 0), 'span difference')}, "
            f"{plural(counts.get('label_disagreements', 0), 'label disagreement')}. "
            "Claims: " + ", ".join(f"{a} {n}" for a, n in by_analyst.items()) + "."
            + (_left_out_text(left_out) if self.current_scope == CORPUS else ""))
        self.summary.setToolTip(plain_tooltip("\n".join(
            f"{item.get('title') or '(untitled)'} ({item.get('document_id')})"
            for item in left_out[:50])) if left_out and self.current_scope == CORPUS else "")
