"""The claims of the shown document and which one is current.

:class:`ShownClaims` is the only place the current claim changes. It keeps the
viewer's highlight, the claim panel and the claims table's selected row on the
same claim, and it adds, replaces and removes claims in all three so that no
model update (a relabel, a moved span, the table re-sorting, a removed row) ever
makes another claim current. Keys then act on what the analyst sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Signal
from PySide6.QtWidgets import QTableView

from annotator.domain.model import Claim
from annotator.ui.claim_editor import ClaimEditor
from annotator.ui.item_models import ClaimFilterModel, ClaimTableModel
from annotator.ui.legend import LegendPanel
from annotator.ui.text_view import ClaimTextView


class ShownClaims(QObject):
    """Keeps viewer, table, legend counts and claim panel on one set of claims and
    one current claim. ``changed`` is called whenever the current claim changes;
    ``current_changed(Claim | None)`` says which claim is current now (emitted, too,
    when the current claim is edited)."""

    current_changed = Signal(object)

    def __init__(self, view: ClaimTextView, table: QTableView, model: ClaimTableModel,
                 proxy: ClaimFilterModel, editor: ClaimEditor, legend: LegendPanel,
                 changed: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view, self._table, self._model, self._proxy = view, table, model, proxy
        self._editor, self._legend, self._changed = editor, legend, changed
        self._current: Claim | None = None
        self._updating = False
        self._filter: Callable[[Claim], bool] | None = None
        table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        view.claim_clicked.connect(lambda claim_id: self.select(claim_id, reveal=False))
        view.caret_moved.connect(self._on_caret_moved)

    @property
    def current(self) -> Claim | None:
        return self._current

    def claim(self, claim_id: str) -> Claim | None:
        row = self._model.row_of(claim_id)
        return self._model.claim_at(row) if row is not None else None

    def claims(self) -> list[Claim]:
        return self._model.claims()

    def select(self, claim_id: str | None, *, reveal: bool = True) -> None:
        """Make ``claim_id`` (a shown claim, or None) the current claim:
        highlighted in the viewer, shown in the panel, selected in the table."""
        claim = self.claim(claim_id) if claim_id else None
        previous, self._current = self._current, claim
        if self._filter is not None and (previous is not None) \
                and (claim is None or claim.id != previous.id):
            self._apply_filter()      # a claim kept in view while current may go now
        self._view.set_current_claim(claim.id if claim else None, reveal=reveal)
        self._editor.set_claim(claim)
        self._sync_table()
        self._changed()
        self.current_changed.emit(claim)

    def _sync_table(self) -> None:
        """Select the current claim's row (and nothing else) without telling anyone."""
        selection = self._table.selectionModel()
        row = self._model.row_of(self._current.id) if self._current else None
        proxy = (self._proxy.mapFromSource(self._model.index(row, 0))
                 if row is not None else QModelIndex())
        changed = False
        blocker = selection.blockSignals(True)
        try:
            if not proxy.isValid():
                changed = selection.hasSelection() or selection.currentIndex().isValid()
                selection.clear()
            elif selection.currentIndex().row() != proxy.row() \
                    or not selection.isRowSelected(proxy.row()):
                selection.setCurrentIndex(proxy, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
                self._table.scrollTo(proxy)
                changed = True
        finally:
            selection.blockSignals(blocker)
        if changed:     # the view heard nothing (signals blocked): repaint the rows
            self._table.viewport().update()

    @contextmanager
    def table_change(self) -> Iterator[None]:
        """A change of the table's rows or filter: rows that move or go never make
        another claim current."""
        self._updating = True
        try:
            yield
        finally:
            self._updating = False
            self._sync_table()

    # Content ------------------------------------------------------------------------------

    def open(self, document, claims: Sequence[Claim]) -> None:  # type: ignore[no-untyped-def]
        """Another document (or None) with its claims; no claim is current."""
        self._current = None
        self._view.set_document(document, claims)
        with self.table_change():
            self._model.set_claims(claims)
        self._legend.update_counts(claims)
        self._editor.set_claim(None)
        self._changed()
        self.current_changed.emit(None)

    def show(self, claims: list[Claim]) -> None:
        """Other claims over the same text (a relabelling, the other layer); the
        current claim stays current if it is among them."""
        current = self._current.id if self._current else None
        self._view.set_claims(claims)
        with self.table_change():
            self._model.set_claims(claims)
        self._legend.update_counts(claims)
        self.select(current if any(c.id == current for c in claims) else None, reveal=False)

    def add(self, claim: Claim) -> None:
        self._view.add_claim(claim)
        with self.table_change():
            self._model.add(claim)
        self._legend.adjust_counts(None, claim)

    def remove(self, claim: Claim) -> None:
        if self._current is not None and self._current.id == claim.id:
            self.select(None, reveal=False)
        self._view.remove_claim(claim.id)
        with self.table_change():
            self._model.remove(claim)
        self._legend.adjust_counts(claim, None)

    def replace(self, before: Claim, after: Claim) -> None:
        self._view.update_claim(after)
        with self.table_change():
            self._model.replace(before, after)
        self._legend.adjust_counts(before, after)
        if self._current is not None and self._current.id == after.id:
            self._current = after
            self._editor.set_claim(after)
            self.current_changed.emit(after)

    def set_filter(self, shown: Callable[[Claim], bool] | None) -> None:
        """Show only the claims ``shown`` lets through (all with None); the current
        claim stays in view while it is current, even when an edit makes the filter
        hide it, so the analyst sees what the next key changes (a filter that hides
        it when chosen leaves no claim current)."""
        self._filter = shown
        if shown is not None and self._current is not None and not shown(self._current):
            self.select(None, reveal=False)     # the analyst chose to hide it
        self._apply_filter()
        self._legend.update_counts(self._model.claims())

    def _apply_filter(self) -> None:
        shown = self._filter
        pinned = None if shown is None else (
            lambda claim: shown(claim) or (self._current is not None
                                           and claim.id == self._current.id))
        self._view.set_filter(pinned)
        with self.table_change():
            self._proxy.set_filter(pinned)

    # The analyst's moves -------------------------------------------------------------------

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._updating:
            row = self._proxy.mapToSource(current).row()
            self.select(self._model.claim_at(row).id, reveal=True)

    def _on_caret_moved(self) -> None:
        """The analyst moved the caret or selected text: a fresh selection, or a
        caret outside the current claim, leaves no claim current (keys must not
        reach a claim the analyst has moved away from)."""
        claim = self._current
        if claim is None:
            return
        cursor = self._view.textCursor()
        offset = self._view.offsets.to_offset(cursor.position())
        if cursor.hasSelection() or not claim.start <= offset <= claim.end:
            self.select(None, reveal=False)
