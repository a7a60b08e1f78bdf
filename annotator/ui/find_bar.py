"""Find in the open document (Ctrl+F): a bar under the text. Enter or F3 finds the
next match, Shift+Enter or Shift+F3 the previous one, wrapping round; the match
becomes the text selection (press Enter in the text to mark it as a claim); Esc
closes the bar and gives the keyboard back to the text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Signals:
        found(): a match was selected in the text.
    """

    found = Signal()

    def __init__(self, view: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self.field = QLineEdit()
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find in this document")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.result = QLabel()
        self.result.setObjectName("findResult")
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        previous, following, close = QToolButton(), QToolButton(), QToolButton()
        previous.setText("▲")
        previous.setToolTip("Previous match (Shift+F3)")
        following.setText("▼")
        following.setToolTip("Next match (F3)")
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(+1))
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.field, 1)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(self.result)
        layout.addWidget(close)
        self.hide()

    def open(self) -> None:
        """Show the bar with the text selection (if short and on one line) as the query."""
        selected = self._view.textCursor().selectedText()
        if selected and len(selected) <= 200 and "\u2029" not in selected:
            self.field.setText(selected)
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._view.setFocus()

    def step(self, direction: int) -> bool:
        """Select the next (+1) or previous (-1) match after the text cursor."""
        query = self.field.text()
        if not query:
            self.open()
            return False
        document = self._view.document()
        flags = QTextDocument.FindFlag(0)
        if direction < 0:
            flags |= QTextDocument.FindFlag.FindBackward
        cursor = self._view.textCursor()
        match = document.find(query, cursor, flags)
        if match.isNull():      # wrap round
            start = QTextCursor(document)
            if direction < 0:
                start.movePosition(QTextCursor.MoveOperation.End)
            match = document.find(query, start, flags)
        if match.isNull():
            self.result.setText("Not found")
            return False
        self.result.setText("")
        self._view.setTextCursor(match)
        self._view.centerCursor()
        self.found.emit()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.step(-1 if shift else +1)
                return True
        return super().eventFilter(watched, event)
