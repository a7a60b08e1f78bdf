"""Before another program's ``.qdpx`` is written: where each of its codes goes.

One row per code: its name (with the codes it sits under), how many selections
it codes, and where it goes in this project, proposed
(:mod:`annotator.domain.code_mapping`) and changeable: one of the codebook's
labels, a tag of the code's name, the claim itself (``Claim``), or skipped.
Nothing is imported until *Import*; Cancel imports nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidgetItem,
    QWidget,
)

from annotator.domain.code_mapping import CLAIM, SKIP, TAG, CodeChoice, CodeMapping, How
from annotator.domain.codebook import Codebook
from annotator.domain.wording import plural
from annotator.ui.mapping_dialog import preview_layout
from annotator.ui.plain import plain, plain_tooltip


class CodeMappingDialog(QDialog):
    """Shows a :class:`CodeMapping` and takes the analyst's choices; on accept
    the mapping holds them."""

    def __init__(self, mapping: CodeMapping, codebook: Codebook, source: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a REFI-QDA Project: Codes")
        self.mapping = mapping
        self.codebook = codebook
        self.combos: dict[int, QComboBox] = {}
        choices = mapping.choices
        labelled = sum(1 for c in choices if c.target not in (TAG, SKIP, CLAIM))
        codings = sum(c.code.codings for c in choices)
        self.summary = plain(QLabel(
            f"How the {plural(len(choices), 'code')} of {source} "
            f"({plural(codings, 'coding')}) map onto this project. Nothing has been "
            f"imported yet.\n{labelled} match a label of the codebook by name or key; "
            "the others become tags of their name. Change any of them, or skip a code: "
            "a selection coded only with skipped codes is not imported."))
        self.table, self.buttons = preview_layout(
            self, self.summary, len(choices), ["Their code", "Codings", "In this project",
                                               "Why"], "codeMappingTable", stretch={0, 2})
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        for row, choice in enumerate(choices):
            self._fill(row, choice)
        self.resize(820, 440)

    def _fill(self, row: int, choice: CodeChoice) -> None:
        theirs = QTableWidgetItem(choice.code.path)
        theirs.setToolTip(choice.code.path)
        self.table.setItem(row, 0, theirs)
        count = QTableWidgetItem(f"{choice.code.codings:,}")
        count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, 1, count)
        self.table.setItem(row, 3, QTableWidgetItem(choice.how.value))
        combo = QComboBox()
        combo.setObjectName(f"code{row}")
        combo.addItem(f"Tag “{choice.code.name}”", TAG)
        combo.addItem("Skip (leave its codings out)", SKIP)
        if choice.target == CLAIM:
            combo.addItem("The claim itself (no tag)", CLAIM)
        for dimension in self.codebook.dimensions():
            for label in self.codebook.of(dimension):
                retired = " (retired)" if label.retired else ""
                combo.addItem(f"{dimension.title}: {label.name}{retired}",
                              f"{dimension.value}:{label.key}")
        combo.setCurrentIndex(max(combo.findData(choice.target), 0))
        combo.setToolTip(plain_tooltip(combo.currentText()))     # whole, when cut
        combo.currentIndexChanged.connect(lambda _=0, r=row: self._changed(r))
        self.combos[row] = combo
        self.table.setCellWidget(row, 2, combo)

    def _changed(self, row: int) -> None:
        choice = self.mapping.choices[row]
        combo = self.combos[row]
        chosen = combo.currentData() != choice.target
        self.table.item(row, 3).setText(How.CHOSEN.value if chosen else choice.how.value)
        combo.setToolTip(plain_tooltip(combo.currentText()))

    def choices(self) -> dict[int, str]:
        """Row → chosen target (``dimension:key``, ``tag``, ``skip``, ``claim``)."""
        return {row: combo.currentData() for row, combo in self.combos.items()}

    def choose(self, row: int, target: str) -> None:
        combo = self.combos[row]
        combo.setCurrentIndex(combo.findData(target))

    def accept(self) -> None:
        for row, target in self.choices().items():
            self.mapping.choose(self.mapping.choices[row], target)
        super().accept()
