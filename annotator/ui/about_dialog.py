"""Help › About: the version, the components shipped and their licences, and where
the app keeps its data, settings, backups and log. Everything is plain text."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import about
from annotator.ui.plain import plain_label


def _table(rows: list[tuple[str, ...]], headers: tuple[str, ...],
           parent: QWidget) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))     # item views show plain text
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(r, c, item)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None,
                 settings_file: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Annotator")
        settings_file = settings_file or QSettings().fileName()
        self.heading = plain_label(
            f"Annotator {about.version()}\n"
            "Label claims in documents: stance, reliability, notes; export datasets; "
            "review colleagues' work.\n"
            "Licensed under the Apache License 2.0.", self)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.places = _table([(what, str(where)) for what, where in
                              about.places(settings_file)], ("What", "Where"), self)
        self.components = _table([(c.name, c.version, c.licence) for c in about.components()],
                                 ("Component", "Version", "Licence"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(plain_label("Where things are kept:", self))
        layout.addWidget(self.places)
        layout.addWidget(plain_label("Shipped with (each under its own licence):", self))
        layout.addWidget(self.components, 1)
        layout.addWidget(buttons)
        self.places.setFixedHeight(self.places.verticalHeader().length()
                                   + self.places.horizontalHeader().sizeHint().height()
                                   + 2 * self.places.frameWidth())
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        self.resize(760, 560)

    def rows(self, table: QTableWidget) -> list[tuple[str, ...]]:
        return [tuple(table.item(r, c).text() for c in range(table.columnCount()))
                for r in range(table.rowCount())]
