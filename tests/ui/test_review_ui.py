"""Review in the window, on a real project file: compare two analysts, walk their
disagreements, decide (accept, merge, edit, reject) into the gold layer, undo and
redo every step, review status, the agreement panel, and review comments.

Every step is checked against a separate connection to the file, and the
analysts' claims must stay byte-identical in the database throughout.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain.codebook import Dimension
from annotator.domain.review import Adjudication, Decision, ReviewStatus
from annotator.review import Matching, agreement_report, compare
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.ui.agreement_panel import CORPUS, DOCUMENT, UNDEFINED
from annotator.ui.main_window import MainWindow
from annotator.ui.review_dialogs import CommentDialog, GoldClaimDialog, MergeDialog
from annotator.ui.review_panel import FILTERS
from tests.review.scenario import (
    BOB_ONLY,
    CNY,
    H800,
    LOSS,
    LOSS_BOB,
    NASDAQ,
    TwoAnalysts,
    add_two_analysts,
)
from tests.ui.tooltips import tooltip_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALICE_ONLY_START = "Developed by a team of fresh graduates"


# Fixtures and helpers ------------------------------------------------------------------

@pytest.fixture
def work(window: MainWindow) -> TwoAnalysts:
    """alice's and bob's claims (tests/review/scenario.py) on the MERICS briefing,
    open in the window; carol reviews."""
    assert window.service is not None
    work = add_two_analysts(window.service)
    window.documents.set_documents(window.service.documents())
    window.reveal_document(work.document.id)
    window.show_document(work.document.id)
    window.settings.set_annotator_name("carol")
    return work


@pytest.fixture
def review(window: MainWindow, work: TwoAnalysts) -> MainWindow:
    """The window in review mode (Review › Compare Analysts)."""
    window.review.compare_action.trigger()
    assert window.review.active
    return window


def path_of(window: MainWindow) -> Path:
    assert window.service is not None
    return Path(window.service.location)


def analysts_rows(window: MainWindow) -> list[tuple]:
    """The analysts' claims, every column, as the file holds them."""
    with sqlite3.connect(path_of(window)) as connection:
        return connection.execute("SELECT * FROM claims ORDER BY id").fetchall()


class OnDisk:
    """What a fresh connection to the project file sees of the review."""

    def __init__(self, window: MainWindow) -> None:
        self.path = path_of(window)

    def __enter__(self) -> ReviewService:
        self.project = ProjectService.open(self.path)
        return ReviewService(self.project)

    def __exit__(self, *_exc: object) -> None:
        self.project.close()


def decisions(window: MainWindow, document_id: str) -> list[Adjudication]:
    with OnDisk(window) as service:
        return service.adjudications(document_id)


def status_on_disk(window: MainWindow, document_id: str) -> ReviewStatus:
    with OnDisk(window) as service:
        return service.review_status(document_id)


def select_unit(window: MainWindow, quote: str) -> None:
    """Click the units table row whose span starts with ``quote``'s first words."""
    panel = window.review.compare_panel
    assert panel is not None
    panel.set_filter_key("all")
    for row in range(panel.units.rowCount()):
        unit = panel.units.unit_at(row)
        if any(c.quote == quote for c in unit.claims.values()):
            panel.table.selectRow(row)
            assert window.review.current_unit is unit
            return
    raise AssertionError(f"no unit with {quote!r}")


def column(window: MainWindow, name: str) -> list[str]:
    panel = window.review.compare_panel
    assert panel is not None
    model = panel.units
    index = model.HEADERS.index(name)
    return [model.data(model.index(row, index)) for row in range(model.rowCount())]


# Compare view ---------------------------------------------------------------------------

