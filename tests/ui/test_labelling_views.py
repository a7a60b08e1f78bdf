"""Colour by, legend and filter; document status, sorting and progress; sources
through the window; a codebook change reaching the open document."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.domain.codebook import Dimension, with_labels
from annotator.domain.model import Claim
from annotator.services.project import ProjectService
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import open_document_containing


def _mark(window: MainWindow, text: str, quote: str, **labels: object) -> Claim:
    start = text.index(quote)
    window.view.select_span(start, start + len(quote))
    claim = window.mark_claim()
    assert claim is not None
    for field, value in labels.items():
        window.edit_current_claim(field, value)
    return claim


def test_colour_by_and_filter_hide_claims_in_view_and_table(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    supports = _mark(window, text, "Nasdaq", stance="supports", source_reliability="B")
    refutes = _mark(window, text, "Chinese startup", stance="refutes", source_reliability="F")
    unlabelled = _mark(window, text, "fraction of the cost")

    assert window.legend.dimension == Dimension.STANCE
    assert "3 claims" in window.legend.summary.text()
    window.legend.set_label_shown("refutes", False)
    window.legend.filter_changed.emit()
    assert window.view.visible_claim_ids() == [supports.id, unlabelled.id]
    assert window.claim_proxy.rowCount() == 2
    assert "2 of 3 claims shown" in window.legend.summary.text()

    window.legend.set_label_shown(None, False)                 # hide "not labelled" too
    window.legend.filter_changed.emit()
    assert window.view.visible_claim_ids() == [supports.id]

    window.legend.show_all.click()
    window.legend.set_dimension(Dimension.SOURCE_RELIABILITY)
    assert window.settings.colour_by() == "source_reliability"
    names = [window.legend.labels.item(i).text() for i in range(window.legend.labels.count())]
    assert [n for n in names if "not on the scale" in n] == [
        "F — Reliability cannot be judged  (not on the scale)  ·  1"]
    assert "Not labelled  ·  1" in names
    # The highlight colour now comes from the reliability scale.
    colour = window.codebook.colour(Dimension.SOURCE_RELIABILITY, "B")
    window.grab()        # paints with the new colouring without error
    assert window.view._colouring(window.claims.claim_at(0)).name().upper() == colour.upper()
    assert refutes.id in window.view.visible_claim_ids()


def test_reliability_sorting_puts_cannot_be_judged_after_the_scale(qtbot,
                                                                  window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    _mark(window, text, "Nasdaq", source_reliability="F")
    _mark(window, text, "Chinese startup", source_reliability="E")
    _mark(window, text, "fraction of the cost")
    _mark(window, text, "the US and China", source_reliability="A")
    column = window.claims.HEADERS.index("Reliability")
    window.claim_table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    shown = [window.claim_proxy.index(r, column).data() for r in range(4)]
    assert shown == ["A", "E", "F", ""]


def test_document_status_filter_sort_and_progress(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    _mark(window, text, "Nasdaq")          # the first claim puts the document in progress
    current = window.current_document.id  # type: ignore[union-attr]
    assert window.documents.info(window.documents.row_of(current)).status == "in_progress"
    window.set_document_status("done")
    assert window.progress.value() == 1 and window.progress.maximum() == 4

    window.status_filter.setCurrentIndex(window.status_filter.findData("done"))
    assert window.document_proxy.rowCount() == 1
    window.status_filter.setCurrentIndex(window.status_filter.findData("new"))
    assert window.document_proxy.rowCount() == 3
    window.status_filter.setCurrentIndex(0)

    claims_column = window.documents.HEADERS.index("Claims")
    window.document_list.sortByColumn(claims_column, Qt.SortOrder.DescendingOrder)
    top = window.document_proxy.mapToSource(window.document_proxy.index(0, 0)).row()
    assert window.documents.document_id(top) == current

    window.undo_action.trigger()           # undo "done"
    assert window.documents.info(window.documents.row_of(current)).status == "in_progress"
    service = ProjectService.open(window.service.location)  # type: ignore[union-attr]
    try:
        assert {d.id: d.status for d in service.documents()}[current] == "in_progress"
    finally:
        service.close()


def test_claim_source_registry_and_grading_prefills(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    first = _mark(window, text, "Nasdaq", source="Rebecca Arcesati, MERICS")
    second = _mark(window, text, "Chinese startup", source="rebecca arcesati, merics")
    graded = _mark(window, text, "fraction of the cost", source="Rebecca Arcesati, MERICS",
                   source_reliability="A")      # grading a claim grades its source…
    service = window.service
    assert service is not None
    (summary,) = service.sources()
    assert summary.claim_count == 3 and summary.source.reliability == "A"
    stored = {c.id: c for c in service.claims(window.current_document.id)}  # type: ignore[union-attr]
    # …and pre-fills the source's ungraded claims; each keeps the grade it was given.
    assert stored[first.id].source_reliability == "A"
    assert stored[second.id].source_reliability == "A"
    window.select_claim(first.id)
    window.edit_current_claim("source_reliability", "C")
    stored = {c.id: c for c in service.claims(window.current_document.id)}  # type: ignore[union-attr]
    assert stored[first.id].source_reliability == "C"
    assert stored[graded.id].source_reliability == "A"     # kept the grade it was given
    window.sources.refresh()
    assert window.editor.source.findText("Rebecca Arcesati, MERICS") >= 0


def test_codebook_rename_relabels_the_open_document(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    claim = _mark(window, text, "Nasdaq", stance="refutes")
    _rename_refutes(window)
    row = window.claims.row_of(claim.id)
    assert window.claims.claim_at(row).stance == "contradicts"   # type: ignore[arg-type]
    stance_column = window.claims.HEADERS.index("Stance")
    assert window.claims.index(row, stance_column).data() == "Contradicts"  # type: ignore[arg-type]
    assert window.editor.combos[Dimension.STANCE].findData("contradicts") >= 0
    window.undo_action.trigger()
    assert window.claims.claim_at(window.claims.row_of(claim.id)).stance == "refutes"  # type: ignore[arg-type]


def _rename_refutes(window: MainWindow) -> None:
    from annotator.ui.commands import ChangeCodebookCommand

    assert window.codebook_controller is not None
    before = window.codebook
    labels = [label if label.key != "refutes" else
              type(label)(label.dimension, "contradicts", "Contradicts", label.description,
                          label.colour, label.shortcut)
              for label in before.of(Dimension.STANCE)]
    window.undo_stack.push(ChangeCodebookCommand(
        window.codebook_controller, before, with_labels(before, Dimension.STANCE, labels),
        "Rename refutes", renames={Dimension.STANCE: {"refutes": "contradicts"}}))


def test_after_a_codebook_rename_undo_and_delete_are_not_taken_for_a_colleagues_change(
        qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A rename relabels claims (a version on each): undoing an edit made before
    it, or deleting a relabelled claim, saves (found by tests/ui/test_links_stateful.py:
    the window still knew the claims' versions from before the rename)."""
    from annotator.ui import plain

    failures: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: failures.append(text))
    text = open_document_containing(window, "Nasdaq plummeted")
    claim = _mark(window, text, "Nasdaq", stance="refutes")
    other = _mark(window, text, "plummeted", stance="refutes")
    window.edit_current_claim("info_credibility", 3)
    _rename_refutes(window)
    window.undo_action.trigger()                      # the rename
    window.undo_action.trigger()                      # the credibility
    assert failures == []
    service = window.service
    assert service is not None
    assert (service.claim(other.id).stance, service.claim(other.id).info_credibility) == (
        "refutes", None)
    window.redo_action.trigger()
    window.redo_action.trigger()
    window.select_claim(claim.id)
    window.delete_current_claim()                     # relabelled by the rename
    assert failures == []
    assert all(c.id != claim.id for c in service.claims(claim.document_id))
    assert service.claim(other.id).stance == "contradicts"


def test_a_claim_across_paragraphs_is_highlighted_in_both(qtbot, window: MainWindow) -> None:
    from PySide6.QtGui import QColor, QTextCursor

    text = open_document_containing(window, "Nasdaq plummeted")
    start = text.index("cutting-edge hardware")
    end = text.index("less advanced than")            # two lines further on
    assert "\n" in text[start:end]
    window.view.select_span(start, end)
    claim = window.mark_claim()
    assert claim is not None
    window.select_claim(None)
    window.view.verticalScrollBar().setValue(0)
    image = window.view.viewport().grab().toImage()
    base = window.view.palette().base().color()

    def highlighted(offset: int) -> bool:
        cursor = QTextCursor(window.view.document())
        cursor.setPosition(window.view.offsets.to_display(offset))
        rect = window.view.cursorRect(cursor)
        pixel = QColor(image.pixel(rect.x() + 3, rect.top() + 2))
        return pixel != base

    first_line = start + 2
    last_line = end - 3
    blank_between = text.index("\n", start) + 1        # an empty paragraph inside the span
    assert highlighted(first_line)
    assert highlighted(last_line)
    assert not highlighted(text.index("Faced with restricted"))   # same line, before it
    assert blank_between < end
