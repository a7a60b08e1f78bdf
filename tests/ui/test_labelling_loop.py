"""The labelling loop (notes: loop_spec.md), one test per reproduction of the
issue, on the real window with real key and mouse events. What is stored is read
back through a separate connection to the project file."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWidget

from annotator.domain.codebook import Dimension
from annotator.domain.model import Claim
from annotator.services.project import ProjectService
from annotator.ui import plain
from annotator.ui.item_models import DocumentListModel
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from tests.ui import loop_support as support
from tests.ui.conftest import open_document_containing

SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
K = Qt.Key


def _stored(window: MainWindow, claim_id: str) -> Claim:
    assert window.service is not None
    return support.stored_claim(Path(window.service.location), claim_id)


def _stored_all(window: MainWindow) -> dict[str, Claim]:
    assert window.service is not None
    service = ProjectService.open(window.service.location)
    try:
        return {claim.id: claim for document in service.documents()
                for claim in service.claims(document.id)}
    finally:
        service.close()


def _select_with_keys(qtbot, window: MainWindow, start: int, length: int) -> None:  # type: ignore[no-untyped-def]
    """Put the caret before ``start`` (a click would do the same) and extend the
    selection with Shift+Right."""
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.offsets.to_display(start))
    window.view.setTextCursor(cursor)
    window.view.setFocus()
    for _ in range(length):
        qtbot.keyClick(window.view, K.Key_Right, SHIFT)


def _mark(qtbot, window: MainWindow, text: str, quote: str) -> str:  # type: ignore[no-untyped-def]
    """Select ``quote`` with Shift+arrows and press Enter; the new claim's id."""
    before = set(_stored_all(window))
    _select_with_keys(qtbot, window, text.index(quote), len(quote))
    qtbot.keyClick(window.view, K.Key_Return)
    (new,) = set(_stored_all(window)) - before
    assert _stored(window, new).quote == quote
    return new


def _current_id(window: MainWindow) -> str | None:
    """The current claim, checked to agree in the viewer and the claim panel."""
    claim = window.current_claim()
    assert window.view.current_claim_id == (claim.id if claim else None)
    return claim.id if claim else None