def test_compare_view_lists_units_by_coverage_and_disagreement(qtbot, review: MainWindow,
                                                               work: TwoAnalysts) -> None:
    window = review
    assert window.review.compare_dock is not None and window.review.agreement_dock is not None
    assert window.review.compare_dock.isVisible() and window.review.agreement_dock.isVisible()
    panel = window.review.compare_panel
    assert panel is not None
    assert panel.chosen_analysts() == ("alice", "bob")
    # Six units in text order: NASDAQ, ALICE_ONLY, BOB_ONLY, H800, LOSS, CNY.
    spans = column(window, "Span")
    assert len(spans) == 6
    assert spans[0].startswith("The Nasdaq") and spans[1].startswith(ALICE_ONLY_START)
    assert column(window, "Coverage") == ["All", "One only", "One only", "All", "All", "All"]
    assert column(window, "Analysts") == ["alice, bob", "alice", "bob", "alice, bob",
                                          "alice, bob", "alice, bob"]
    assert column(window, "Disagreements") == ["", "", "", "stance", "span",
                                               "source reliability"]
    assert column(window, "Decision") == ["—"] * 6
    # bob's LOSS starts two words later: the unit covers both spans.
    assert spans[4].startswith("the world’s leading") and LOSS in window.review.units()[4] \
        .claims["alice"].quote

    counts = {}
    for key, _name in FILTERS:
        panel.set_filter_key(key)
        counts[key] = panel.units.rowCount()
    assert counts == {"all": 6, "differences": 5, "by_all": 4, "by_some": 0, "by_one": 2,
                      "labels": 2, "undecided": 6}
    panel.set_filter_key("labels")
    assert [window.review.units()[3].claims["alice"].quote, CNY] == [
        panel.units.unit_at(r).claims["alice"].quote for r in range(2)]

    # The viewer overlays both analysts, one colour each.
    colour = window.view._colouring
    alice, bob = work.alice["H800"], work.bob["H800"]
    assert colour(alice) != colour(bob)
    assert colour(alice) == colour(work.alice["NASDAQ"])
    assert set(window.view.visible_claim_ids()) == {
        c.id for c in [*work.alice.values(), *work.bob.values()]}


def test_choosing_analysts_and_matching(qtbot, review: MainWindow, work: TwoAnalysts) -> None:
    window = review
    assert window.service is not None
    dave = dataclasses.replace(work.alice["NASDAQ"], id="dave-nasdaq", annotator="dave")
    window.service.add_claim(dave)
    window.show_document(work.document.id)
    window.review.refresh()
    panel = window.review.compare_panel
    assert panel is not None
    assert panel.chosen_analysts() == ("alice", "bob", "dave")
    assert column(window, "Coverage")[0] == "All"
    assert column(window, "Coverage")[3] == "Some (2 of 3)"
    assert [a.text() for a in window.review.accept_actions()] == [
        "Accept alice", "Accept bob", "Accept dave"]

    panel.analysts.item(2).setCheckState(Qt.CheckState.Unchecked)     # as a click does
    assert panel.chosen_analysts() == ("alice", "bob")
    assert dave.id not in window.view.visible_claim_ids()
    assert column(window, "Coverage")[3] == "All"
    assert [a.shortcut().toString() for a in window.review.accept_actions()] == [
        "Ctrl+1", "Ctrl+2"]

    # Exact matching splits LOSS into two one-analyst units (debounced recompute).
    panel.measure.setCurrentIndex(panel.measure.findData("exact"))
    qtbot.waitUntil(lambda: len(column(window, "Span")) == 7)
    assert not panel.threshold.isEnabled()
    assert window.review.matching == Matching("exact", 1.0)
    panel.measure.setCurrentIndex(panel.measure.findData("jaccard"))
    panel.threshold.setValue(0.95)          # LOSS overlaps about 0.84: two units again
    qtbot.waitUntil(lambda: window.review.matching == Matching("jaccard", 0.95))
    qtbot.waitUntil(lambda: len(column(window, "Span")) == 7)
    panel.set_chosen(["alice"])
    assert panel.units.rowCount() == 0 and "two or more" in panel.hint.text()
    assert window.review.agreement_panel is not None
    assert window.review.agreement_panel.model.rowCount() == 0


