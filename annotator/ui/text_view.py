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

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextCursor,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.domain.lazy_claims import ClaimMap, spans_of
from annotator.domain.model import Claim, Document
from annotator.domain.offsets import OffsetMap
from annotator.domain.spans import SpanIndex, assign_lanes

FILL_ALPHA = 60
CURRENT_FILL_ALPHA = 120
LANE_SPACING = 3.0
HANDLE_REACH = 5.0          # pixels around a claim edge where a drag adjusts it
UNLABELLED = QColor("#E8D52A")   # Okabe–Ito yellow, darkened: "still to label"

Colouring = Callable[[Claim], QColor | None]


class ClaimTextView(QPlainTextEdit):
    """Shows one document and its claims.

    Signals:
        claim_clicked(str): the user clicked a highlight; the id of the claim
            under the pointer (clicking again cycles through nested claims).
        span_dragged(str, int, int): the user dragged an edge of the current
            claim; its id and the proposed new code-point span.
        caret_moved(): the user moved the text cursor or changed the selection with
            a key or the mouse (never emitted for the program's own moves).
    """

    claim_clicked = Signal(str)
    span_dragged = Signal(str, int, int)
    caret_moved = Signal()

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
        self.document().setUndoRedoEnabled(False)   # read-only: nothing to undo
        self.viewport().setMouseTracking(True)
        self._document: Document | None = None
        self._map = OffsetMap("")
        self._index = SpanIndex()
        self._claims = ClaimMap()
        self._current: str | None = None
        self._press_pos: QPointF | None = None
        self._colouring: Colouring = lambda _claim: None
        self._shown: Callable[[Claim], bool] = lambda _claim: True
        self._filtered = False
        self._drag: tuple[str, str, int, int] | None = None   # claim id, edge, start, end

    # Content -------------------------------------------------------------------

    @property
    def document_id(self) -> str | None:
        return self._document.id if self._document else None

    @property
    def offsets(self) -> OffsetMap:
        return self._map

    def set_document(self, document: Document | None, claims: Sequence[Claim]) -> None:
        self._document = document
        self._map = OffsetMap(document.text if document else "")
        self._set_claims(claims)
        self._current = None
        # The document's own setPlainText: the widget's would also give every
        # character the insertion format, a second pass over a 5 MB text.
        text = self.document()
        text.setPlainText(self._map.display_text)
        self.setTextCursor(QTextCursor(text))     # at the start, as setPlainText leaves it

    def set_claims(self, claims: Sequence[Claim]) -> None:
        """Replace the claims shown over the same text (after a relabelling)."""
        self._set_claims(claims)
        if self._current not in self._claims:
            self._current = None
        self.viewport().update()

    def _set_claims(self, claims: Sequence[Claim]) -> None:
        """Index the claims' spans; claims given lazily are made when painted or
        walked over, not here."""
        spans = spans_of(claims)
        self._claims = ClaimMap(claims, spans)
        self._index = SpanIndex(spans)

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
        claim = self._claims.pop(claim_id)
        self._index.remove(claim_id)
        if self._current == claim_id:
            self._current = None
        if claim is not None:
            self._repaint_span(claim.start, claim.end)

    def claim_ids(self) -> list[str]:
        return self._index.keys_in_order()

    def step_claim_id(self, direction: int, *,
                      accept: Callable[[Claim], bool] = lambda _claim: True) -> str | None:
        """The next (+1) or previous (-1) shown claim after the current one that
        ``accept`` takes, in text order, wrapping round; from the cursor when no
        claim is current."""
        offset = self._map.to_offset(self.textCursor().position())
        return self._index.walk(
            self._current, direction, offset=offset,
            accept=lambda key: self._shown(self._claims[key]) and accept(self._claims[key]))

    def visible_claim_ids(self) -> list[str]:
        """Claim ids in text order, without those the filter hides."""
        keys = self._index.keys_in_order()
        if self._filtered:
            return [key for key in keys if self._shown(self._claims[key])]
        return keys

    def set_colouring(self, colouring: Colouring) -> None:
        """How claims are coloured: a colour per claim, None meaning "not labelled"."""
        self._colouring = colouring
        self.viewport().update()

    def set_filter(self, shown: Callable[[Claim], bool] | None) -> None:
        """Show only claims for which ``shown`` is true (all with None)."""
        self._shown = shown or (lambda _claim: True)
        self._filtered = shown is not None
        self.viewport().update()

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
        spans = [span for span in self._index.overlapping(cp_first, max(cp_last, cp_first + 1))
                 if self._shown(self._claims[span[2]])]
        if self._drag is not None:
            claim_id, _edge, start, end = self._drag
            spans = sorted([s for s in spans if s[2] != claim_id] + [(start, end, claim_id)])
        if not spans:
            return
        lanes = assign_lanes(spans)
        painter = QPainter(self.viewport())
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            current_rects: list[QRectF] = []
            for start, end, key in spans:
                claim = self._claims[key]
                labelled = self._colouring(claim)
                colour = QColor(labelled) if labelled is not None else UNLABELLED
                fill = QColor(colour)
                is_current = key == self._current
                fill.setAlpha(CURRENT_FILL_ALPHA if is_current else FILL_ALPHA)
                lane = lanes[key]
                rects = self._span_rects(self._map.to_display(start), self._map.to_display(end),
                                         first, last)
                # Unlabelled claims are dashed, so they differ by more than colour.
                pen = QPen(colour.darker(130), 2, Qt.PenStyle.SolidLine if labelled is not None
                           else Qt.PenStyle.DashLine)
                for i, (rect, _line) in enumerate(rects):
                    painter.fillRect(rect, fill)
                    y = rect.bottom() - 1 - lane * LANE_SPACING
                    painter.setPen(pen)
                    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
                    # Brackets mark where a claim starts and ends, so nested and
                    # overlapping claims stay distinct in any colouring.
                    bracket = QPen(colour.darker(160), 1.5)
                    painter.setPen(bracket)
                    if i == 0 and self._map.to_display(start) >= first:
                        self._bracket(painter, rect, rect.left(), +1, lane)
                    if i == len(rects) - 1 and self._map.to_display(end) <= last:
                        self._bracket(painter, rect, rect.right(), -1, lane)
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

    @staticmethod
    def _bracket(painter: QPainter, rect: QRectF, x: float, facing: int, lane: int) -> None:
        top, bottom = rect.top() + 1 + lane, rect.bottom() - 1
        arm = 3.0 * facing
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.drawLine(QPointF(x, top), QPointF(x + arm, top))
        painter.drawLine(QPointF(x, bottom), QPointF(x + arm, bottom))

    # Mouse -------------------------------------------------------------------------

    def _edge_at(self, point: QPointF) -> str | None:
        """"start" or "end" when ``point`` is on an edge of the current claim."""
        claim = self._claims.get(self._current) if self._current else None
        if claim is None:
            return None
        for edge, offset in (("start", claim.start), ("end", claim.end)):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._map.to_display(offset))
            rect = self.cursorRect(cursor)
            if abs(point.x() - rect.x()) <= HANDLE_REACH and \
                    rect.top() - 2 <= point.y() <= rect.bottom() + 2:
                return edge
        return None

    def _offset_at(self, point: QPointF) -> int:
        return self._map.to_offset(self.cursorForPosition(point.toPoint()).position())

    def _caret(self) -> tuple[int, int]:
        cursor = self.textCursor()
        return cursor.position(), cursor.anchor()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self._caret()
        super().keyPressEvent(event)
        if self._caret() != before:
            self.caret_moved.emit()

    def in_sight(self, claim_id: str) -> bool:
        """Whether any of the claim's text is in the viewport now."""
        claim = self._claims.get(claim_id)
        if claim is None:
            return False
        first, last = self._visible_range()
        return (self._map.to_display(claim.start) < last
                and self._map.to_display(claim.end) >= first)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            claim_id, edge, start, end = self._drag
            offset = self._offset_at(event.position())
            if edge == "start" and offset < end:
                start = offset
            elif edge == "end" and offset > start:
                end = offset
            self._drag = (claim_id, edge, start, end)
            self.viewport().update()
            return
        edge = self._edge_at(event.position())
        self.viewport().setCursor(Qt.CursorShape.SizeHorCursor if edge
                                  else Qt.CursorShape.IBeamCursor)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position()
        edge = self._edge_at(event.position()) \
            if event.button() == Qt.MouseButton.LeftButton else None
        if edge is not None and self._current is not None:
            claim = self._claims[self._current]
            self._drag = (claim.id, edge, claim.start, claim.end)
            return
        before = self._caret()
        super().mousePressEvent(event)
        if self._caret() != before:
            self.caret_moved.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            claim_id, _edge, start, end = self._drag
            self._drag = None
            self._press_pos = None
            self.viewport().update()
            claim = self._claims.get(claim_id)
            if claim is not None and (start, end) != (claim.start, claim.end):
                self.span_dragged.emit(claim_id, start, end)
            return
        before = self._caret()
        super().mouseReleaseEvent(event)
        if self._caret() != before or self.textCursor().hasSelection():
            self.caret_moved.emit()
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
