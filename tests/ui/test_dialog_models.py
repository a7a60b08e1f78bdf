"""The item models of the codebook and export dialogs pass Qt's model tester
(pytest-qt's ``qtmodeltester``: Qt's C++ QAbstractItemModelTester, and
pytest-qt's Python port) with realistic data, and keep passing while rows are
edited, added and removed. The export dialog defines no item model of its own
(its lists are QTreeWidgets); the codebook dialog's are its label and
proposition tables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.domain.codebook import (
    Dimension,
    Label,
    Proposition,
    default_codebook,
    icd203_labels,
)
from annotator.domain.model import Claim
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.ui import codebook_dialog
from annotator.ui.codebook_dialog import CodebookDialog, LabelTableModel, PropositionTableModel
from annotator.ui.controller import CodebookController

#: Both testers: Qt's own (its failures are Qt warnings, which fail the test
#: here) and pytest-qt's Python port (which asserts).
TESTERS = pytest.mark.parametrize("force_py", [False, True], ids=["qt", "python"])
WARNINGS_FAIL = pytest.mark.qt_log_level_fail("WARNING")
#: The offscreen platform says so whenever a window is shown: not the models' doing.
OFFSCREEN_NOTE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ROLES = {
    Qt.ItemDataRole.DisplayRole: (str, int),
    Qt.ItemDataRole.EditRole: (str, int),
    Qt.ItemDataRole.ToolTipRole: (str,),
    Qt.ItemDataRole.DecorationRole: (QColor,),
    Qt.ItemDataRole.FontRole: (QFont,),
    Qt.ItemDataRole.ForegroundRole: (QColor, QBrush),
    Qt.ItemDataRole.BackgroundRole: (QColor, QBrush),
    Qt.ItemDataRole.TextAlignmentRole: (Qt.AlignmentFlag,),
    Qt.ItemDataRole.CheckStateRole: (Qt.CheckState,),
}


def _every_cell_answers(model: QAbstractItemModel) -> None:
    """The tester only reads the first cell's data: read every cell's, in every
    role a view asks for, and every header."""
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            assert index.isValid() and not model.rowCount(index)
            for role, types in ROLES.items():
                value = model.data(index, role)
                assert value is None or isinstance(value, types), (row, column, role, value)
            assert model.flags(index) & Qt.ItemFlag.ItemIsEnabled
    for column in range(model.columnCount()):
        assert isinstance(model.headerData(column, Qt.Orientation.Horizontal), str)


def _labels(dimension: Dimension) -> list[Label]:
    """The dimension's default labels as a team leaves them after some use: one
    retired, one described and given a shortcut."""
    codebook = default_codebook()
    labels = codebook.of(dimension) or [label for label in icd203_labels()
                                        if label.dimension is dimension]
    assert labels
    first, *rest = labels
    first = replace(first, description="Named by the team, with a “quoted” word",
                    shortcut=first.shortcut or "1")
    if rest and not dimension.fixed_keys:
        rest[-1] = replace(rest[-1], retired=True)
    return [first, *rest]


PROPOSITIONS = [
    Proposition("p-1", "US export controls on AI chips have failed",
                "The headline claim of the briefing"),
    Proposition("p-2", "China's chip output grew in 2024"),
    Proposition("p-3", "Sanctions raised prices for consumers", retired=True),
]


@WARNINGS_FAIL
@TESTERS
@pytest.mark.parametrize("dimension", list(Dimension), ids=lambda d: d.value)
def test_the_label_table_model(qtmodeltester, force_py: bool, dimension: Dimension) -> None:  # type: ignore[no-untyped-def]
    model = LabelTableModel(dimension)
    labels = _labels(dimension)
    usage = {label.key: 3 * row for row, label in enumerate(labels)}
    model.set_rows(labels, usage)
    qtmodeltester.check(model, force_py=force_py)
    _every_cell_answers(model)

    # What the dialog does after an edit: the same rows changed (dataChanged) ...
    renamed = [replace(labels[0], name="Renamed"), *labels[1:]]
    model.set_rows(renamed, usage)
    assert model.index(0, LabelTableModel.NAME).data() == "Renamed"
    # ... a label added or removed (a reset), and every label gone.
    model.set_rows([*renamed, Label(dimension, "new_label_1", "New label")], usage)
    assert model.rowCount() == len(labels) + 1
    _every_cell_answers(model)
    model.set_rows(renamed[:1], usage)
    model.set_rows([], {})
    assert model.rowCount() == 0
    _every_cell_answers(model)


@WARNINGS_FAIL
@TESTERS
def test_the_proposition_table_model(qtmodeltester, force_py: bool) -> None:  # type: ignore[no-untyped-def]
    model = PropositionTableModel()
    model.set_rows(PROPOSITIONS, {"US export controls on AI chips have failed": 4})
    qtmodeltester.check(model, force_py=force_py)
    _every_cell_answers(model)
    assert model.index(0, PropositionTableModel.CLAIMS).data() == 4
    assert model.index(2, PropositionTableModel.RETIRED).data(
        Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    model.set_rows([*PROPOSITIONS[:2], replace(PROPOSITIONS[2], retired=False)], {})
    model.set_rows(PROPOSITIONS[:1], {})
    model.set_rows([], {})
    _every_cell_answers(model)


# The models in the dialog, while the analyst edits the codebook -------------------------

@dataclass
class Open:
    dialog: CodebookDialog
    stack: QUndoStack


@pytest.fixture
def opened(qtbot, seeded_project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Open]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(codebook_dialog, "show_message",
                        lambda *_args, **_kwargs: QMessageBox.StandardButton.Yes)
    service = ProjectService.open(seeded_project)
    document = service.document(service.documents()[0].id)
    service.add_claims([Claim.new(document, 0, 10, annotator="alice", stance="supports"),
                        Claim.new(document, 20, 30, annotator="bob", stance="unclear")])
    window = QWidget()      # the window owns the stack and the controller, as in the app
    qtbot.addWidget(window)
    controller = CodebookController(CodebookService(service.database), window)
    stack = QUndoStack(window)
    dialog = CodebookDialog(controller, stack, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield Open(dialog, stack)
    dialog.close()
    service.close()


@WARNINGS_FAIL
@OFFSCREEN_NOTE
@TESTERS
def test_the_stance_model_stays_valid_through_edits(qtmodeltester, opened: Open,  # type: ignore[no-untyped-def]
                                                    force_py: bool) -> None:
    dialog, stance = opened.dialog, Dimension.STANCE
    model = dialog.label_tabs[stance].model
    qtmodeltester.check(model, force_py=force_py)
    count = model.rowCount()

    key = dialog.add_label(stance)
    assert key is not None and model.rowCount() == count + 1
    assert dialog.edit_label(stance, key, "name", "Partly supports")
    assert dialog.move_label(stance, key, -1)
    assert dialog.edit_label(stance, key, "retired", True)
    assert dialog.edit_label(stance, "unclear", "key", "undecided")     # relabels bob's claim
    _every_cell_answers(model)
    assert dialog.apply_stance_preset("semeval2016")
    _every_cell_answers(model)
    while opened.stack.canUndo():
        opened.stack.undo()
    assert model.rowCount() == count
    assert dialog.delete_label(stance, "neutral")       # no claim uses it
    _every_cell_answers(model)


@WARNINGS_FAIL
@OFFSCREEN_NOTE
@TESTERS
def test_the_proposition_model_stays_valid_through_edits(qtmodeltester, opened: Open,  # type: ignore[no-untyped-def]
                                                         force_py: bool) -> None:
    dialog = opened.dialog
    model = dialog.propositions.model
    qtmodeltester.check(model, force_py=force_py)
    count = model.rowCount()
    first = dialog.add_proposition()
    second = dialog.add_proposition()
    assert first is not None and second is not None
    assert dialog.edit_proposition(first, "text", "Export controls have failed")
    assert dialog.edit_proposition(first, "description", "The briefing's headline")
    assert dialog.edit_proposition(second, "retired", True)
    assert model.rowCount() == count + 2
    _every_cell_answers(model)
    assert dialog.delete_proposition(second)
    opened.stack.undo()
    opened.stack.redo()
    assert model.rowCount() == count + 1
    _every_cell_answers(model)