def test_f8_walks_disagreements_in_text_order(qtbot, review: MainWindow,
                                              work: TwoAnalysts) -> None:
    window = review
    view = window.view
    view.setFocus()
    expected = [ALICE_ONLY_START, BOB_ONLY, H800, LOSS, CNY]
    seen = []
    for _ in expected:
        qtbot.keyClick(view, Qt.Key.Key_F8)
        unit = window.review.current_unit
        assert unit is not None
        # The unit is selected in the viewer (its first analyst's claim, revealed)...
        assert view.current_claim_id in {c.id for c in unit.claims.values()}
        # ... and in the units table.
        panel = window.review.compare_panel
        assert panel is not None and panel.current_unit() is unit
        seen.append(next(iter(unit.claims.values())).quote)
    assert [q.startswith(e) for q, e in zip(seen, expected, strict=True)] == [True] * 5
    assert "5 of 5" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key.Key_F8)                     # wraps to the first
    assert window.review.current_unit.claims["alice"].quote.startswith(ALICE_ONLY_START)
    qtbot.keyClick(view, Qt.Key.Key_F8, SHIFT)              # and back
    assert window.review.current_unit.claims["alice"].quote == CNY
    qtbot.keyClick(view, Qt.Key.Key_BracketLeft)            # [ : previous
    assert window.review.current_unit.claims["bob"].quote == LOSS_BOB
    qtbot.keyClick(view, Qt.Key.Key_BracketRight)           # ] : next
    assert window.review.current_unit.claims["alice"].quote == CNY
    # Only the undecided ones when the table shows only those.
    window.review.compare_panel.set_filter_key("labels")
    qtbot.keyClick(view, Qt.Key.Key_F8)
    assert window.review.current_unit.claims["alice"].quote == H800
    # Clicking a highlight selects its unit.
    window.review.compare_panel.set_filter_key("all")
    view.claim_clicked.emit(work.bob["BOB_ONLY"].id)
    assert window.review.current_unit.claims["bob"].quote == BOB_ONLY


def test_f8_starts_review_mode_and_is_listed(qtbot, window: MainWindow,
                                             work: TwoAnalysts) -> None:
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F8)
    assert window.review.active and window.review.current_unit is not None
    rows = window.shortcut_rows()
    keys = {(key, what) for _group, key, what in rows}
    assert ("F8", "Next Disagreement") in keys and ("Shift+F8", "Previous Disagreement") in keys
    assert ("]", "Next disagreement between analysts (review)") in keys
    assert ("Ctrl+1", "Accept alice") in keys and ("Ctrl+0", "Reject") in keys
    shortcuts = [s.toString() for a in window.menu_actions() for s in a.shortcuts()
                 if not s.isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)), "two menu actions share a shortcut"
    window.review.compare_action.trigger()                  # leave review mode
    assert not window.review.active and not window.review.compare_dock.isVisible()
    assert window.claim_table.isVisible()
    assert window.view._colouring(work.alice["H800"]) != window.view._colouring(
        work.bob["H800"])                                     # stance colours again


def test_analysts_claims_are_read_only_while_comparing(qtbot, review: MainWindow,
                                                       work: TwoAnalysts) -> None:
    window = review
    window.settings.set_annotator_name("alice")     # even alice's own claims
    before = analysts_rows(window)
    select_unit(window, NASDAQ)
    assert window.current_claim().id == work.alice["NASDAQ"].id
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_2)           # would label stance "refutes"
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert "read-only" in window.statusBar().currentMessage()
    start = work.document.text.index("shocked the tech world")
    window.view.select_span(start, start + 22)
    assert window.mark_claim() is None
    assert analysts_rows(window) == before
    assert not window.editor.combos[Dimension.STANCE].isEnabled()


# Decisions -------------------------------------------------------------------------------

