"""File › Restore from Backup…: the open project's backups, with when each was
taken, why, and how many claims and documents it holds; one to restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.storage import backup
from annotator.storage.backup import Backup
from annotator.ui.colours import set_text_role
from annotator.ui.plain import plain_label, plain_tooltip
from annotator.ui.tables import add_header_tips

COLUMNS = ("Taken", "Why", "Claims", "Documents", "Size")


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def when_text(backup_: Backup) -> str:
    return backup_.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")


def policy_text(project: Path) -> str:
    return (f"Backups of {project.name} are kept in {backup.backup_folder(project)}: the "
            f"newest of each of the last {backup.KEEP_DAILY} days, {backup.KEEP_WEEKLY} weeks "
            f"and {backup.KEEP_MONTHLY} months, and the last {backup.KEEP_SPECIAL} taken "
            "before a schema upgrade or a restore. One is taken on closing a changed "
            "project and once a day while it is open.")


class BackupDialog(QDialog):
    """Lists the backups of ``project``, newest first.

    Signals:
        restore_requested(object): the chosen :class:`Backup` (readable ones only).
        backup_requested(): Back Up Now.
    """

    restore_requested = Signal(object)
    backup_requested = Signal()

    def __init__(self, project: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Restore from Backup")
        self.setObjectName("backupDialog")
        self.backups: list[Backup] = []
        layout = QVBoxLayout(self)
        self.policy = plain_label(policy_text(project))
        self.policy.setWordWrap(True)
        self.policy.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.policy)
        warning = backup.cloud_warning(project)
        self.cloud = plain_label(f"Note: {warning}." if warning else "")
        self.cloud.setWordWrap(True)
        set_text_role(self.cloud, "warning")
        self.cloud.setVisible(bool(warning))
        layout.addWidget(self.cloud)
        self.table = QTableWidget(0, len(COLUMNS))
        add_header_tips(self.table)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self._restore())
        layout.addWidget(self.table)
        self.empty = plain_label("No backups yet.")
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setToolTip("Replace the project by the chosen backup (the "
                                       "project as it is now is backed up first)")
        self.backup_button = QPushButton("&Back Up Now")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._restore)
        self.backup_button.clicked.connect(self.backup_requested)
        layout.addWidget(buttons)
        self.resize(720, 420)
        self.refresh()

    def refresh(self) -> None:
        """Read the backup folder again (newest first, the newest selected)."""
        self.backups = backup.list_backups(self.project)
        self.table.setRowCount(len(self.backups))
        for row, item in enumerate(self.backups):
            values = (when_text(item), item.describe(),
                      "" if item.claims is None else str(item.claims),
                      "" if item.documents is None else str(item.documents),
                      size_text(item.size))
            if not item.readable:
                values = (values[0], f"{item.describe()} — cannot be read", "", "", values[4])
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                cell.setToolTip(plain_tooltip(str(item.path)))
                if not item.readable:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                    cell.setForeground(self.palette().color(QPalette.ColorGroup.Disabled,
                                                            QPalette.ColorRole.Text))
                self.table.setItem(row, column, cell)
        self.empty.setVisible(not self.backups)
        self.table.setVisible(bool(self.backups))
        readable = [row for row, item in enumerate(self.backups) if item.readable]
        if readable:
            self.table.selectRow(readable[0])
        self._update_buttons()

    def chosen(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.backups[rows[0].row()]
        return item if item.readable else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def _restore(self) -> None:
        chosen = self.chosen()
        if chosen is not None:
            self.restore_requested.emit(chosen)
