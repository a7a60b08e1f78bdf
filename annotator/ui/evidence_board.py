"""Claims › Evidence Board…: every claim on a proposition across the corpus,
grouped by stance, with source, grades, corroboration and disagreeing figures;
saved as CSV or as a picture (PNG)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.clusters import credibility_text
from annotator.domain.wording import plural, shorten
from annotator.formats.atomic import atomic_write
from annotator.services import evidence
from annotator.services.evidence import Board
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectError
from annotator.ui.plain import plain_label, plain_tooltip, warn

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

HEADERS = ["Stance / document", "Quote", "Source", "Reliability", "Credibility",
           "Corroboration", "Suggested", "Figures that disagree"]
#: Characters of a quote a row shows (its tooltip has it whole).
QUOTE_CHARS = 80
HEADER_TIPS = [
    "The stance group, then the document each claim is in (the whole title in the "
    "tooltip)",
    "The claim's text (the whole quote in the tooltip)",
    "Who makes the claim",
    "The source's reliability: Admiralty grade A (reliable) … F (cannot judge)",
    "The information's credibility: 1 (confirmed) … 6 (cannot judge)",
    "How many independent sources state the same claim (its confirmed appearances)",
    "The credibility the corroboration suggests (the Elsewhere panel applies it)",
    "Figures in the same claim's appearances that disagree",
]
#: The widest each column starts (its text elides; the tooltip has it whole); the
#: Quote column takes what is left of the dialog's width.
MOST_WIDTH = (330, 420, 200, 90, 90, 110, 170, 360)
#: The least the long-text columns narrow to when the dialog is narrow.
LEAST_WIDTH = {0: 170, 1: 220, 2: 110, 7: 150}
QUOTE = 1


def fill(tree: QTreeWidget, board: Board | None) -> None:
    """The board's stance groups (expanded) and claims, in ``tree``."""
    tree.clear()
    if board is None:
        return
    for column in board.columns:
        group = QTreeWidgetItem([f"{column.name} — {plural(len(column.entries), 'claim')}"])
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setFirstColumnSpanned(True)
        group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
        tree.addTopLevelItem(group)
        for entry in column.entries:
            claim = entry.claim
            texts = [entry.appearance.document_title, shorten(claim.quote, QUOTE_CHARS),
                     entry.appearance.source_text, claim.source_reliability or "—",
                     str(claim.info_credibility) if claim.info_credibility else "—",
                     plural(entry.corroboration, "source"),
                     credibility_text(entry.suggested_credibility) or "—",
                     "; ".join(entry.conflicts)]
            item = QTreeWidgetItem([" ".join(text.split()) for text in texts])
            for cell, text in enumerate(texts):       # every cell's whole text
                if text.strip() and text != "—":
                    item.setToolTip(cell, plain_tooltip(text))
            item.setToolTip(1, plain_tooltip(claim.quote))
            item.setToolTip(0, plain_tooltip(
                f"{entry.appearance.document_title}\n{column.name}"))
            item.setToolTip(7, plain_tooltip("\n".join(entry.conflicts)))
            item.setData(0, Qt.ItemDataRole.UserRole, (claim.document_id, claim.id))
            group.addChild(item)
        group.setExpanded(True)
    fit_columns(tree)


def fit_columns(tree: QTreeWidget, width: int | None = None) -> None:
    """Each column as wide as its text, up to :data:`MOST_WIDTH`; when the
    columns leave room in ``width`` (the view's; 0: no more), the Quote column
    takes it, and when they do not fit the long-text columns narrow."""
    header = tree.header()
    for column in range(len(HEADERS)):
        content = max(tree.sizeHintForColumn(column), header.sectionSizeHint(column))
        tree.setColumnWidth(column, min(content, MOST_WIDTH[column]))
    room = tree.viewport().width() if width is None else width
    if room <= 0:
        return
    spare = room - sum(tree.columnWidth(c) for c in range(len(HEADERS)))
    if spare > 0:
        tree.setColumnWidth(QUOTE, tree.columnWidth(QUOTE) + spare)
        return
    # Too narrow: the long-text columns give way alike, down to LEAST_WIDTH (then
    # the board scrolls sideways), so every column stays in view where it can.
    wide = [c for c, least in LEAST_WIDTH.items() if tree.columnWidth(c) > least]
    give = sum(tree.columnWidth(c) - LEAST_WIDTH[c] for c in wide)
    if give > 0:
        scale = min(-spare / give, 1.0)
        for c in wide:
            tree.setColumnWidth(c, tree.columnWidth(c)
                                - round((tree.columnWidth(c) - LEAST_WIDTH[c]) * scale))
        rest = room - sum(tree.columnWidth(c) for c in range(len(HEADERS)))   # rounding
        if tree.columnWidth(QUOTE) + rest >= LEAST_WIDTH[QUOTE]:
            tree.setColumnWidth(QUOTE, tree.columnWidth(QUOTE) + rest)


