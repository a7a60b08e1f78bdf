"""The side panel that labels the current claim: proposition, source, the
codebook's label dimensions (stance, reliability, credibility, claim type, ...),
tags and note.

The panel does not save anything itself: it emits ``edited(field, value)`` and
the window turns that into an undoable command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.labelling import digit_keys, key_range, missing_text
from annotator.domain.model import Claim, normalise_tags
from annotator.ui.colours import set_text_role
from annotator.ui.plain import plain, plain_tooltip

NOTE_SAVE_DELAY_MS = 600
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


def swatch(colour: str | QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class _NoteEdit(QPlainTextEdit):
    """A note field that reports when it loses focus."""

    focus_lost = Signal()

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


def _claim_key(claim: Claim, dimension: Dimension) -> str | None:
    value = getattr(claim, dimension.value)
    return None if value is None else str(value)


class ClaimEditor(QWidget):
    """Edits one claim's labels.

    Signals:
        edited(str, object): the user changed ``field`` to ``value`` (label fields
            carry the label key as a string, ``source`` the source's name).
        escaped(): Esc was pressed in one of the fields (what it held is saved
            first; focus goes back to the text).
    """

    edited = Signal(str, object)
    escaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._claim: Claim | None = None
        self._codebook = Codebook()
        self._mode = Dimension.STANCE
        self._loading = False
        #: Why a claim may not be edited here (another analyst's), or None.
        self.read_only_reason: Callable[[Claim], str | None] = lambda _claim: None

        self.quote = QLabel()
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote.setObjectName("claimQuote")
        # A fixed height: showing another claim must not lay the panel out again.
        self.quote.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.quote.setFixedHeight(self.quote.fontMetrics().lineSpacing() * 3 + 4)
        self.quote.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.missing = plain(QLabel())
        self.missing.setObjectName("claimMissing")
        # A long "Still to label" line (or a lock notice) must not widen the panel,
        # which would re-wrap the text beside it.
        # Its width is ignored (a long line is cut at the panel's edge; the whole of
        # it is the tooltip), so showing another claim never lays the panel out again.
        self.missing.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        set_text_role(self.missing, "warning")
        #: Review comments on the claim (read-only), from :meth:`set_comments_source`.
        self.comments = QLabel()
        self.comments.setObjectName("claimComments")
        self.comments.setWordWrap(True)
        self.comments.setTextFormat(Qt.TextFormat.PlainText)
        set_text_role(self.comments, "comment")
        self.comments.hide()
        self._comments_for: Callable[[Claim], list[Any]] | None = None

        self.proposition = QComboBox()
        self.proposition.setEditable(True)
        self.proposition.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.proposition.lineEdit().setPlaceholderText("The proposition stance is judged against")
        self.proposition.setToolTip("The statement this claim supports or refutes. "
                                    "Type a new one (it joins the codebook) or pick one.")
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.source.lineEdit().setPlaceholderText("Who makes the claim (person or organisation)")
        self.source.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.source.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.source.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.combos: dict[Dimension, QComboBox] = {d: QComboBox() for d in Dimension}
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("comma, separated, tags")
        self.note = _NoteEdit()
        self.note.setPlaceholderText("Note (N)")
        self.note.setTabChangesFocus(True)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_SAVE_DELAY_MS)

        self.form = QFormLayout()
        # In a narrow panel a long label goes above its field rather than being cut.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.addRow("Proposition", self.proposition)
        self.form.addRow("S&ource", self.source)
        self._row_labels: dict[Dimension, QLabel] = {}
        for dimension, combo in self.combos.items():
            label = QLabel(dimension.title)
            self._row_labels[dimension] = label
            self.form.addRow(label, combo)
            combo.activated.connect(lambda _i, d=dimension: self._emit_label(d))
        self.form.addRow("&Tags", self.tags)
        self.form.addRow("&Note", self.note)
        self.empty = QLabel("Select text and press Enter (or click Mark Claim) to mark a "
                            "claim. Click a highlight or a table row to edit one.")
        self.empty.setWordWrap(True)
        self.empty.setObjectName("claimEditorHint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.quote)
        layout.addWidget(self.missing)
        layout.addWidget(self.comments)
        layout.addLayout(self.form)
        layout.addStretch(1)

        self.proposition.lineEdit().editingFinished.connect(self._emit_proposition)
        self.proposition.activated.connect(lambda _i: self._emit_proposition())
        self.source.lineEdit().editingFinished.connect(self._emit_source)
        self.source.activated.connect(lambda _i: self._emit_source())
        self.tags.editingFinished.connect(self._emit_tags)
        self.note.textChanged.connect(self._on_note_text_changed)
        self._note_timer.timeout.connect(self.commit_note)
        self.note.focus_lost.connect(self.commit_note)
        for widget in (self.proposition, self.source, *self.combos.values(), self.tags,
                       self.note):
            widget.installEventFilter(self)
        self.set_codebook(self._codebook)

    # Vocabulary ------------------------------------------------------------------------

    @property
    def claim(self) -> Claim | None:
        return self._claim

    def set_codebook(self, codebook: Codebook) -> None:
        """Rebuild the label choices; retired labels are offered only to claims that
        already carry them."""
        self._codebook = codebook
        present = set(codebook.dimensions())
        for dimension, combo in self.combos.items():
            visible = dimension in present
            combo.setVisible(visible)
            self._row_labels[dimension].setVisible(visible)
        self._fill_combos()
        self._fill_propositions()
        self.set_mode(self._mode)

    def _fill_combos(self) -> None:
        """Fill the label combos from the codebook (on a codebook change only).
        Retired labels are listed but cannot be picked: a claim that carries one
        still shows it."""
        for dimension, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("—", None)
            for label in self._codebook.of(dimension):
                key_hint = label.shortcut or (label.key if dimension.fixed_keys else "")
                text = f"{label.key} — {label.name}" if dimension.fixed_keys else label.name
                if label.retired:
                    text += " (retired)"
                combo.addItem(swatch(label.colour), text, label.key)
                tip = label.description or label.name
                if key_hint:
                    tip += f"\nKey: {key_hint}"
                combo.setItemData(combo.count() - 1, plain_tooltip(tip), _TOOLTIP)
                if label.retired:
                    item = combo.model().item(combo.count() - 1)  # type: ignore[attr-defined]
                    item.setEnabled(False)
            combo.blockSignals(False)
        self._show_labels()

    def _show_labels(self) -> None:
        for dimension, combo in self.combos.items():
            key = _claim_key(self._claim, dimension) if self._claim else None
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(key)))
            combo.blockSignals(False)

    def _fill_propositions(self) -> None:
        text = self.proposition.currentText()
        self._loading = True
        self.proposition.clear()
        for proposition in self._codebook.propositions:
            if not proposition.retired:
                self.proposition.addItem(proposition.text)
                self.proposition.setItemData(
                    self.proposition.count() - 1,
                    plain_tooltip(proposition.description or proposition.text), _TOOLTIP)
        self.proposition.setCurrentText(text)
        self._loading = False

    def set_sources(self, names: list[str]) -> None:
        text = self.source.currentText()
        self._loading = True
        self.source.clear()
        self.source.addItems(names)
        self.source.setCurrentText(text)
        self._loading = False

    def set_mode(self, mode: Dimension) -> None:
        """Show which dimension the digit keys label now."""
        self._mode = mode
        for dimension, label in self._row_labels.items():
            font = QFont(label.font())
            font.setBold(dimension == mode)
            label.setFont(font)
            keys = key_range(digit_keys(self._codebook, dimension))
            label.setText(dimension.title + (f"  [{keys}]" if dimension == mode else ""))

    # The claim ---------------------------------------------------------------------

    def set_claim(self, claim: Claim | None) -> None:
        """Show ``claim`` (or nothing). A pending note edit of the previous claim is
        saved first. Fields the user is typing in keep what they hold."""
        if self._claim is not None and (claim is None or claim.id != self._claim.id):
            self.commit_note()
        same = claim is not None and self._claim is not None and claim.id == self._claim.id
        self._claim = claim
        self.refresh_comments()
        self._loading = True
        try:
            enabled = claim is not None
            locked = self.read_only_reason(claim) if claim is not None else None
            for widget in (self.proposition, self.source, *self.combos.values(), self.tags,
                           self.note):
                widget.setEnabled(enabled and locked is None)
            self.empty.setVisible(not enabled)
            self.quote.setVisible(enabled)
            self.missing.setVisible(enabled)
            self._show_labels()
            if claim is None:
                self.quote.clear()
                self.proposition.setCurrentText("")
                self.source.setCurrentText("")
                self.tags.clear()
                self.note.setPlainText("")
                return
            quote = " ".join(claim.quote.split())
            self.quote.setText(f"“{quote if len(quote) < 240 else quote[:239] + '…'}”")
            missing = missing_text(self._codebook, claim)
            self.missing.setText(missing or "Complete ✓")
            self.missing.setToolTip(plain_tooltip(missing))
            set_text_role(self.missing, "warning" if missing else "success")
            if locked is not None:
                self.missing.setText(f"🔒 {locked}")
                self.missing.setToolTip(plain_tooltip(locked))
                set_text_role(self.missing, "muted")
            if not (same and self.proposition.hasFocus()):
                self.proposition.setCurrentText(claim.proposition)
                self.proposition.lineEdit().setCursorPosition(0)
            if not (same and self.source.hasFocus()):
                self.source.setCurrentText(claim.source_name)
            if not (same and self.tags.hasFocus()):
                self.tags.setText(", ".join(claim.tags))
            # Never overwrite what the user is typing in the note of this claim.
            if not (same and self.note.hasFocus()) and self.note.toPlainText() != claim.note:
                self.note.setPlainText(claim.note)
        finally:
            self._loading = False

    def set_comments_source(self, source: Callable[[Claim], list[Any]] | None) -> None:
        """Where the review comments on a claim come from (None: none shown)."""
        self._comments_for = source
        self.refresh_comments()

    def refresh_comments(self) -> None:
        """Show the review comments on the current claim, for its author to read."""
        found = self._comments_for(self._claim) if self._comments_for and self._claim else []
        self.comments.setText(f"Review comments ({len(found)}):\n" + "\n".join(
            f"• {c.author}, {c.created_at:%Y-%m-%d}: {c.body}" for c in found))
        self.comments.setVisible(bool(found))

    def _emit(self, field: str, value: object) -> None:
        if self._loading or self._claim is None:
            return
        current = getattr(self._claim, field) if field != "source" else self._claim.source_name
        if current == value or (current is not None and value is not None
                                and str(current) == str(value)):
            return
        self.edited.emit(field, value)

    def _emit_label(self, dimension: Dimension) -> None:
        self._emit(dimension.value, self.combos[dimension].currentData())

    def _emit_proposition(self) -> None:
        self._emit("proposition", " ".join(self.proposition.currentText().split()))

    def _emit_source(self) -> None:
        self._emit("source", " ".join(self.source.currentText().split()))

    def _emit_tags(self) -> None:
        self._emit("tags", normalise_tags(self.tags.text()))

    def _on_note_text_changed(self) -> None:
        if not self._loading:
            self._note_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in any field: keep what it holds (as leaving it would), then hand the
        keyboard back to the text."""
        if event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Escape:  # type: ignore[attr-defined]
            if watched is self.proposition:
                self._emit_proposition()
            elif watched is self.source:
                self._emit_source()
            elif watched is self.tags:
                self._emit_tags()
            self.commit_note()
            self.escaped.emit()
            return True
        return super().eventFilter(watched, event)

    def commit_note(self) -> None:
        """Save the note now if it was edited (typing saves after a short pause)."""
        self._note_timer.stop()
        if self._claim is not None and self.note.toPlainText() != self._claim.note:
            self.edited.emit("note", self.note.toPlainText())