def test_accept_merge_reject_undo_redo(qtbot, review: MainWindow, work: TwoAnalysts) -> None:
    window = review
    doc = work.document.id
    a, b = work.alice, work.bob
    before = analysts_rows(window)
    window.view.setFocus()

    select_unit(window, H800)
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL)       # Accept bob
    (accepted,) = decisions(window, doc)
    assert accepted.decision is Decision.ACCEPT and accepted.adjudicator == "carol"
    assert accepted.considered == (a["H800"].id, b["H800"].id)
    assert accepted.span_from == accepted.labels_from == b["H800"].id
    assert accepted.gold is not None and accepted.gold.stance == "refutes"
    assert accepted.gold.annotator == "carol" and accepted.gold.quote == H800
    assert accepted.gold.id not in {c.id for c in [*a.values(), *b.values()]}
    assert column(window, "Decision")[3] == "Accepted bob"
    assert status_on_disk(window, doc) is ReviewStatus.IN_REVIEW     # first decision
    assert window.review.compare_panel.status.currentData() == "in_review"

    select_unit(window, LOSS)
    merged = window.review.decisions.merge("bob", "alice")
    assert merged is not None
    stored = {d.id: d for d in decisions(window, doc)}[merged.id]
    assert stored.decision is Decision.MERGE
    assert (stored.span_from, stored.labels_from) == (b["LOSS"].id, a["LOSS"].id)
    assert stored.gold.quote == LOSS_BOB and stored.gold.stance == a["LOSS"].stance
    assert column(window, "Decision")[4] == "Merged (span bob, labels alice)"

    select_unit(window, BOB_ONLY)
    qtbot.keyClick(window.view, Qt.Key.Key_0, CTRL)       # Reject
    assert {d.decision for d in decisions(window, doc)} == {Decision.ACCEPT, Decision.MERGE,
                                                            Decision.REJECT}
    rejected = next(d for d in decisions(window, doc) if d.decision is Decision.REJECT)
    assert rejected.gold is None and rejected.considered == (b["BOB_ONLY"].id,)
    with OnDisk(window) as service:
        assert [g.quote for g in service.gold_claims(doc)] == [H800, LOSS_BOB]
    assert analysts_rows(window) == before

    # A decided unit cannot be decided again until the decision is taken back.
    assert not window.review.decisions.reject_action.isEnabled()
    assert window.review.decisions.take_back_action.isEnabled()

    snapshots = [decisions(window, doc)]
    for expected in (2, 1, 0):
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
        snapshots.append(decisions(window, doc))
        assert len(snapshots[-1]) == expected
        assert analysts_rows(window) == before
    assert status_on_disk(window, doc) is ReviewStatus.UNREVIEWED
    assert column(window, "Decision") == ["—"] * 6
    for expected in (1, 2, 3):
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | SHIFT)
        assert decisions(window, doc) == snapshots[3 - expected]     # exactly as before
        assert analysts_rows(window) == before
    assert status_on_disk(window, doc) is ReviewStatus.IN_REVIEW


def test_edit_decision_and_the_gold_layer(qtbot, review: MainWindow, work: TwoAnalysts) -> None:
    window = review
    doc = work.document.id
    a, b = work.alice, work.bob
    before = analysts_rows(window)
    select_unit(window, CNY)
    edited = dataclasses.replace(a["CNY"], source_reliability="A", note="checked")
    made = window.review.decisions.edit_decision(edited, span_from="alice", labels_from="bob")
    assert made is not None
    (stored,) = decisions(window, doc)
    assert stored.decision is Decision.EDIT and stored.span_from == a["CNY"].id
    assert stored.labels_from == b["CNY"].id
    assert stored.gold.source_reliability == "A" and stored.gold.note == "checked"
    assert stored.gold.annotator == "carol" and stored.gold.id != a["CNY"].id
    select_unit(window, NASDAQ)
    window.review.decisions.accept("alice")

    # The gold layer: the viewer and the claims table show the gold claims only.
    window.review.gold_action.trigger()
    gold_ids = {d.gold.id for d in decisions(window, doc)}
    assert set(window.view.claim_ids()) == gold_ids
    assert {window.claims.claim_at(r).id for r in range(window.claims.rowCount())} == gold_ids
    # Selecting a decided unit selects its gold claim; keys edit the gold claim.
    select_unit(window, CNY)
    assert window.view.current_claim_id == stored.gold.id
    assert window.editor.combos[Dimension.STANCE].isEnabled()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_2)             # stance: refutes
    with OnDisk(window) as service:
        assert service.gold_claim(stored.gold.id).stance == "refutes"
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    with OnDisk(window) as service:
        moved = service.gold_claim(stored.gold.id)
    assert moved.end == stored.gold.end + 1 and moved.quote == work.document.text[
        moved.start:moved.end]
    assert analysts_rows(window) == before
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    with OnDisk(window) as service:
        assert service.gold_claim(stored.gold.id) == stored.gold
    # Edit Gold Claim… (here without its dialog) is one undo step too.
    window.review.decisions.edit_gold(dataclasses.replace(stored.gold, claim_type="prediction"))
    with OnDisk(window) as service:
        assert service.gold_claim(stored.gold.id).claim_type == "prediction"
    window.undo_stack.undo()
    with OnDisk(window) as service:
        assert service.gold_claim(stored.gold.id) == stored.gold

    # Delete on a gold claim takes its decision back (undoable).
    window.select_claim(stored.gold.id)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert stored.id not in {d.id for d in decisions(window, doc)}
    assert stored.gold.id not in window.view.claim_ids()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert stored.id in {d.id for d in decisions(window, doc)}
    assert stored.gold.id in window.view.claim_ids()
    # Enter does not mark a claim on the gold layer.
    window.view.select_span(0, 10)
    assert window.mark_claim() is None

    window.review.gold_action.trigger()                   # back to the analysts
    assert set(window.view.claim_ids()) == {c.id for c in [*a.values(), *b.values()]}
    assert analysts_rows(window) == before


