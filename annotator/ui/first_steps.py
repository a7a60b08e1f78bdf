"""The "first steps" guide: a short strip above the text, shown until the analyst
dismisses it, pointing at the labelling loop (select, Enter, label)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from annotator.ui.settings import UiSettings

STEPS = ("First steps: ① select a passage in the text · ② press Enter to mark it as a "
         "claim · ③ press a digit to label it (M switches what digits label; the Claim "
         "panel has every field) · Tab moves to the next claim · F1 lists every key.")


class FirstStepsGuide(QFrame):
    """Signals:
        dismissed(): the analyst closed the guide (it stays closed)."""

    dismissed = Signal()

    def __init__(self, settings: UiSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstSteps")
        self._settings = settings
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # The palette's own colours: readable in light, dark and high contrast.
        self.setBackgroundRole(self.palette().ColorRole.AlternateBase)
        self.setAutoFillBackground(True)
        self.text = QLabel(STEPS)
        self.text.setObjectName("firstStepsText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setForegroundRole(self.palette().ColorRole.Text)
        # Its width follows the viewer's (it wraps); it never widens the window.
        self.text.setMinimumWidth(120)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self.close_button = QPushButton("Got it")
        self.close_button.setObjectName("firstStepsClose")
        self.close_button.setToolTip("Hide this guide (Help ▸ Keyboard shortcuts lists "
                                     "every key)")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(not settings.first_steps_dismissed())

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The text wraps: as tall as it needs at this width (the viewer's splitter
        # does not ask widgets for a height for their width).
        super().resizeEvent(event)
        height = self.layout().heightForWidth(event.size().width())
        if height > 0 and height != self.height():
            self.setFixedHeight(height)

    def dismiss(self) -> None:
        self._settings.set_first_steps_dismissed(True)
        self.hide()
        self.dismissed.emit()
