"""The main window's panels, docks and status bar, and how its layout is kept
between sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QSplitter,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.claim_editor import ClaimEditor
from annotator.ui.document_list import DocumentList
from annotator.ui.document_panel import DocumentPanel
from annotator.ui.find_bar import FindBar
from annotator.ui.first_steps import FirstStepsGuide
from annotator.ui.item_models import (
    ClaimFilterModel,
    ClaimTableModel,
)
from annotator.ui.keyboard import KeyboardFlow
from annotator.ui.legend import LegendPanel
from annotator.ui.source_panel import SourcePanel
from annotator.ui.tables import table_defaults
from annotator.ui.text_view import ClaimTextView

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def build_widgets(window: MainWindow) -> None:
    """Create the window's panels and docks (as attributes) and its status bar."""
    doclist = window.document_panel = DocumentList(window)
    # The names the window (and its tests) have always used.
    window.documents, window.document_proxy = doclist.model, doclist.proxy
    window.document_list, window.status_filter = doclist.table, doclist.status_filter
    window.progress, window.progress_label = doclist.progress, doclist.progress_label

    window.view = ClaimTextView()
    window.view.setObjectName("documentView")
    window.keyboard = KeyboardFlow(window, lambda: window.codebook, window)
    window.view.installEventFilter(window.keyboard)
    window.find_bar = FindBar(window.view)
    window.find_bar.setObjectName("findBar")

    window.claims = ClaimTableModel(window)
    window.claim_proxy = ClaimFilterModel(window)
    window.claim_proxy.setSourceModel(window.claims)
    window.claim_table = QTableView()
    window.claim_table.setObjectName("claimTable")
    window.claim_table.setModel(window.claim_proxy)
    table_defaults(window.claim_table)
    # Text order until the user clicks a header: sorting 10,000 rows through
    # the proxy on every document switch would cost more than opening the text.
    window.claim_table.setSortingEnabled(True)
    window.claim_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    header = window.claim_table.horizontalHeader()
    header.setDefaultSectionSize(105)
    # The quote gets real room (the labels' columns are short); the last column
    # takes what is left over.
    header.resizeSection(0, 300)
    header.setStretchLastSection(True)
    header.resizeSection(ClaimTableModel.HEADERS.index("Start"), 60)
    header.resizeSection(ClaimTableModel.HEADERS.index("Reliability"), 80)

    window.editor = ClaimEditor()
    window.editor.setObjectName("claimEditor")
    window.editor.read_only_reason = window.read_only_reason
    window.legend = LegendPanel()
    window.legend.setObjectName("legend")
    window.sources = SourcePanel()
    window.sources.setObjectName("sources")
    window.details = DocumentPanel()
    window.details.setObjectName("documentDetails")
    window.setAcceptDrops(True)

    text_panel = QWidget()
    text_layout = QVBoxLayout(text_panel)
    text_layout.setContentsMargins(0, 0, 0, 0)
    text_layout.setSpacing(0)
    window.first_steps = FirstStepsGuide(window.settings)
    text_layout.addWidget(window.first_steps)
    text_layout.addWidget(window.view, 1)
    text_layout.addWidget(window.find_bar)
    centre = QSplitter(Qt.Orientation.Vertical)
    centre.addWidget(text_panel)
    centre.addWidget(window.claim_table)
    centre.setStretchFactor(0, 3)
    centre.setStretchFactor(1, 1)
    window.setCentralWidget(centre)
    window.documents_dock = window.add_dock("Documents", doclist.panel,
                                        Qt.DockWidgetArea.LeftDockWidgetArea)
    window.legend_dock = window.add_dock("Legend", window.legend,
                                     Qt.DockWidgetArea.LeftDockWidgetArea)
    window.details_dock = window.add_dock("Document", window.details,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
    window.tabifyDockWidget(window.legend_dock, window.details_dock)
    window.legend_dock.raise_()
    window.claim_dock = window.add_dock("Claim", window.editor,
                                    Qt.DockWidgetArea.RightDockWidgetArea)
    window.sources_dock = window.add_dock("Sources", window.sources,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
    window.tabifyDockWidget(window.claim_dock, window.sources_dock)
    window.claim_dock.raise_()
    for dock in (window.documents_dock, window.legend_dock, window.details_dock):
        fit_panel(dock, "left")
    for dock in (window.claim_dock, window.sources_dock):
        fit_panel(dock, "right")

    window.mode_label = QLabel()
    window.mode_label.setObjectName("modeLabel")
    window.saved_label = QLabel()
    window.saved_label.setObjectName("savedLabel")
    window.statusBar().addWidget(window.mode_label)
    window.statusBar().addPermanentWidget(window.progress_label)
    window.statusBar().addPermanentWidget(window.progress)
    window.statusBar().addPermanentWidget(window.saved_label)
    # Tab leaves the document list for the text (the text keeps Tab for claims;
    # F6 moves on from there).
    QWidget.setTabOrder(doclist.table, window.view)


#: The least and the most width of the side panels (the text keeps the rest).
DOCK_WIDTH = {"left": (170, 480), "right": (220, 560), "compare": (300, 720)}
#: The side panels' default share of the window's width (the text keeps the rest:
#: about 58% at 1024 px, 60% from 1280 px; about half while comparing).
LEFT_SHARE, RIGHT_SHARE, COMPARE_SHARE = 0.19, 0.19, 0.28


def fit_panel(dock: QDockWidget, side: str) -> None:
    """Bound a side panel's width, and let its fields give way to the document:
    a combo box asks for a few characters' width, not its longest item's (its
    list still opens as wide as the items)."""
    least, most = DOCK_WIDTH[side]
    widget = dock.widget()
    if widget is None:
        return
    # On the content: the dock's own layout would fix its bounds at the content's
    # first (widest) minimum.
    widget.setMinimumWidth(least)
    widget.setMaximumWidth(most)
    for combo in widget.findChildren(QComboBox):
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        # (Qt's minimum size hint keeps the longest item's width: set it.)
        combo.setMinimumWidth(combo.sizeHint().width())
        combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)


def side_widths(width: int) -> tuple[int, int]:
    """The default widths of the left and right panels in a window ``width`` wide."""
    def clamp(value: float, side: str) -> int:
        least, most = DOCK_WIDTH[side]
        return int(min(max(value, least), most))

    return clamp(width * LEFT_SHARE, "left"), clamp(width * RIGHT_SHARE, "right")


def compare_width(width: int) -> int:
    least, most = DOCK_WIDTH["compare"]
    return int(min(max(width * COMPARE_SHARE, least), most))


def restore_layout(window: MainWindow) -> bool:
    """The window's size and docks as the analyst left them; False when there is
    no saved layout (the default one is applied once the window is shown)."""
    geometry, state = window.settings.window_state()
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(1400, 860)
    if state is not None:
        window.restoreState(state)
        # A state saved with tabbed docks can leave the layout's spare tab bars
        # shown: empty, over the panels.
        tidy_later(window)
    return state is not None


def hide_spare_tab_bars(window: MainWindow) -> None:
    """Hide tab bars the dock layout has left behind: empty ones, and ones whose
    current tab's dock is not under them (Qt keeps the bar of a tab group that
    a restored state or a newly tabbed dock replaced, drawn where it last was,
    over the panels)."""
    docks = {dock.windowTitle(): dock for dock in window.findChildren(QDockWidget)
             if dock.isVisible() and not dock.isFloating()}
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window or not bar.isVisible():
            continue
        dock = docks.get(bar.tabText(bar.currentIndex())) if bar.count() else None
        if dock is None or abs(dock.x() - bar.x()) > 4 or abs(dock.width() - bar.width()) > 8:
            bar.hide()


def tidy_later(window: MainWindow) -> None:
    """:func:`hide_spare_tab_bars` once the dock layout has been applied."""
    QTimer.singleShot(0, window, lambda: hide_spare_tab_bars(window))


def size_docks(window: MainWindow, *, again: bool = True) -> None:
    """The default dock sizes (they only hold once the window has its real size:
    the first layout pass after showing may still put the docks at their natural
    widths, so they are set once more after it)."""
    window.layout().activate()
    left, right = side_widths(window.width())
    window.resizeDocks([window.documents_dock, window.claim_dock], [left, right],
                       Qt.Orientation.Horizontal)
    window.resizeDocks([window.documents_dock, window.legend_dock], [420, 260],
                       Qt.Orientation.Vertical)
    elsewhere = getattr(window, "elsewhere", None)
    if elsewhere is not None and elsewhere.dock.isVisible():   # claim panel over it
        half = window.height() // 2
        window.resizeDocks([window.claim_dock, elsewhere.dock], [half, half],
                           Qt.Orientation.Vertical)
    if again:
        QTimer.singleShot(0, window, lambda: size_docks(window, again=False))
    tidy_later(window)


AGREEMENT_HEIGHT = 250


class ReviewLayout:
    """How the window makes room for review: the Compare dock beside the claim
    panel, the Agreement dock under the text, the claims table and the label
    legend out of the way while comparing; and the layout as it was after."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._saved_sizes: tuple[int, int, int, int] | None = None
        self._table_shown = True
        self._legend_docks: dict[QDockWidget, bool] | None = None

    def add_docks(self, compare: QWidget, agreement: QWidget) -> tuple[QDockWidget, QDockWidget]:
        window = self._window
        # The Agreement dock runs under the viewer and the left docks; the Compare
        # dock keeps the right side's full height.
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        compare_dock = window.add_dock("Compare", compare, Qt.DockWidgetArea.RightDockWidgetArea)
        fit_panel(compare_dock, "compare")
        window.tabifyDockWidget(window.claim_dock, compare_dock)
        agreement_dock = window.add_dock("Agreement", agreement,
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        # Tabbing into a group a restored state laid out can leave a spare tab bar.
        hide_spare_tab_bars(window)
        return compare_dock, agreement_dock

    def enter(self, compare_dock: QDockWidget, agreement_dock: QDockWidget) -> None:
        window = self._window
        self._saved_sizes = (window.claim_dock.width(), window.documents_dock.width(),
                             window.documents_dock.height(), window.legend_dock.height())
        self._table_shown = not window.claim_table.isHidden()
        window.claim_table.hide()
        compare_dock.show()
        agreement_dock.show()
        compare_dock.raise_()
        window.resizeDocks([compare_dock], [compare_width(window.width())],
                           Qt.Orientation.Horizontal)
        window.resizeDocks([agreement_dock], [AGREEMENT_HEIGHT], Qt.Orientation.Vertical)
        tidy_later(window)

    def leave(self, docks: list[QDockWidget]) -> None:
        window = self._window
        for dock in docks:
            dock.hide()
        window.claim_table.setVisible(self._table_shown)
        window.claim_dock.raise_()
        if self._saved_sizes is not None:      # the layout as it was before comparing
            right, left, documents, legend = self._saved_sizes
            window.resizeDocks([window.claim_dock, window.documents_dock], [right, left],
                               Qt.Orientation.Horizontal)
            if legend > 0:
                window.resizeDocks([window.documents_dock, window.legend_dock],
                                   [documents, legend], Qt.Orientation.Vertical)
            self._saved_sizes = None
        tidy_later(window)

    def show_label_legend(self, shown: bool) -> None:
        """While highlights are coloured by analyst, the Compare panel's analyst list
        is the legend: the label legend (and the dock tabbed with it) step aside."""
        window = self._window
        if not shown and self._legend_docks is None:
            self._legend_docks = {dock: not dock.isHidden()
                                  for dock in (window.legend_dock, window.details_dock)}
            for dock in self._legend_docks:
                dock.hide()
        elif shown and self._legend_docks is not None:
            for dock, was_shown in self._legend_docks.items():
                dock.setVisible(was_shown)
            self._legend_docks = None
            window.legend_dock.raise_()
        tidy_later(window)
