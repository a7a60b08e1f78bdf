"""What the geometry tests measure in a rendered window: the viewer's share of
the width, and text that shows as "…" alone (a label, a header, a tab or a
table cell too narrow to show any of its text)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTabBar, QWidget

ELLIPSIS = "…"


def _elided(metrics: QFontMetrics, text: str, width: int,
            mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> str:
    return metrics.elidedText(text, mode, max(width, 0))


def nothing_shown(text: str, shown: str) -> bool:
    """True when ``text`` has something to show but only an ellipsis (or nothing,
    or a single character and the ellipsis) fits."""
    stripped = shown.replace(ELLIPSIS, "").strip()
    return bool(text.strip()) and len(text.strip()) > 1 and len(stripped) <= 1


def elided_to_nothing(root: QWidget) -> list[str]:
    """Every visible text under ``root`` that would show as "…" (or one letter
    and "…"), described for an assertion message."""
    found: list[str] = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or label.wordWrap() or not label.text() \
                or label.textFormat() == Qt.TextFormat.RichText:
            continue
        text = label.text().replace("&", "")
        room = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0)
        shown = _elided(label.fontMetrics(), text.splitlines()[0] if text else text, room)
        if nothing_shown(text, shown):
            found.append(f"label {label.objectName() or text!r}: {shown!r} in {room}px")
    for header in root.findChildren(QHeaderView):
        if not header.isVisible() or header.orientation() != Qt.Orientation.Horizontal:
            continue
        model = header.model()
        if model is None:
            continue
        for section in range(header.count()):
            if header.isSectionHidden(section) or header.sectionSize(section) <= 0:
                continue
            text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
            room = header.sectionSize(section) - 12          # the style's margins
            shown = _elided(header.fontMetrics(), text, room)
            if nothing_shown(text, shown):
                found.append(f"header {text!r}: {shown!r} in {room}px")
    for bar in root.findChildren(QTabBar):
        if not bar.isVisible():
            continue
        for tab in range(bar.count()):
            text = bar.tabText(tab).replace("&", "")
            room = bar.tabRect(tab).width() - 12
            shown = _elided(bar.fontMetrics(), text, room)
            if nothing_shown(text, shown):
                found.append(f"tab {text!r}: {shown!r} in {room}px")
    for view in root.findChildren(QAbstractItemView):
        if not view.isVisible() or view.model() is None or not hasattr(view, "columnWidth"):
            continue
        model = view.model()
        rows = min(model.rowCount(QModelIndex()), 20)
        for column in range(model.columnCount(QModelIndex())):
            if view.isColumnHidden(column):   # type: ignore[attr-defined]
                continue
            width = view.columnWidth(column)   # type: ignore[attr-defined]
            for row in range(rows):
                text = model.index(row, column).data()
                if not isinstance(text, str):
                    continue
                icon = model.index(row, column).data(Qt.ItemDataRole.DecorationRole)
                room = width - 8 - (view.iconSize().width() + 4 if icon is not None else 0)
                shown = _elided(view.fontMetrics(), text, room, view.textElideMode())
                if nothing_shown(text, shown):
                    found.append(f"{view.objectName() or type(view).__name__} cell "
                                 f"({row}, {column}) {text[:30]!r}: {shown!r} in {room}px")
                    break
    return found


def viewer_share(window: QWidget, viewer: QWidget) -> float:
    return viewer.width() / window.width()
