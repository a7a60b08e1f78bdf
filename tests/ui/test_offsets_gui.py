"""Offsets through the GUI: what the analyst selects is exactly what is stored,
for emoji (two UTF-16 units), CJK and CRLF text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.services.project import ProjectService
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import open_document_containing


def _stored_claims(window: MainWindow) -> list:
    assert window.service is not None and window.current_document is not None
    return window.service.claims(window.current_document.id)


def _place_cursor(window: MainWindow, offset: int) -> None:
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.offsets.to_display(offset))
    window.view.setTextCursor(cursor)
    window.view.setFocus()


def _point_at(window: MainWindow, offset: int) -> QPoint:
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view.offsets.to_display(offset))
    window.view.setTextCursor(cursor)
    window.view.ensureCursorVisible()
    return window.view.cursorRect(cursor).center()


def test_keyboard_selection_over_emoji_is_stored_exactly(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "👇")
    start = text.index("below 👇")
    end = start + len("below 👇")
    _place_cursor(window, start)
    for _ in range(end - start):   # Shift+Right moves one character, emoji included
        qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)

    (claim,) = _stored_claims(window)
    assert (claim.start, claim.end) == (start, end)
    assert claim.quote == text[start:end] == "below 👇"


def test_mouse_selection_over_cjk_is_stored_exactly(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "深度求素")
    start = text.index("DeepSeek (深度求素")
    end = text.index(" in", start)
    first = _point_at(window, start)
    last = _point_at(window, end)
    viewport = window.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     pos=last)
    window.mark_action.trigger()

    (claim,) = _stored_claims(window)
    assert claim.quote == text[claim.start:claim.end]
    assert claim.quote.startswith("DeepSeek (深度求素")
    assert (claim.start, claim.end) == (start, end)


def test_selection_ending_inside_a_surrogate_pair_takes_the_whole_emoji(
        window: MainWindow) -> None:
    text = open_document_containing(window, "👇")
    emoji = text.index("👇")
    display = window.view.offsets.to_display(emoji)
    cursor = window.view.textCursor()
    cursor.setPosition(display - 3)
    cursor.setPosition(display + 1, QTextCursor.MoveMode.KeepAnchor)  # between the surrogates
    window.view.setTextCursor(cursor)

    claim = window.mark_claim()

    assert claim is not None
    assert (claim.start, claim.end) == (emoji - 3, emoji + 1)
    assert claim.quote == text[emoji - 3:emoji + 1]


def test_crlf_document_offsets_match_stored_text(qtbot, window: MainWindow,
                                                  tmp_path: Path) -> None:
    source = tmp_path / "memo.txt"
    source.write_bytes("Line one 😀\r\nLine two, 深度\r\n\r\nLine four.\r\n".encode())
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        assert window.import_documents([str(source)])
    document = window.current_document
    assert document is not None and "\r\n" in document.text
    text = document.text
    start, end = text.index("😀"), text.index("深度") + 2   # crosses a CRLF
    _place_cursor(window, start)
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.offsets.to_display(end), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    qtbot.keyClick(window.view, Qt.Key.Key_Enter)

    (claim,) = _stored_claims(window)
    assert claim.quote == text[start:end] == "😀\r\nLine two, 深度"
    reopened = ProjectService.open(window.service.location)   # type: ignore[union-attr]
    try:
        assert reopened.claim(claim.id).quote == "😀\r\nLine two, 深度"
    finally:
        reopened.close()
