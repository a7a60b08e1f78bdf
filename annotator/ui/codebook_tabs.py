"""The codebook editor's tabs: the labels of one dimension, the propositions,
the suggested tags and the completeness rule, each a table (or list) and the buttons that change it.
A tab only shows its rows and asks the dialog for every change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import (
    FIELD_TITLES,
    REQUIRABLE,
    STANCE_PRESET_TITLES,
    Codebook,
    Dimension,
    Label,
    Proposition,
    Requirements,
    detect_stance_preset,
)
from annotator.ui.codebook_models import (
    CodebookTableModel,
    LabelTableModel,
    PropositionTableModel,
)
from annotator.ui.tables import add_header_tips

if TYPE_CHECKING:
    from annotator.ui.codebook_dialog import CodebookDialog


def make_table(model: CodebookTableModel, widths: dict[int, int], stretch: int) -> QTableView:
    """A table of ``model``'s rows: one selected at a time, edited in place."""
    table = QTableView()
    add_header_tips(table)
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


def add_buttons(layout: QHBoxLayout, *specs: tuple[str, Callable[[], None], str]
                ) -> list[QPushButton]:
    """Add a button to ``layout`` for each (text, slot, tip)."""
    buttons = []
    for text, slot, tip in specs:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        layout.addWidget(button)
        buttons.append(button)
    return buttons


class LabelTab(QWidget):
    """The labels of one dimension: a table and the buttons that change it."""

    def __init__(self, dialog: CodebookDialog, dimension: Dimension) -> None:
        super().__init__()
        self.dialog, self.dimension = dialog, dimension
        self.model = LabelTableModel(dimension, self)
        self.model.edit_requested.connect(self._edited, Qt.ConnectionType.QueuedConnection)
        m = LabelTableModel
        self.table = make_table(self.model, {m.ORDER: 125, m.KEY: 150, m.NAME: 190, m.COLOUR: 100,
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
            self.down_button = add_buttons(
                row, ("Add label", self.add, "Add a label to this dimension"),
                ("Retire", self.toggle_retired, "Hide the label from new work; its claims "
                 "keep it and still export it"),
                ("Delete", self.delete, "Delete a label no claim uses"),
                ("Move up", lambda: self.move(-1), "Earlier in lists (and better on a scale)"),
                ("Move down", lambda: self.move(+1), "Later in lists (and worse on a scale)"))
        self.colour_button, = add_buttons(row, ("Colour…", self.choose_colour,
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
        self.preset_button, = add_buttons(row, ("Switch to preset…",
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
        self.table = make_table(self.model, {m.TEXT: 420, m.RETIRED: 64, m.CLAIMS: 60},
                            m.DESCRIPTION)
        self.table.setObjectName("propositionTable")
        layout = QVBoxLayout(self)
        note = QLabel("The statements stance is judged against. Editing a proposition's "
                      "text relabels the claims made against it.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        add_buttons(row, ("Add proposition", self.add, "Add a proposition"),
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
        add_buttons(row, ("Add tag", self.add, "Suggest this tag"),
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


class CompletenessTab(QWidget):
    """When a claim counts as complete (what J finds, the claim panel asks for and
    the document list counts as to do): the fields it needs, and the claim types
    that need nothing more."""

    def __init__(self, dialog: CodebookDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.fields: dict[str, QCheckBox] = {}
        self.exempt: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A claim is complete when it has every field checked here "
                                "(J finds the claims that are not; the document list counts "
                                "them as to do)."))
        fields = QGridLayout()
        for i, name in enumerate(REQUIRABLE):
            box = QCheckBox(FIELD_TITLES[name].capitalize())
            box.setObjectName(f"requires_{name}")
            box.clicked.connect(self._changed)
            self.fields[name] = box
            fields.addWidget(box, i // 4, i % 4)
        layout.addLayout(fields)
        layout.addWidget(QLabel("Claim types that need nothing more (e.g. “Not a claim”):"))
        self.exempt_layout = QGridLayout()
        layout.addLayout(self.exempt_layout)
        layout.addStretch(1)

    def refresh(self, codebook: Codebook) -> None:
        rule = codebook.requirements
        present = {d.value for d in codebook.dimensions()} | {"proposition", "source"}
        for name, box in self.fields.items():
            box.setChecked(name in rule.required)
            box.setEnabled(name in present)
        types = codebook.of(Dimension.CLAIM_TYPE)
        if [box.property("key") for box in self.exempt.values()] != [t.key for t in types]:
            for box in self.exempt.values():
                self.exempt_layout.removeWidget(box)
                box.deleteLater()
            self.exempt = {}
            for i, label in enumerate(types):
                box = QCheckBox(label.name)
                box.setProperty("key", label.key)
                box.setObjectName(f"exempt_{label.key}")
                box.clicked.connect(self._changed)
                self.exempt[label.key] = box
                self.exempt_layout.addWidget(box, i // 3, i % 3)
        for key, box in self.exempt.items():
            box.setChecked(key in rule.exempt_types)

    def requirements(self) -> Requirements:
        return Requirements(
            tuple(name for name in REQUIRABLE if self.fields[name].isChecked()),
            tuple(key for key, box in self.exempt.items() if box.isChecked()))

    def _changed(self) -> None:
        self.dialog.set_requirements(self.requirements())
