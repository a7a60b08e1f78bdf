"""How the app's read-only tables look and behave: whole rows, one at a time, no
in-place editing, compact rows, and Tab moving on to the next panel."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView


def table_defaults(table: QTableView) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)     # Tab moves to the next panel, not the next cell
