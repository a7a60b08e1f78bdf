"""A flat list of checkable rows, each carrying a value (the export dialog's
documents, annotators and labels)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from annotator.ui.plain import plain_tooltip

#: The role that holds each row's value.
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class CheckList(QTreeWidget):
    """A flat list of checkable rows, each carrying a value; the first column is
    checked and elided, the others (counts, status) fit their contents."""

    def __init__(self, headers: Sequence[str] = ("",), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(headers))
        self.setHeaderLabels(list(headers))
        self.setHeaderHidden(len(headers) == 1)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def add(self, texts: Sequence[str], value: object, *, checked: bool,
            tip: str = "") -> None:
        item = QTreeWidgetItem(list(texts))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(0, VALUE_ROLE, value)
        for column in range(1, len(texts)):
            if texts[column][:1].isdigit():
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
        if tip:
            item.setToolTip(0, plain_tooltip(tip))
        self.addTopLevelItem(item)

    def count(self) -> int:
        return self.topLevelItemCount()

    def items(self) -> list[QTreeWidgetItem]:
        return [self.topLevelItem(row) for row in range(self.topLevelItemCount())]

    def values(self) -> list:
        return [item.data(0, VALUE_ROLE) for item in self.items()]

    def checked(self) -> list:
        return [item.data(0, VALUE_ROLE) for item in self.items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def all_checked(self) -> bool:
        return len(self.checked()) == self.count()

    def check(self, values: Iterable[object] | None = None) -> None:
        """Check the rows whose value is in ``values`` and uncheck the rest
        (``None``: check all); one ``itemChanged`` at most."""
        wanted = None if values is None else set(values)
        self.blockSignals(True)
        try:
            for item in self.items():
                on = wanted is None or item.data(0, VALUE_ROLE) in wanted
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self.blockSignals(False)
        if self.count():
            self.itemChanged.emit(self.topLevelItem(0), 0)
