"""The window at 1024×700, 1280×800 and 1920×1080, in a light and a dark palette:
the document viewer keeps most of the width (also in Compare), no label, header,
tab or cell shows "…" alone, the export dialog fits; and the layout's parts
that used to push the document aside (a long quote in the Undo button, a long
"Still to label" line, the Review column) no longer do.

Pictures of each scene are written to the test's temporary folder (the README's
come from ``python -m tests.screenshots``, which renders the same scenes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTabBar, QToolButton, QToolTip

from annotator.services.project import ProjectService
from annotator.ui import window_layout
from annotator.ui.item_models import ClaimTableModel
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from annotator.ui.tables import header_tip
from tests import screenshots
from tests.ui.geometry import elided_to_nothing, viewer_share
from tests.ui.palettes import PALETTES
from tests.ui.tooltips import tooltip_text

#: The viewer's least share of the window's width. At 1024 px the side panels
#: are at their minimum widths (170 + 220 px, each still showing its fields);
#: from 1280 px they take 19% each.
MAIN_SHARE = {"1024": 0.55, "1280": 0.60, "1920": 0.60}
#: Comparing, the Compare panel (28% of the width, at least 300 px) joins them.
COMPARE_SHARE = 0.50


def _settled(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Wait for the default dock widths (applied once the window is shown)."""
    left, right = window_layout.side_widths(window.width())
    qtbot.waitUntil(lambda: abs(window.documents_dock.width() - left) <= 12
                    and abs(window.claim_dock.width() - right) <= 12, timeout=5000)
    screenshots.settle(QApplication.instance())  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.parametrize("palette", ["light", "dark"])
@pytest.mark.parametrize("size", list(screenshots.SIZES))
def test_scenes_keep_the_document_wide_and_every_label_readable(
        qtbot, tmp_path: Path, size: str, palette: str) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    before = app.palette()   # type: ignore[union-attr]
    app.setPalette(PALETTES[palette]())   # type: ignore[union-attr]
    window, service, settings = screenshots.open_scene(tmp_path, screenshots.SIZES[size])
    qtbot.addWidget(window)
    try:
        _settled(qtbot, window)
        screenshots.label_claims(app, window)
        share = viewer_share(window, window.view)
        assert share >= MAIN_SHARE[size], f"viewer {window.view.width()}px of {size}"
        assert elided_to_nothing(window) == []
        window.grab().save(str(tmp_path / f"main-{size}-{palette}.png"))

        export = screenshots.export_dialog(window, service, settings, tmp_path)
        qtbot.addWidget(export)
        screenshots.settle(app)
        assert export.width() <= window.width() and export.height() <= window.height()
        assert elided_to_nothing(export) == []
        export.grab().save(str(tmp_path / f"export-{size}-{palette}.png"))
        export.close()

        shots = screenshots.review_shots(app, window, service, settings)
        assert window.review.active
        share = viewer_share(window, window.view)
        assert share >= COMPARE_SHARE, f"comparing: viewer {window.view.width()}px of {size}"
        panel = window.review.compare_panel
        assert panel is not None and panel.units.rowCount() > 0
        assert elided_to_nothing(window) == []
        span = panel.table.columnWidth(0)
        assert span >= 0.4 * panel.table.viewport().width() - 1
        # The rows of buttons wrap below the unit's details, never over them.
        buttons = [b for b in panel.findChildren(QToolButton) if b.isVisible()
                   and b.parentWidget() is panel.details.parentWidget()]
        assert buttons
        assert min(b.geometry().top() for b in buttons) > panel.details.geometry().bottom()
        assert max(b.geometry().right() for b in buttons) <= panel.details.parentWidget().width()
        shots["compare-view.png"].save(str(tmp_path / f"compare-{size}-{palette}.png"))
    finally:
        window.close()
        service.close()
        app.setPalette(before)   # type: ignore[union-attr]
    assert (tmp_path / f"compare-{size}-{palette}.png").stat().st_size > 10_000


