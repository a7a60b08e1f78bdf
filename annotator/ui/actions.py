"""Making the menu actions of the window and of review mode, one way."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def make_action(parent: QObject, text: str, slot: Callable[..., object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "", *, checkable: bool = False) -> QAction:
    """An action calling ``slot()`` when triggered (``slot(checked)`` when toggled,
    for a ``checkable`` one), with its key and its tip as tooltip and status tip."""
    action = QAction(text, parent)
    if shortcut is not None and shortcut != "":
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.setCheckable(checkable)
    if checkable:
        action.toggled.connect(slot)
    else:
        action.triggered.connect(lambda _checked=False: slot())
    return action
