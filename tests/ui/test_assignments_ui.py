"""Blind double coding in a real window on a real project file: alice's blind
document shows only her claims (with the reason in the status bar) even when she
chose to see everyone's; Ctrl+D marks her part done (undoable); once bob is done
too (saved by his own app, seen live) his claims appear; the reviewer's queue
lists the document and opens it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.domain.analysts import ShownAnalysts
from annotator.services.assignments import AssignmentService
from annotator.services.project import ProjectService
from annotator.ui.item_models import DocumentListModel
from annotator.ui.main_window import MainWindow
from annotator.ui.tables import header_tip
from tests.review.scenario import NASDAQ, add_two_analysts
from tests.ui.conftest import open_document_containing
from tests.ui.tooltips import tooltip_text

ASSIGNED = DocumentListModel.HEADERS.index("Assigned")


def _assigned_text(window: MainWindow, document_id: str) -> str:
    row = window.documents.row_of(document_id)
    assert row is not None
    return window.documents.index(row, ASSIGNED).data()


def _claim_count(window: MainWindow, document_id: str) -> int:
    row = window.documents.row_of(document_id)
    assert row is not None
    return window.documents.info(row).claim_count


def _shown_analysts(window: MainWindow) -> set[str]:
    return {c.annotator for c in window.shown.claims()}


def test_blind_document_mark_done_and_queue(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                            seeded_project: Path) -> None:
    colleague = ProjectService.open(seeded_project)     # bob's (and the admin's) app
    try:
        merics = add_two_analysts(colleague).document.id
        AssignmentService(colleague).assign(["alice", "bob"], 1.0, document_ids=[merics],
                                            assigned_by="dave")
        window.identity.set_shown(ShownAnalysts.everyone("alice"))
        assert not window.document_list.isColumnHidden(ASSIGNED)
        assert _assigned_text(window, merics) == "Assigned"
        assert _claim_count(window, merics) == 5         # bob's 5 are not counted
        open_document_containing(window, NASDAQ)
        assert window.current_document is not None
        assert window.current_document.id == merics
        assert _shown_analysts(window) == {"alice"}
        assert "Blind coding" in window.statusBar().currentMessage()
        qtbot.wait(50)          # the document list's columns fit (on a zero timer)
        window.grab().save("/tmp/blind-open.png")
        # Search leaves bob's claims out too.
        window.search_panel.field.setText("Nasdaq")
        found = window.search_panel.search()
        assert found and all(r.analyst in ("alice", "") for r in found if r.claim_id)

        # Comparing analysts leaves the blind document out: nothing of bob's shows.
        window.review.compare_action.trigger()
        assert window.review.active
        assert window.review.units() == []
        assert _shown_analysts(window) == {"alice"}
        window.review.compare_action.trigger()
        assert not window.review.active

        # Ctrl+D: her part is done; bob's claims stay hidden until he is done.
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert _assigned_text(window, merics) == "Done (waiting for 1)"
        assert _shown_analysts(window) == {"alice"}
        assert window.document_status() != "done"
        window.undo_stack.undo()
        assert _assigned_text(window, merics) == "Assigned"
        window.undo_stack.redo()
        assert _assigned_text(window, merics) == "Done (waiting for 1)"
        assert AssignmentService(colleague).states_for("alice")[merics].status == "done"

        # Bob finishes in his own app: the window sees it and shows his claims.
        AssignmentService(colleague).set_done(merics, "bob")
        qtbot.waitUntil(lambda: (window.live.poll() or True)
                        and _shown_analysts(window) == {"alice", "bob"}, timeout=5000)
        assert _assigned_text(window, merics) == "Done"
        assert "Everyone assigned" in window.statusBar().currentMessage()
        assert _claim_count(window, merics) == 10
        assert window.document_status() == "done"
        window.review.compare_action.trigger()
        assert len(window.review.units()) == 6
        window.review.compare_action.trigger()
    finally:
        colleague.close()

    # The reviewer's queue: Review › Queue by Disagreement…; double-click opens.
    window.document_list.setCurrentIndex(window.document_proxy.index(
        next(r for r in range(window.document_proxy.rowCount())
             if window.document_proxy.index(r, 0).data(DocumentListModel.ID_ROLE) != merics),
        0))
    assert window.current_document is not None and window.current_document.id != merics
    window.assignments.queue_action.trigger()
    dialog = window.assignments.queue_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(1, 4)] == ["alice, bob", "5", "0.80"]
    # The title takes the room the other columns leave (no stretched Review
    # column beside a cut title); every cell and header explains itself.
    qtbot.waitUntil(lambda: table.columnWidth(0) >= 0.45 * table.viewport().width() - 1)
    assert sum(table.columnWidth(c) for c in range(5)) <= table.viewport().width() + 1
    assert table.columnWidth(4) <= 160
    title = window.service.document(merics).title
    assert tooltip_text(table.item(0, 0).toolTip()) == title
    for column in range(5):
        name = table.horizontalHeaderItem(column).text()
        assert header_tip(table, column) not in ("", name)
    dialog.grab().save("/tmp/blind-queue.png")
    window.grab().save("/tmp/blind-window.png")
    rect = table.visualItemRect(table.item(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_document is not None and window.current_document.id == merics
    dialog.close()
