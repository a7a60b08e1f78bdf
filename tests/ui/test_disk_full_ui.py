"""Marking claims in the window until the disk is full: the claim that could not
be saved is reported and shown nowhere (not in the text, the claims table or
the undo stack); everything shown is in the project, and every claim saved is
in the undo stack (even when the document's status could not be saved with it);
once there is room again, marking and undo work as before."""

from __future__ import annotations

from pathlib import Path

from annotator.services.project import ProjectService
from annotator.ui import plain
from annotator.ui.main_window import MainWindow
from tests.storage.test_disk_full import fill_up, page_count
from tests.ui.conftest import open_document_containing


def _stored_status(location: str, document_id: str) -> str:
    service = ProjectService.open(location)
    try:
        return next(d.status for d in service.documents() if d.id == document_id)
    finally:
        service.close()


def _stored_ids(location: str) -> set[str]:
    service = ProjectService.open(location)
    try:
        return {claim.id for info in service.documents() for claim in service.claims(info.id)}
    finally:
        service.close()


def test_a_claim_marked_on_a_full_disk_is_reported_and_not_shown(
        qtbot, window: MainWindow, monkeypatch) -> None:
    messages: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: messages.append(text))
    service = window.service
    assert service is not None
    text = open_document_containing(window, "Nasdaq plummeted")
    fill_up(service, page_count(Path(service.location)) + 2)
    marked = []
    for i in range(400):
        start = (i * 17) % (len(text) - 40)
        window.view.select_span(start, start + 25)
        claim = window.mark_claim()
        if claim is None:
            break
        marked.append(claim.id)
    else:
        raise AssertionError("the disk never filled")
    assert messages and "the disk is full" in messages[-1]
    assert window.saved_label.text() == "NOT SAVED"
    shown = set(window.view.claim_ids())
    listed = {window.claims.claim_at(row).id for row in range(window.claims.rowCount())}
    assert shown == listed == set(marked) == _stored_ids(service.location)
    assert window.undo_stack.count() == len(marked)
    # The document's status, if it could not be saved with its first claim, is
    # shown as it is stored.
    document = window.current_document
    assert document is not None
    assert window.document_status() == _stored_status(service.location, document.id)

    fill_up(service, None)                           # room again
    window.view.select_span(3, 12)
    again = window.mark_claim()
    assert again is not None
    assert _stored_ids(service.location) == {*marked, again.id}
    assert window.undo_stack.count() == len(marked) + 1
    window.undo_stack.undo()
    assert again.id not in window.view.claim_ids()
    assert _stored_ids(service.location) == set(marked)
    assert window.saved_label.text().startswith("Saved")
