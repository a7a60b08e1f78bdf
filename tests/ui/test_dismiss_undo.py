"""Dismissing a similar passage, undone: only what the dismissal stored is
removed (a colleague's dismissal of the same passage stays)."""

from __future__ import annotations

from pathlib import Path

from annotator.services import similar
from annotator.services.project import ProjectService
from annotator.ui.main_window import MainWindow
from tests.services.test_links import MERICS_LOSS
from tests.ui.test_elsewhere import LOSS, _claim_in


def test_undoing_a_dismissal_a_colleague_had_made_meanwhile_keeps_theirs(
        qtbot, window: MainWindow, seeded_project: Path) -> None:  # type: ignore[no-untyped-def]
    """The passage was dismissed by a colleague after the panel offered it: the
    analyst's dismissal stores nothing, so its undo removes nothing."""
    claim_id = _claim_in(window, MERICS_LOSS, proposition=LOSS)
    candidate = similar.candidates(window.service, claim_id, 5, analyst="alice")[0]
    colleague = ProjectService.open(seeded_project)
    try:
        assert similar.dismiss(colleague, claim_id, candidate.document_id, candidate.start,
                               candidate.end, analyst="bob")
    finally:
        colleague.close()
    window.elsewhere.dismiss(candidate)
    window.undo_stack.undo()
    assert [d.analyst for d in similar.dismissals(window.service, claim_id)] == ["bob"]
