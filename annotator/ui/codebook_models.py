"""The codebook editor's table models: the labels of one dimension, and the
propositions. Each row is a frozen codebook value; an edit typed into a cell is
not applied here but asked for (``edit_requested``), and the dialog sets the
rows again once the change is saved."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from annotator.domain.codebook import Dimension, Label, Proposition
from annotator.domain.wording import plural
from annotator.ui.colours import foreground
from annotator.ui.plain import plain_tooltip

Index = QModelIndex | QPersistentModelIndex


def claims_text(n: int) -> str:
    return plural(n, "claim")


def _checked(value: object) -> bool:
    return Qt.CheckState(value) == Qt.CheckState.Checked  # type: ignore[call-overload]


class CodebookTableModel(QAbstractTableModel):
    """Rows of frozen values. Edits are not applied here: ``edit_requested(id,
    field, value)`` asks for them, and the dialog refreshes the rows when saved."""

    HEADERS: tuple[str, ...] = ()
    EDITABLE: ClassVar[dict[int, str]] = {}
    edit_requested = Signal(str, str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.usage: dict[str, int] = {}
        self.locked: set[int] = set()

    def set_rows(self, rows: list[Any], usage: dict[str, int]) -> None:
        if len(rows) == len(self.rows):   # keep open editors and selection
            self.rows, self.usage = rows, usage
            if rows:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(rows) - 1, len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self.rows, self.usage = rows, usage
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in self.EDITABLE and index.column() not in self.locked:
            if self.EDITABLE[index.column()] == "retired":
                return flags | Qt.ItemFlag.ItemIsUserCheckable
            return flags | Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        name = self.EDITABLE.get(index.column())
        if name is None or index.column() in self.locked:
            return False
        if name == "retired":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            value = _checked(value)
        elif role != Qt.ItemDataRole.EditRole:
            return False
        self.edit_requested.emit(self.row_id(index.row()), name, value)
        return True

    def row_id(self, row: int) -> str:
        raise NotImplementedError


class LabelTableModel(CodebookTableModel):
    ORDER, KEY, NAME, DESCRIPTION, COLOUR, SHORTCUT, RETIRED, CLAIMS = range(8)
    HEADERS = ("Order", "Key", "Name", "Description", "Colour", "Shortcut", "Retired",
               "Claims")
    EDITABLE: ClassVar = {KEY: "key", NAME: "name", DESCRIPTION: "description",
                          COLOUR: "colour", SHORTCUT: "shortcut", RETIRED: "retired"}

    def __init__(self, dimension: Dimension, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dimension = dimension
        if dimension.fixed_keys:   # Admiralty: names, descriptions and colours only
            self.locked = {self.KEY, self.SHORTCUT, self.RETIRED}

    def row_id(self, row: int) -> str:
        return self.rows[row].key

    def label_at(self, row: int) -> Label:
        return self.rows[row]

    def _order(self, row: int) -> str:
        label = self.rows[row]
        if not label.judgeable:
            return "cannot be judged"
        if self.dimension.graded:
            return str(1 + sum(1 for other in self.rows[:row] if other.judgeable))
        return str(row + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        label: Label = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return {self.ORDER: self._order(index.row()), self.KEY: label.key,
                    self.NAME: label.name, self.DESCRIPTION: label.description,
                    self.COLOUR: label.colour, self.SHORTCUT: label.shortcut,
                    self.CLAIMS: self.usage.get(label.key, 0)}.get(column)
        if role == Qt.ItemDataRole.CheckStateRole and column == self.RETIRED:
            return Qt.CheckState.Checked if label.retired else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and column == self.COLOUR:
            return QColor(label.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.CLAIMS:
                return f"{claims_text(self.usage.get(label.key, 0))} use this label"
            if column == self.ORDER and not label.judgeable:
                return "Not a point on the scale: never sorted or compared with the grades"
            return plain_tooltip(f"{label.name}: {label.description}" if label.description
                                 else label.name)
        if role == Qt.ItemDataRole.ForegroundRole and (label.retired or (
                column == self.ORDER and not label.judgeable)):
            return foreground("muted")
        if role == Qt.ItemDataRole.FontRole and column == self.ORDER and not label.judgeable:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.CLAIMS, self.ORDER,
                                                                    self.SHORTCUT):
            return Qt.AlignmentFlag.AlignCenter
        return None


class PropositionTableModel(CodebookTableModel):
    TEXT, DESCRIPTION, RETIRED, CLAIMS = range(4)
    HEADERS = ("Proposition", "Description", "Retired", "Claims")
    EDITABLE: ClassVar = {TEXT: "text", DESCRIPTION: "description", RETIRED: "retired"}

    def row_id(self, row: int) -> str:
        return self.rows[row].id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        proposition: Proposition = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return {self.TEXT: proposition.text, self.DESCRIPTION: proposition.description,
                    self.CLAIMS: self.usage.get(proposition.text, 0)}.get(column)
        if role == Qt.ItemDataRole.CheckStateRole and column == self.RETIRED:
            return Qt.CheckState.Checked if proposition.retired else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(proposition.description or proposition.text)
        if role == Qt.ItemDataRole.ForegroundRole and proposition.retired:
            return foreground("muted")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.CLAIMS:
            return Qt.AlignmentFlag.AlignCenter
        return None
