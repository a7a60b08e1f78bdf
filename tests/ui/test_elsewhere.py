"""The Elsewhere panel and the evidence board on the real main window and a real
project: confirming and dismissing similar passages, evidence links, the
suggested credibility, each one undo step; the board saved as CSV and PNG."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from annotator.services import links, similar
from annotator.ui.main_window import MainWindow
from tests.services.test_links import ARTICLE_LOSS, MERICS_LOSS, REPORT_LOSS
from tests.ui.conftest import mark_quote, open_document_containing, stored_claim

LOSS = "Nvidia lost about USD 600 billion of market value in one day"


def _claim_in(window: MainWindow, quote: str, **fields: object) -> str:
    text = open_document_containing(window, quote)
    claim_id = mark_quote(window, text, quote)
    for name, value in fields.items():
        window.edit_current_claim(name, value)
    return claim_id


def _panel(qtbot, window: MainWindow, claim_id: str):  # type: ignore[no-untyped-def]
    """Ctrl+L on the current claim: the dock shows it, the keyboard is in it."""
    assert window.current_claim().id == claim_id  # type: ignore[union-attr]
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    panel = window.elsewhere.panel
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.claim.id == claim_id)
    assert window.elsewhere.dock.isVisible()
    _refreshed(qtbot, window)
    return panel


def _refreshed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The panel has read the claim again and found its similar passages."""
    panel = window.elsewhere.panel
    qtbot.waitUntil(lambda: not window.elsewhere._timer.isActive()
                    and not panel.candidates_title.text().endswith("looking…"), timeout=10000)


def test_confirming_unlabelled_text_makes_a_linked_claim_in_one_step(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    claim_id = _claim_in(window, MERICS_LOSS, proposition=LOSS, stance="supports")
    panel = _panel(qtbot, window, claim_id)
    tree = panel.candidates
    row = next(i for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole).candidate.claim_id
               is None)
    candidate = tree.topLevelItem(row).data(0, Qt.ItemDataRole.UserRole).candidate
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(row))
    steps = window.undo_stack.count()
    qtbot.keyClick(tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert window.undo_stack.count() == steps + 1              # claim + link: one step
    [link] = links.all_links(window.service)
    assert (link.claim_id, link.relation, link.analyst) == (claim_id, "same", "alice")
    new = stored_claim(window, link.target_id)
    assert (new.document_id, new.start, new.end, new.quote) == (
        candidate.document_id, candidate.start, candidate.end, candidate.quote)
    assert (new.annotator, new.proposition, new.stance) == ("alice", LOSS, "supports")
    assert new.info_credibility is None and new.source_id is None
    _refreshed(qtbot, window)
    assert panel.cluster.topLevelItemCount() == 2
    shown = [panel.candidates.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole).candidate
             for i in range(panel.candidates.topLevelItemCount())]
    assert all(c.claim_id != new.id for c in shown)            # confirmed: no longer offered

    window.undo_stack.undo()
    assert links.all_links(window.service, live_only=False) == []
    assert all(c.claim_id != new.id for c in window.service.claims(candidate.document_id))
    window.undo_stack.redo()
    assert links.all_links(window.service) == [link]
    assert stored_claim(window, new.id).quote == candidate.quote
    _refreshed(qtbot, window)
    assert panel.cluster.topLevelItemCount() == 2


def test_confirming_a_claim_links_it_and_dismissing_is_remembered(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    other = _claim_in(window, ARTICLE_LOSS, proposition=LOSS)
    claim_id = _claim_in(window, MERICS_LOSS, proposition=LOSS)
    panel = _panel(qtbot, window, claim_id)
    rows = {panel.candidates.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole).candidate
            .claim_id: i for i in range(panel.candidates.topLevelItemCount())}
    assert other in rows
    panel.candidates.setCurrentItem(panel.candidates.topLevelItem(rows[other]))
    count = window.service.claim_count()
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert window.service.claim_count() == count                # no new claim
    [link] = links.all_links(window.service)
    assert {link.claim_id, link.target_id} == {claim_id, other}
    _refreshed(qtbot, window)

    tree = panel.candidates
    first = tree.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole).candidate
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    place = (first.document_id, first.start, first.end)
    assert [(d.document_id, d.start, d.end) for d in similar.dismissals(
        window.service, claim_id)] == [place]
    _refreshed(qtbot, window)
    offered = [tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole).candidate
               for i in range(tree.topLevelItemCount())]
    assert place not in {(c.document_id, c.start, c.end) for c in offered}
    window.undo_stack.undo()
    assert similar.dismissals(window.service, claim_id) == []
    window.undo_stack.undo()
    assert links.all_links(window.service) == []
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert len(links.all_links(window.service)) == 1
    assert len(similar.dismissals(window.service, claim_id)) == 1


