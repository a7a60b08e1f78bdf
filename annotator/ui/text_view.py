"""The document viewer: read-only text with claim highlights painted under it.

Highlights are painted, not stored as character formats: a paint walks only
the visible blocks and asks a :class:`SpanIndex` for the claims there, so
opening a document costs little more than ``setPlainText`` and adding a claim
repaints the viewport without touching the document layout.

All conversion between stored code-point offsets and Qt's UTF-16 positions
happens here, through one :class:`OffsetMap` per document. Quotes are never
read back from the widget.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextCursor,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.domain.model import Claim, Document
from annotator.domain.offsets import OffsetMap
from annotator.domain.spans import SpanIndex, assign_lanes
from annotator.ui.palette import stance_colour

FILL_ALPHA = 60
CURRENT_FILL_ALPHA = 120
LANE_SPACING = 3.0


class ClaimTextView(QPlainTextEdit):
    """Shows one document and its claims.

    Signals:
        claim_clicked(str): the user clicked a highlight; the id of the claim
            under the pointer (clicking again cycles through nested claims).
    """

    claim_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setCenterOnScroll(False)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.setFont(font)
        self.document().setDocumentMargin(12)
        self._document: Document | None = None
        self._map = OffsetMap("")
        self._index = SpanIndex()
        self._claims: dict[str, Claim] = {}
        self._current: str | None = None
        self._press_pos: QPointF | None = None

    # Content -------------------------------------------------------------------

    @property
    def document_id(self) -> str | None:
        return self._document.id if self._document else None

    @property
    def offsets(self) -> OffsetMap:
        return self._map

    def set_document(self, document: Document | None, claims: list[Claim]) -> None:
        self._document = document
        self._map = OffsetMap(document.text if document else "")
        self._claims = {claim.id: claim for claim in claims}
        self._index = SpanIndex((c.start, c.end, c.id) for c in claims)
        self._current = None
        self.setPlainText(self._map.display_text)

    def add_claim(self, claim: Claim) -> None:
        self._claims[claim.id] = claim
        self._index.add(claim.start, claim.end, claim.id)
        self._repaint_span(claim.start, claim.end)

    def update_claim(self, claim: Claim) -> None:
        old = self._claims.get(claim.id)
        self.add_claim(claim)
        if old is not None and (old.start, old.end) != (claim.start, claim.end):
            self._repaint_span(old.start, old.end)

    def remove_claim(self, claim_id: str) -> None:
        claim = self._claims.pop(claim_id, None)
        self._index.remove(claim_id)
        if self._current == claim_id:
            self._current = None
        if claim is not None:
            self._repaint_span(claim.start, claim.end)

    def claim_ids(self) -> list[str]:
        return self._index.keys_in_order()

    # Selection and current claim -------------------------------------------------

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as code-point offsets ``(start, end)``, trimmed of white
        space at both ends; None when nothing (or only white space) is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self._document is None:
            return None
        start = self._map.to_offset(cursor.selectionStart())
        end = self._map.to_offset(cursor.selectionEnd(), round_up=True)
        text = self._document.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def select_span(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` as the user would with the mouse."""
        cursor = self.textCursor()
        cursor.setPosition(self._map.to_display(start))
        cursor.setPosition(self._map.to_display(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    @property
    def current_claim_id(self) -> str | None:
        return self._current

    def set_current_claim(self, claim_id: str | None, *, reveal: bool = False) -> None:
        previous = self._claims.get(self._current) if self._current else None
        self._current = claim_id if claim_id in self._claims else None
        if previous is not None:
            self._repaint_span(previous.start, previous.end)
        claim = self._claims.get(self._current) if self._current else None
        if claim is None:
            return
        if reveal:
            cursor = self.textCursor()
            cursor.setPosition(self._map.to_display(claim.start))
            self.setTextCursor(cursor)
            self.centerCursor()
        self._repaint_span(claim.start, claim.end)

    def claims_at(self, offset: int) -> list[str]:
        """Ids of the claims containing code point ``offset``, innermost first."""
        return [key for _, _, key in self._index.at(offset)]

    # Painting ----------------------------------------------------------------------

    def _visible_range(self) -> tuple[int, int]:
        """Display positions of the first and past the last visible character."""
        top = self.cursorForPosition(self.viewport().rect().topLeft()).block()
        bottom = self.cursorForPosition(self.viewport().rect().bottomRight()).block()
        return top.position(), bottom.position() + bottom.length()

    def _repaint_span(self, start: int, end: int) -> None:
        first, last = self._visible_range()
        if self._map.to_display(end) >= first and self._map.to_display(start) <= last:
            self.viewport().update()

    def _span_rects(self, start: int, end: int, first_block_pos: int,
                    last_pos: int) -> list[tuple[QRectF, QTextLine | None]]:
        """Rectangles covering display positions ``[start, end)`` in visible blocks."""
        rects: list[tuple[QRectF, QTextLine | None]] = []
        doc = self.document()
        block = doc.findBlock(max(start, first_block_pos))
        offset = self.contentOffset()
        while block.isValid() and block.position() < min(end, last_pos):
            layout = block.layout()
            origin = self.blockBoundingGeometry(block).translated(offset).topLeft()
            base = block.position()
            lo, hi = max(start, base) - base, min(end, base + block.length() - 1) - base
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                line_lo, line_hi = line.textStart(), line.textStart() + line.textLength()
                a, b = max(lo, line_lo), min(hi, line_hi)
                if a > b or (a == b and not (lo == hi == a)):
                    continue
                x1, x2 = line.cursorToX(a)[0], line.cursorToX(b)[0]
                if x2 - x1 < 2 and b >= line_hi and end > base + line_hi:
                    x2 = x1 + 4   # a span that runs on past the line end
                rects.append((QRectF(origin.x() + min(x1, x2), origin.y() + line.y(),
                                     abs(x2 - x1), line.height()), line))
            block = block.next()
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._claims:
            self._paint_highlights(event)
        super().paintEvent(event)

    def _paint_highlights(self, event: QPaintEvent) -> None:
        first, last = self._visible_range()
        cp_first = self._map.to_offset(first)
        cp_last = self._map.to_offset(last, round_up=True)
        spans = self._index.overlapping(cp_first, max(cp_last, cp_first + 1))
        if not spans:
            return
        lanes = assign_lanes(spans)
        painter = QPainter(self.viewport())
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            current_rects: list[QRectF] = []
            for start, end, key in spans:
                claim = self._claims[key]
                colour = QColor(stance_colour(claim.stance))
                fill = QColor(colour)
                is_current = key == self._current
                fill.setAlpha(CURRENT_FILL_ALPHA if is_current else FILL_ALPHA)
                lane = lanes[key]
                rects = self._span_rects(self._map.to_display(start), self._map.to_display(end),
                                         first, last)
                pen = QPen(colour.darker(120), 2)
                for rect, _line in rects:
                    painter.fillRect(rect, fill)
                    y = rect.bottom() - 1 - lane * LANE_SPACING
                    painter.setPen(pen)
                    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
                if is_current:
                    current_rects = [rect for rect, _ in rects]
            if current_rects:
                painter.setPen(QPen(QColor(self.palette().text().color()), 1.5,
                                    Qt.PenStyle.SolidLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for rect in current_rects:
                    painter.drawRect(rect.adjusted(-1, 0, 1, 0))
        finally:
            painter.end()

    # Mouse -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        if (event.position() - press).manhattanLength() > 4 or self.textCursor().hasSelection():
            return
        claim_id = self.claim_at_point(event.position())
        if claim_id is not None:
            self.claim_clicked.emit(claim_id)

    def claim_at_point(self, point: QPointF) -> str | None:
        """The claim under a viewport point; repeated calls on nested claims cycle
        from the innermost outwards, starting after the current claim."""
        cursor = self.cursorForPosition(point.toPoint())
        position = cursor.position()
        if point.x() < self.cursorRect(cursor).x() and position > 0:
            position -= 1     # the pointer is on the character before the cursor
        offset = self._map.to_offset(position)
        if self._document is not None and offset >= len(self._document.text):
            offset = max(0, len(self._document.text) - 1)
        ids = self.claims_at(offset)
        if not ids:
            return None
        if self._current in ids:
            return ids[(ids.index(self._current) + 1) % len(ids)]
        return ids[0]
