"""Deleting a claim a colleague saved since the window read it does not delete
their newer version: it is refused like a conflicting edit (both versions, the
stored one shown), and deleting it again, as now shown, works."""

from __future__ import annotations

import pytest

from annotator.services.project import NotFoundError, ProjectService
from annotator.ui import plain
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import mark_quote, open_document_containing, stored_claim


def test_deleting_a_claim_a_colleague_changed_is_refused_and_shows_theirs(
        qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: messages.append(text))
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = mark_quote(window, text, "Nasdaq plummeted")
    steps = window.undo_stack.count()
    assert window.service is not None
    colleague = ProjectService.open(window.service.location)
    try:
        colleague.update_claim(colleague.claim(claim_id).edited(note="colleague's note"))
    finally:
        colleague.close()

    window.select_claim(claim_id, reveal=True)
    window.delete_current_claim()

    assert len(messages) == 1 and "changed meanwhile" in messages[0]
    assert "version 2" in messages[0]
    assert window.saved_label.text() == "NOT SAVED"
    assert stored_claim(window, claim_id).note == "colleague's note"     # still there
    assert window.shown.claim(claim_id).note == "colleague's note"   # type: ignore[union-attr]
    assert window.undo_stack.count() == steps

    # Deleting the version now shown works, and undo puts it back.
    messages.clear()
    window.select_claim(claim_id, reveal=True)
    window.delete_current_claim()
    assert messages == [] and window.shown.claim(claim_id) is None
    service = ProjectService.open(window.service.location)
    try:
        with pytest.raises(NotFoundError):
            service.claim(claim_id)
    finally:
        service.close()
    window.undo_stack.undo()
    assert stored_claim(window, claim_id).note == "colleague's note"