def test_the_review_column_does_not_take_the_titles_room(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    table = window.document_list
    window.document_panel.show_review_column(True)
    qtbot.waitUntil(lambda: table.columnWidth(0) >= 0.45 * table.viewport().width() - 1)
    assert not table.isColumnHidden(4)
    assert elided_to_nothing(window.documents_dock) == []
    index = window.document_proxy.index(0, 0)
    assert index.data() in window.document_proxy.data(index, 3)   # the tooltip: whole
    for width in (1024, 1920):
        window.resize(width, 800)
        window_layout.size_docks(window)
        qtbot.waitUntil(lambda: table.columnWidth(0) >= 0.45 * table.viewport().width() - 1)
        assert elided_to_nothing(window.documents_dock) == []


def test_count_columns_step_aside_in_a_narrow_documents_panel(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    table = window.document_list
    hidden = {name: column for column, name in enumerate(("Title", "Status", "Claims", "To do"))}

    def shown(name: str) -> bool:
        return not table.isColumnHidden(hidden[name])

    window.resize(1920, 1080)
    window_layout.size_docks(window)
    qtbot.waitUntil(lambda: shown("To do") and shown("Claims"), timeout=5000)
    window.resize(1024, 700)
    window_layout.size_docks(window)
    qtbot.waitUntil(lambda: not shown("To do"), timeout=5000)
    assert shown("Title") and shown("Status")
    assert table.columnWidth(0) >= 0.45 * table.viewport().width() - 1
    window.resize(1920, 1080)
    window_layout.size_docks(window)
    qtbot.waitUntil(lambda: shown("To do") and shown("Claims"), timeout=5000)


def test_the_assigned_column_leaves_the_title_and_counts_their_room(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """With assignments the Assigned column shows; in a narrow panel Status steps
    aside first (the row's tooltip says it), Assigned narrows with its start
    shown ("Done…"), and the To do count stays (Claims too from 1280 px)."""
    from annotator.services.assignments import AssignmentService
    from annotator.ui.item_models import DocumentListModel

    assert window.service is not None
    ids = [d.id for d in window.service.documents()]
    service = AssignmentService(window.service)
    service.assign(["alice", "bob"], 1.0, seed=1)
    service.set_done(ids[0], "alice")
    window.reload_documents(select=ids[0])
    table = window.document_list
    column = {name: c for c, name in enumerate(DocumentListModel.HEADERS)}

    def shown(name: str) -> bool:
        return not table.isColumnHidden(column[name])

    def fitted() -> bool:
        share = window.document_panel.SHARE_ASSIGNED
        return table.columnWidth(0) >= share * table.viewport().width() - 1

    for size, counts in (("1920", ("Claims", "To do")), ("1280", ("Claims", "To do")),
                         ("1024", ("To do",))):
        window.resize(*screenshots.SIZES[size])
        window_layout.size_docks(window)
        qtbot.waitUntil(lambda c=counts: shown("Assigned") and all(shown(n) for n in c)
                        and fitted(), timeout=5000)
        screenshots.settle(QApplication.instance())   # type: ignore[arg-type]
        assert fitted(), size
        right = sum(table.columnWidth(c) for c in range(len(column)) if shown(
            DocumentListModel.HEADERS[c]))
        assert right <= table.viewport().width() + 1, size      # nothing pushed out
        assert elided_to_nothing(window.documents_dock) == [], size
        metrics = table.horizontalHeader().fontMetrics()
        for c, name in enumerate(DocumentListModel.HEADERS):    # no header cut ("ssigne")
            if c and shown(name):
                assert table.columnWidth(c) >= metrics.horizontalAdvance(name) + 8, (size, name)
        if size == "1920":
            assert shown("Status")
    assert not shown("Status")
    window.grab().save("/tmp/assigned-1024.png")
    # What steps aside is in the row's tooltip; the assignment keeps its start.
    row = window.documents.row_of(ids[0])
    assert row is not None
    tip = tooltip_text(window.documents.index(row, 0).data(Qt.ItemDataRole.ToolTipRole))
    assert "Status: " in tip and "to do" in tip and "Assigned to you: Done" in tip
    delegate = table.itemDelegateForColumn(column["Assigned"])
    assert delegate is not None and delegate is not table.itemDelegateForColumn(0)
    # Without assignments the old order returns (To do, then Claims step aside).
    window.document_panel.show_assigned_column(False)
    window.resize(1920, 1080)
    window_layout.size_docks(window)
    qtbot.waitUntil(lambda: shown("Status") and shown("Claims") and shown("To do"),
                    timeout=5000)


def test_every_table_header_has_a_tooltip(window: MainWindow) -> None:
    for table in (window.document_list, window.claim_table, window.sources.source_table,
                  window.sources.claim_table):
        model = table.model()
        for section in range(model.columnCount()):
            name = model.headerData(section, Qt.Orientation.Horizontal)
            tip = header_tip(table, section)
            assert tip and tip != name, (table.objectName(), name)
    # Hovering a header shows it.
    table = window.claim_table
    header = table.horizontalHeader()
    section = ClaimTableModel.HEADERS.index("Reliability")
    point = QPoint(header.sectionViewportPosition(section) + 5, header.height() // 2)
    event = QHelpEvent(QEvent.Type.ToolTip, point, header.viewport().mapToGlobal(point))
    QApplication.sendEvent(header.viewport(), event)
    assert tooltip_text(QToolTip.text()) == header_tip(table, section)
    assert "Admiralty" in QToolTip.text()


def test_a_long_quote_or_missing_line_does_not_move_the_panels(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _settled(qtbot, window)
    text = window.current_document.text   # type: ignore[union-attr]
    undo = next(b for b in window.findChildren(QToolButton)
                if b.defaultAction() is window.undo_action)
    claim_width, view_width = window.claim_dock.width(), window.view.width()
    start = 0
    window.view.select_span(start, start + 400)       # a long quote
    assert window.mark_claim() is not None
    screenshots.settle(QApplication.instance())   # type: ignore[arg-type]
    assert len(window.undo_stack.undoText()) < 50
    assert undo.text() == "Undo" and undo.width() < 80
    assert window.claim_dock.width() == claim_width
    assert window.view.width() == view_width
    assert len(text) > 400


def test_a_long_title_shows_its_start(window: MainWindow) -> None:
    title = window.details.title
    assert isinstance(title, QLineEdit)
    window.details_dock.show()
    window.details_dock.raise_()
    QApplication.processEvents()
    assert title.fontMetrics().horizontalAdvance(title.text()) > title.width()  # too long
    assert title.cursorPosition() == 0            # shows "DeepSeek shocks ...", not "...)"
    assert tooltip_text(title.toolTip()) == window.current_document.title  # type: ignore[union-attr]
    window.document_list.setCurrentIndex(window.document_proxy.index(1, 0))
    assert title.cursorPosition() == 0
    assert tooltip_text(title.toolTip()) == window.current_document.title  # type: ignore[union-attr]


def test_a_restored_layout_has_no_stray_tab_bars(qtbot, seeded_project: Path,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    settings = UiSettings(QSettings(str(tmp_path / "restore.ini"), QSettings.Format.IniFormat))
    settings.set_annotator_name("alice")
    for round_ in range(3):
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.set_service(ProjectService.open(seeded_project))
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        screenshots.settle(QApplication.instance())   # type: ignore[arg-type]
        if round_ != 1:
            window.review.compare_action.trigger()
            screenshots.settle(QApplication.instance())   # type: ignore[arg-type]
        bars = [bar for bar in window.findChildren(QTabBar)
                if bar.parent() is window and bar.isVisible()
                and bar.geometry().intersects(window.rect())]
        assert all(bar.count() > 0 for bar in bars), round_
        groups = [tuple(bar.tabText(i) for i in range(bar.count())) for bar in bars]
        assert len(groups) == len(set(groups)), (round_, groups)     # no group drawn twice
        assert viewer_share(window, window.view) >= 0.45
        window.close()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_the_elsewhere_panel_is_usable_under_the_claim_panel(
        qtbot, window: MainWindow, palette: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """At 1280×800, the Elsewhere dock under the Claim panel: nothing cut at its
    right edge, headings wrap, each appearance's quote wraps whole into its row
    (none cut to a line and "…"), the tooltip has the whole quote and where it
    is, the dock is never squeezed to its title, and the keyboard lands in it."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics

    from annotator.services import links
    from tests.services.test_links import ARTICLE_LOSS, MERICS_LOSS, REPORT_LOSS
    from tests.ui.conftest import mark_quote, open_document_containing

    app = QApplication.instance()
    before = app.palette()   # type: ignore[union-attr]
    app.setPalette(PALETTES[palette]())   # type: ignore[union-attr]
    try:
        ids = []
        for quote in (ARTICLE_LOSS, REPORT_LOSS, MERICS_LOSS):
            ids.append(mark_quote(window, open_document_containing(window, quote), quote))
        for other in ids[:2]:
            links.add_link(window.service, ids[2], other, "same", analyst="alice")
        window.elsewhere.show()
        panel = window.elsewhere.panel
        qtbot.waitUntil(lambda: panel.view is not None and len(panel.view.cluster) == 3)
        _settled(qtbot, window)
        scroll = window.elsewhere.dock.widget()
        assert panel.width() <= scroll.viewport().width()             # nothing cut
        assert window.elsewhere.dock.minimumSizeHint().height() \
            >= 10 * panel.fontMetrics().height()
        for title in (panel.cluster_title, panel.links_title, panel.candidates_title):
            assert title.wordWrap()
        assert QApplication.focusWidget() is panel.cluster               # keys act in it
        tree = panel.cluster
        assert tree.isVisible() and tree.topLevelItemCount() == 3
        shown_rows = 0
        for row in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(row)
            rect = tree.visualItemRect(item)
            metrics = QFontMetrics(item.font(0))
            wrapped = metrics.boundingRect(QRect(0, 0, rect.width() - 8, 100000),
                                           int(Qt.TextFlag.TextWordWrap), item.text(0))
            assert rect.height() >= wrapped.height(), item.text(0)      # not cut
            quote = item.data(0, Qt.ItemDataRole.UserRole).claim.quote
            assert quote in tooltip_text(item.toolTip(0))
            assert "·" in tooltip_text(item.toolTip(0))                    # grades, source
            shown_rows += rect.bottom() <= tree.viewport().height()
        assert shown_rows >= 1 and tree.height() >= 2 * tree.fontMetrics().height()
        assert elided_to_nothing(window.elsewhere.dock) == []
        # Tab goes down the panel as it reads: the list, then the first button that
        # can act (the empty links list and disabled Unlink are passed over).
        order = []
        for _ in range(2):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            order.append(QApplication.focusWidget())
        assert order[0] is panel.remember_button
        assert order[1] in (panel.figures, panel.candidates) and order[1].isVisible()
        window.grab().save(str(tmp_path / f"elsewhere-{palette}.png"))
    finally:
        app.setPalette(before)   # type: ignore[union-attr]


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_the_evidence_board_keeps_every_column_in_view(
        qtbot, window: MainWindow, palette: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The board at the README's 1200×420 and at its own size: every column in
    view (no sideways scrolling), the document column wide enough for a title's
    start, every cell's and header's whole text in its tooltip."""
    from annotator.services import links
    from annotator.ui.evidence_board import HEADERS, EvidenceBoardDialog
    from tests.services.test_links import ARTICLE_LOSS, MERICS_LOSS
    from tests.ui.conftest import mark_quote, open_document_containing

    app = QApplication.instance()
    before = app.palette()   # type: ignore[union-attr]
    app.setPalette(PALETTES[palette]())   # type: ignore[union-attr]
    try:
        ids = []
        for quote, stance in ((MERICS_LOSS, "supports"), (ARTICLE_LOSS, "refutes")):
            ids.append(mark_quote(window, open_document_containing(window, quote), quote))
            window.edit_current_claim("proposition", "Chips")
            window.edit_current_claim("stance", stance)
        links.add_link(window.service, ids[0], ids[1], "same", analyst="alice")
        board = EvidenceBoardDialog(window.service, "Chips", parent=window)
        qtbot.addWidget(board)
        tree = board.tree
        for size in ((1200, 420), (1320, 620)):
            board.resize(*size)
            board.show()
            screenshots.settle(app)   # type: ignore[arg-type]
            widths = [tree.columnWidth(c) for c in range(len(HEADERS))]
            assert sum(widths) <= tree.viewport().width() + 1, (size, widths)
            qtbot.waitUntil(lambda: tree.horizontalScrollBar().maximum() == 0, timeout=2000)
            assert widths[0] >= 170 and widths[1] >= 220, widths
            assert elided_to_nothing(board) == []
        board.grab().save(str(tmp_path / f"board-{palette}.png"))
        for column, name in enumerate(HEADERS):
            assert tooltip_text(tree.headerItem().toolTip(column)) not in ("", name)
        rows = [tree.topLevelItem(g).child(r) for g in range(tree.topLevelItemCount())
                for r in range(tree.topLevelItem(g).childCount())]
        assert len(rows) == 2
        for row in rows:
            assert tooltip_text(row.toolTip(0)).startswith(window.service.document(
                row.data(0, Qt.ItemDataRole.UserRole)[0]).title)
            for column in (1, 2, 5):
                if row.text(column).strip():
                    assert row.text(column).rstrip("…") in tooltip_text(row.toolTip(column))
        # The saved picture still shows every column at its text's width.
        from annotator.ui.evidence_board import picture
        pixmap = picture(board.board)   # type: ignore[arg-type]
        assert pixmap.width() >= 1000
    finally:
        app.setPalette(before)   # type: ignore[union-attr]


def test_the_sync_dialog_shows_both_values_side_by_side(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A conflict's long quote and long values: "Here" and "On the server" stay
    in view (no sideways scrolling), Row and What keep to their share, and each
    cell's tooltip has its whole value (the cell shows it shortened)."""
    from collections import Counter

    from annotator.services.sync import Conflict, SyncReport
    from annotator.ui.sync_flow import SyncResultDialog

    note = "Company's own figure; " + "not independently verified by anyone so far. " * 4
    report = SyncReport(
        server="postgresql://alice@team/claims", pushed=Counter({"claims added": 3}),
        conflicts=[Conflict("claims", "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                            "changed on both sides",
                            {"stance": ("supports", "refutes"), "note": (note, None)},
                            label="DeepSeek says it trained its R1 model using only about "
                                  "2,000 Nvidia H800 chips")],
        refused=[("claims", "a1b2c3d4e5f6", "row-level security: not your claim")])
    dialog = SyncResultDialog(report)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    room = table.viewport().width()
    widths = [table.columnWidth(c) for c in range(4)]
    assert sum(widths) <= room + 1, widths
    assert widths[0] <= 0.3 * room + 1 and widths[1] <= 0.25 * room + 1
    assert min(widths[2], widths[3]) >= 0.2 * room
    assert elided_to_nothing(dialog) == []
    rows = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    row = rows["changed on both sides: note"]
    assert table.item(row, 2).text() != note                         # shown shortened
    assert tooltip_text(table.item(row, 2).toolTip()) == note          # whole
    assert tooltip_text(table.item(row, 3).toolTip()) == "(none)"
    assert "0f1e2d3c4b5a69788796a5b4c3d2e1f0" in tooltip_text(table.item(row, 0).toolTip())


def test_the_status_bar_keeps_progress_and_server_state_whole_at_1024(
        qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """At 1024×700 with "Team server unreachable — retrying…" in the status bar, the
    corpus progress still shows its text on one line and the server's state whole."""
    from annotator.ui import plain
    from annotator.ui.connection_status import UNREACHABLE

    told: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: told.append(text))
    window.resize(*screenshots.SIZES["1024"])
    window.live.status.unreachable("could not connect to server: Connection refused")
    window.show_failure("Not saved: the team server cannot be reached")
    screenshots.settle(QApplication.instance())   # type: ignore[arg-type]
    qtbot.wait(20)
    label = window.statusBar().findChild(QLabel, "connectionStatus")
    assert label is not None and label.isVisible() and label.text() == UNREACHABLE
    assert label.width() >= label.fontMetrics().horizontalAdvance(UNREACHABLE)
    progress = window.progress
    assert progress.width() >= progress.fontMetrics().horizontalAdvance(progress.text()) + 8
    assert window.saved_label.width() >= window.saved_label.fontMetrics().horizontalAdvance(
        "NOT SAVED")
    assert "Connection refused" in tooltip_text(label.toolTip())
    assert len(told) == 1                       # the outage's first failure: a box
    window.statusBar().grab().save("/tmp/status-1024.png")
