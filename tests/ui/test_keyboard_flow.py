"""The keyboard flow end to end on real widgets: select, mark, label by mode,
navigate, adjust spans, undo; and the shortcuts sheet generated from it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.codebook import Dimension
from annotator.domain.labelling import digit_label
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import open_document_containing, stored_claim

SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier




def _select_with_keys(qtbot, window: MainWindow, start: int, length: int) -> None:  # type: ignore[no-untyped-def]
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.offsets.to_display(start))
    window.view.setTextCursor(cursor)
    window.view.setFocus()
    for _ in range(length):
        qtbot.keyClick(window.view, Qt.Key.Key_Right, SHIFT)


def test_select_mark_and_label_every_dimension_from_the_keyboard(qtbot,
                                                                 window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    quote = "The Nasdaq plummeted three percent Monday"
    _select_with_keys(qtbot, window, text.index(quote), len(quote))
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    claim_id = window.view.current_claim_id
    assert claim_id is not None

    qtbot.keyClick(window.view, Qt.Key.Key_1)                 # stance mode: supports
    qtbot.keyClick(window.view, Qt.Key.Key_B)                 # source reliability B
    assert window.keyboard.mode == Dimension.STANCE
    qtbot.keyClick(window.view, Qt.Key.Key_M)                 # → credibility mode
    assert window.keyboard.mode == Dimension.INFO_CREDIBILITY
    assert "Information credibility" in window.mode_label.text()
    qtbot.keyClick(window.view, Qt.Key.Key_2)                 # credibility 2
    qtbot.keyClick(window.view, Qt.Key.Key_M)                 # → claim type mode
    qtbot.keyClick(window.view, Qt.Key.Key_1)                 # quantity

    stored = stored_claim(window, claim_id)
    assert (stored.stance, stored.source_reliability, stored.info_credibility,
            stored.claim_type) == ("supports", "B", 2, "quantity")
    assert stored.quote == quote
    # The digit 2 in credibility mode did not touch the stance: keys never collide.
    assert stored.stance == "supports"

    qtbot.keyClick(window.view, Qt.Key.Key_0)                 # clear claim type
    assert stored_claim(window, claim_id).claim_type is None
    for _ in range(5):                                        # undo everything but the mark
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    stored = stored_claim(window, claim_id)
    assert (stored.stance, stored.source_reliability, stored.info_credibility,
            stored.claim_type) == (None, None, None, None)


def test_note_key_focuses_the_note_and_escape_returns(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    _select_with_keys(qtbot, window, text.index("Nasdaq"), 6)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    claim_id = window.view.current_claim_id
    qtbot.keyClick(window.view, Qt.Key.Key_N)
    assert window.editor.note.hasFocus()
    qtbot.keyClicks(window.editor.note, "Exchange data")
    qtbot.keyClick(window.editor.note, Qt.Key.Key_Escape)
    assert window.view.hasFocus()
    assert stored_claim(window, claim_id).note == "Exchange data"


def test_tab_and_j_move_between_claims_and_documents(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    ids = []
    for quote in ("Nasdaq", "Chinese startup", "fraction of the cost"):
        start = text.index(quote)
        window.view.select_span(start, start + len(quote))
        ids.append(window.mark_claim().id)  # type: ignore[union-attr]
    window.edit_current_claim("stance", "supports")           # the last one…
    for field, value in (("source_reliability", "A"), ("info_credibility", "1"),
                         ("claim_type", "other"), ("proposition", "DeepSeek is cheap"),
                         ("source", "CNBC")):
        window.edit_current_claim(field, value)               # …is now complete
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.view.current_claim_id is None

    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.view.current_claim_id == ids[0]
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.view.current_claim_id == ids[1]
    qtbot.keyClick(window.view, Qt.Key.Key_Backtab, SHIFT)
    assert window.view.current_claim_id == ids[0]
    qtbot.keyClick(window.view, Qt.Key.Key_J)                 # next incomplete: skips none
    assert window.view.current_claim_id == ids[1]
    qtbot.keyClick(window.view, Qt.Key.Key_J)                 # wraps past the complete one
    assert window.view.current_claim_id == ids[0]

    first = window.current_document.id  # type: ignore[union-attr]
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)           # document done
    assert window.documents.info(window.documents.row_of(first)).status == "done"
    assert window.progress.value() == 1
    qtbot.keyClick(window.view, Qt.Key.Key_J, CTRL)           # next document not done
    assert window.current_document.id != first  # type: ignore[union-attr]


def test_span_edges_move_with_alt_arrows_and_snap_to_words(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    start = text.index("Nasdaq plummeted")
    window.view.select_span(start, start + 6)                 # "Nasdaq"
    claim = window.mark_claim()
    assert claim is not None
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT)        # end +1 char
    assert stored_claim(window, claim.id).quote == "Nasdaq "
    qtbot.keyClick(window.view, Qt.Key.Key_W)                 # snap on: moves by words
    assert window.snap
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT)
    assert stored_claim(window, claim.id).quote == "Nasdaq plummeted"
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT | SHIFT)   # start → next word
    stored = stored_claim(window, claim.id)
    assert stored.quote == " plummeted" or stored.quote == "plummeted"
    assert text[stored.start:stored.end] == stored.quote
    # The span steps merged into one undo step: one Ctrl+Z restores the original.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert stored_claim(window, claim.id).quote == "Nasdaq"


def test_dragging_the_end_of_a_claim_moves_it(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent, QTextCursor
    from PySide6.QtWidgets import QApplication

    text = open_document_containing(window, "Nasdaq plummeted")
    start = text.index("Nasdaq plummeted")
    window.view.select_span(start, start + 6)
    claim = window.mark_claim()
    assert claim is not None

    def point(offset: int) -> QPointF:
        cursor = QTextCursor(window.view.document())
        cursor.setPosition(window.view.offsets.to_display(offset))
        return QPointF(window.view.cursorRect(cursor).center())

    viewport = window.view.viewport()
    press, target = point(start + 6), point(start + len("Nasdaq plummeted"))
    left = Qt.MouseButton.LeftButton
    for kind, where, buttons in ((QMouseEvent.Type.MouseButtonPress, press, left),
                                 (QMouseEvent.Type.MouseMove, target, left),
                                 (QMouseEvent.Type.MouseButtonRelease, target,
                                  Qt.MouseButton.NoButton)):
        event = QMouseEvent(kind, where, viewport.mapToGlobal(where), left, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
    assert stored_claim(window, claim.id).quote == "Nasdaq plummeted"


def test_shortcuts_sheet_lists_the_real_bindings(qtbot, window: MainWindow) -> None:
    rows = window.shortcut_rows()
    keys = {(key, what) for _group, key, what in rows}
    assert ("Tab", "Next claim") in keys
    assert ("J", "Next unlabelled or incomplete claim") in keys
    assert ("B", "Usually reliable") in keys
    codebook = window.codebook
    for label in codebook.of(Dimension.STANCE, include_retired=False):
        assert (label.shortcut, label.name) in keys
    # Menu actions with shortcuts come from the menus themselves.
    assert any(what == "Undo" for _g, _k, what in rows)
    # Every bound digit in stance mode labels exactly what the sheet says.
    for label in codebook.of(Dimension.STANCE, include_retired=False):
        assert digit_label(window.codebook, Dimension.STANCE, label.shortcut) == label.key
