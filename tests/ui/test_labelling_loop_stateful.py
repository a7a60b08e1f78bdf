"""The labelling loop as a state machine: Hypothesis drives the real window with
real key and mouse events through random sequences of selections, marks,
labels, span moves, drags, deletions, undo/redo, document switches and codebook
renames, over documents with emoji, CJK, Cyrillic and CRLF line endings and many
overlapping and nested claims. A plain reference model (tests/ui/loop_model.py,
written from notes/loop_spec.md) predicts each step; after every step the stored
claims (read through a separate connection), the current claim (viewer, claim
panel, claims table) and the mode must match it.

A failure prints the shortest sequence of steps Hypothesis found, as code
(``state.digit(d=1)`` ...); the run is derandomised, so it replays as is.
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.domain.codebook import Dimension, with_labels
from annotator.ui import plain
from annotator.ui.commands import ChangeCodebookCommand
from annotator.ui.main_window import MainWindow
from tests.ui import loop_support as support
from tests.ui.loop_model import MODES, Model, is_complete

pytestmark = pytest.mark.slow

SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier
K = Qt.Key

#: Examples x steps: at least 2,000 steps in one run.
#: 100 × 50 = 5,000 steps in CI (about a minute). ANNOTATOR_LOOP_EXAMPLES=1000
#: ANNOTATOR_LOOP_RANDOM=1 explores further with a random seed (Hypothesis prints the
#: failing steps, and @reproduce_failure, so a failure replays).
EXAMPLES = int(os.environ.get("ANNOTATOR_LOOP_EXAMPLES", "100"))
STEPS = 50
#: What one run must execute at the least (examples may end early).
MIN_STEPS = 2_000
#: Pixels around a claim edge that a press may take for a drag of that edge (the
#: spec leaves the reach open): plain selections and clicks keep this far away.
EDGE_MARGIN = 9.0

OFFSET = st.integers(min_value=0, max_value=10_000)
LETTERS = "ABCDEF"


class Walk:
    """What the machine needs from the test: qtbot, the template, a folder."""

    qtbot = None
    template: Path
    folder: Path
    steps = 0
    examples = 0
    boxes: ClassVar[list[tuple[str, str]]] = []
    serial = itertools.count()


class LoopMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        n = next(Walk.serial)
        Walk.examples += 1
        Walk.boxes.clear()            # a box an earlier example failed on is not this one's
        folder = Walk.folder / f"walk{n}"
        folder.mkdir()
        self.path = support.fresh_project(Walk.template, folder / "walk.annotator.sqlite")
        self.window: MainWindow = support.open_window(Walk.qtbot, self.path,
                                                      support.make_settings(folder))
        self.db = support.StoredClaims(self.path)
        texts = self.db.texts()
        self.documents = self.db.document_ids()
        claims = {claim_id: {"id": claim_id, **{k: v for k, v in vars(row).items()
                                                if k not in ("id", "quote")}}
                  for claim_id, row in self.db.all().items()}
        assert self.window.current_document is not None
        self.model = Model(texts, claims, self.window.current_document.id)
        assert not self.window.snap and self.window.keyboard.mode == Dimension.STANCE
        self._checked = False

    def teardown(self) -> None:
        self.db.close()
        support.close_window(self.window)

    # Driving -------------------------------------------------------------------------

    def _focus(self) -> None:
        if QApplication.focusWidget() is not self.window.view:
            self.window.view.setFocus()

    def _run(self, action) -> None:  # type: ignore[no-untyped-def]
        """Run one user action; an exception in a Qt handler fails the step."""
        with Walk.qtbot.capture_exceptions() as exceptions:
            action()
            QApplication.processEvents()
        if exceptions:
            kind, value, _tb = exceptions[0]
            raise AssertionError(f"{kind.__name__} in a Qt handler: {value}") from value
        assert not Walk.boxes, f"a message box was shown: {Walk.boxes}"

    def _key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
        self._focus()
        self._run(lambda: Walk.qtbot.keyClick(self.window.view, key, modifiers))

    def _rows(self) -> dict:
        return self.db.all()

    def _only_changed(self, before: dict, allowed: set[str | None]) -> None:
        """A key acts on the current claim only: no other stored claim changed."""
        after = self._rows()
        changed = {claim_id for claim_id in set(before) | set(after)
                   if before.get(claim_id) != after.get(claim_id)}
        assert changed <= allowed, f"claims changed besides {allowed}: {changed - allowed}"

    def _length(self) -> int:
        return len(self.model.text)

    def _usable(self, offset: int) -> bool:
        """Whether the caret point of ``offset`` leads Qt back to ``offset`` (not inside
        a CRLF pair or a grapheme)."""
        point = support.caret_point(self.window, offset)
        return support.offset_under(self.window, point) == offset

    def _near_edge(self, point: QPointF) -> bool:
        """Whether a press at ``point`` could take an edge of the current claim."""
        claim = self.model.claims.get(self.model.current) if self.model.current else None
        if claim is None:
            return False
        for offset in (claim["start"], claim["end"]):
            edge = support.caret_point(self.window, offset)
            if abs(edge.y() - point.y()) < 4 and abs(edge.x() - point.x()) <= EDGE_MARGIN:
                return True
        return False

    def _after_caret_move(self) -> None:
        selected = support.selection(self.window)
        if selected is not None and selected[0] < selected[1]:
            self.model.current = None            # a fresh selection
        else:
            self.model.caret_moved(support.caret(self.window))

    # Selecting and marking ---------------------------------------------------------------

    @rule(a=OFFSET, b=OFFSET)
    def mouse_select(self, a: int, b: int) -> None:
        n = self._length() + 1
        a, b = a % n, b % n
        if a == b or not (self._usable(a) and self._usable(b)):
            return
        press, release = (support.caret_point(self.window, a),
                          support.caret_point(self.window, b))
        selected = support.selection(self.window)
        if self._near_edge(press) or (selected and selected[0] <= a <= selected[1]):
            return     # a press in the selection drags the text; at an edge, the claim
        self._run(lambda: support.drag(self.window, press, release))
        assert support.selection(self.window) == (min(a, b), max(a, b))
        self.model.current = None

    @rule(right=st.booleans(), count=st.integers(1, 6))
    def shift_select(self, right: bool, count: int) -> None:
        for _ in range(count):
            self._key(K.Key_Right if right else K.Key_Left, SHIFT)
        self._after_caret_move()

    @rule(key=st.sampled_from(["Left", "Right", "Up", "Down", "Home", "End"]),
          count=st.integers(1, 3))
    def arrow(self, key: str, count: int) -> None:
        before = (support.caret(self.window), support.selection(self.window))
        for _ in range(count):
            self._key(getattr(K, f"Key_{key}"))
        if (support.caret(self.window), support.selection(self.window)) != before:
            self._after_caret_move()    # a key that moves nothing (Up on the top line) is no move

    @rule(offset=OFFSET)
    def click(self, offset: int) -> None:
        """Click the middle of one character."""
        offset %= self._length()
        if not (self._usable(offset) and self._usable(offset + 1)) \
                or self.model.text[offset] in "\r\n":
            return
        here = support.caret_point(self.window, offset)
        there = support.caret_point(self.window, offset + 1)
        if abs(there.y() - here.y()) > 1 or there.x() - here.x() < 4:
            return
        point = QPointF((here.x() + there.x()) / 2, here.y())
        if self._near_edge(point):
            return
        groups = self.model.at(offset)
        before = self._rows()
        self._run(lambda: support.click(self.window, point))
        self._only_changed(before, set())
        if not groups:
            self._after_caret_move()
            return
        chosen = self.window.view.current_claim_id
        assert chosen in self._click_choices(groups), "clicked highlight not made current"
        self.model.current = chosen

    def _click_choices(self, groups: list[list[str]]) -> set[str]:
        """Which claims a click may make current: the innermost when none of them is
        current, else the next outwards (nested claims cycle innermost → outwards)."""
        spans = [(self.model.claims[g[0]]["start"], self.model.claims[g[0]]["end"])
                 for g in groups]
        nested = all(a[0] >= b[0] and a[1] <= b[1] for a, b in itertools.pairwise(spans))
        every = {claim_id for group in groups for claim_id in group}
        current = self.model.current
        if not nested:
            return every - {current} or every
        if current not in every:
            return set(groups[0])
        index = next(i for i, group in enumerate(groups) if current in group)
        choices = (set(groups[index]) - {current}) | set(groups[(index + 1) % len(groups)])
        return choices - {current} or {current}

    @rule(a=OFFSET, b=OFFSET)
    def select_and_mark(self, a: int, b: int) -> None:
        """Drag over some text with the mouse and press Enter."""
        self.mouse_select(a, b)
        self.enter()

    @rule()
    def enter(self) -> None:
        span = self.model.span_to_mark(support.selection(self.window))
        before = self._rows()
        self._key(K.Key_Return)
        after = self._rows()
        added = set(after) - set(before)
        if span is None:
            assert not added, "Enter without a selection marked a claim"
            self._only_changed(before, set())
            return
        assert len(added) == 1, f"Enter on {span} added {len(added)} claims"
        (claim_id,) = added
        self._only_changed(before, {claim_id})
        self.model.mark(claim_id, span, support.ANALYST)
        assert support.selection(self.window) is None, "the selection stays after marking"

    # Keys on the current claim -----------------------------------------------------------

    def _label(self, press: tuple[Qt.Key, Qt.KeyboardModifier],
               change: tuple[str, object] | None) -> None:
        before_rows, steps = self._rows(), self.window.undo_stack.index()
        current = self.model.current
        self._key(*press)
        self._only_changed(before_rows, {current} if change else set())
        if current is None or change is None:
            return
        if not self.model.label(*change) and self.window.undo_stack.index() == steps + 1:
            self.model.noop_step()

    @rule(d=st.integers(0, 9))
    def digit(self, d: int) -> None:
        self._label((getattr(K, f"Key_{d}"), NONE), self.model.digit_value(d))

    @rule(letter=st.sampled_from(LETTERS))
    def letter(self, letter: str) -> None:
        self._label((getattr(K, f"Key_{letter}"), NONE), ("source_reliability", letter))

    @rule()
    def mode(self) -> None:
        self._key(K.Key_M)
        self.model.mode = MODES[(MODES.index(self.model.mode) + 1) % len(MODES)]

    @rule(edge=st.sampled_from(["start", "end"]), right=st.booleans())
    def move_edge(self, edge: str, right: bool) -> None:
        before = self._rows()
        current = self.model.current
        self._key(K.Key_Right if right else K.Key_Left, ALT | SHIFT if edge == "start" else ALT)
        self._only_changed(before, {current})
        if current is not None:
            self.model.move_edge(edge, +1 if right else -1)

    @rule(edge=st.sampled_from(["start", "end"]), to=OFFSET)
    def drag_edge(self, edge: str, to: int) -> None:
        current = self.model.current
        if current is None:
            return
        claim = self.model.claims[current]
        start, end = claim["start"], claim["end"]
        target = start + 1 + to % (self._length() - start) if edge == "end" else to % end
        if target == (start if edge == "start" else end) or not (
                self._usable(start) and self._usable(end) and self._usable(target)):
            return
        points = {e: support.caret_point(self.window, o) for e, o in (("start", start),
                                                                      ("end", end))}
        if abs(points["start"].y() - points["end"].y()) < 4 \
                and abs(points["start"].x() - points["end"].x()) <= 2 * EDGE_MARGIN:
            return                        # edges too close to tell apart
        press, release = points[edge], support.caret_point(self.window, target)
        before = self._rows()
        self._run(lambda: support.drag(self.window, press, release))
        self._only_changed(before, {current})
        choices = self.model.drag_edge(edge, target)
        stored = self._rows()[current]
        assert (stored.start, stored.end) in choices, \
            f"dragging the {edge} of [{start}, {end}) to {target} gave " \
            f"[{stored.start}, {stored.end}), expected one of {choices}"
        self.model._set_span(stored.start, stored.end)

    @rule()
    def delete(self) -> None:
        before = self._rows()
        current = self.model.current
        self._key(K.Key_Delete)
        self._only_changed(before, {current})
        if current is not None:
            self.model.delete()

    @rule()
    def escape(self) -> None:
        self._key(K.Key_Escape)
        self.model.current = None

    @rule()
    def snap(self) -> None:
        self._key(K.Key_W)
        self.model.snap = not self.model.snap

    # Moving between claims --------------------------------------------------------------

    @rule(back=st.booleans())
    def tab(self, back: bool) -> None:
        target = self.model.walk(-1 if back else +1, support.caret(self.window))
        self._key(K.Key_Backtab if back else K.Key_Tab, SHIFT if back else NONE)
        if target is not None:
            self.model.current = target

    @rule(back=st.booleans())
    def next_incomplete(self, back: bool) -> None:
        target = self.model.walk(-1 if back else +1, support.caret(self.window),
                                 lambda claim: not is_complete(claim))
        self._key(K.Key_J, SHIFT if back else NONE)
        if target is not None:
            self.model.current = target

    @rule(row=st.integers(0, 100))
    def click_table_row(self, row: int) -> None:
        rows = self.window.claim_table.model().rowCount()
        if rows:
            holder: list[str] = []
            self._run(lambda: holder.append(support.click_table_row(self.window, row % rows)))
            self.model.current = holder[0]

    @rule(column=st.integers(0, 8))
    def sort_table(self, column: int) -> None:
        """Click a column header of the claims table: a re-sort keeps the current claim."""
        self._run(lambda: support.click_table_header(self.window, column))

    @rule(which=st.integers(0, 2))
    def switch_document(self, which: int) -> None:
        document_id = self.documents[which % len(self.documents)]
        if document_id == self.model.document_id:
            document_id = self.documents[(which + 1) % len(self.documents)]
        self._run(lambda: support.open_document(self.window, document_id))
        self.model.switch_document(document_id)

    # Undo and the codebook -------------------------------------------------------------

    @rule()
    def undo(self) -> None:
        before = self._rows()
        step = self.model.undo()
        self._key(K.Key_Z, CTRL)
        self._only_changed(before, {step.claim_id} if step and step.kind != "codebook"
                           else set(before) if step else set())

    @rule()
    def redo(self) -> None:
        before = self._rows()
        step = self.model.redo()
        self._key(K.Key_Z, CTRL | SHIFT)
        self._only_changed(before, {step.claim_id} if step and step.kind != "codebook"
                           else set(before) if step else set())

    @rule(which=st.integers(0, 3))
    def rename_stance(self, which: int) -> None:
        """Rename a stance key (supports → supports_r, and back), as the codebook
        dialog does: one ChangeCodebookCommand with the rename."""
        window = self.window
        assert window.codebook_controller is not None
        codebook = window.codebook
        labels = codebook.of(Dimension.STANCE)
        old = labels[which % len(labels)].key
        new = old[:-2] if old.endswith("_r") else old + "_r"
        after = with_labels(codebook, Dimension.STANCE,
                            [replace(label, key=new) if label.key == old else label
                             for label in labels])
        current = self.model.current
        self._run(lambda: window.undo_stack.push(ChangeCodebookCommand(
            window.codebook_controller, codebook, after, f"Rename stance {old} to {new}",
            renames={Dimension.STANCE: {old: new}})))
        self.model.rename_stance(old, new)
        assert self.model.current == current

    # What must hold after every step -----------------------------------------------------

    @invariant()
    def stored_claims_match_the_model(self) -> None:
        if self._checked:
            Walk.steps += 1           # after every step (and once before the first)
        self._checked = True
        stored = self._rows()
        texts = self.model.texts
        for claim_id, row in stored.items():
            assert texts[row.document_id][row.start:row.end] == row.quote, \
                f"claim {claim_id}: quote {row.quote!r} is not the text at " \
                f"[{row.start}, {row.end})"
        expected = self.model.stored_view()
        actual = {claim_id: {name: value for name, value in vars(row).items() if name != "id"}
                  for claim_id, row in stored.items()}
        if actual != expected:
            missing, extra = set(expected) - set(actual), set(actual) - set(expected)
            differ = {claim_id: {k: (expected[claim_id][k], actual[claim_id][k])
                                 for k in expected[claim_id]
                                 if expected[claim_id][k] != actual[claim_id][k]}
                      for claim_id in set(expected) & set(actual)
                      if expected[claim_id] != actual[claim_id]}
            raise AssertionError(f"stored claims differ from the model: missing {missing}, "
                                 f"unexpected {extra}, (expected, stored): {differ}")

    @invariant()
    def current_claim_agrees(self) -> None:
        window, model = self.window, self.model
        assert window.current_document is not None
        assert window.current_document.id == model.document_id, "shown document"
        current = model.current
        claim = window.current_claim()
        assert window.view.current_claim_id == current, "viewer's current claim"
        assert (claim.id if claim else None) == current, "window.current_claim()"
        assert (window.editor.claim.id if window.editor.claim else None) == current, \
            "claim panel"
        if current is not None:
            assert support.table_current_id(window) == current, "claims table current row"
            assert support.table_selected_ids(window) == [current], "claims table selection"
            shown = window.editor.claim
            stored = self._rows()[current]
            assert (shown.start, shown.end, shown.stance, shown.source_reliability,
                    shown.info_credibility, shown.claim_type) == (
                stored.start, stored.end, stored.stance, stored.source_reliability,
                stored.info_credibility, stored.claim_type), "claim panel shows old values"
        else:
            assert support.table_selected_ids(window) == [], "claims table selection"
        assert support.table_ids(window) == {c["id"] for c in model.shown()}, "claims table"

    @invariant()
    def mode_snap_and_history_agree(self) -> None:
        window, model = self.window, self.model
        assert window.keyboard.mode.value == model.mode, "digit mode"
        assert window.snap == model.snap, "snap to words"
        assert window.undo_stack.index() == model.index, "undo steps done"
        assert window.undo_stack.count() == len(model.history), "undo steps kept"


def test_the_labelling_loop_matches_the_model(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    Walk.qtbot = qtbot
    Walk.folder = tmp_path
    Walk.template = support.build_template(tmp_path / "template.annotator.sqlite")
    Walk.steps = Walk.examples = 0
    Walk.boxes.clear()

    def record(_parent, title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        Walk.boxes.append((str(title), str(text)))
        return QMessageBox.StandardButton.Ok

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, record)
    monkeypatch.setattr(plain, "show_message",     # the window's own plain-text boxes
                        lambda parent, _icon, title, text, *a, **k: record(parent, title, text))
    began = time.perf_counter()
    try:
        run_state_machine_as_test(LoopMachine, settings=settings(
            max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
            derandomize=not os.environ.get("ANNOTATOR_LOOP_RANDOM"), database=None,
            print_blob=bool(os.environ.get("ANNOTATOR_LOOP_RANDOM")),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                   HealthCheck.data_too_large]))
    finally:
        print(f"\nlabelling loop: {Walk.steps} steps in {Walk.examples} examples, "
              f"{time.perf_counter() - began:.1f} s")
    assert Walk.steps >= MIN_STEPS