def test_evidence_links_are_shown_both_ways_and_undone(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    evidence = _claim_in(window, REPORT_LOSS)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)        # remember as evidence
    assert "Evidence remembered" in window.elsewhere.panel.link_source.text()
    claim_id = _claim_in(window, MERICS_LOSS)
    panel = _panel(qtbot, window, claim_id)
    assert panel.relation_buttons["refutes"].isEnabled()
    qtbot.mouseClick(panel.relation_buttons["refutes"], Qt.MouseButton.LeftButton)
    [link] = links.all_links(window.service)
    assert (link.claim_id, link.target_id, link.relation) == (claim_id, evidence, "refutes")
    _refreshed(qtbot, window)
    assert panel.links.topLevelItem(0).text(0).startswith("Refutes this: ")

    window.reveal_claim(stored_claim(window, evidence).document_id, evidence)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.claim.id == evidence)
    _refreshed(qtbot, window)
    assert panel.links.topLevelItem(0).text(0).startswith("This refutes it: ")
    panel.links.setFocus()
    panel.links.setCurrentItem(panel.links.topLevelItem(0))
    qtbot.keyClick(panel.links, Qt.Key.Key_Delete)             # unlink
    assert links.all_links(window.service) == []
    window.undo_stack.undo()
    assert links.all_links(window.service) == [link]           # as it was
    window.undo_stack.undo()                                    # the link itself
    assert links.all_links(window.service) == []


