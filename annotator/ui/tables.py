"""How the app's read-only tables look and behave: whole rows, one at a time, no
in-place editing, compact rows, Tab moving on to the next panel, a tooltip on
every column header; and :class:`ColumnFitter`, which keeps a table's main
column readable however narrow its panel is."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
)

from annotator.ui.plain import plain_tooltip

#: What a column header means, for headers whose model gives no tooltip.
HEADER_TIPS = {
    "Title": "The document's title (the whole title, source and date in each row's tooltip)",
    "Status": "New, in progress or done (Ctrl+Shift+1, Ctrl+Shift+2, Ctrl+D)",
    "Claims": "How many claims",
    "Quote": "The claim's text, as marked in the document",
    "Analyst": "Who made the claim: only your own claims can be edited (View › Show "
               "Claims chooses whose claims are shown)",
    "Stance": "Whether the claim supports or refutes the proposition",
    "Source": "Who makes the claim (person or organisation)",
    "Reliability": "The source's reliability: Admiralty grade A (reliable) … F (cannot judge)",
    "Type": "The kind of claim (a quantity, a prediction, cause and effect …)",
    "Proposition": "The statement the stance is judged against",
    "Note": "The analyst's note on the claim",
    "Tags": "The claim's tags",
    "Start": "Where the claim starts in the text (characters from the start)",
    "Name": "The source's name as claims give it",
    "Kind": "Person, organisation, media or other",
    "Document": "The document the claim is in",
    "Grade": "The Admiralty grade given to the claim's source",
    "Order": "The label's place on its scale",
    "Key": "What is stored and exported for the label",
    "Description": "What the label means, for the team",
    "Colour": "The highlight colour of claims with this label",
    "Shortcut": "The key that gives a claim this label",
    "Retired": "Retired labels stay on the claims that have them but are not offered",
    "Items": "How many items the measure compares",
    "Analysts": "The analysts assigned to the document (each has marked their part done)",
    "Differences": "Matched claims the analysts did not mark alike",
    "Span F1": "How far the analysts' spans agree (1: the same spans)",
    "Review": "Review of the analysts' claims: unreviewed (—), in review, adjudicated",
    "Precision": "Of one analyst's spans, the share the other also marked",
    "Recall": "Of the other analyst's spans, the share this one also marked",
    "F1": "The harmonic mean of precision and recall",
    "Cohen's κ": "Agreement of two analysts beyond chance (1: complete)",
    "Krippendorff's α": "Agreement of all analysts beyond chance (1: complete)",
}


def header_tip(table: QTableView, section: int) -> str:
    """The tooltip of ``section``'s header: the model's, else :data:`HEADER_TIPS`',
    else the header's own text (whole, when the header shows it elided)."""
    model = table.model()
    if model is None:
        return ""
    own = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    if own:
        return str(own)
    text = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    text = "" if text is None else str(text)
    return HEADER_TIPS.get(text, text)


class _HeaderTips(QObject):
    """Shows :func:`header_tip` over a table's column headers."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table.horizontalHeader())
        self._table = table
        table.horizontalHeader().viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            header = self._table.horizontalHeader()
            section = header.logicalIndexAt(event.pos())
            tip = header_tip(self._table, section) if section >= 0 else ""
            if tip:
                QToolTip.showText(event.globalPos(), plain_tooltip(tip), header)
            else:
                QToolTip.hideText()
            return True
        return False


def add_header_tips(table: QTableView) -> None:
    if table.property("annotatorHeaderTips"):
        return
    table.setProperty("annotatorHeaderTips", True)
    _HeaderTips(table)


def table_defaults(table: QTableView) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)     # Tab moves to the next panel, not the next cell
    add_header_tips(table)


class ElideRightDelegate(QStyledItemDelegate):
    """Cells that keep their start when too narrow (the table elides in the middle)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