def test_accept_agreed_units_is_one_step(qtbot, review: MainWindow, work: TwoAnalysts) -> None:
    window = review
    doc = work.document.id
    assert window.review.decisions.accept_agreed() == 1            # only NASDAQ is agreed
    (made,) = decisions(window, doc)
    assert made.gold.quote == NASDAQ
    assert not window.review.decisions.accept_agreed_action.isEnabled()
    window.undo_stack.undo()
    assert decisions(window, doc) == []


def test_dialogs_build_the_decision(qtbot, review: MainWindow, work: TwoAnalysts) -> None:
    window = review
    unit = next(u for u in window.review.units() if LOSS_BOB in
                [c.quote for c in u.claims.values()])
    merge = MergeDialog(unit, window.codebook, window)
    qtbot.addWidget(merge)
    ok = merge.buttons.button(QDialogButtonBox.StandardButton.Ok)
    merge.set_choice("alice", "alice")
    assert not ok.isEnabled()
    merge.set_choice("bob", "alice")
    assert ok.isEnabled() and merge.choice() == ("bob", "alice")

    text = work.document.text
    dialog = GoldClaimDialog(window.codebook, text, claims=unit.claims, parent=window)
    qtbot.addWidget(dialog)
    dialog.set_span_choice("overlap")
    dialog.set_base("bob")
    dialog.set_label(Dimension.STANCE, "neutral")
    claim = dialog.claim()
    assert claim.quote == LOSS_BOB and claim.stance == "neutral"
    assert dialog.span_from() is None and dialog.labels_from() is unit.claims["bob"]
    dialog.set_span_choice("union")
    assert dialog.claim().quote == LOSS

    deleted = []
    comments = CommentDialog(unit.claims, "carol", lambda _id: [], deleted.append,
                             parent=window)
    qtbot.addWidget(comments)
    assert not comments.ok.isEnabled()
    comments.body.setPlainText("Where does the figure come from?")
    assert comments.ok.isEnabled() and comments.claim_id() == unit.claims["alice"].id


# Review status, agreement, comments ----------------------------------------------------------

def test_review_status_changes_persist(qtbot, review: MainWindow, work: TwoAnalysts) -> None:
    window = review
    doc = work.document.id
    panel = window.review.compare_panel
    assert panel is not None and panel.status.currentData() == "unreviewed"
    window.review.decisions.status_actions[ReviewStatus.ADJUDICATED].trigger()
    assert status_on_disk(window, doc) is ReviewStatus.ADJUDICATED
    assert panel.status.currentData() == "adjudicated"
    panel.status.setCurrentIndex(panel.status.findData("in_review"))
    panel.status.activated.emit(panel.status.currentIndex())
    assert status_on_disk(window, doc) is ReviewStatus.IN_REVIEW
    assert window.review.decisions.status_actions[ReviewStatus.IN_REVIEW].isChecked()
    window.undo_stack.undo()
    assert status_on_disk(window, doc) is ReviewStatus.ADJUDICATED
    window.undo_stack.redo()
    path = path_of(window)
    window.close()                                      # closes the project file
    reopened = ProjectService.open(path)
    try:
        assert ReviewService(reopened).review_status(doc) is ReviewStatus.IN_REVIEW
    finally:
        reopened.close()


