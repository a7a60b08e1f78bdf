"""Marking, labelling, selecting, deleting claims and undoing it all, through the
real widgets; every step is checked against a separate connection to the file."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.codebook import Dimension
from annotator.domain.labels import Stance
from annotator.services.project import ProjectService
from annotator.ui import plain
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import mark_quote, open_document_containing


def _on_disk(window: MainWindow) -> dict[str, object]:
    """The claims as a fresh connection to the project file sees them."""
    assert window.service is not None
    service = ProjectService.open(window.service.location)
    try:
        return {c.id: c for d in service.documents() for c in service.claims(d.id)}
    finally:
        service.close()




def test_mark_label_and_undo_redo_with_keys(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    quote = "The Nasdaq plummeted three percent Monday"
    start = text.index(quote)
    window.view.select_span(start, start + len(quote))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    (claim_id,) = _on_disk(window)
    assert window.view.current_claim_id == claim_id
    assert window.claims.rowCount() == 1

    qtbot.keyClick(window.view, Qt.Key.Key_2)          # stance mode: 2 = refutes
    combo = window.editor.combos[Dimension.SOURCE_RELIABILITY]
    combo.setCurrentIndex(combo.findData("B"))
    combo.activated.emit(combo.currentIndex())
    stored = _on_disk(window)[claim_id]
    assert stored.stance == Stance.REFUTES and stored.source_reliability == "B"

    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _on_disk(window)[claim_id].source_reliability is None
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _on_disk(window)[claim_id].stance is None
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _on_disk(window) == {}
    assert window.claims.rowCount() == 0 and window.view.claim_ids() == []

    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_Z, redo)
    restored = _on_disk(window)[claim_id]
    assert (restored.stance, restored.source_reliability) == (Stance.REFUTES, "B")
    assert restored.quote == quote
    assert window.view.claim_ids() == [claim_id]


def test_delete_key_and_undo_restore_the_same_claim(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = mark_quote(window, text, "privately backed Chinese startup")
    window.edit_current_claim("note", "first note")
    before = _on_disk(window)[claim_id]

    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert claim_id not in _on_disk(window)
    assert window.editor.claim is None

    window.undo_action.trigger()
    assert _on_disk(window)[claim_id] == before       # same id, labels and timestamps
    assert window.claims.row_of(claim_id) is not None


def test_note_typing_is_saved_without_a_save_button(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = mark_quote(window, text, "Nasdaq")
    window.editor.note.setFocus()
    qtbot.keyClicks(window.editor.note, "Check the exchange data")
    qtbot.waitUntil(lambda: _on_disk(window)[claim_id].note == "Check the exchange data",
                    timeout=3000)
    assert window.saved_label.text().startswith("Saved")
    # Typing merged into one undo step.
    window.undo_action.trigger()
    assert _on_disk(window)[claim_id].note == ""


def test_clicking_highlights_selects_and_cycles_nested_claims(qtbot,
                                                              window: MainWindow) -> None:
    text = open_document_containing(window, "DeepSeek says it trained")
    outer = mark_quote(window, text, "DeepSeek says it trained its R1 model")
    inner = mark_quote(window, text, "trained its R1")
    window.select_claim(None)
    inner_start = text.index("trained its R1") + 3
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.offsets.to_display(inner_start))
    point = window.view.cursorRect(cursor).center()
    point.setX(point.x() + 2)

    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.view.current_claim_id == inner
    assert window.editor.claim is not None and window.editor.claim.id == inner
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.view.current_claim_id == outer
    assert window.claim_table.currentIndex().row() == window.claims.row_of(outer)


def test_clicking_a_table_row_jumps_to_the_span(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    far = text.rindex("China")
    window.view.select_span(far, far + len("China"))
    far_id = window.mark_claim().id  # type: ignore[union-attr]
    mark_quote(window, text, "Nasdaq")
    window.view.verticalScrollBar().setValue(0)
    row = window.claims.row_of(far_id)
    assert row is not None
    rect = window.claim_table.visualRect(
        window.claim_proxy.mapFromSource(window.claims.index(row, 0)))
    qtbot.mouseClick(window.claim_table.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert window.view.current_claim_id == far_id
    cursor_rect = window.view.cursorRect()
    assert window.view.viewport().rect().contains(cursor_rect.center())
    assert window.view.verticalScrollBar().value() > 0


def test_a_change_that_cannot_be_saved_is_not_shown(qtbot, window: MainWindow,
                                                    monkeypatch) -> None:
    """If the project is locked by another program, the claim is refused with a
    message, and neither the view nor the undo stack pretends it was saved."""
    import sqlite3

    messages: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: messages.append(text))
    assert window.service is not None
    # A short wait for the lock keeps the test quick.
    window.set_service(ProjectService.open(window.service.location, busy_timeout=0.1))
    text = open_document_containing(window, "Nasdaq plummeted")
    blocker = sqlite3.connect(window.service.location, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        start = text.index("Nasdaq")
        window.view.select_span(start, start + 6)
        assert window.mark_claim() is None
    finally:
        blocker.rollback()
        blocker.close()
    assert messages and "in use" in messages[0]
    assert window.saved_label.text() == "NOT SAVED"
    assert window.view.claim_ids() == [] and window.claims.rowCount() == 0
    assert window.undo_stack.count() == 0
    assert _on_disk(window) == {}
