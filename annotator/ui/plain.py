"""Data shown as written, never as HTML.

Qt guesses whether the text of a label, a tooltip or a message box is rich
text (``Qt::mightBeRichText``: a tag on its first line is enough), and rich
text can load local files: a web page whose ``<meta name="author">`` reads
``<img src=/dev/zero>`` would make the app read ``/dev/zero`` until it runs
out of memory. Anything that comes from a document, a claim, a source, a
review comment or an imported codebook is shown through these helpers.

Item views' display text is always plain; their tooltips are not, so an item
model's ``ToolTipRole`` goes through :func:`plain_tooltip`.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain(label: QLabel) -> QLabel:
    """Make ``label`` show its text as written (it may already hold text)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows ``text``, and whatever it is later given, as written."""
    label = plain(QLabel(parent))
    label.setText(text)
    return label


def plain_tooltip(text: str | None) -> str:
    """A tooltip that shows ``text`` as written: escaped and wrapped in a
    paragraph, so Qt takes it for rich text with no markup but the line breaks
    (a long quote still wraps). ``""`` for no text (no tooltip)."""
    if not text:
        return ""
    # Qt's own escaping (Qt::convertFromPlainText is in the Qt namespace of QtGui).
    return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def show_message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                 buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                 default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton
                 ) -> QMessageBox.StandardButton:
    """``QMessageBox.warning``/``critical``/``question``/… for text that holds
    data: shown as written. Returns the button pressed."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return QMessageBox.StandardButton(box.exec())


def warn(parent: QWidget | None, title: str, text: str) -> None:
    show_message(parent, QMessageBox.Icon.Warning, title, text)


def fail(parent: QWidget | None, title: str, text: str) -> None:
    show_message(parent, QMessageBox.Icon.Critical, title, text)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    show_message(parent, QMessageBox.Icon.Information, title, text)
