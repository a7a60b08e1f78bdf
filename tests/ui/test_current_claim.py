"""The claim shown as current is the one keys change, whatever the models do:
a legend filter that hides a claim after an edit, a claim scrolled out of
sight, and undo/redo that bring the changed claim back into view."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.ui.main_window import MainWindow
from tests.ui.conftest import mark_quote, open_document_containing, stored_claim


def _table_claim(window: MainWindow) -> str | None:
    index = window.claim_table.selectionModel().currentIndex()
    if not index.isValid() or not window.claim_table.selectionModel().isRowSelected(
            index.row()):
        return None
    return window.claims.claim_at(window.claim_proxy.mapToSource(index).row()).id


def test_an_edit_the_filter_hides_keeps_the_claim_current(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    first = mark_quote(window, text, "Nasdaq plummeted")
    second = mark_quote(window, text, "Chinese startup")
    window.legend.set_label_shown("refutes", False)
    window.legend.filter_changed.emit()
    window.select_claim(first)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_2)             # refutes: the filter hides it…
    assert window.current_claim().id == first  # type: ignore[union-attr]
    assert _table_claim(window) == first                 # …not while it is current
    qtbot.keyClick(window.view, Qt.Key.Key_B)
    assert stored_claim(window, first).source_reliability == "B"
    assert stored_claim(window, second).source_reliability is None
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)          # moving on lets the filter act
    assert window.current_claim().id == second  # type: ignore[union-attr]
    assert first not in window.view.visible_claim_ids()


def test_a_key_never_changes_a_claim_out_of_sight(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = mark_quote(window, text, "Nasdaq plummeted")
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum())                           # scroll the claim away
    assert not window.view.in_sight(claim_id)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert stored_claim(window, claim_id).stance is None       # refused, and shown instead
    assert "out of sight" in window.statusBar().currentMessage()
    assert window.view.in_sight(claim_id)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert stored_claim(window, claim_id).stance == "supports"


def test_undo_and_redo_show_the_claim_they_change(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    first = mark_quote(window, text, "Nasdaq plummeted")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    second = mark_quote(window, text, "Chinese startup")
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert window.current_claim() is None
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_claim().id == second  # type: ignore[union-attr]
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_claim() is None                # the mark undone: claim gone
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_claim().id == first  # type: ignore[union-attr]
    assert stored_claim(window, first).stance is None
    assert _table_claim(window) == first
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_claim().id == first  # type: ignore[union-attr]
    assert stored_claim(window, first).stance == "supports"
    # Undo in another document opens it and shows the claim.
    other = window.document_proxy.index(0, 0)
    if window.documents.document_id(window.document_proxy.mapToSource(other).row()) \
            == window.current_document.id:  # type: ignore[union-attr]
        other = window.document_proxy.index(1, 0)
    window.document_list.setCurrentIndex(other)
    shown = window.current_document.id  # type: ignore[union-attr]
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_document.id != shown  # type: ignore[union-attr]
    assert window.current_claim().id == first  # type: ignore[union-attr]
    assert window.view.in_sight(first)


def test_the_claim_panel_edits_its_claim_even_when_the_text_is_scrolled_away(
        qtbot, window: MainWindow) -> None:
    """The out-of-sight rule is for keys in the text: the panel shows the claim it
    edits, so a note typed there is saved wherever the text is scrolled."""
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = mark_quote(window, text, "Nasdaq plummeted")
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert not window.view.in_sight(claim_id)
    window.editor.note.setFocus()
    qtbot.keyClicks(window.editor.note, "checked against Reuters")
    window.editor.commit_note()
    assert stored_claim(window, claim_id).note == "checked against Reuters"
