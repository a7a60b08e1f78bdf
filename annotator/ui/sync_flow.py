"""File › Publish to Team Server…, Take Offline Copy… and Sync with Team Server:
:mod:`annotator.services.sync` run on a worker (:class:`~annotator.ui.tasks.BackgroundTask`),
with a dialog listing what went each way and the conflicts (plain text only)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.wording import shorten
from annotator.services import sync as syncing
from annotator.storage import team
from annotator.storage.errors import PasswordNeededError
from annotator.ui import team_connect
from annotator.ui.actions import make_action
from annotator.ui.plain import plain_label, plain_tooltip, show_message
from annotator.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from annotator.ui.main_window import MainWindow

Button = QMessageBox.StandardButton
#: Differences not listed in the dialog (every edit changes them; the JSON has them).
_UNSHOWN = ("updated_at", "version")


def _value(value: Any) -> str:
    return "(none)" if value is None else shorten(str(value), 80)


def _whole(value: Any) -> str:
    return "(none)" if value is None else str(value)


class SyncResultDialog(QDialog):
    """What a sync did: a summary, then one row per conflict (id, what, and each
    differing field as this copy's and the server's value) and per refused row."""

    def __init__(self, report: syncing.SyncReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync with Team Server")
        self.report = report
        layout = QVBoxLayout(self)
        lines = [report.summary() + "."]
        for direction, counts in (("Sent", report.pushed), ("Received", report.pulled)):
            if counts:
                lines.append(f"{direction}: " + ", ".join(
                    f"{what} {count}" for what, count in sorted(counts.items())) + ".")
        if report.conflicts:
            lines.append("Claims changed on both sides keep both versions: yours here, the "
                         "other on the server. They are listed again at every sync until "
                         "settled (annotator team sync --resolve ID=local or ID=server).")
        lines += report.problems
        self.summary = plain_label("\n".join(lines), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["Row", "What", "Here", "On the server"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        # Row and What as wide as their text up to a share of the width; the two
        # values share the rest (long values elide; the tooltip has them whole),
        # so "Here" and "On the server" are always in view side by side.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        self.table.viewport().installEventFilter(self)
        for conflict in report.conflicts:
            where = (f"{conflict.what} “{shorten(conflict.label, 40)}”" if conflict.label
                     else f"{conflict.what} {conflict.key[:8]}")
            if not conflict.fields:
                self._row(where, conflict.kind, "", "", conflict.key)
            for name, (mine, theirs) in sorted(conflict.fields.items()):
                if name in _UNSHOWN:
                    continue
                self._row(where, f"{conflict.kind}: {name}", _value(mine), _value(theirs),
                          conflict.key, tips=(_whole(mine), _whole(theirs)))
        for table, key, why in report.refused:
            self._row(f"{table} {key[:8]}".strip(), f"refused: {why}", "", "", key)
        self.table.setVisible(self.table.rowCount() > 0)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 420 if self.table.rowCount() else 160)

    def _row(self, where: str, what: str, mine: str, theirs: str, key: str,
             tips: tuple[str, str] | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        whole = (f"{where}\n{key}", what, *(tips or (mine, theirs)))
        for column, text in enumerate((where, what, mine, theirs)):
            item = QTableWidgetItem(text)       # plain text, never rich
            if whole[column]:
                item.setToolTip(plain_tooltip(whole[column]))
            self.table.setItem(row, column, item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return False

    def fit_columns(self) -> None:
        """Row and What: their text's width, at most 30% and 25% of the table."""
        room = self.table.viewport().width()
        for column, share in ((0, 0.30), (1, 0.25)):
            want = max(self.table.sizeHintForColumn(column),
                       self.table.horizontalHeader().sectionSizeHint(column))
            self.table.setColumnWidth(column, min(want, int(room * share)))


