"""The codebook editor: one tab per label dimension, plus propositions and tags.

Every edit is pushed at once as a :class:`ChangeCodebookCommand` on the window's
undo stack, so it is saved immediately and undoable; the dialog redraws itself
from ``CodebookController.codebook_changed``. Edits typed into a table cell are
handled after the cell editor has closed (a queued signal), so a refusal message
never pops up inside the editor's own commit.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import (
    OKABE_ITO,
    STANCE_MAPPINGS,
    STANCE_PRESET_TITLES,
    Codebook,
    CodebookError,
    Dimension,
    Label,
    Proposition,
    detect_stance_preset,
    from_dict,
    icd203_labels,
    stance_preset,
    to_dict,
    validate,
    with_labels,
)
from annotator.formats.atomic import atomic_write
from annotator.ui.commands import ChangeCodebookCommand
from annotator.ui.controller import CodebookController
from annotator.ui.plain import plain_tooltip, show_message

Index = QModelIndex | QPersistentModelIndex
Usage = Callable[[Dimension, str], int]
ICD203 = (Dimension.LIKELIHOOD, Dimension.CONFIDENCE)
_RETIRED = QColor("#7A7A7A")


def _claims(n: int) -> str:
    return f"{n} claim{'' if n == 1 else 's'}"


def _checked(value: object) -> bool:
    return Qt.CheckState(value) == Qt.CheckState.Checked  # type: ignore[call-overload]


# Planning changes (pure: codebook in, codebook out) ------------------------------------

@dataclass
class Plan:
    """A codebook change worked out before it is pushed, with what it will do."""

    codebook: Codebook
    renames: dict[Dimension, dict[str, str]] = field(default_factory=dict)
    proposition_renames: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


def plan_stance_preset(codebook: Codebook, target: str, usage: Usage) -> Plan:
    """Switch the stance labels to preset ``target``: claims follow
    STANCE_MAPPINGS; a label in use with no counterpart stays, retired."""
    # Every preset's keys are distinct, so the mappings into ``target`` combine: a
    # codebook that mixes presets or retired some labels still maps what it can.
    mapping = {old: new for (_, to), pairs in STANCE_MAPPINGS.items() if to == target
               for old, new in pairs.items()}
    new = stance_preset(target)
    new_keys = {label.key for label in new}
    plan = Plan(codebook)
    kept: list[Label] = []
    for label in codebook.of(Dimension.STANCE):
        used = usage(Dimension.STANCE, label.key)
        if label.key in new_keys:
            plan.lines.append(f"“{label.key}” stays ({_claims(used)})")
        elif mapping.get(label.key) in new_keys:
            plan.renames.setdefault(Dimension.STANCE, {})[label.key] = mapping[label.key]
            plan.lines.append(f"“{label.key}” becomes “{mapping[label.key]}”: "
                              f"{_claims(used)} relabelled")
        elif used:
            kept.append(replace(label, retired=True))
            plan.lines.append(f"“{label.key}” has no counterpart: kept as a retired label "
                              f"with its {_claims(used)}")
        else:
            plan.lines.append(f"“{label.key}” is removed (no claims use it)")
    old_keys = {label.key for label in codebook.of(Dimension.STANCE)}
    added = [label.key for label in new if label.key not in old_keys
             and label.key not in plan.renames.get(Dimension.STANCE, {}).values()]
    if added:
        plan.lines.append("New: " + ", ".join(f"“{key}”" for key in added))
    plan.codebook = with_labels(codebook, Dimension.STANCE, [*new, *kept])
    return plan


def plan_import(current: Codebook, imported: Codebook, usage: Usage,
                proposition_usage: Callable[[str], int]) -> Plan:
    """Replace ``current`` by ``imported``, keeping (retired) every label and
    proposition that claims still use; a proposition with the same id but new
    text is a rename."""
    labels: list[Label] = []
    lines: list[str] = []
    for dimension in Dimension:
        incoming = imported.of(dimension)
        if not incoming and dimension.fixed_keys:
            labels += current.of(dimension)
            continue
        labels += incoming
        keys = {label.key for label in incoming}
        for label in current.of(dimension):
            used = usage(dimension, label.key) if label.key not in keys else 0
            if used:
                labels.append(replace(label, retired=True))
                lines.append(f"{dimension.title} “{label.key}” is not in the file but "
                             f"{_claims(used)} use it: kept, retired")
    by_id = {p.id: p for p in imported.propositions}
    texts = {p.text for p in imported.propositions}
    renames: dict[str, str] = {}
    propositions = list(imported.propositions)
    for proposition in current.propositions:
        if proposition.text in texts:
            continue
        if proposition.id in by_id:
            renames[proposition.text] = by_id[proposition.id].text
            lines.append(f"Proposition “{proposition.text}” renamed to "
                         f"“{by_id[proposition.id].text}” "
                         f"({_claims(proposition_usage(proposition.text))} relabelled)")
        elif used := proposition_usage(proposition.text):
            propositions.append(replace(proposition, retired=True))
            lines.append(f"Proposition “{proposition.text}” is not in the file but "
                         f"{_claims(used)} use it: kept, retired")
    codebook = Codebook(current.version, tuple(labels), tuple(propositions), imported.tags)
    return Plan(codebook, proposition_renames=renames, lines=lines)


# Table models ------------------------------------------------------------------------------

class _Model(QAbstractTableModel):
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


class LabelTableModel(_Model):
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
                return f"{_claims(self.usage.get(label.key, 0))} use this label"
            if column == self.ORDER and not label.judgeable:
                return "Not a point on the scale: never sorted or compared with the grades"
            return plain_tooltip(f"{label.name}: {label.description}" if label.description
                                 else label.name)
        if role == Qt.ItemDataRole.ForegroundRole and (label.retired or (
                column == self.ORDER and not label.judgeable)):
            return _RETIRED
        if role == Qt.ItemDataRole.FontRole and column == self.ORDER and not label.judgeable:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.CLAIMS, self.ORDER,
                                                                    self.SHORTCUT):
            return Qt.AlignmentFlag.AlignCenter
        return None


class PropositionTableModel(_Model):
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
            return _RETIRED
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.CLAIMS:
            return Qt.AlignmentFlag.AlignCenter
        return None


def _table(model: _Model, widths: dict[int, int], stretch: int) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                          | QAbstractItemView.EditTrigger.EditKeyPressed
                          | QAbstractItemView.EditTrigger.AnyKeyPressed)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    for column, width in widths.items():
        header.resizeSection(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _buttons(layout: QHBoxLayout, *specs: tuple[str, Callable[[], None], str]
             ) -> list[QPushButton]:
    buttons = []
    for text, slot, tip in specs:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        layout.addWidget(button)
        buttons.append(button)
    return buttons


# Tabs -------------------------------------------------------------------------------------

class LabelTab(QWidget):
    """The labels of one dimension: a table and the buttons that change it."""

    def __init__(self, dialog: CodebookDialog, dimension: Dimension) -> None:
        super().__init__()
        self.dialog, self.dimension = dialog, dimension
        self.model = LabelTableModel(dimension, self)
        self.model.edit_requested.connect(self._edited, Qt.ConnectionType.QueuedConnection)
        m = LabelTableModel
        self.table = _table(self.model, {m.ORDER: 125, m.KEY: 150, m.NAME: 190, m.COLOUR: 100,
                                         m.SHORTCUT: 70, m.RETIRED: 64, m.CLAIMS: 60},
                            m.DESCRIPTION)
        self.table.setObjectName(f"{dimension.value}Table")
        for column in self.model.locked - {m.KEY}:   # Admiralty: no shortcuts, no retiring
            self.table.setColumnHidden(column, True)
        layout = QVBoxLayout(self)
        if dimension is Dimension.STANCE:
            layout.addLayout(self._preset_row())
        if dimension.fixed_keys:
            note = QLabel("The Admiralty grades keep their keys, which exports carry; you can "
                          "rename, describe and recolour them. The last grade means "
                          "“cannot be judged” and is not a point on the scale.")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button, self.retire_button, self.delete_button, self.up_button, \
            self.down_button = _buttons(
                row, ("Add label", self.add, "Add a label to this dimension"),
                ("Retire", self.toggle_retired, "Hide the label from new work; its claims "
                 "keep it and still export it"),
                ("Delete", self.delete, "Delete a label no claim uses"),
                ("Move up", lambda: self.move(-1), "Earlier in lists (and better on a scale)"),
                ("Move down", lambda: self.move(+1), "Later in lists (and worse on a scale)"))
        self.colour_button, = _buttons(row, ("Colour…", self.choose_colour,
                                             "Pick the label's colour"))
        row.addStretch()
        layout.addLayout(row)
        for button in (self.add_button, self.retire_button, self.delete_button,
                       self.up_button, self.down_button):
            button.setVisible(not dimension.fixed_keys)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)

    def _preset_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("Preset:"))
        self.preset_combo = QComboBox()
        for name, title in STANCE_PRESET_TITLES.items():
            self.preset_combo.addItem(title, name)
        row.addWidget(self.preset_combo)
        self.preset_button, = _buttons(row, ("Switch to preset…",
                                 lambda: self.dialog.apply_stance_preset(
                                     self.preset_combo.currentData()),
                                 "Relabel claims through the mapping between presets; labels "
                                 "in use with no counterpart are kept, retired"))
        self.preset_label = QLabel()
        row.addWidget(self.preset_label)
        row.addStretch()
        return row

    def refresh(self, codebook: Codebook) -> None:
        labels = codebook.of(self.dimension)
        self.model.set_rows(labels, {label.key: self.dialog.usage(self.dimension, label.key)
                                     for label in labels})
        if self.dimension is Dimension.STANCE:
            current = detect_stance_preset(codebook)
            self.preset_label.setText(f"In use: {STANCE_PRESET_TITLES[current]}" if current
                                      else "In use: a custom set")
            if current:
                self.preset_combo.setCurrentIndex(self.preset_combo.findData(current))
        self._update_buttons()

    def current(self) -> Label | None:
        row = self.table.currentIndex().row()
        return self.model.label_at(row) if 0 <= row < self.model.rowCount() else None

    def select(self, key: str) -> None:
        for row, label in enumerate(self.model.rows):
            if label.key == key:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        label = self.current()
        movable = label is not None and label.judgeable and not self.dimension.fixed_keys
        for button in (self.retire_button, self.delete_button, self.colour_button):
            button.setEnabled(label is not None)
        self.up_button.setEnabled(movable)
        self.down_button.setEnabled(movable)
        self.retire_button.setText("Unretire" if label and label.retired else "Retire")

    def _edited(self, key: str, name: str, value: object) -> None:
        self.dialog.edit_label(self.dimension, key, name, value)

    def add(self) -> None:
        key = self.dialog.add_label(self.dimension)
        if key is not None:
            self.select(key)
            self.table.edit(self.model.index(self.table.currentIndex().row(),
                                             LabelTableModel.KEY))

    def toggle_retired(self) -> None:
        if (label := self.current()) is not None:
            self.dialog.edit_label(self.dimension, label.key, "retired", not label.retired)

    def delete(self) -> None:
        if (label := self.current()) is not None:
            self.dialog.delete_label(self.dimension, label.key)

    def move(self, step: int) -> None:
        if (label := self.current()) is not None and self.dialog.move_label(
                self.dimension, label.key, step):
            self.select(label.key)

    def choose_colour(self) -> None:
        if (label := self.current()) is None:
            return
        colour = QColorDialog.getColor(QColor(label.colour), self,
                                       f"Colour of “{label.name}”")
        if colour.isValid():
            self.dialog.edit_label(self.dimension, label.key, "colour", colour.name().upper())


class PropositionTab(QWidget):
    def __init__(self, dialog: CodebookDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.model = PropositionTableModel(self)
        self.model.edit_requested.connect(dialog.edit_proposition,
                                          Qt.ConnectionType.QueuedConnection)
        m = PropositionTableModel
        self.table = _table(self.model, {m.TEXT: 420, m.RETIRED: 64, m.CLAIMS: 60},
                            m.DESCRIPTION)
        self.table.setObjectName("propositionTable")
        layout = QVBoxLayout(self)
        note = QLabel("The statements stance is judged against. Editing a proposition's "
                      "text relabels the claims made against it.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        _buttons(row, ("Add proposition", self.add, "Add a proposition"),
                 ("Retire / unretire", self.toggle_retired, "Hide it from new work; its "
                  "claims keep it"),
                 ("Delete", self.delete, "Delete a proposition no claim uses"))
        row.addStretch()
        layout.addLayout(row)

    def refresh(self, codebook: Codebook) -> None:
        rows = list(codebook.propositions)
        self.model.set_rows(rows, {p.text: self.dialog.proposition_usage(p.text) for p in rows})

    def current(self) -> Proposition | None:
        row = self.table.currentIndex().row()
        return self.model.rows[row] if 0 <= row < self.model.rowCount() else None

    def add(self) -> None:
        if (new_id := self.dialog.add_proposition()) is not None:
            row = next(i for i, p in enumerate(self.model.rows) if p.id == new_id)
            self.table.selectRow(row)
            self.table.edit(self.model.index(row, PropositionTableModel.TEXT))

    def toggle_retired(self) -> None:
        if (proposition := self.current()) is not None:
            self.dialog.edit_proposition(proposition.id, "retired", not proposition.retired)

    def delete(self) -> None:
        if (proposition := self.current()) is not None:
            self.dialog.delete_proposition(proposition.id)


class TagsTab(QWidget):
    def __init__(self, dialog: CodebookDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.list = QListWidget()
        self.list.setObjectName("tagList")
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("New tag")
        self.entry.returnPressed.connect(self.add)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tags suggested when labelling (claims may carry any tag)."))
        layout.addWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(self.entry)
        _buttons(row, ("Add tag", self.add, "Suggest this tag"),
                 ("Remove", self.remove, "Stop suggesting the selected tag; claims keep it"))
        layout.addLayout(row)

    def refresh(self, codebook: Codebook) -> None:
        self.list.clear()
        self.list.addItems(list(codebook.tags))

    def add(self) -> None:
        if self.dialog.set_tags([*self.dialog.codebook.tags, self.entry.text()]):
            self.entry.clear()

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.dialog.set_tags([t for t in self.dialog.codebook.tags if t != item.text()])


# The dialog ----------------------------------------------------------------------------------

class CodebookDialog(QDialog):
    """Edit the project's codebook; every change is saved and undoable at once."""

    def __init__(self, controller: CodebookController, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.undo_stack = controller, undo_stack
        self.setWindowTitle("Codebook")
        self.resize(1100, 560)
        self.label_tabs: dict[Dimension, LabelTab] = {}
        self.tabs = QTabWidget()
        self.propositions = PropositionTab(self)
        self.tags = TagsTab(self)
        self.tabs.addTab(self.propositions, "Propositions")
        self.tabs.addTab(self.tags, "Tags")

        self.icd_checkbox = QCheckBox("Enable ICD 203 likelihood and confidence")
        self.icd_checkbox.setToolTip("Estimative likelihood (almost no chance … almost "
                                     "certain) and a separate analytic confidence")
        self.icd_checkbox.clicked.connect(self.set_icd203_enabled)
        self.version_label = QLabel()
        # Only Qt-to-Qt connections to the stack, which may be destroyed before the
        # dialog (and emits as it goes): no Python slot can run on a dead object.
        self.undo_action = undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])
        bottom = QHBoxLayout()
        bottom.addWidget(self.icd_checkbox)
        bottom.addStretch()
        bottom.addWidget(self.version_label)
        self.import_button, self.export_button, self.undo_button, self.redo_button = _buttons(
            bottom, ("Import…", self._on_import, "Replace the codebook by one from a file; "
                     "labels claims use are kept"),
            ("Export…", self._on_export, "Save the codebook as a file to share with the team"),
            ("Undo", undo_stack.undo, ""), ("Redo", undo_stack.redo, ""))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(bottom)

        for button, enabled, text, can, tip in (
                (self.undo_button, undo_stack.canUndoChanged, undo_stack.undoTextChanged,
                 undo_stack.canUndo(), undo_stack.undoText()),
                (self.redo_button, undo_stack.canRedoChanged, undo_stack.redoTextChanged,
                 undo_stack.canRedo(), undo_stack.redoText())):
            button.setEnabled(can)
            button.setToolTip(plain_tooltip(tip))     # names labels and propositions
            enabled.connect(button.setEnabled)
            text.connect(lambda tip, button=button: button.setToolTip(plain_tooltip(tip)))
        controller.codebook_changed.connect(self.refresh)
        controller.failed.connect(self._show_refusal)
        self.refresh()

    # Reading ---------------------------------------------------------------------------------

    @property
    def codebook(self) -> Codebook:
        return self.controller.codebook

    def usage(self, dimension: Dimension, key: str) -> int:
        return self.controller.usage(dimension, key)

    def proposition_usage(self, text: str) -> int:
        return self.controller.proposition_usage(text)

    def refresh(self, *_: object) -> None:
        codebook = self.codebook
        dimensions = codebook.dimensions()
        if list(self.label_tabs) != dimensions:
            current = self.tabs.currentWidget()
            for tab in self.label_tabs.values():
                self.tabs.removeTab(self.tabs.indexOf(tab))
                tab.deleteLater()
            self.label_tabs = {}
            for position, dimension in enumerate(dimensions):
                tab = LabelTab(self, dimension)
                self.label_tabs[dimension] = tab
                self.tabs.insertTab(position, tab, dimension.title)
            index = self.tabs.indexOf(current) if current is not None else -1
            self.tabs.setCurrentIndex(max(index, 0))
        for tab in self.label_tabs.values():
            tab.refresh(codebook)
        self.propositions.refresh(codebook)
        self.tags.refresh(codebook)
        self.icd_checkbox.setChecked(any(d in dimensions for d in ICD203))
        self.version_label.setText(f"Codebook version {codebook.version} · saved")

    # Saving ----------------------------------------------------------------------------------

    def push(self, after: Codebook, change: str, *,
             renames: dict[Dimension, dict[str, str]] | None = None,
             proposition_renames: dict[str, str] | None = None) -> bool:
        """Save ``after`` as one undoable change; False (the user was told why) if not."""
        try:
            validate(after)
        except CodebookError as error:
            self._show_refusal(f"{error}.\n\nNothing was saved.")
            self.refresh()
            return False
        before = self.codebook
        self.undo_stack.push(ChangeCodebookCommand(
            self.controller, before, after, change, renames=renames,
            proposition_renames=proposition_renames))
        if self.codebook is before:   # refused: the command dropped itself
            self.refresh()
            return False
        return True

    def changeEvent(self, event: QEvent) -> None:
        # Claims change in the main window while this is open: recount on return.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.refresh()
        super().changeEvent(event)

    def _show_refusal(self, message: str) -> None:
        show_message(self, QMessageBox.Icon.Warning, "Codebook not changed", message)

    # Labels ----------------------------------------------------------------------------------

    def edit_label(self, dimension: Dimension, key: str, name: str, value: object) -> bool:
        labels = self.codebook.of(dimension)
        row = next((i for i, label in enumerate(labels) if label.key == key), None)
        if row is None:
            return False
        label = labels[row]
        if isinstance(value, str):
            value = value.strip()
        if getattr(label, name) == value:
            return False
        if dimension.fixed_keys and name not in ("name", "description", "colour"):
            self._show_refusal(f"{dimension.title}: the Admiralty grades keep their keys, "
                               "shortcuts and place on the scale.")
            return False
        renames = None
        if name == "key":
            renames = {dimension: {key: str(value)}}
            change = (f"Rename {dimension.title.lower()} “{key}” to “{value}” "
                      f"({_claims(self.usage(dimension, key))} relabelled)")
        elif name == "retired":
            change = f"{'Retire' if value else 'Unretire'} {dimension.title.lower()} “{key}”"
        else:
            change = f"Edit {name} of {dimension.title.lower()} “{key}”"
        labels[row] = replace(label, **{name: value})
        return self.push(with_labels(self.codebook, dimension, labels), change,
                         renames=renames)

    def add_label(self, dimension: Dimension) -> str | None:
        labels = self.codebook.of(dimension)
        keys = {label.key for label in labels}
        key = next(k for n in range(1, 1000) if (k := f"new_label_{n}") not in keys)
        used = {label.colour.upper() for label in labels}
        colour = next((c for c in OKABE_ITO if c not in used), OKABE_ITO[0])
        new = Label(dimension, key, "New label", "", colour)
        unjudgeable = [label for label in labels if not label.judgeable]
        ordered = [label for label in labels if label.judgeable]
        after = with_labels(self.codebook, dimension, [*ordered, new, *unjudgeable])
        return key if self.push(after, f"Add {dimension.title.lower()} label") else None

    def delete_label(self, dimension: Dimension, key: str) -> bool:
        used = self.usage(dimension, key)
        if used:
            self._show_refusal(f"{dimension.title}: “{key}” is used by {_claims(used)}, so it "
                               "cannot be deleted. Retire it instead: it is hidden from new "
                               "work and its claims keep it.")
            return False
        labels = [label for label in self.codebook.of(dimension) if label.key != key]
        return self.push(with_labels(self.codebook, dimension, labels),
                         f"Delete {dimension.title.lower()} “{key}”")

    def move_label(self, dimension: Dimension, key: str, step: int) -> bool:
        labels = self.codebook.of(dimension)
        row = next(i for i, label in enumerate(labels) if label.key == key)
        other = row + step
        while 0 <= other < len(labels) and not labels[other].judgeable:
            other += step   # the "cannot be judged" grades are not on the scale
        if dimension.fixed_keys or not labels[row].judgeable or not 0 <= other < len(labels):
            return False
        labels[row], labels[other] = labels[other], labels[row]
        return self.push(with_labels(self.codebook, dimension, labels),
                         f"Move {dimension.title.lower()} “{key}” "
                         f"{'up' if step < 0 else 'down'}")

    def apply_stance_preset(self, name: str) -> bool:
        plan = plan_stance_preset(self.codebook, name, self.usage)
        if not plan.renames and plan.codebook.of(Dimension.STANCE) == \
                self.codebook.of(Dimension.STANCE):
            self._show_refusal(f"The stance labels already are {STANCE_PRESET_TITLES[name]}.")
            return False
        answer = show_message(
            self, QMessageBox.Icon.Question, "Switch stance labels",
            f"Switch the stance labels to {STANCE_PRESET_TITLES[name]}?\n\n"
            + "\n".join(f"• {line}" for line in plan.lines)
            + "\n\nNo claim loses its stance. You can undo this.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self.push(plan.codebook, f"Switch stance labels to {STANCE_PRESET_TITLES[name]}",
                         renames=plan.renames)

    def set_icd203_enabled(self, enabled: bool) -> bool:
        codebook = self.codebook
        present = [d for d in ICD203 if codebook.of(d)]
        if enabled and not present:
            after = Codebook(codebook.version, (*codebook.labels, *icd203_labels()),
                             codebook.propositions, codebook.tags)
            return self.push(after, "Enable ICD 203 likelihood and confidence")
        if enabled or not present:
            self.refresh()
            return False
        in_use = [f"{label.dimension.title} “{label.name}”: {_claims(n)}"
                  for d in present for label in codebook.of(d)
                  if (n := self.usage(d, label.key))]
        if in_use:
            self._show_refusal("Likelihood and confidence are in use, so they stay:\n"
                               + "\n".join(in_use)
                               + "\n\nRetire the labels to hide them from new work.")
            self.refresh()
            return False
        after = Codebook(codebook.version,
                         tuple(lb for lb in codebook.labels if lb.dimension not in ICD203),
                         codebook.propositions, codebook.tags)
        return self.push(after, "Disable ICD 203 likelihood and confidence")

    # Propositions and tags -----------------------------------------------------------------

    def edit_proposition(self, proposition_id: str, name: str, value: object) -> bool:
        propositions = list(self.codebook.propositions)
        row = next((i for i, p in enumerate(propositions) if p.id == proposition_id), None)
        if row is None:
            return False
        old = propositions[row]
        if isinstance(value, str):
            value = " ".join(value.split()) if name == "text" else value.strip()
        if getattr(old, name) == value:
            return False
        renames = None
        if name == "text":
            if not value:
                self._show_refusal("A proposition needs some text. Nothing was saved.")
                self.refresh()
                return False
            renames = {old.text: str(value)}
            change = (f"Reword proposition ({_claims(self.proposition_usage(old.text))} "
                      "relabelled)")
        elif name == "retired":
            change = f"{'Retire' if value else 'Unretire'} proposition “{old.text}”"
        else:
            change = f"Describe proposition “{old.text}”"
        propositions[row] = replace(old, **{name: value})
        return self.push(replace(self.codebook, propositions=tuple(propositions)), change,
                         proposition_renames=renames)

    def add_proposition(self) -> str | None:
        texts = {p.text for p in self.codebook.propositions}
        text = next(t for n in range(1, 1000) if (t := f"New proposition {n}") not in texts)
        new = Proposition(str(uuid.uuid4()), text)
        after = replace(self.codebook, propositions=(*self.codebook.propositions, new))
        return new.id if self.push(after, "Add proposition") else None

    def delete_proposition(self, proposition_id: str) -> bool:
        proposition = next(p for p in self.codebook.propositions if p.id == proposition_id)
        used = self.proposition_usage(proposition.text)
        if used:
            self._show_refusal(f"The proposition “{proposition.text}” is used by "
                               f"{_claims(used)}, so it cannot be deleted. Retire it instead.")
            return False
        after = replace(self.codebook, propositions=tuple(
            p for p in self.codebook.propositions if p.id != proposition_id))
        return self.push(after, f"Delete proposition “{proposition.text}”")

    def set_tags(self, tags: list[str]) -> bool:
        cleaned = tuple(dict.fromkeys(t for tag in tags if (t := " ".join(tag.split()))))
        if cleaned == self.codebook.tags:
            return False
        return self.push(replace(self.codebook, tags=cleaned), "Change suggested tags")

    # Files -------------------------------------------------------------------------------------

    def export_codebook(self, path: str | Path) -> bool:
        try:
            with atomic_write(path) as handle:
                json.dump(to_dict(self.codebook), handle, ensure_ascii=False, indent=2)
                handle.write("\n")
        except OSError as error:
            show_message(self, QMessageBox.Icon.Critical, "Export failed", f"{path}: {error}")
            return False
        return True

    def import_codebook(self, path: str | Path) -> bool:
        try:
            with open(path, encoding="utf-8") as handle:
                imported = from_dict(json.load(handle))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, CodebookError) as error:
            self._show_refusal(f"Cannot import {Path(path).name}: {error}\n\n"
                               "The codebook was not changed.")
            return False
        plan = plan_import(self.codebook, imported, self.usage, self.proposition_usage)
        if not self.push(plan.codebook, f"Import codebook from {Path(path).name}",
                         proposition_renames=plan.proposition_renames):
            return False
        show_message(
            self, QMessageBox.Icon.Information, "Codebook imported",
            f"Imported {Path(path).name}: codebook version {self.codebook.version}."
            + ("\n\n" + "\n".join(f"• {line}" for line in plan.lines) if plan.lines
               else "\n\nEvery label in use is in the file; no claim needed a change."))
        return True

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export Codebook",
                                              str(Path.home() / "codebook.json"),
                                              "Codebook (*.json)")
        if path:
            self.export_codebook(path)

    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Codebook", str(Path.home()),
                                              "Codebook (*.json);;All files (*)")
        if path:
            self.import_codebook(path)
