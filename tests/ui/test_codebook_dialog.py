"""The codebook editor driven through its real widgets on a real project file.
Every check of what was saved goes through a second connection to the file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from annotator.domain.codebook import Codebook, Dimension, default_codebook, with_labels
from annotator.domain.model import Claim
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.ui import codebook_dialog
from annotator.ui.codebook_dialog import CodebookDialog, LabelTableModel, plan_stance_preset
from annotator.ui.controller import CodebookController
from tests.ui.tooltips import tooltip_text

KEY, NAME, RETIRED, CLAIMS = (LabelTableModel.KEY, LabelTableModel.NAME,
                              LabelTableModel.RETIRED, LabelTableModel.CLAIMS)


@dataclass
class Setup:
    dialog: CodebookDialog
    stack: QUndoStack
    service: ProjectService
    path: Path
    messages: list[str]

    def claims(self, *labels: dict) -> list[str]:
        document = self.service.document(self.service.documents()[0].id)
        claims = [Claim.new(document, 20 * i, 20 * i + 10, annotator="tester", **values)
                  for i, values in enumerate(labels)]
        self.service.add_claims(claims)
        self.dialog.refresh()   # the window does this when claims change
        return [claim.id for claim in claims]

    def on_disk(self) -> tuple[Codebook, dict[str, Claim], int]:
        """The codebook, the claims and the number of codebook versions, as stored."""
        service = ProjectService.open(self.path)
        try:
            codebooks = CodebookService(service.database)
            claims = {claim.id: claim for info in service.documents()
                      for claim in service.claims(info.id)}
            return codebooks.codebook(), claims, len(codebooks.versions())
        finally:
            service.close()


@pytest.fixture
def setup(qtbot, seeded_project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:  # type: ignore[no-untyped-def]
    messages: list[str] = []

    def capture(_parent, _icon, _title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        messages.append(text)
        return QMessageBox.StandardButton.Ok

    # Messages name labels and propositions: shown as plain text (ui/plain.py).
    monkeypatch.setattr(codebook_dialog, "show_message", capture)
    service = ProjectService.open(seeded_project)
    # As in the app, the window owns the stack and the controller: Qt, not Python's
    # garbage collector, decides when they go (a Python-owned QUndoStack collected
    # with its commands can crash PySide 6.11).
    window = QWidget()
    qtbot.addWidget(window)
    controller = CodebookController(CodebookService(service.database), window)
    stack = QUndoStack(window)
    dialog = CodebookDialog(controller, stack, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    yield Setup(dialog, stack, service, seeded_project, messages)
    dialog.close()
    service.close()


def row_of(model: LabelTableModel, key: str) -> int:
    return next(row for row, label in enumerate(model.rows) if label.key == key)


def type_into_cell(qtbot, tab, row: int, column: int, text: str) -> None:  # type: ignore[no-untyped-def]
    """Edit a cell as a user does: open its editor, type, press Enter."""
    index = tab.model.index(row, column)
    tab.table.setCurrentIndex(index)
    tab.table.edit(index)
    editor = tab.table.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # Qt commits an editor after Enter, queued; the dialog then handles the edit, queued
    qtbot.waitUntil(lambda: tab.table.indexWidget(index) is None, timeout=2000)
    QApplication.processEvents()


def test_tabs_columns_usage_and_tooltips(setup: Setup) -> None:
    setup.claims({"stance": "supports"}, {"stance": "supports", "source_reliability": "B"})
    dialog = setup.dialog
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["Stance", "Source reliability", "Information credibility", "Claim type",
                      "Propositions", "Tags", "Complete When"]
    stance = dialog.label_tabs[Dimension.STANCE].model
    row = row_of(stance, "supports")
    assert stance.index(row, CLAIMS).data() == 2
    assert "evidence for" in tooltip_text(stance.index(row, NAME).data(
        Qt.ItemDataRole.ToolTipRole))
    assert stance.index(row, LabelTableModel.COLOUR).data(
        Qt.ItemDataRole.DecorationRole).name().upper() == "#009E73"

    reliability = dialog.label_tabs[Dimension.SOURCE_RELIABILITY]
    model = reliability.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "1", "2", "3", "4", "5", "cannot be judged"]
    assert model.index(row_of(model, "B"), CLAIMS).data() == 1
    assert not model.flags(model.index(0, KEY)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, NAME)) & Qt.ItemFlag.ItemIsEditable
    assert not reliability.add_button.isVisibleTo(dialog)
    assert not reliability.delete_button.isVisibleTo(dialog)


def test_renaming_a_key_in_the_table_relabels_claims_and_ctrl_z_undoes(qtbot,  # type: ignore[no-untyped-def]
                                                                         setup: Setup) -> None:
    ids = setup.claims({"stance": "unclear"}, {"stance": "unclear"}, {"stance": "refutes"})
    tab = setup.dialog.label_tabs[Dimension.STANCE]
    type_into_cell(qtbot, tab, row_of(tab.model, "unclear"), KEY, "undecided")

    codebook, claims, versions = setup.on_disk()
    assert [claims[i].stance for i in ids] == ["undecided", "undecided", "refutes"]
    assert codebook.label(Dimension.STANCE, "undecided") is not None
    assert codebook.label(Dimension.STANCE, "unclear") is None
    assert versions == 2
    assert tab.model.index(row_of(tab.model, "undecided"), CLAIMS).data() == 2
    assert setup.stack.undoText() == \
        "Rename stance “unclear” to “undecided” (2 claims relabelled)"

    setup.dialog.tabs.setFocus()
    qtbot.keyClick(setup.dialog.tabs, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    codebook, claims, versions = setup.on_disk()
    assert [claims[i].stance for i in ids] == ["unclear", "unclear", "refutes"]
    assert codebook.label(Dimension.STANCE, "unclear") is not None
    # Saved at once, but one dialog session is one codebook version: the undo
    # amends it, and its change list keeps both steps.
    assert versions == 2
    assert row_of(tab.model, "unclear") == 3

    setup.dialog.redo_button.click()
    _, claims, _ = setup.on_disk()
    assert claims[ids[0]].stance == "undecided"


def test_name_colour_and_admiralty_edits_are_saved(qtbot, setup: Setup) -> None:  # type: ignore[no-untyped-def]
    tab = setup.dialog.label_tabs[Dimension.INFO_CREDIBILITY]
    type_into_cell(qtbot, tab, row_of(tab.model, "2"), NAME, "Likely true")
    stance = setup.dialog.label_tabs[Dimension.STANCE]
    type_into_cell(qtbot, stance, row_of(stance.model, "neutral"), LabelTableModel.COLOUR,
                   "#123abc")
    codebook, _, versions = setup.on_disk()
    assert codebook.label(Dimension.INFO_CREDIBILITY, "2").name == "Likely true"
    assert codebook.label(Dimension.STANCE, "neutral").colour == "#123abc"
    assert versions == 2      # one version for the dialog session
    assert setup.messages == []


def test_retire_and_unretire_keep_claims(setup: Setup) -> None:
    (claim_id,) = setup.claims({"stance": "neutral"})
    tab = setup.dialog.label_tabs[Dimension.STANCE]
    tab.table.selectRow(row_of(tab.model, "neutral"))
    assert tab.retire_button.text() == "Retire"
    tab.retire_button.click()
    codebook, claims, _ = setup.on_disk()
    assert codebook.label(Dimension.STANCE, "neutral").retired
    assert "neutral" not in [lb.key for lb in codebook.of(Dimension.STANCE,
                                                           include_retired=False)]
    assert claims[claim_id].stance == "neutral"
    assert tab.retire_button.text() == "Unretire"

    index = tab.model.index(row_of(tab.model, "neutral"), RETIRED)
    assert tab.model.setData(index, Qt.CheckState.Unchecked.value,
                             Qt.ItemDataRole.CheckStateRole)
    QApplication.processEvents()
    assert not setup.on_disk()[0].label(Dimension.STANCE, "neutral").retired


def test_deleting_a_label_in_use_is_refused_with_the_count(setup: Setup) -> None:
    setup.claims({"stance": "supports"}, {"stance": "supports"}, {"stance": "supports"})
    tab = setup.dialog.label_tabs[Dimension.STANCE]
    tab.table.selectRow(row_of(tab.model, "supports"))
    tab.delete_button.click()
    assert len(setup.messages) == 1 and "used by 3 claims" in setup.messages[0]
    codebook, claims, versions = setup.on_disk()
    assert codebook.label(Dimension.STANCE, "supports") is not None and versions == 1
    assert [c.stance for c in claims.values()] == ["supports"] * 3
    assert not setup.stack.canUndo()

    tab.table.selectRow(row_of(tab.model, "neutral"))   # unused: deleted, and undoable
    tab.delete_button.click()
    assert setup.on_disk()[0].label(Dimension.STANCE, "neutral") is None
    setup.dialog.undo_button.click()
    assert setup.on_disk()[0].label(Dimension.STANCE, "neutral") is not None


def test_validation_errors_are_shown_and_nothing_is_saved(qtbot, setup: Setup) -> None:  # type: ignore[no-untyped-def]
    tab = setup.dialog.label_tabs[Dimension.STANCE]
    row = row_of(tab.model, "refutes")
    type_into_cell(qtbot, tab, row, LabelTableModel.SHORTCUT, "1")
    type_into_cell(qtbot, tab, row, LabelTableModel.COLOUR, "red")
    type_into_cell(qtbot, tab, row, KEY, "supports")
    assert len(setup.messages) == 3
    assert "shortcut '1' is given to two labels" in setup.messages[0]
    assert "colour 'red' must be #RRGGBB" in setup.messages[1]
    assert "key 'supports' is used twice" in setup.messages[2]
    assert all("Nothing was saved" in m for m in setup.messages)
    assert setup.on_disk()[2] == 1
    assert tab.model.index(row, LabelTableModel.SHORTCUT).data() == "2"   # shown as stored
    assert not setup.stack.canUndo()


def test_add_and_move_labels(setup: Setup) -> None:
    tab = setup.dialog.label_tabs[Dimension.CLAIM_TYPE]
    tab.add_button.click()
    QApplication.processEvents()
    keys = [lb.key for lb in setup.on_disk()[0].of(Dimension.CLAIM_TYPE)]
    assert keys[-1] == "new_label_1"
    tab.table.selectRow(row_of(tab.model, "new_label_1"))
    tab.up_button.click()
    keys = [lb.key for lb in setup.on_disk()[0].of(Dimension.CLAIM_TYPE)]
    assert keys[-2:] == ["new_label_1", "not_a_claim"]
    assert tab.current().key == "new_label_1"


def test_preset_switch_relabels_claims_and_keeps_unmapped_ones(monkeypatch, setup: Setup  # type: ignore[no-untyped-def]
                                                              ) -> None:
    ids = setup.claims({"stance": "supports"}, {"stance": "supports"}, {"stance": "unclear"})
    questions: list[str] = []

    def answer(_parent, icon, _title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        if icon != QMessageBox.Icon.Question:
            setup.messages.append(text)
            return QMessageBox.StandardButton.Ok
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(codebook_dialog, "show_message", answer)
    tab = setup.dialog.label_tabs[Dimension.STANCE]
    tab.preset_combo.setCurrentIndex(tab.preset_combo.findData("fnc1"))
    tab.preset_button.click()

    assert "“supports” becomes “agree”: 2 claims relabelled" in questions[0]
    assert "“unclear” has no counterpart: kept as a retired label with its 1 claim" in \
        questions[0]
    assert "“neutral” becomes “discuss”: 0 claims relabelled" in questions[0]
    codebook, claims, _ = setup.on_disk()
    assert [claims[i].stance for i in ids] == ["agree", "agree", "unclear"]
    assert [lb.key for lb in codebook.of(Dimension.STANCE, include_retired=False)] == [
        "agree", "disagree", "discuss", "unrelated"]
    assert codebook.label(Dimension.STANCE, "unclear").retired
    assert tab.preset_label.text().endswith("FNC-1: agree / disagree / discuss / unrelated")

    setup.dialog.undo_button.click()
    codebook, claims, _ = setup.on_disk()
    assert [claims[i].stance for i in ids] == ["supports", "supports", "unclear"]
    assert [lb.key for lb in codebook.of(Dimension.STANCE)] == [
        "supports", "refutes", "neutral", "unclear"]

    tab.preset_combo.setCurrentIndex(tab.preset_combo.findData("default"))
    tab.preset_button.click()
    assert "already are" in setup.messages[-1] and len(questions) == 1


def test_icd203_can_be_enabled_and_is_kept_while_in_use(setup: Setup) -> None:
    dialog = setup.dialog
    dialog.icd_checkbox.click()
    assert Dimension.LIKELIHOOD in dialog.label_tabs and Dimension.CONFIDENCE in \
        dialog.label_tabs
    assert setup.on_disk()[0].label(Dimension.LIKELIHOOD, "likely") is not None
    setup.claims({"likelihood": "likely", "confidence": "high"})
    dialog.icd_checkbox.click()
    assert dialog.icd_checkbox.isChecked()
    assert "“Likely”: 1 claim" in setup.messages[0] and "“High”: 1 claim" in setup.messages[0]
    assert setup.on_disk()[0].label(Dimension.LIKELIHOOD, "likely") is not None
    setup.service.delete_claim(next(iter(setup.on_disk()[1])))
    dialog.icd_checkbox.click()
    assert Dimension.LIKELIHOOD not in setup.on_disk()[0].dimensions()
    assert "Likelihood (ICD 203)" not in [dialog.tabs.tabText(i)
                                          for i in range(dialog.tabs.count())]


def test_propositions_add_reword_and_refused_delete(qtbot, setup: Setup) -> None:  # type: ignore[no-untyped-def]
    tab = setup.dialog.propositions
    tab.add()   # opens an editor on the new row's text
    QApplication.processEvents()
    index = tab.table.currentIndex()
    editor = tab.table.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Export controls failed")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.indexWidget(index) is None, timeout=2000)
    QApplication.processEvents()
    assert [p.text for p in setup.on_disk()[0].propositions] == ["Export controls failed"]

    ids = setup.claims({"proposition": "Export controls failed"})
    assert tab.model.index(0, tab.model.CLAIMS).data() == 1
    tab.model.setData(tab.model.index(0, tab.model.TEXT), "Export controls did not work")
    QApplication.processEvents()
    codebook, claims, _ = setup.on_disk()
    assert claims[ids[0]].proposition == "Export controls did not work"
    assert [p.text for p in codebook.propositions] == ["Export controls did not work"]

    tab.table.selectRow(0)
    tab.delete()
    assert "used by 1 claim" in setup.messages[-1]
    assert len(setup.on_disk()[0].propositions) == 1
    tab.toggle_retired()
    assert setup.on_disk()[0].propositions[0].retired


def test_tags_add_and_remove(setup: Setup) -> None:
    tags = setup.dialog.tags
    for tag in ("hedge", " quote ", "hedge"):
        tags.entry.setText(tag)
        tags.add()
    assert setup.on_disk()[0].tags == ("hedge", "quote")
    tags.list.setCurrentRow(0)
    tags.remove()
    assert setup.on_disk()[0].tags == ("quote",)
    assert [tags.list.item(i).text() for i in range(tags.list.count())] == ["quote"]


def test_export_then_import_round_trip_keeps_labels_in_use(tmp_path: Path, qtbot,  # type: ignore[no-untyped-def]
                                                           setup: Setup) -> None:
    dialog = setup.dialog
    dialog.set_tags(["hedge"])
    out = tmp_path / "team.codebook.json"
    assert dialog.export_codebook(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "annotator-codebook" and data["tags"] == ["hedge"]
    exported = setup.on_disk()[0]

    tab = dialog.label_tabs[Dimension.STANCE]   # drift: a new label, used by a claim
    tab.add()
    QApplication.processEvents()
    type_into_cell(qtbot, tab, row_of(tab.model, "new_label_1"), KEY, "maybe")
    (claim_id,) = setup.claims({"stance": "maybe"})
    dialog.set_tags([])
    setup.messages.clear()

    assert dialog.import_codebook(out)
    codebook, claims, _ = setup.on_disk()
    assert claims[claim_id].stance == "maybe"
    maybe = codebook.label(Dimension.STANCE, "maybe")
    assert maybe is not None and maybe.retired
    assert [lb for lb in codebook.labels if lb.key != "maybe"] == list(exported.labels)
    assert codebook.tags == ("hedge",)
    assert "Stance “maybe” is not in the file but 1 claim use it: kept, retired" in \
        setup.messages[0]
    assert setup.stack.undoText() == "Import codebook from team.codebook.json"

    (tmp_path / "bad.json").write_text('{"format": "something else"}', encoding="utf-8")
    versions = setup.on_disk()[2]
    assert not dialog.import_codebook(tmp_path / "bad.json")
    assert "not an Annotator codebook" in setup.messages[-1]
    assert setup.on_disk()[2] == versions


def test_dialog_builds_without_claims_and_index_is_valid(setup: Setup) -> None:
    model = setup.dialog.label_tabs[Dimension.STANCE].model
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def test_preset_plan_maps_a_customised_stance_set() -> None:
    codebook = default_codebook()
    codebook = with_labels(codebook, Dimension.STANCE, [
        replace(lb, retired=lb.key == "neutral") for lb in codebook.of(Dimension.STANCE)])
    used = {"supports": 2, "unclear": 1}
    plan = plan_stance_preset(codebook, "semeval2016", lambda _d, key: used.get(key, 0))
    assert plan.renames == {Dimension.STANCE: {"supports": "favor", "refutes": "against",
                                               "neutral": "none"}}
    assert [(lb.key, lb.retired) for lb in plan.codebook.of(Dimension.STANCE)] == [
        ("favor", False), ("against", False), ("none", False), ("unclear", True)]


def test_each_dialog_session_makes_one_codebook_version(qtbot, setup: Setup) -> None:  # type: ignore[no-untyped-def]
    """Several cell edits in one session: version 1 → 2 (not 1 → 4); closing the
    dialog ends the session, and an undo after that is a version of its own."""
    tab = setup.dialog.label_tabs[Dimension.INFO_CREDIBILITY]
    for key, name in (("2", "Likely true"), ("3", "Maybe true"), ("4", "Doubtful?")):
        type_into_cell(qtbot, tab, row_of(tab.model, key), NAME, name)
    codebook, _, versions = setup.on_disk()
    assert (codebook.version, versions) == (2, 2)
    assert codebook.label(Dimension.INFO_CREDIBILITY, "4").name == "Doubtful?"
    assert setup.dialog.version_label.text() == "Codebook version 2 · saved"
    service = ProjectService.open(setup.path)
    try:
        change = CodebookService(service.database).versions()[-1][2]
    finally:
        service.close()
    assert change.count("Edit name") == 3 and "“2”" in change and "“4”" in change
    setup.dialog.reject()
    setup.stack.undo()          # from the main window, after the dialog closed
    codebook, _, versions = setup.on_disk()
    assert (codebook.version, versions) == (3, 3)
    assert codebook.label(Dimension.INFO_CREDIBILITY, "4").name != "Doubtful?"
