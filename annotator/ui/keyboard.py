"""The viewer's keyboard flow: select, press a key, move on.

Keys act only while the document viewer has focus, so typing a note never
triggers them. Digits label the current claim in the current *mode* (stance,
credibility, claim type, ...; M switches), letters A–F always set source
reliability, so no key ever means two things. What a key does to which claim
is decided in one place, :mod:`annotator.domain.labelling`. The shortcuts sheet is generated
from :data:`BINDINGS` and the codebook, the same tables the event filter uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.labelling import modes, next_mode

_NONE = Qt.KeyboardModifier.NoModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_RELEVANT = _SHIFT | _CTRL | _ALT

class FlowTarget(Protocol):
    def mark_claim(self) -> object: ...
    def press_digit(self, digit: str) -> None: ...
    def set_label(self, dimension: Dimension, key: str | None) -> None: ...
    def edit_note(self) -> None: ...
    def step_claim(self, direction: int) -> None: ...
    def step_incomplete_claim(self, direction: int) -> None: ...
    def next_undone_document(self) -> None: ...
    def adjust_span(self, edge: str, direction: int) -> None: ...
    def toggle_snap(self) -> None: ...
    def clear_current_claim(self) -> None: ...
    def show_shortcuts(self) -> None: ...
    def step_disagreement(self, direction: int) -> None: ...


@dataclass(frozen=True, slots=True)
class Binding:
    key: Qt.Key
    modifiers: Qt.KeyboardModifier
    label: str          # how the sheet shows the key
    description: str
    run: Callable[[FlowTarget], None]


def _b(key: Qt.Key, modifiers: Qt.KeyboardModifier, label: str, description: str,
       run: Callable[[FlowTarget], None]) -> Binding:
    return Binding(key, modifiers, label, description, run)


K = Qt.Key
#: Fixed bindings of the viewer (labels by digit and letter are added per codebook).
BINDINGS: tuple[Binding, ...] = (
    _b(K.Key_Return, _NONE, "Enter", "Mark the selected text as a claim",
       lambda t: t.mark_claim()),
    _b(K.Key_Enter, _NONE, "Enter", "Mark the selected text as a claim",
       lambda t: t.mark_claim()),
    _b(K.Key_Tab, _NONE, "Tab", "Next claim", lambda t: t.step_claim(+1)),
    _b(K.Key_Backtab, _SHIFT, "Shift+Tab", "Previous claim", lambda t: t.step_claim(-1)),
    _b(K.Key_J, _NONE, "J", "Next unlabelled or incomplete claim",
       lambda t: t.step_incomplete_claim(+1)),
    _b(K.Key_J, _SHIFT, "Shift+J", "Previous unlabelled or incomplete claim",
       lambda t: t.step_incomplete_claim(-1)),
    _b(K.Key_J, _CTRL, "Ctrl+J", "Next document not yet done", lambda t: t.next_undone_document()),
    _b(K.Key_N, _NONE, "N", "Edit the note of the current claim", lambda t: t.edit_note()),
    _b(K.Key_Right, _ALT, "Alt+Right", "Move the claim's end right",
       lambda t: t.adjust_span("end", +1)),
    _b(K.Key_Left, _ALT, "Alt+Left", "Move the claim's end left",
       lambda t: t.adjust_span("end", -1)),
    _b(K.Key_Right, _ALT | _SHIFT, "Alt+Shift+Right", "Move the claim's start right",
       lambda t: t.adjust_span("start", +1)),
    _b(K.Key_Left, _ALT | _SHIFT, "Alt+Shift+Left", "Move the claim's start left",
       lambda t: t.adjust_span("start", -1)),
    _b(K.Key_W, _NONE, "W", "Snap span edges to whole words (on/off)",
       lambda t: t.toggle_snap()),
    _b(K.Key_Escape, _NONE, "Esc", "Deselect the current claim",
       lambda t: t.clear_current_claim()),
    _b(K.Key_BracketRight, _NONE, "]", "Next disagreement between analysts (review)",
       lambda t: t.step_disagreement(+1)),
    _b(K.Key_BracketLeft, _NONE, "[", "Previous disagreement between analysts (review)",
       lambda t: t.step_disagreement(-1)),
    _b(K.Key_Question, _SHIFT, "?", "This list of keys", lambda t: t.show_shortcuts()),
    _b(K.Key_Question, _NONE, "?", "This list of keys", lambda t: t.show_shortcuts()),
)


def _digit(event: QKeyEvent) -> str | None:
    text = event.text()
    return text if len(text) == 1 and text.isdigit() else None


class KeyboardFlow(QObject):
    """Event filter that turns the viewer's keys into labelling actions.

    Signals:
        mode_changed(Dimension): the dimension digits now label.
    """

    mode_changed = Signal(object)

    def __init__(self, target: FlowTarget, codebook: Callable[[], Codebook],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._codebook = codebook
        self.mode = Dimension.STANCE

    def modes(self) -> list[Dimension]:
        return modes(self._codebook())

    def set_mode(self, mode: Dimension) -> None:
        self.mode = mode
        self.mode_changed.emit(mode)

    def cycle_mode(self) -> None:
        self.set_mode(next_mode(self._codebook(), self.mode))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        modifiers = event.modifiers() & _RELEVANT
        for binding in BINDINGS:
            if event.key() == binding.key and modifiers == binding.modifiers:
                binding.run(self._target)
                return True
        if modifiers not in (_NONE, _SHIFT):
            return False
        if event.key() == K.Key_M and modifiers == _NONE:
            self.cycle_mode()
            return True
        digit = _digit(event)
        if digit is not None and modifiers == _NONE:
            self._target.press_digit(digit)
            return True
        letter = event.text().upper()
        if modifiers == _NONE and len(letter) == 1 and letter in "ABCDEF":
            self._target.set_label(Dimension.SOURCE_RELIABILITY, letter)
            return True
        return False

    def sheet(self) -> list[tuple[str, str, str]]:
        """(group, key, what it does) for every key of the flow, from the live tables."""
        rows: list[tuple[str, str, str]] = []
        codebook = self._codebook()
        rows.append(("Labels", "M", "Switch what digits label: " +
                     " → ".join(m.title for m in self.modes())))
        for mode in self.modes():
            for label in codebook.of(mode, include_retired=False):
                key = label.shortcut or (label.key if mode.fixed_keys else "")
                if key:
                    rows.append((f"Digits in {mode.title} mode", key, label.name))
            rows.append((f"Digits in {mode.title} mode", "0", f"Clear {mode.title.lower()}"))
        for label in codebook.of(Dimension.SOURCE_RELIABILITY, include_retired=False):
            rows.append(("Source reliability (any mode)", label.key, label.name))
        seen = set()
        for binding in BINDINGS:
            if binding.description not in seen:
                seen.add(binding.description)
                rows.append(("Moving and editing", binding.label, binding.description))
        return rows