class ColumnFitter(QObject):
    """Sizes a table's columns to the panel: the ``main`` column (a title, a quote)
    gets what the others leave, and never less than ``share`` of the width; the
    others get their content's width up to ``cap`` pixels; when the panel is too
    narrow for all of them the ``drop`` columns are hidden first (the header's
    tooltip still explains them), then the ``squeeze`` columns narrowed (to no
    less than ``floor``; their text elides), then the rest. Long text elides in
    the middle; the whole of it is in the cell's tooltip. A column is as wide as
    its cells or its header's text, whichever is wider (the room for a sort
    arrow only on the column sorted by)."""

    def __init__(self, table: QTableView, main: int = 0, *, share: float = 0.45,
                 cap: int = 150, floor: int = 40, drop: Sequence[int] = (),
                 squeeze: Sequence[int] = (), comfort: float = 0.0) -> None:
        super().__init__(table)
        self._table, self._main, self._share = table, main, share
        #: The main column's share the ``squeeze`` columns narrow for (to their least).
        self._comfort = comfort
        self._cap, self._floor = cap, floor
        self._drop = tuple(drop)
        self._dropped: list[int] = []
        self._squeeze = tuple(squeeze)
        for column in self._squeeze:    # their start says most ("Done…", "Assig…")
            table.setItemDelegateForColumn(column, ElideRightDelegate(table))
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(min(floor, header.minimumSectionSize()))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(main, QHeaderView.ResizeMode.Stretch)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        model = table.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved, model.dataChanged, header.sectionCountChanged):
            signal.connect(self._timer.start)
        table.viewport().installEventFilter(self)

    def set_share(self, share: float) -> None:
        """The main column's least share of the width."""
        if share != self._share:
            self._share = share
            self._timer.start()

    def set_drop(self, drop: Sequence[int]) -> None:
        """Columns hidden, in this order, while the others do not fit (shown again
        when they do); only the ones this fitter hid come back."""
        drop = tuple(drop)
        if drop == self._drop:
            return
        header = self._table.horizontalHeader()
        for column in self._dropped:
            header.showSection(column)
        self._dropped = []
        self._drop = drop
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        return False

    def _header_width(self, column: int) -> int:
        """The header's text, its margins, and the sort arrow when sorted by it."""
        table = self._table
        header = table.horizontalHeader()
        text = table.model().headerData(column, Qt.Orientation.Horizontal)
        style = header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        width = header.fontMetrics().horizontalAdvance(str(text or "")) + 2 * margin + 6
        if table.isSortingEnabled() and header.sortIndicatorSection() == column \
                and header.isSortIndicatorShown():
            width += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) \
                + margin
        return width

    def fit(self) -> None:
        table = self._table
        header = table.horizontalHeader()
        width = table.viewport().width()
        if width <= 0 or table.model() is None:
            return
        room = width - max(int(width * self._share), 1)

        def want(column: int) -> int:
            return min(max(table.sizeHintForColumn(column), self._header_width(column)),
                       self._cap)

        def least(column: int, wanted: int) -> int:
            """A squeezed column's floor: its header's text still shows whole."""
            return min(wanted, max(self._floor, self._header_width(column)))

        def need(wants: dict[int, int]) -> int:
            """Their least width: the squeezed columns at their floor."""
            return sum(least(c, w) if c in self._squeeze else w for c, w in wants.items())

        others = [c for c in range(header.count())
                  if c != self._main and not header.isSectionHidden(c)]
        wants = {c: want(c) for c in others}
        while self._dropped:        # room again: show what was dropped, last first
            column = self._dropped[-1]
            if need({**wants, column: want(column)}) > room:
                break
            self._dropped.pop()
            header.showSection(column)
            wants[column] = want(column)
        for column in self._drop:
            if need(wants) <= room:
                break
            if column in wants:
                header.hideSection(column)
                self._dropped.append(column)
                del wants[column]
        # These give way first (their text elides), so the main column has its
        # comfortable share where they can.
        comfort = width - max(int(width * max(self._comfort, self._share)), 1)
        for column in self._squeeze:
            excess = sum(wants.values()) - max(comfort, 0)
            if excess <= 0:
                break
            if column in wants:
                wants[column] = max(wants[column] - excess, least(column, wants[column]))
        total = sum(wants.values())
        if total > room and total > 0:       # too narrow: every other column gives way
            scale = max(room, 0) / total
            wants = {c: max(int(w * scale), min(self._floor, w)) for c, w in wants.items()}
            excess = sum(wants.values()) - max(room, 0)
            while excess > 0:     # the floors overshot: the widest give a pixel each
                widest = max(wants, key=lambda c: wants[c])
                if wants[widest] <= self._floor:
                    break
                wants[widest] -= 1
                excess -= 1
        for column, wanted in wants.items():
            if header.sectionSize(column) != wanted:
                header.resizeSection(column, wanted)
