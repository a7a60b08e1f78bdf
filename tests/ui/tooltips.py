"""Reading tooltips as the user does: the app escapes data into a paragraph of
rich text (``annotator.ui.plain.plain_tooltip``), so tests compare its text."""

from __future__ import annotations

from PySide6.QtGui import QTextDocumentFragment


def tooltip_text(tip: str | None) -> str | None:
    """The text a tooltip shows (None and "" as they are)."""
    return QTextDocumentFragment.fromHtml(tip).toPlainText() if tip else tip