def test_the_suggested_credibility_is_applied_only_when_asked(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    a = _claim_in(window, ARTICLE_LOSS, info_credibility=4)
    b = _claim_in(window, REPORT_LOSS)
    c = _claim_in(window, MERICS_LOSS, info_credibility=3)
    for other in (a, b):
        links.add_link(window.service, c, other, "same", analyst="alice")
    panel = _panel(qtbot, window, c)
    assert panel.view.corroboration == 3 and panel.view.suggested == 1
    assert "1 – Confirmed by other sources (now 3)" in panel.suggestion.text()
    assert stored_claim(window, c).info_credibility == 3        # suggested, not set
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert stored_claim(window, c).info_credibility == 1
    assert stored_claim(window, a).info_credibility == 4        # only the current claim
    _refreshed(qtbot, window)
    assert not panel.apply_button.isEnabled()
    window.undo_stack.undo()
    assert stored_claim(window, c).info_credibility == 3


def test_the_board_saves_csv_and_a_picture(qtbot, window: MainWindow, tmp_path: Path,
                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a = _claim_in(window, MERICS_LOSS, proposition=LOSS, stance="supports")
    b = _claim_in(window, ARTICLE_LOSS, proposition=LOSS, stance="refutes")
    links.add_link(window.service, a, b, "same", analyst="alice")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.evidence_board
    qtbot.waitExposed(dialog)
    assert dialog.propositions.currentText() == LOSS              # the current claim's
    groups = {dialog.tree.topLevelItem(i).text(0): dialog.tree.topLevelItem(i).childCount()
              for i in range(dialog.tree.topLevelItemCount())}
    assert groups["Supports — 1 claim"] == 1 and groups["Refutes — 1 claim"] == 1

    target = tmp_path / "board"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kw: (str(target), "CSV (*.csv)"))
    qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    raw = (tmp_path / "board.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                        # for spreadsheets
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [(r["stance"], r["corroboration"], r["claim_id"]) for r in rows] == [
        ("Supports", "2", a), ("Refutes", "2", b)]
    assert "589 billion vs USD 600 billion" in rows[0]["conflicts"]

    qtbot.mouseClick(dialog.picture_button, Qt.MouseButton.LeftButton)
    image = QImage(str(tmp_path / "board.png"))
    assert not image.isNull() and image.width() > 1000 and image.height() > 100
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 10                                     # drawn, not blank

    # Enter on a row opens its claim in the window.
    item = dialog.tree.topLevelItem(1).child(0)
    dialog.tree.setCurrentItem(item)
    dialog.tree.itemActivated.emit(item, 0)
    assert window.current_claim().id == b  # type: ignore[union-attr]
    dialog.close()


def test_figures_that_disagree_in_the_cluster_and_the_proposition(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    same = _claim_in(window, ARTICLE_LOSS)                  # "$600 billion", linked
    _claim_in(window, REPORT_LOSS, proposition=LOSS)         # "$600 billion", same proposition
    _claim_in(window, "Nvidia shares fell 17%", proposition="Another proposition")
    claim_id = _claim_in(window, MERICS_LOSS, proposition=LOSS)   # "USD 589 billion"
    links.add_link(window.service, claim_id, same, "same", analyst="alice")
    panel = _panel(qtbot, window, claim_id)
    rows = [panel.figures.topLevelItem(i).text(0)
            for i in range(panel.figures.topLevelItemCount())]
    assert len(rows) == 2 and panel.figures_title.text() == "Figures that disagree: 2"
    assert all("589 billion" in row and "600 billion" in row for row in rows)
    places = {row.split("\n")[1] for row in rows}
    assert any("Chinese" in p for p in places) and any("China’s shocking" in p for p in places)


def test_enter_on_an_appearance_opens_it_and_esc_returns_to_the_text(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    other = _claim_in(window, ARTICLE_LOSS)
    claim_id = _claim_in(window, MERICS_LOSS)
    links.add_link(window.service, claim_id, other, "same", analyst="alice")
    panel = _panel(qtbot, window, claim_id)
    tree = panel.cluster
    row = next(i for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole).claim.id == other)
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(row))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.current_claim().id == other  # type: ignore[union-attr]
    assert window.current_document.id == stored_claim(window, other).document_id
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.claim.id == other)
    panel.cluster.setFocus()
    qtbot.keyClick(panel.cluster, Qt.Key.Key_Escape)
    assert window.view.hasFocus()


def test_deleting_an_appearance_updates_the_panel(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    claim_id = _claim_in(window, MERICS_LOSS)
    other = _claim_in(window, MERICS_LOSS.replace("lost ", ""))   # in the same document
    links.add_link(window.service, claim_id, other, "same", analyst="alice")
    window.select_claim(claim_id)
    panel = _panel(qtbot, window, claim_id)
    assert panel.cluster.topLevelItemCount() == 2
    window.select_claim(other)
    window.delete_current_claim()
    window.select_claim(claim_id)
    _refreshed(qtbot, window)
    assert panel.cluster.topLevelItemCount() == 1
    window.undo_stack.undo()                                   # the claim and its link back
    window.select_claim(claim_id)
    qtbot.waitUntil(lambda: panel.cluster.topLevelItemCount() == 2)


def test_a_claim_deleted_while_its_similar_passages_are_looked_for(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The worker finds the claim gone (Delete pressed as the search starts): no
    passages, no error (found by tests/ui/test_links_stateful.py)."""
    claim_id = _claim_in(window, MERICS_LOSS)
    panel = _panel(qtbot, window, claim_id)
    view = window.elsewhere.view_of(stored_claim(window, claim_id))
    window.delete_current_claim()
    _refreshed(qtbot, window)
    with qtbot.capture_exceptions() as exceptions:
        panel.show_view(view, looking=True)
        window.elsewhere._look_for_similar(window.service.location, view)
        qtbot.waitUntil(lambda: not panel.candidates_title.text().endswith("looking…"))
    assert exceptions == []
    assert panel.candidates.topLevelItemCount() == 0


def test_linking_a_remembered_claim_deleted_since_says_so(
        qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Not a "Change not saved: no claim <id>" error: a message, no link, no step
    (found by tests/ui/test_links_stateful.py); undoing the deletion makes it linkable."""
    from annotator.ui import plain

    failures: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: failures.append(text))
    evidence = _claim_in(window, REPORT_LOSS)
    window.elsewhere.remember()
    window.delete_current_claim()
    claim_id = _claim_in(window, MERICS_LOSS)
    panel = _panel(qtbot, window, claim_id)
    steps = window.undo_stack.count()
    qtbot.mouseClick(panel.relation_buttons["supports"], Qt.MouseButton.LeftButton)
    assert failures == [] and links.all_links(window.service, live_only=False) == []
    assert window.undo_stack.count() == steps
    assert "deleted" in window.statusBar().currentMessage()
    window.undo_stack.undo()                                  # the mark
    window.undo_stack.undo()                                  # the deletion
    assert stored_claim(window, evidence).quote == REPORT_LOSS
    claim_id = _claim_in(window, MERICS_LOSS)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.claim.id == claim_id)
    qtbot.mouseClick(panel.relation_buttons["supports"], Qt.MouseButton.LeftButton)
    [link] = links.all_links(window.service)
    assert (link.claim_id, link.target_id, link.relation) == (claim_id, evidence, "supports")
    assert failures == []