class SyncFlow(QObject):
    """The window's publish / offline / sync actions (``actions``, for the File menu).

    Signals:
        synced(object): a sync ended (its :class:`~annotator.services.sync.SyncReport`).
    """

    synced = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.task: BackgroundTask | None = None
        self.dialog: SyncResultDialog | None = None
        #: Whether the password last typed is to be kept in the keyring.
        self._remember = False
        self.publish_action = make_action(
            window, "&Publish to Team Server…", self.publish, None,
            "Copy this project file into a new, empty project on a team server "
            "(the file is only read)")
        self.offline_action = make_action(
            window, "Take O&ffline Copy…", self.take_offline, None,
            "Copy a team project into a project file to work without the server, "
            "and sync it back later")
        self.sync_action = make_action(
            window, "S&ync with Team Server", self.sync, None,
            "Send this offline copy's changes to its server and take the server's; "
            "claims changed on both sides are listed and kept")
        self.actions: list[QAction] = [self.publish_action, self.offline_action,
                                       self.sync_action]
        window.project_opened.connect(self.update_actions)
        self.update_actions()

    # State -------------------------------------------------------------------------------

    def _path(self) -> Path | None:
        service = self.window.service
        return service.database.path if service is not None else None

    def update_actions(self, _location: str = "") -> None:
        path = self._path()
        idle = self.task is None
        self.publish_action.setEnabled(idle and path is not None)
        self.offline_action.setEnabled(idle)
        self.sync_action.setEnabled(idle and path is not None
                                    and syncing.offline_info(path) is not None)

    # Asking ------------------------------------------------------------------------------

    def ask_url(self, title: str, label: str) -> str | None:
        url, ok = QInputDialog.getText(self.window, title, label, QLineEdit.EchoMode.Normal,
                                       "postgresql://")
        url = url.strip()
        return url if ok and "://" in url else None

    def ask_file(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self.window, "Offline Copy", suggested, "Annotator projects (*.annotator.sqlite)")
        return Path(name) if name else None

    def ask_password(self, location: str) -> str | None:
        """The password for ``location`` (the prompt of File › Connect to Team
        Server: kept in the keyring only when its box is ticked); None if cancelled."""
        answer = team_connect.ask_password(self.window, team.normalise_url(location), False)
        if answer is None or not answer[0]:
            return None
        password, self._remember = answer
        return password

    # The three actions ---------------------------------------------------------------------

    def publish(self, url: str | None = None) -> BackgroundTask | None:
        path = self._path()
        if path is None or self.task is not None:
            return None
        url = url or self.ask_url("Publish to Team Server",
                                  "The new, empty server project (postgresql://USER@HOST/DB):")
        if not url:
            return None
        self.window.editor.commit_note()
        return self._run(url, lambda password: syncing.publish(path, url, password=password),
                         self._published, "Publish failed")

    def take_offline(self, url: str | None = None,
                     target: Path | None = None) -> BackgroundTask | None:
        if self.task is not None:
            return None
        service = self.window.service
        if url is None and service is not None and service.database.path is None:
            url = team.without_password(service.database.engine.url)
        url = url or self.ask_url("Take Offline Copy",
                                  "The team project (postgresql://USER@HOST/DB):")
        if not url:
            return None
        name = ((team.normalise_url(url).database if "://" in url else Path(url).stem)
                or "project").removesuffix(".annotator")
        target = target or self.ask_file(str(Path.home() / f"{name}-offline.annotator.sqlite"))
        if target is None:
            return None
        chosen = target
        return self._run(url, lambda password: syncing.take_offline(url, chosen,
                                                                    password=password),
                         lambda report: self._taken(report, chosen), "Offline copy failed")

    def sync(self) -> BackgroundTask | None:
        path = self._path()
        info = syncing.offline_info(path) if path is not None else None
        if path is None or info is None or self.task is not None:
            return None
        self.window.editor.commit_note()
        self.window.show_message("Syncing with the team server…", 0)
        return self._run(str(info.get("server") or ""),
                         lambda password: syncing.sync(path, password=password),
                         self._synced, "Sync failed")

    # Running -----------------------------------------------------------------------------

    def _run(self, location: str, call: Callable[[str | None], Any],
             done: Callable[[Any], None], title: str,
             password: str | None = None) -> BackgroundTask:
        task = BackgroundTask(lambda _progress, _cancelled: call(password), self,
                              name="annotator-sync")
        task.finished.connect(lambda result: self._finished(result, done, location, password))
        task.failed.connect(lambda message: self._failed(message, location, call, done, title))
        self.task = task
        self.update_actions()
        task.start()
        return task

    def _end(self) -> None:
        if self.task is not None:
            self.task.deleteLater()
            self.task = None
        self.update_actions()

    def _finished(self, result: Any, done: Callable[[Any], None], location: str,
                  password: str | None) -> None:
        self._end()
        if password is not None and self._remember and team.is_team_url(location):
            team.remember_password(team.normalise_url(location), password)
        done(result)

    def _failed(self, message: str, location: str, call: Callable[[str | None], Any],
                done: Callable[[Any], None], title: str) -> None:
        error = self.task.error if self.task is not None else None
        self._end()
        self.window.show_message(f"{title}.", 8000)
        if isinstance(error, PasswordNeededError) and team.is_team_url(location):
            password = self.ask_password(location)
            if password is not None:
                self._run(location, call, done, title, password)
                return
        show_message(self.window, QMessageBox.Icon.Warning, title, message)

    def _published(self, report: syncing.PublishReport) -> None:
        show_message(self.window, QMessageBox.Icon.Information, "Publish to Team Server",
                     report.summary() + ".\n\nTo work on it without the server, take an "
                     "offline copy of it (File › Take Offline Copy…).")

    def _taken(self, report: syncing.PublishReport, target: Path) -> None:
        answer = show_message(self.window, QMessageBox.Icon.Question, "Take Offline Copy",
                              f"{report.summary()}.\n\nSaved as {target}. Open it now?",
                              Button.Open | Button.Close, Button.Open)
        if answer == Button.Open:
            self.window.open_project(target)

    def _synced(self, report: syncing.SyncReport) -> None:
        self.window.show_message(f"Synced: {report.summary()}.", 15000)
        self.window.reload_documents(reshow=True)
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = SyncResultDialog(report, self.window)
        self.dialog.open()
        self.synced.emit(report)
