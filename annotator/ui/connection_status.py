"""The team server's reachability, shown in the window's status bar.

When a look for colleagues' changes (``ui/live.py``) or a save fails because
the server cannot be reached (stopped, restarted, the network gone, the
connection ended), the status bar says so and stays so ("Team server
unreachable — retrying…"); the looks go on, less and less often (backing off to
:data:`BACKOFF_MS`), and each one is a try to reconnect (SQLAlchemy opens a new
connection; pre-ping drops dead ones). The first look that works says
"Reconnected", for a while. A save tried meanwhile was not saved and says so
(the window's "NOT SAVED"); what was saved before is on the server.

One outage, one message box: the first change that fails in it opens a box
with the reason; while the server stays out of reach the later ones only say
"NOT SAVED" and why in the status bar (with how many were not saved), not a
box each (:meth:`ConnectionStatus.quiet_failure`). Once the server answers
again the next failure opens a box again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.domain.wording import plural
from annotator.ui.colours import set_text_role
from annotator.ui.plain import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: The waits between tries while the server is out of reach, then the last one again.
BACKOFF_MS = (1000, 2000, 4000, 8000, 15000)
#: How long "Reconnected" stays in the status bar.
RECONNECTED_MS = 10000

UNREACHABLE = "Team server unreachable — retrying…"
RECONNECTED = "Reconnected to the team server"


class ConnectionStatus(QObject):
    """Whether the window's team server answers, in a status-bar label of its own.

    Signals:
        lost(): the server stopped answering (first failure only).
        restored(): it answers again.
    """

    lost = Signal()
    restored = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._label: QLabel | None = None
        self._failures = 0
        self.reason = ""
        #: Changes not saved in this outage (0: none, or the server answers).
        self.unsaved = 0
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.setInterval(RECONNECTED_MS)
        self._fade.timeout.connect(self._hide)

    @property
    def down(self) -> bool:
        return self._failures > 0

    @property
    def text(self) -> str:
        """What the status bar says about the connection ("" when nothing)."""
        label = self._label
        return label.text() if label is not None and not label.isHidden() else ""

    def next_wait(self) -> int | None:
        """How long to wait before the next try (None: the server answers)."""
        if not self._failures:
            return None
        return BACKOFF_MS[min(self._failures, len(BACKOFF_MS)) - 1]

    def unreachable(self, reason: str) -> None:
        """A look or a save failed for want of the server."""
        self._failures += 1
        self.reason = reason
        self._show(UNREACHABLE, f"{reason}\n\nTried {self._failures} time(s); trying again "
                                f"in {self.next_wait() // 1000} s.", "error")
        if self._failures == 1:
            self.lost.emit()

    def quiet_failure(self, message: str) -> bool:
        """A change was not saved (``message`` says why). True when the analyst was
        already told in a box during this outage: then the status bar says it (the
        caller shows no box); False (a box is due) otherwise."""
        if not self.down:
            return False
        self.unsaved += 1
        if self.unsaved == 1:
            return False
        self._window.statusBar().showMessage(
            f"NOT SAVED: {plural(self.unsaved, 'change')} not saved while the team server "
            f"is out of reach. {message}")
        return True

    def reachable(self) -> None:
        """A look worked: say "Reconnected" if the server had been out of reach."""
        if not self._failures:
            return
        self._failures = 0
        self.reason = ""
        self.unsaved = 0
        self._show(RECONNECTED, "The team server answers again; new changes are saved.",
                   "success")
        self._fade.start()
        self.restored.emit()

    def reset(self) -> None:
        """Another project was opened: nothing to say."""
        self._failures = 0
        self.reason = ""
        self.unsaved = 0
        self._hide()

    def _show(self, text: str, tip: str, role: str) -> None:
        if self._label is None:
            self._label = QLabel(self._window)
            self._label.setObjectName("connectionStatus")
            self._label.setTextFormat(Qt.TextFormat.PlainText)
            font = self._label.font()
            font.setBold(True)
            self._label.setFont(font)
            self._window.statusBar().addPermanentWidget(self._label)
        self._fade.stop()
        self._label.setText(text)
        self._label.setToolTip(plain_tooltip(tip))
        set_text_role(self._label, role)
        self._label.show()

    def _hide(self) -> None:
        self._fade.stop()
        if self._label is not None:
            self._label.hide()