def _type_into(qtbot, field: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click into a claim-panel field, type, press Enter."""
    target = field.lineEdit() if hasattr(field, "lineEdit") else field  # type: ignore[attr-defined]
    target.setFocus()
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, K.Key_Return)


def _to_do(window: MainWindow) -> int:
    """The document list's "To do" figure for the shown document."""
    assert window.current_document is not None
    proxy = window.document_proxy
    column = DocumentListModel.HEADERS.index("To do")
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(DocumentListModel.ID_ROLE) == window.current_document.id:
            return int(proxy.index(row, column).data())
    raise AssertionError("the shown document is not in the list")


def _complete_text(window: MainWindow) -> str:
    """What the claim panel says about the current claim's completeness."""
    return " ".join(label.text() for label in window.editor.findChildren(QLabel)
                    if label.isVisible())


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes the window opens, recorded instead of shown (they are modal)."""
    shown: list[tuple[str, str]] = []

    def record(_parent, title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        shown.append((str(title), str(text)))
        return QMessageBox.StandardButton.Ok

    for name in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, name, record)
    monkeypatch.setattr(plain, "show_message",     # the window's own plain-text boxes
                        lambda parent, _icon, title, text, *a, **k: record(parent, title, text))
    return shown


@pytest.fixture
def labelled_project(tmp_path: Path) -> Path:
    """Three short documents (emoji, CJK, Cyrillic, CRLF) and no claims."""
    return support.build_template(tmp_path / "loop.annotator.sqlite", claims_per_document=0)


@pytest.fixture
def small_window(qtbot, labelled_project: Path,  # type: ignore[no-untyped-def]
                 ui_settings: UiSettings) -> Iterator[MainWindow]:
    window = support.open_window(qtbot, labelled_project, ui_settings)
    yield window
    support.close_window(window)


# 1. Span keys act on the current claim, and it stays current ---------------------------

def test_alt_right_twice_moves_the_first_claims_end_and_it_stays_current(
        qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    ids = [_mark(qtbot, window, text, quote)
           for quote in ("Nasdaq", "Chinese startup", "fraction of the cost")]
    before = {claim_id: _stored(window, claim_id) for claim_id in ids}
    qtbot.keyClick(window.view, K.Key_Escape)
    assert _current_id(window) is None
    qtbot.keyClick(window.view, K.Key_Home, CTRL)
    qtbot.keyClick(window.view, K.Key_Tab)
    assert _current_id(window) == ids[0]
    assert not window.snap

    first = before[ids[0]]
    for presses in (1, 2):
        qtbot.keyClick(window.view, K.Key_Right, ALT)
        moved = _stored(window, ids[0])
        assert (moved.start, moved.end) == (first.start, first.end + presses)
        assert moved.quote == text[first.start:first.end + presses]
        assert _current_id(window) == ids[0], f"after Alt+Right #{presses}"
    for claim_id in ids[1:]:
        assert _stored(window, claim_id) == before[claim_id]


# 2. Keys act on the current claim only; a new claim starts in Stance mode ----------------

def test_label_key_after_the_caret_moves_away_changes_no_claim(qtbot,
                                                              window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = _mark(qtbot, window, text, "Chinese startup")
    assert _current_id(window) == claim_id
    for _ in range(3):                                     # lines below the claim
        qtbot.keyClick(window.view, K.Key_Down)
    assert _current_id(window) is None
    before = _stored_all(window)
    window.statusBar().clearMessage()
    qtbot.keyClick(window.view, K.Key_1)
    assert _stored_all(window) == before
    assert window.statusBar().currentMessage()             # says why nothing happened


@pytest.mark.parametrize("how", ["keys", "mouse"])
def test_label_key_after_a_fresh_selection_changes_no_claim(qtbot, window: MainWindow,
                                                            how: str) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = _mark(qtbot, window, text, "Chinese startup")
    assert _current_id(window) == claim_id
    fresh = text.index("fraction of the cost")
    if how == "keys":
        _select_with_keys(qtbot, window, fresh, len("fraction"))
    else:
        support.drag(window, support.caret_point(window, fresh),
                     support.caret_point(window, fresh + len("fraction")))
    assert support.selection(window) == (fresh, fresh + len("fraction"))
    assert _current_id(window) is None
    before = _stored_all(window)
    qtbot.keyClick(window.view, K.Key_1)
    assert _stored_all(window) == before
    assert _current_id(window) is None


def test_a_new_claim_resets_the_digit_mode_to_stance(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    window.view.setFocus()
    qtbot.keyClick(window.view, K.Key_M)
    qtbot.keyClick(window.view, K.Key_M)
    assert window.keyboard.mode == Dimension.CLAIM_TYPE
    claim_id = _mark(qtbot, window, text, "Nasdaq")
    assert window.keyboard.mode == Dimension.STANCE
    qtbot.keyClick(window.view, K.Key_1)
    stored = _stored(window, claim_id)
    assert (stored.stance, stored.claim_type) == ("supports", None)


# 3. Completeness follows the codebook's rule --------------------------------------------

def test_a_claim_with_only_a_stance_is_incomplete(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = _mark(qtbot, window, text, "Nasdaq")
    qtbot.keyClick(window.view, K.Key_1)
    assert _stored(window, claim_id).stance == "supports"
    assert "Complete" not in _complete_text(window)
    qtbot.keyClick(window.view, K.Key_Escape)
    qtbot.keyClick(window.view, K.Key_Home, CTRL)
    qtbot.keyClick(window.view, K.Key_J)
    assert _current_id(window) == claim_id
    assert _to_do(window) == 1


def test_four_labels_without_proposition_or_source_are_incomplete(
        qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = _mark(qtbot, window, text, "Nasdaq")
    for key in (K.Key_1, K.Key_B, K.Key_M, K.Key_2, K.Key_M, K.Key_1):
        qtbot.keyClick(window.view, key)
    stored = _stored(window, claim_id)
    assert (stored.stance, stored.source_reliability, stored.info_credibility,
            stored.claim_type) == ("supports", "B", 2, "quantity")
    assert "Complete" not in _complete_text(window)       # no proposition, no source
    assert _to_do(window) == 1
    qtbot.keyClick(window.view, K.Key_Escape)
    window.statusBar().clearMessage()
    qtbot.keyClick(window.view, K.Key_J)
    assert _current_id(window) == claim_id


def test_not_a_claim_is_complete_and_j_skips_it(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    not_a_claim = _mark(qtbot, window, text, "Nasdaq")
    qtbot.keyClick(window.view, K.Key_M)
    qtbot.keyClick(window.view, K.Key_M)
    assert window.keyboard.mode == Dimension.CLAIM_TYPE
    qtbot.keyClick(window.view, K.Key_7)                  # "Not a claim"
    assert _stored(window, not_a_claim).claim_type == "not_a_claim"
    assert "Complete" in _complete_text(window)
    later = _mark(qtbot, window, text, "Chinese startup")  # nothing labelled
    assert _to_do(window) == 1

    qtbot.keyClick(window.view, K.Key_Escape)
    qtbot.keyClick(window.view, K.Key_Home, CTRL)
    qtbot.keyClick(window.view, K.Key_J)
    assert _current_id(window) == later                   # the first claim is complete
    qtbot.keyClick(window.view, K.Key_J)
    assert _current_id(window) == later                   # and stays skipped


def test_a_complete_claim_is_skipped_and_the_to_do_count_agrees(
        qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    complete = _mark(qtbot, window, text, "Nasdaq")
    for key in (K.Key_1, K.Key_B, K.Key_M, K.Key_2, K.Key_M, K.Key_1):
        qtbot.keyClick(window.view, key)
    _type_into(qtbot, window.editor.proposition, "China is catching up")
    _type_into(qtbot, window.editor.source, "Reuters")
    stored = _stored(window, complete)
    assert stored.proposition == "China is catching up" and stored.source_name == "Reuters"
    assert "Complete" in _complete_text(window)
    window.view.setFocus()
    incomplete = _mark(qtbot, window, text, "Chinese startup")
    assert _to_do(window) == 1
    qtbot.keyClick(window.view, K.Key_Escape)
    qtbot.keyClick(window.view, K.Key_Home, CTRL)
    qtbot.keyClick(window.view, K.Key_J)
    assert _current_id(window) == incomplete
    qtbot.keyClick(window.view, K.Key_J, SHIFT)
    assert _current_id(window) == incomplete


def test_grading_before_naming_the_source_grades_the_source(qtbot,
                                                            window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = _mark(qtbot, window, text, "Nasdaq")
    qtbot.keyClick(window.view, K.Key_C)                  # reliability C, no source yet
    assert _stored(window, claim_id).source_reliability == "C"
    _type_into(qtbot, window.editor.source, "Bloomberg")
    stored = _stored(window, claim_id)
    assert stored.source_name == "Bloomberg" and stored.source_reliability == "C"
    assert window.service is not None
    service = ProjectService.open(window.service.location)
    try:
        assert stored.source_id is not None
        assert service.source(stored.source_id).reliability == "C"
    finally:
        service.close()


# 4. Focus, find, and the status bar ------------------------------------------------------

def test_tab_from_the_document_list_enters_the_viewer_and_f6_leaves_it(
        qtbot, window: MainWindow) -> None:
    window.document_list.setFocus()
    assert window.document_list.hasFocus()
    qtbot.keyClick(window.document_list, K.Key_Tab)
    assert window.view.hasFocus()
    qtbot.keyClick(window.view, K.Key_F6)
    focused = QApplication.focusWidget()
    assert focused is not None and focused is not window.view
    assert window.isAncestorOf(focused)


def test_escape_from_every_claim_panel_field_returns_to_the_viewer(
        qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    _mark(qtbot, window, text, "Nasdaq")
    editor = window.editor
    fields: list[QWidget] = [editor.proposition, editor.source, editor.tags, editor.note]
    fields += [combo for combo in editor.combos.values() if combo.isVisible()]
    for field in fields:
        field.setFocus()
        focused = QApplication.focusWidget()
        assert focused is not None and (focused is field or field.isAncestorOf(focused))
        qtbot.keyClick(focused, K.Key_Escape)
        assert window.view.hasFocus(), f"Esc in {type(field).__name__} kept the focus"


def test_find_selects_occurrences_and_escape_returns_with_the_match(
        qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    word = "Nvidia"
    found = [m.start() for m in re.finditer(word, text)]
    assert found == [m.start() for m in re.finditer(word, text, re.IGNORECASE)]
    assert len(found) >= 3
    window.view.setFocus()
    qtbot.keyClick(window.view, K.Key_Home, CTRL)
    qtbot.keyClick(window.view, K.Key_F, CTRL)
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit) and field.isVisible()
    qtbot.keyClicks(field, word)
    qtbot.keyClick(field, K.Key_Return)
    assert support.selection(window) == (found[0], found[0] + len(word))
    qtbot.keyClick(QApplication.focusWidget(), K.Key_F3)
    assert support.selection(window) == (found[1], found[1] + len(word))
    qtbot.keyClick(QApplication.focusWidget(), K.Key_F3)
    assert support.selection(window) == (found[2], found[2] + len(word))
    qtbot.keyClick(QApplication.focusWidget(), K.Key_F3, SHIFT)
    assert support.selection(window) == (found[1], found[1] + len(word))
    qtbot.keyClick(QApplication.focusWidget(), K.Key_Escape)
    assert window.view.hasFocus()
    assert support.selection(window) == (found[1], found[1] + len(word))


def test_a_digit_with_no_label_says_which_keys_work(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = _mark(qtbot, window, text, "Nasdaq")
    before = _stored(window, claim_id)
    window.statusBar().clearMessage()
    qtbot.keyClick(window.view, K.Key_9)                  # stance has 4 labels
    assert _stored(window, claim_id) == before
    message = window.statusBar().currentMessage()
    assert re.search(r"1\s*[–-]\s*4", message), message


def test_enter_with_nothing_selected_says_why(qtbot, window: MainWindow) -> None:
    open_document_containing(window, "Nasdaq plummeted")
    window.view.setFocus()
    assert not window.view.textCursor().hasSelection()
    before = _stored_all(window)
    window.statusBar().clearMessage()
    qtbot.keyClick(window.view, K.Key_Return)
    assert _stored_all(window) == before
    assert window.statusBar().currentMessage()


@pytest.mark.parametrize("key, modifiers", [
    (K.Key_1, Qt.KeyboardModifier.NoModifier), (K.Key_0, Qt.KeyboardModifier.NoModifier),
    (K.Key_B, Qt.KeyboardModifier.NoModifier), (K.Key_Right, ALT), (K.Key_Left, ALT | SHIFT),
    (K.Key_Delete, Qt.KeyboardModifier.NoModifier)],
    ids=["1", "0", "B", "Alt+Right", "Alt+Shift+Left", "Delete"])
def test_claim_keys_with_no_current_claim_say_why(qtbot, window: MainWindow, key: Qt.Key,
                                                  modifiers: Qt.KeyboardModifier) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    _mark(qtbot, window, text, "Nasdaq")
    qtbot.keyClick(window.view, K.Key_Escape)
    assert _current_id(window) is None
    before = _stored_all(window)
    window.statusBar().clearMessage()
    qtbot.keyClick(window.view, key, modifiers)
    assert _stored_all(window) == before
    assert window.statusBar().currentMessage()


def test_ctrl_d_with_no_document_open_says_why(qtbot, tmp_path: Path,
                                               ui_settings: UiSettings) -> None:
    path = tmp_path / "empty.annotator.sqlite"
    ProjectService.open(path, create=True).close()
    window = support.open_window(qtbot, path, ui_settings)
    try:
        assert window.current_document is None
        window.statusBar().clearMessage()
        qtbot.keyClick(window.view, K.Key_D, CTRL)
        assert window.statusBar().currentMessage()
    finally:
        support.close_window(window)


def _texts(window: MainWindow) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible()]


def test_mode_texts_give_the_real_digit_range(qtbot, window: MainWindow) -> None:
    window.view.setFocus()
    expected = {Dimension.STANCE: "[1–4]", Dimension.INFO_CREDIBILITY: "[1–6]",
                Dimension.CLAIM_TYPE: "[1–7]"}
    for _ in range(len(expected)):
        mode = window.keyboard.mode
        texts = _texts(window)
        assert not any("1–9" in t for t in texts), texts
        assert any(expected[mode] in t for t in texts), (mode, texts)
        qtbot.keyClick(window.view, K.Key_M)
    assert window.keyboard.mode == Dimension.STANCE


def test_one_claim_is_counted_as_one_claim(qtbot, small_window: MainWindow) -> None:
    window = small_window
    assert window.current_document is not None
    text = window.current_document.text
    _mark(qtbot, window, text, "DeepSeek")
    texts = _texts(window)
    assert any(re.search(r"\b1 claim\b", t) for t in texts), texts
    assert not any(re.search(r"\b1 claims\b", t) for t in texts), texts


# 5. Errors are reported, not swallowed ---------------------------------------------------

def _reported(window: MainWindow, boxes: list[tuple[str, str]]) -> bool:
    return ("NOT SAVED" in window.saved_label.text().upper() or bool(boxes)
            or bool(window.statusBar().currentMessage()))


@pytest.fixture
def locked_window(qtbot, labelled_project: Path,  # type: ignore[no-untyped-def]
                  ui_settings: UiSettings) -> Iterator[MainWindow]:
    """A window whose writes give up after 0.1 s when another program holds the lock."""
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    window.set_service(ProjectService.open(labelled_project, busy_timeout=0.1))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.view.setFocus()
    yield window
    window.close()


def test_a_label_that_cannot_be_saved_is_reported(qtbot, locked_window: MainWindow,
                                                  labelled_project: Path,
                                                  message_boxes: list) -> None:
    window = locked_window
    assert window.current_document is not None
    claim_id = _mark(qtbot, window, window.current_document.text, "DeepSeek")
    steps = window.undo_stack.count()
    other = sqlite3.connect(labelled_project, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")                     # another program holds the lock
    try:
        window.statusBar().clearMessage()
        qtbot.keyClick(window.view, K.Key_1)
        assert _reported(window, message_boxes)
        assert window.undo_stack.count() == steps        # no undo step for unsaved work
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _stored(window, claim_id).stance is None


def test_a_source_that_cannot_be_saved_is_reported(qtbot, small_window: MainWindow,
                                                   labelled_project: Path,
                                                   message_boxes: list) -> None:
    window = small_window
    assert window.current_document is not None
    claim_id = _mark(qtbot, window, window.current_document.text, "DeepSeek")
    other = sqlite3.connect(labelled_project, isolation_level=None)
    other.execute("CREATE TRIGGER refuse_sources BEFORE INSERT ON sources "
                  "BEGIN SELECT RAISE(ABORT, 'refused by a test'); END")
    other.close()
    window.statusBar().clearMessage()
    window.saved_label.clear()
    _type_into(qtbot, window.editor.source, "Reuters")
    assert _stored(window, claim_id).source_id is None
    assert _reported(window, message_boxes)
