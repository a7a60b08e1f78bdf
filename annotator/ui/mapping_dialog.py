"""Before a colleague's work is written: how their codebook maps onto ours.

One row per incoming label and proposition their claims use: what it is in
their codebook, where it goes in ours and why (same key, renamed key through
the codebook history, same text, reworded, new). A label that maps onto none
of ours must be decided first — mapped onto one of ours or added as a new
label — so that no duplicate label is ever added without the analyst seeing
it. Cancel imports nothing.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook
from annotator.domain.exchange import CodebookMapping, Entry, How
from annotator.ui.plain import plain

CHOOSE = "Choose…"
_ADD_NEW = "\x00new"      # the combo item that adds the incoming label as new
_ATTENTION = QColor("#FFF3B0")


def _theirs(entry: Entry) -> str:
    if entry.dimension is None:
        return f"Proposition: {entry.key}"
    name = f" ({entry.name})" if entry.name != entry.key else ""
    return f"{entry.dimension.title}: {entry.key}{name}"


def import_buttons(dialog: QDialog) -> QDialogButtonBox:
    """Import and Cancel, accepting or rejecting ``dialog`` (every import preview)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def preview_layout(dialog: QDialog, summary: QLabel, rows: int, headers: list[str],
                   name: str, stretch: set[int]) -> tuple[QTableWidget, QDialogButtonBox]:
    """What every import's mapping preview shows: ``summary`` over a table of
    ``rows`` (edited through the combos put in its cells, not in place), and
    Import and Cancel. Returns the table and the buttons."""
    summary.setWordWrap(True)
    table = QTableWidget(rows, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch
                                    if column in stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    buttons = import_buttons(dialog)
    layout = QVBoxLayout(dialog)
    layout.addWidget(summary)
    layout.addWidget(table, 1)
    layout.addWidget(buttons)
    return table, buttons


class MappingDialog(QDialog):
    """Shows a :class:`CodebookMapping` and takes the analyst's choices; on
    accept the mapping holds them (every label settled)."""

    def __init__(self, mapping: CodebookMapping, ours: Codebook, source: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a Colleague's Work: Codebook")
        self.mapping = mapping
        self.ours = ours
        self.combos: dict[int, QComboBox] = {}
        entries = mapping.entries
        unmapped = len(mapping.unmapped())
        renamed = sum(1 for e in entries if e.how in (How.RENAMED, How.REWORDED))
        new = sum(1 for e in entries if e.how is How.NEW)
        lines = [f"How the codebook of {source} maps onto this project's. Nothing has "
                 "been imported yet."]
        if renamed:
            lines.append(f"Renamed or reworded since, mapped through the codebook history: "
                         f"{renamed}.")
        if new:
            lines.append(f"Not in this project, will be added: {new}.")
        if unmapped:
            lines.append(f"Labels matching none of yours: {unmapped}. Choose for each "
                         "whether it is the same as one of yours or a new label.")
        self.summary = plain(QLabel("\n".join(lines)))
        self.table, self.buttons = preview_layout(
            self, self.summary, len(entries), ["Theirs", "In this project", "How"],
            "mappingTable", stretch={0, 1})
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        for row, entry in enumerate(entries):
            self._fill(row, entry)
        self.resize(760, 420)
        self._update()

    def _fill(self, row: int, entry: Entry) -> None:
        theirs = QTableWidgetItem(_theirs(entry))
        theirs.setToolTip(theirs.text())
        self.table.setItem(row, 0, theirs)
        self.table.setItem(row, 2, QTableWidgetItem(entry.how.value))
        if entry.how not in (How.UNMAPPED, How.NEW) or (
                entry.dimension is not None and entry.how is How.NEW):
            target = entry.target if entry.target is not None else entry.key
            self.table.setItem(row, 1, QTableWidgetItem(
                "(added)" if entry.adds else target))
            return
        combo = QComboBox()
        combo.setObjectName(f"mapping{row}")
        if entry.how is How.UNMAPPED:
            combo.addItem(CHOOSE, "")
            self.table.setItem(row, 1, QTableWidgetItem())
            for cell in (0, 1, 2):
                self.table.item(row, cell).setBackground(_ATTENTION)
        if entry.dimension is not None:
            combo.addItem(f"Add as a new label “{entry.name}”", _ADD_NEW)
            for label in self.ours.of(entry.dimension):
                retired = " (retired)" if label.retired else ""
                combo.addItem(f"Same as “{label.name}” ({label.key}){retired}", label.key)
        else:
            combo.addItem("Add as a new proposition", _ADD_NEW)
            for proposition in self.ours.propositions:
                combo.addItem(f"Same as “{proposition.text}”", proposition.text)
        combo.currentIndexChanged.connect(self._update)
        self.combos[row] = combo
        self.table.setCellWidget(row, 1, combo)

    def choices(self) -> dict[int, str | None]:
        """Row → chosen target (None: add as new; "" not chosen yet)."""
        return {row: None if combo.currentData() == _ADD_NEW else combo.currentData()
                for row, combo in self.combos.items()}

    def choose(self, row: int, target: str | None) -> None:
        """Pick ``target`` (one of ours, or None to add as new) for ``row``."""
        combo = self.combos[row]
        combo.setCurrentIndex(combo.findData(_ADD_NEW if target is None else target))

    def _update(self) -> None:
        self.import_button.setEnabled("" not in self.choices().values())

    def accept(self) -> None:
        choices = self.choices()
        if "" in choices.values():
            return
        entries = self.mapping.entries
        for row, target in choices.items():
            entry = entries[row]
            if target is None and entry.how is How.NEW:
                continue
            self.mapping.choose(entry, target)
        super().accept()
