"""Two reviewers on one gold claim, in the window: an edit made on an older
version than the stored one is refused with both versions, the stored gold
claim is shown in its place and no undo step is recorded -- the path an
analyst's conflicting edit takes (tests/ui/test_live.py)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from annotator.domain.model import Claim
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.ui import plain
from annotator.ui.main_window import MainWindow
from tests.review.scenario import CNY, NASDAQ, add_two_analysts
from tests.ui.conftest import type_note
from tests.ui.test_review_ui import select_unit

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def review(window: MainWindow) -> MainWindow:
    """alice's and bob's claims on the MERICS briefing (tests/review/scenario.py),
    open in the window in review mode; carol reviews."""
    assert window.service is not None
    work = add_two_analysts(window.service)
    window.documents.set_documents(window.service.documents())
    window.reveal_document(work.document.id)
    window.settings.set_annotator_name("carol")
    window.review.compare_action.trigger()
    assert window.review.active
    return window


class Colleague:
    """Another reviewer's service on the window's project."""

    def __init__(self, window: MainWindow) -> None:
        assert window.service is not None
        self.project = ProjectService.open(window.service.location)
        self.review = ReviewService(self.project)

    def __enter__(self) -> ReviewService:
        return self.review

    def __exit__(self, *_exc: object) -> None:
        self.project.close()


def _failures(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: messages.append(text))
    return messages


def _gold_of(window: MainWindow, quote: str) -> Claim:
    """Accept alice's claim of the unit ``quote`` and return its gold claim."""
    select_unit(window, quote)
    made = window.review.decisions.accept("alice")
    assert made is not None and made.gold is not None
    return made.gold


def test_a_conflicting_gold_edit_shows_both_versions_and_the_stored_one(
        qtbot, review: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = review
    messages = _failures(monkeypatch)
    gold = _gold_of(window, NASDAQ)
    window.review.gold_action.trigger()
    select_unit(window, NASDAQ)
    assert window.view.current_claim_id == gold.id
    steps = window.undo_stack.count()
    with Colleague(window) as dave:
        dave.update_gold(dave.gold_claim(gold.id).edited(note="dave's note",
                                                        stance="neutral"))

    type_note(qtbot, window, "carol's note")

    assert len(messages) == 1
    message = messages[0]
    assert "this gold claim was changed meanwhile" in message and "version 2" in message
    assert "your edit was made on version 1" in message
    # Every field that differs, in both versions (carol's edit was made on the old
    # stance); the fields alike are left out.
    assert "Stored: stance: neutral; note: dave's note\n" in message
    assert "Yours: stance: supports; note: carol's note\n" in message
    assert "reliability" not in message
    with Colleague(window) as service:
        stored = service.gold_claim(gold.id)
    assert (stored.note, stored.stance, stored.version) == ("dave's note", "neutral", 2)
    # The stored version is shown in the viewer, the table and the panel; no step.
    shown = window.shown.claim(gold.id)
    assert shown is not None and (shown.note, shown.version) == ("dave's note", 2)
    assert window.view.current_claim_id == gold.id
    assert window.editor.note.toPlainText() == "dave's note"
    row = window.claims.row_of(gold.id)
    assert row is not None and window.claims.claim_at(row).stance == "neutral"
    assert window.undo_stack.count() == steps
    decision = next(d for d in window.review.adjudications if d.gold and d.gold.id == gold.id)
    assert decision.gold == stored

    # A key now acts on the stored version: saved, and undone, without a conflict.
    messages.clear()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_2)            # stance: refutes
    with Colleague(window) as service:
        saved = service.gold_claim(gold.id)
    assert (saved.stance, saved.note, saved.version) == ("refutes", "dave's note", 3)
    assert window.undo_stack.count() == steps + 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    with Colleague(window) as service:
        assert service.gold_claim(gold.id).stance == "neutral"
    assert messages == []


def test_an_undo_of_a_gold_edit_a_colleague_changed_since_is_refused(
        qtbot, review: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = review
    messages = _failures(monkeypatch)
    gold = _gold_of(window, NASDAQ)
    window.review.gold_action.trigger()
    select_unit(window, NASDAQ)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_2)            # stance: refutes (version 2)
    steps = window.undo_stack.count()
    with Colleague(window) as dave:
        dave.update_gold(dave.gold_claim(gold.id).edited(note="dave's"))
    window.undo_stack.undo()
    assert len(messages) == 1
    assert "Stored: stance: refutes; note: dave's\nYours: stance: supports; note: (none)" \
        in messages[0]
    with Colleague(window) as service:
        stored = service.gold_claim(gold.id)
    assert (stored.stance, stored.note, stored.version) == ("refutes", "dave's", 3)
    assert window.undo_stack.count() == steps - 1        # the step that failed is gone
    assert window.shown.claim(gold.id).note == "dave's"  # type: ignore[union-attr]


def test_edit_gold_claim_on_an_old_version_reloads_its_decision(
        qtbot, review: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Review › Edit Gold Claim… with the gold layer hidden: the refused edit
    leaves the decision holding the stored gold claim, so the next edit starts
    from it and is saved."""
    window = review
    messages = _failures(monkeypatch)
    _gold_of(window, CNY)
    select_unit(window, CNY)
    shown = window.review.decision_of(window.review.current_unit)  # type: ignore[arg-type]
    assert shown is not None and shown.gold is not None
    gold = shown.gold
    assert gold.version == 1
    steps = window.undo_stack.count()
    with Colleague(window) as dave:
        dave.update_gold(dave.gold_claim(gold.id).edited(source_reliability="A"))
    window.review.decisions.edit_gold(dataclasses.replace(gold, claim_type="prediction"))
    assert len(messages) == 1
    assert "Stored: claim type: quantity; source reliability: A\n" in messages[0]
    assert "Yours: claim type: prediction; source reliability: B\n" in messages[0]
    assert window.undo_stack.count() == steps
    decision = window.review.decision_of(window.review.current_unit)  # type: ignore[arg-type]
    assert decision is not None and decision.gold is not None
    assert (decision.gold.source_reliability, decision.gold.version) == ("A", 2)
    window.review.decisions.edit_gold(dataclasses.replace(decision.gold,
                                                          claim_type="prediction"))
    with Colleague(window) as service:
        stored = service.gold_claim(gold.id)
    assert (stored.source_reliability, stored.claim_type, stored.version) == (
        "A", "prediction", 3)
    assert len(messages) == 1 and window.undo_stack.count() == steps + 1
