"""The search dock (Ctrl+Shift+F) on the real main window and a real project."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.domain.review import Decision, adjudicate
from annotator.services.review import ReviewService
from annotator.ui.main_window import MainWindow
from annotator.ui.search_panel import SearchPanel
from tests.ui.conftest import mark_quote, open_document_containing


def _panel(qtbot, window: MainWindow) -> SearchPanel:  # type: ignore[no-untyped-def]
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.search_dock.isVisible()
    return window.search_panel


def _type(qtbot, panel: SearchPanel, text: str) -> None:  # type: ignore[no-untyped-def]
    panel.field.clear()
    qtbot.keyClicks(panel.field, text)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)       # searches now (no waiting)


def _rows(panel: SearchPanel) -> list[str]:
    return [panel.results.item(n).text() for n in range(panel.results.count())]


def test_type_see_results_and_jump_to_the_text(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    text = open_document_containing(window, "hedge fund")
    shown = window.current_document
    assert shown is not None
    panel = _panel(qtbot, window)
    _type(qtbot, panel, "HEDGE fund")
    rows = _rows(panel)
    assert rows and panel.count.text().endswith(f"{len(rows)} result" + "s" * (len(rows) != 1))
    assert all("·" in row for row in rows)
    # Another document first, then Enter on a result opens its document at the hit.
    other = next(d.id for d in window.service.documents() if d.id != shown.id)
    window.reveal_document(other)
    panel.field.setFocus()
    index = next(n for n in range(panel.results.count())
                 if panel.results.item(n).data(Qt.ItemDataRole.UserRole).document_id
                 == shown.id)
    panel.results.setCurrentRow(index)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.current_document is not None and window.current_document.id == shown.id
    span = window.view.selected_span()
    assert span is not None
    assert text[span[0]:span[1]].lower() in ("hedge", "fund")


def test_a_note_found_selects_its_claim_and_filters_narrow(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    text = open_document_containing(window, "hedge fund")
    claim_id = mark_quote(window, text, "hedge fund")
    window.edit_current_claim("note", "ask the Zanzibar desk")
    window.select_claim(None)
    panel = _panel(qtbot, window)
    _type(qtbot, panel, "zanzibar")
    assert _rows(panel) == [f"{window.current_document.title} · note · alice: "
                            "ask the Zanzibar desk"]
    panel.results.itemActivated.emit(panel.results.item(0))      # double-click or Enter
    current = window.current_claim()
    assert current is not None and current.id == claim_id
    # The analyst filter knows alice; another status leaves nothing.
    assert panel.analyst.findData("alice") > 0
    panel.analyst.setCurrentIndex(panel.analyst.findData("alice"))
    assert len(_rows(panel)) == 1
    panel.status.setCurrentIndex(panel.status.findData("done"))
    assert _rows(panel) == [] and panel.count.text() == "0 results"
    panel.since.setText("2001-02-30")
    assert panel.search() == [] and "not a date" in panel.count.text()


@pytest.mark.parametrize("query", ['"', "a AND (b", "%*", "NEAR(", "東京", "\U0001F1FA"])
def test_hostile_queries_show_a_count(qtbot, window: MainWindow, query: str) -> None:  # type: ignore[no-untyped-def]
    panel = _panel(qtbot, window)
    panel.field.setText(query)          # QTest cannot type astral characters
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert panel.count.text().endswith(("result", "results"))


def test_gold_hits_show_the_gold_layer_and_select_the_gold_claim(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    text = open_document_containing(window, "hedge fund")
    claim = window.service.claim(mark_quote(window, text, "hedge fund"))
    decision = adjudicate(Decision.EDIT, [claim], adjudicator="reviewer", span_from=claim,
                          edited=claim.edited(note="gold: ask the Madagascar desk"))
    ReviewService(window.service).add_adjudication(decision)
    assert decision.gold is not None
    other = next(d.id for d in window.service.documents()
                 if d.id != window.current_document.id)
    window.reveal_document(other)
    panel = _panel(qtbot, window)
    _type(qtbot, panel, "madagascar")
    assert panel.search() == []                    # the analysts' claims: not there
    panel.layer.setCurrentIndex(panel.layer.findData("gold"))
    title = window.service.document(claim.document_id).title
    assert _rows(panel) == [f"{title} · note · gold · reviewer: gold: ask the Madagascar desk"]
    panel.results.itemActivated.emit(panel.results.item(0))
    assert window.review.gold_shown and window.review.gold_action.isChecked()
    current = window.current_claim()
    assert current is not None and current.id == decision.gold.id
    assert text[current.start:current.end] == "hedge fund"
    window.grab().save("/tmp/searchscale_gold_jump.png")
    # Both layers: the analyst's quote hit hides the gold layer and selects her claim.
    panel.layer.setCurrentIndex(panel.layer.findData("all"))
    _type(qtbot, panel, "hedge fund")
    rows = [panel.results.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(panel.results.count())]
    assert {(r.kind, r.claim_id) for r in rows if r.claim_id} >= {
        ("analyst", claim.id), ("gold", decision.gold.id)}
    index = next(n for n, r in enumerate(rows) if r.claim_id == claim.id)
    panel.results.itemActivated.emit(panel.results.item(index))
    assert not window.review.gold_shown
    current = window.current_claim()
    assert current is not None and current.id == claim.id
