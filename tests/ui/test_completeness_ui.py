"""Completeness from the codebook, through the window: the claim panel, the
document list's "To do" count and J follow the rule, and the codebook dialog's
"Complete When" tab changes it as one undoable step."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from annotator.domain.codebook import Dimension
from annotator.ui.codebook_dialog import CodebookDialog
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import mark_quote, open_document_containing


def _to_do(window: MainWindow) -> int:
    document = window.current_document
    assert document is not None
    return window.documents.info(window.documents.row_of(document.id)).incomplete_count


def test_a_stance_alone_is_not_complete_and_not_a_claim_is(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    labelled = mark_quote(window, text, "Nasdaq plummeted")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_1)                     # stance only
    assert window.editor.missing.text().startswith("Still to label: claim type, "
                                                   "proposition, source")
    assert "Complete" not in window.editor.missing.text()
    aside = mark_quote(window, text, "Chinese startup")
    qtbot.keyClick(window.view, Qt.Key.Key_M)
    qtbot.keyClick(window.view, Qt.Key.Key_M)                     # claim-type mode
    assert window.keyboard.mode is Dimension.CLAIM_TYPE
    qtbot.keyClick(window.view, Qt.Key.Key_7)                     # not a claim
    assert window.current_claim().claim_type == "not_a_claim"  # type: ignore[union-attr]
    assert window.editor.missing.text() == "Complete ✓"
    assert _to_do(window) == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    for _ in range(3):                                            # J never stops on it
        qtbot.keyClick(window.view, Qt.Key.Key_J)
        assert window.view.current_claim_id == labelled != aside


def test_the_complete_when_tab_changes_the_rule_and_undo_restores_it(
        qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    mark_quote(window, text, "Nasdaq plummeted")
    for field, value in (("stance", "supports"), ("source_reliability", "B"),
                         ("info_credibility", "2"), ("claim_type", "quantity")):
        window.edit_current_claim(field, value)
    assert _to_do(window) == 1
    assert window.codebook_controller is not None
    dialog = CodebookDialog(window.codebook_controller, window.undo_stack, window)
    qtbot.addWidget(dialog)
    tab = dialog.completeness
    dialog.tabs.setCurrentWidget(tab)
    dialog.show()
    for name in ("proposition", "source"):
        assert tab.fields[name].isChecked()
        box = tab.fields[name]                  # on the box itself, not past its text
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert window.codebook.requirements.required == ("claim_type", "stance",
                                                     "source_reliability", "info_credibility")
    assert window.editor.missing.text() == "Complete ✓"
    assert _to_do(window) == 0
    window.undo_stack.undo()
    assert "source" in window.codebook.requirements.required
    assert tab.fields["source"].isChecked()
    assert _to_do(window) == 1
    dialog.close()