class _BoardTree(QTreeWidget):
    """The board's rows; its columns fit again when it is resized."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            fit_columns(self)


def _tree() -> QTreeWidget:
    tree = _BoardTree()
    tree.setIndentation(tree.fontMetrics().height())     # the titles need the room
    tree.setHeaderLabels(HEADERS)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    tree.header().setStretchLastSection(False)
    for column, tip in enumerate(HEADER_TIPS):
        tree.headerItem().setToolTip(column, plain_tooltip(tip))
    return tree


def picture(board: Board) -> QPixmap:
    """The whole board as a picture: every row, not only those in view."""
    page = QWidget()
    page.setObjectName("evidenceBoardPicture")
    layout = QVBoxLayout(page)
    title = plain_label(f"Evidence board: {board.proposition}")
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    title.setFont(font)
    layout.addWidget(title)
    tree = _tree()
    tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    fill(tree, board)
    fit_columns(tree, 0)         # every column as wide as its text (up to its most)
    layout.addWidget(tree)
    conflicts = plain_label(_conflicts_text(board))
    conflicts.setWordWrap(True)
    layout.addWidget(conflicts)
    rows = sum(1 + tree.topLevelItem(i).childCount() for i in range(tree.topLevelItemCount()))
    row_height = tree.sizeHintForRow(0) or tree.fontMetrics().height() + 6
    width = sum(tree.columnWidth(c) for c in range(len(HEADERS))) + 4
    tree.setFixedSize(width, tree.header().sizeHint().height() + rows * row_height + 6)
    page.resize(page.sizeHint().expandedTo(tree.size()))
    page.adjustSize()
    return page.grab()


def _conflicts_text(board: Board) -> str:
    if not board.conflicts:
        return "No figures disagree among these claims."
    return "Figures that disagree: " + "; ".join(board.conflicts)


class EvidenceBoardDialog(QDialog):
    """The board of one proposition at a time (the current claim's first)."""

    def __init__(self, service: ProjectService, proposition: str | None = None,
                 open_claim: Callable[[str, str], None] | None = None,
                 parent: QWidget | None = None, *,
                 annotators: Collection[str] | None = None,
                 analyst: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Board")
        self.setObjectName("evidenceBoard")
        self.service = service
        #: Whose claims the board shows (None: everyone's), as the window shows them.
        self.annotators = annotators
        #: Whose blind documents hide colleagues' claims (blind double coding).
        self.analyst = analyst
        self.board: Board | None = None
        self._open_claim = open_claim
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel("&Proposition:")
        self.propositions = QComboBox()
        self.propositions.setObjectName("boardProposition")
        label.setBuddy(self.propositions)
        row.addWidget(label)
        row.addWidget(self.propositions, 1)
        layout.addLayout(row)
        self.summary = plain_label("")
        layout.addWidget(self.summary)
        self.tree = _tree()
        self.tree.setObjectName("boardTree")
        self.tree.itemActivated.connect(self._on_activated)
        layout.addWidget(self.tree, 1)
        self.conflicts = plain_label("")
        self.conflicts.setWordWrap(True)
        layout.addWidget(self.conflicts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.csv_button = QPushButton("Save as &CSV…")
        self.picture_button = QPushButton("Save as P&icture…")
        buttons.addButton(self.csv_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.picture_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.csv_button.clicked.connect(self.ask_csv)
        self.picture_button.clicked.connect(self.ask_picture)
        layout.addWidget(buttons)
        texts = evidence.propositions(service)
        self.propositions.addItems(texts)
        self.propositions.currentTextChanged.connect(self.show_proposition)
        if proposition in texts:
            self.propositions.setCurrentText(proposition)
        self.show_proposition(self.propositions.currentText())
        self.resize(1320, 620)

    def show_proposition(self, text: str) -> None:
        if not text:
            self.board = None
            self.summary.setText("No proposition yet: give claims a proposition to see "
                                 "them here.")
        else:
            try:
                self.board = evidence.build_board(self.service, text,
                                                 annotators=self.annotators,
                                                 analyst=self.analyst)
            except ProjectError as error:
                self.board = None
                self.summary.setText(f"Could not read the claims: {error}")
            else:
                self.summary.setText(
                    plural(self.board.count, "claim") + " by stance: " + ", ".join(
                        f"{c.name} {len(c.entries)}" for c in self.board.columns))
        fill(self.tree, self.board)
        self.conflicts.setText(_conflicts_text(self.board) if self.board else "")
        enabled = self.board is not None and self.board.count > 0
        self.csv_button.setEnabled(enabled)
        self.picture_button.setEnabled(enabled)

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        place = item.data(0, Qt.ItemDataRole.UserRole)
        if place and self._open_claim is not None:
            self._open_claim(*place)

    # Saving -----------------------------------------------------------------------------

    def save_csv(self, path: str | Path) -> int:
        """The board as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
        assert self.board is not None
        with atomic_write(path, newline="", encoding="utf-8-sig") as handle:
            return evidence.write_board_csv(handle, [self.board])

    def save_picture(self, path: str | Path) -> bool:
        assert self.board is not None
        return picture(self.board).save(str(path), "PNG")

    def _ask(self, title: str, suffix: str, kind: str) -> str:
        name = "".join(c if c.isalnum() else "-" for c in self.board.proposition[:40]) \
            if self.board else "board"
        path, _ = QFileDialog.getSaveFileName(self, title, f"evidence-{name}{suffix}", kind)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path

    def ask_csv(self) -> None:
        path = self._ask("Save Evidence Board as CSV", ".csv", "CSV (*.csv)")
        if path:
            try:
                self.save_csv(path)
            except OSError as error:
                warn(self, "Not saved", f"The board was not saved: {error}")

    def ask_picture(self) -> None:
        path = self._ask("Save Evidence Board as Picture", ".png", "PNG picture (*.png)")
        if path and not self.save_picture(path):
            warn(self, "Not saved", f"The picture could not be written to {path}.")


def open_board(window: MainWindow) -> EvidenceBoardDialog | None:
    """Show the board (of the current claim's proposition, if it has one)."""
    if window.service is None:
        window.show_message("Open a project first.")
        return None
    claim = window.current_claim()
    dialog = EvidenceBoardDialog(window.service, claim.proposition if claim else None,
                                 window.reveal_claim, window,
                                 annotators=window.identity.shown().annotators(),
                                 analyst=window.analyst())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.evidence_board = dialog
    dialog.show()
    return dialog
