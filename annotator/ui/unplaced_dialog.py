"""Claims that re-anchoring could not place in a document's new version: listed
for the analyst, who selects the right text in the new version and places them
(or leaves them on the old version). Nothing is dropped."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Claim
from annotator.ui.plain import plain_tooltip

_ROLE = Qt.ItemDataRole.UserRole + 1


class UnplacedDialog(QDialog):
    """Signals:
        show_requested(str): open this (newest) document version.
        place_requested(object, str): place the claim at the viewer's selection
            in the newest version (claim, document id).
    """

    show_requested = Signal(str)
    place_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Claims to Place")
        self.setModal(False)
        self.list = QListWidget()
        self.list.setObjectName("unplacedList")
        explain = QLabel("These claims were on a document that has a new version, and their "
                         "text could not be found in it. Open the new version, select where "
                         "each claim belongs and press Place at Selection; until then they "
                         "stay on the old version with all their labels.")
        explain.setWordWrap(True)
        self.show_button = QPushButton("Open New Version")
        self.place_button = QPushButton("Place at Selection")
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.place_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.show_button.clicked.connect(self._on_show)
        self.place_button.clicked.connect(self._on_place)
        self.list.itemDoubleClicked.connect(lambda _item: self._on_show())
        self.resize(640, 360)

    def set_claims(self, claims: list[tuple[Claim, str]]) -> None:
        self.list.clear()
        for claim, newest in claims:
            quote = " ".join(claim.quote.split())
            item = QListWidgetItem(f"“{quote[:90]}”  ·  {claim.stance or 'no stance'}")
            item.setToolTip(plain_tooltip(claim.quote))
            item.setData(_ROLE, (claim, newest))
            self.list.addItem(item)
        if claims:
            self.list.setCurrentRow(0)
        self.place_button.setEnabled(bool(claims))
        self.show_button.setEnabled(bool(claims))

    def _current(self) -> tuple[Claim, str] | None:
        item = self.list.currentItem()
        return None if item is None else item.data(_ROLE)

    def _on_show(self) -> None:
        current = self._current()
        if current is not None:
            self.show_requested.emit(current[1])

    def _on_place(self) -> None:
        current = self._current()
        if current is not None:
            self.place_requested.emit(*current)