def test_agreement_panel_shows_the_reports_figures(qtbot, review: MainWindow,
                                                   work: TwoAnalysts) -> None:
    window = review
    panel = window.review.agreement_panel
    assert panel is not None
    # Computed independently on the same claims, read from the file.
    with OnDisk(window) as service:
        claims = [c for d in service.project.documents() for c in service.project.claims(d.id)]
        codebook = CodebookService(service.database).codebook()
    expected = agreement_report(compare(claims, ["alice", "bob"], Matching("jaccard", 0.5)),
                                codebook)
    document = next(d for d in expected["documents"] if d["document_id"] == work.document.id)

    def figures(scope: str) -> dict[str, tuple[str, str]]:
        panel.set_scope(scope)
        model = panel.model
        return {model.cell(r, 0): (model.cell(r, 1), model.cell(r, 2))
                for r in range(model.rowCount())}

    for scope, section in ((DOCUMENT, document), (CORPUS, expected)):
        shown = figures(scope)
        stance = section["stance"]
        assert shown["Stance"] == (f"{stance['cohen_kappa']:.3f}",
                                   f"{stance['krippendorff_alpha']:.3f}")
        assert shown["Stance"][0] == "0.556"            # 5/9, as in the service test
        credibility = section["info_credibility"]
        assert credibility["krippendorff_alpha"] is None
        assert shown["Information credibility"] == (UNDEFINED, UNDEFINED)
    panel.set_scope(DOCUMENT)
    model = panel.model
    row = model.row_titles().index("Information credibility")
    assert tooltip_text(model.data(model.index(row, 2), Qt.ItemDataRole.ToolTipRole)) == \
        document["info_credibility"]["reasons"]["krippendorff_alpha"]
    spans = model.row_titles().index("Spans, exact")
    assert model.cell(spans, 3) == f"{document['spans']['exact']['precision']:.3f}"
    assert model.cell(spans + 1, 5) == f"{document['spans']['overlap']['f1']:.3f}"
    assert "6 units" in panel.summary.text()

    # A claim changed meanwhile (say, bob's edit undone) is recounted, debounced:
    # now both say supports, supports, supports, neutral.
    assert window.controller is not None
    window.controller.update_claim(dataclasses.replace(work.bob["H800"], stance="supports"))
    qtbot.waitUntil(lambda: figures(DOCUMENT)["Stance"] == ("1.000", "1.000"))


def test_a_comment_by_bob_is_shown_to_alice(qtbot, review: MainWindow,
                                            work: TwoAnalysts) -> None:
    window = review
    target = work.alice["H800"]
    window.settings.set_annotator_name("bob")
    select_unit(window, H800)
    made = window.review.decisions.comment(target.id, "Source says 2,048 chips")
    assert made is not None
    with OnDisk(window) as service:
        assert [(c.author, c.body) for c in service.comments(target.id)] == [
            ("bob", "Source says 2,048 chips")]
    assert window.review.compare_panel.details.item(
        window.review.compare_panel.details.rowCount() - 1, 0).text() == "1"
    window.undo_stack.undo()
    with OnDisk(window) as service:
        assert service.comments(target.id) == []
    window.undo_stack.redo()
    window.review.decisions.delete_comment(made)
    with OnDisk(window) as service:
        assert service.comments(target.id) == []
    window.undo_stack.undo()
    with OnDisk(window) as service:
        assert service.comments(target.id) == [made]

    # alice, labelling as usual, sees the comment on her claim.
    window.review.compare_action.trigger()
    window.identity.set_name("alice")        # her own claims are shown
    window.select_claim(target.id)
    assert window.editor.comments.isVisible()
    assert "bob" in window.editor.comments.text()
    assert "Source says 2,048 chips" in window.editor.comments.text()
    window.select_claim(work.alice["NASDAQ"].id)
    assert not window.editor.comments.isVisible()
    dialog = window.review.decisions.show_my_comments()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "Source says 2,048 chips"
    dialog.close()
