"""The side panel that labels the current claim: proposition, stance,
reliability (Admiralty code), tags and note.

The panel does not save anything itself: it emits ``edited(field, value)`` and
the window turns that into an undoable command.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.labels import (
    INFO_CREDIBILITY,
    SOURCE_RELIABILITY,
    STANCE_DESCRIPTIONS,
    Stance,
    grade_title,
)
from annotator.domain.model import Claim, normalise_tags
from annotator.ui.palette import stance_colour

NOTE_SAVE_DELAY_MS = 600


def _swatch(colour: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)


class _NoteEdit(QPlainTextEdit):
    """A note field that reports when it loses focus."""

    focus_lost = Signal()

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class ClaimEditor(QWidget):
    """Edits one claim's labels.

    Signals:
        edited(str, object): the user changed ``field`` to ``value``.
    """

    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._claim: Claim | None = None
        self._loading = False

        self.quote = QLabel()
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote.setObjectName("claimQuote")

        self.proposition = QComboBox()
        self.proposition.setEditable(True)
        self.proposition.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.proposition.lineEdit().setPlaceholderText("The proposition stance is judged against")
        self.proposition.setToolTip("The statement this claim supports or refutes. "
                                    "Type a new one or pick one used before.")

        self.stance = QComboBox()
        self.stance.addItem("—", None)
        for stance in Stance:
            self.stance.addItem(_swatch(stance_colour(stance)), stance.label, stance.value)
            self.stance.setItemData(self.stance.count() - 1, STANCE_DESCRIPTIONS[stance],
                                    Qt.ItemDataRole.ToolTipRole)

        self.source_reliability = QComboBox()
        self.source_reliability.addItem("—", None)
        for grade, meaning in SOURCE_RELIABILITY.items():
            self.source_reliability.addItem(f"{grade} — {grade_title(meaning)}", grade)
            self.source_reliability.setItemData(self.source_reliability.count() - 1,
                                                f"{grade}: {meaning}",
                                                Qt.ItemDataRole.ToolTipRole)
        self.source_reliability.setToolTip("Admiralty code: how reliable is the source "
                                           "that makes the claim? (A–F)")

        self.info_credibility = QComboBox()
        self.info_credibility.addItem("—", None)
        for grade, meaning in INFO_CREDIBILITY.items():
            self.info_credibility.addItem(f"{grade} — {grade_title(meaning)}", grade)
            self.info_credibility.setItemData(self.info_credibility.count() - 1,
                                              f"{grade}: {meaning}",
                                              Qt.ItemDataRole.ToolTipRole)
        self.info_credibility.setToolTip("Admiralty code: how credible is the information "
                                         "itself? (1–6), judged apart from the source")

        self.tags = QLineEdit()
        self.tags.setPlaceholderText("comma, separated, tags")
        self.note = _NoteEdit()
        self.note.setPlaceholderText("Note")
        self.note.setTabChangesFocus(True)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)

        form = QFormLayout()
        form.addRow("Proposition", self.proposition)
        form.addRow("&Stance", self.stance)
        form.addRow("Source &reliability", self.source_reliability)
        form.addRow("Information &credibility", self.info_credibility)
        form.addRow("&Tags", self.tags)
        form.addRow("&Note", self.note)
        self.empty = QLabel("Select text and press Enter (or click Mark claim) to mark a "
                            "claim. Click a highlight or a table row to edit one.")
        self.empty.setWordWrap(True)
        self.empty.setObjectName("claimEditorHint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.quote)
        layout.addLayout(form)
        layout.addStretch(1)

        self.stance.activated.connect(lambda _i: self._emit("stance", self.stance.currentData()))
        self.source_reliability.activated.connect(
            lambda _i: self._emit("source_reliability", self.source_reliability.currentData()))
        self.info_credibility.activated.connect(
            lambda _i: self._emit("info_credibility", self.info_credibility.currentData()))
        self.proposition.lineEdit().editingFinished.connect(self._emit_proposition)
        self.proposition.activated.connect(lambda _i: self._emit_proposition())
        self.tags.editingFinished.connect(self._emit_tags)
        self.note.textChanged.connect(self._on_note_text_changed)
        self._note_timer.timeout.connect(self.commit_note)
        self.note.focus_lost.connect(self.commit_note)
        self.set_claim(None)

    @property
    def claim(self) -> Claim | None:
        return self._claim

    def set_propositions(self, propositions: list[str]) -> None:
        current = self.proposition.currentText()
        self._loading = True
        self.proposition.clear()
        self.proposition.addItems(propositions)
        self.proposition.setCurrentText(current)
        self._loading = False

    def set_claim(self, claim: Claim | None) -> None:
        """Show ``claim`` (or nothing). A pending note edit of the previous claim is
        saved first."""
        if self._claim is not None and (claim is None or claim.id != self._claim.id):
            self.commit_note()
        same = claim is not None and self._claim is not None and claim.id == self._claim.id
        self._claim = claim
        self._loading = True
        try:
            enabled = claim is not None
            for widget in (self.proposition, self.stance, self.source_reliability,
                           self.info_credibility, self.tags, self.note):
                widget.setEnabled(enabled)
            self.empty.setVisible(not enabled)
            self.quote.setVisible(enabled)
            if claim is None:
                self.quote.clear()
                self.proposition.setCurrentText("")
                for combo in (self.stance, self.source_reliability, self.info_credibility):
                    combo.setCurrentIndex(0)
                self.tags.clear()
                self.note.setPlainText("")
                return
            quote = " ".join(claim.quote.split())
            self.quote.setText(f"“{quote if len(quote) < 400 else quote[:399] + '…'}”")
            if not (same and self.proposition.hasFocus()):
                self.proposition.setCurrentText(claim.proposition)
                self.proposition.lineEdit().setCursorPosition(0)
            self.stance.setCurrentIndex(
                self.stance.findData(claim.stance.value if claim.stance else None))
            self.source_reliability.setCurrentIndex(
                self.source_reliability.findData(claim.source_reliability))
            self.info_credibility.setCurrentIndex(
                self.info_credibility.findData(claim.info_credibility))
            if not (same and self.tags.hasFocus()):
                self.tags.setText(", ".join(claim.tags))
            # Never overwrite what the user is typing in the note of this claim.
            if not (same and self.note.hasFocus()) and self.note.toPlainText() != claim.note:
                self.note.setPlainText(claim.note)
        finally:
            self._loading = False

    def _emit(self, field: str, value: object) -> None:
        if self._loading or self._claim is None:
            return
        if getattr(self._claim, field) == value:   # Stance is a StrEnum: == its key
            return
        self.edited.emit(field, value)

    def _emit_proposition(self) -> None:
        self._emit("proposition", self.proposition.currentText().strip())

    def _emit_tags(self) -> None:
        self._emit("tags", normalise_tags(self.tags.text()))

    def _on_note_text_changed(self) -> None:
        if not self._loading:
            self._note_timer.start()

    def commit_note(self) -> None:
        """Save the note now if it was edited (typing saves after a short pause)."""
        self._note_timer.stop()
        if self._claim is not None and self.note.toPlainText() != self._claim.note:
            self.edited.emit("note", self.note.toPlainText())

    def set_stance(self, stance: Stance | None) -> None:
        """Set the stance as if chosen in the combo box (keyboard shortcuts use this)."""
        self.stance.setCurrentIndex(self.stance.findData(stance.value if stance else None))
        self._emit("stance", stance.value if stance else None)
