"""The window's backups: one on closing a changed project, one a day while it
is open (on a worker), File › Restore from Backup…, and the offer to restore
when a project damaged by an unclean shutdown was set aside at open. The
backups themselves are :mod:`annotator.storage.backup`'s."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from annotator.services.project import ProjectService
from annotator.storage import backup
from annotator.storage.backup import Backup, BackupError
from annotator.storage.errors import DamagedProjectError, ProjectError
from annotator.storage.recovery import loss_text, plural
from annotator.ui.backup_dialog import BackupDialog, when_text
from annotator.ui.plain import show_message
from annotator.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

_log = logging.getLogger(__name__)
#: How often the window looks whether a daily backup is due.
CHECK_INTERVAL_MS = 60 * 60 * 1000
Button = QMessageBox.StandardButton


class ProjectBackups(QObject):
    """Backs up the window's project (a file; a database server keeps its own)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.path: Path | None = None
        self.dialog: BackupDialog | None = None
        self._task: BackgroundTask | None = None
        self._restoring = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check_daily)

    # The open project ------------------------------------------------------------------

    def project_opened(self, service: ProjectService) -> None:
        self.path = service.database.path
        if self.path is None:
            self.timer.stop()
            return
        self.timer.start()
        warning = backup.cloud_warning(self.path)
        if warning:
            self.window.show_message(f"Note: {warning}", 15000)

    def check_daily(self) -> BackgroundTask | None:
        """Back up on a worker when the newest backup is a day old and the project
        changed since; returns the task started (None if none was due to start)."""
        if self.path is None or self._task is not None:
            return None
        path = self.path
        task = BackgroundTask(lambda _progress, _cancelled: backup.back_up_if_changed(
            path, "daily", due_after=backup.DAILY), self, name="annotator-backup")
        task.finished.connect(self._on_daily_done)
        task.failed.connect(self._on_daily_failed)
        self._task = task
        task.start()
        return task

    def _end_task(self) -> None:
        if self._task is not None:
            self._task.deleteLater()
            self._task = None

    def _on_daily_done(self, taken: Backup | None) -> None:
        self._end_task()
        if taken is not None:
            self.window.show_message(f"Backed up ({plural(taken.claims, 'claim')}).", 5000)

    def _on_daily_failed(self, message: str) -> None:
        self._end_task()
        self.window.show_message(f"Daily backup failed: {message}", 15000)

    def close_service(self, service: ProjectService) -> None:
        """Close ``service``; its project is backed up first when it changed since
        its newest backup (your work is in the project either way)."""
        if self._task is not None:
            self._task.wait()
        self.timer.stop()
        path = service.database.path
        self.path = None
        ok = True
        if path is not None and not self._restoring and backup.changed_since_backup(path):
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                backup.take_backup(path, "close")
            except BackupError as error:
                ok = False
                _log.warning("backup on close failed: %s", error)
                if self.window.isVisible():
                    show_message(self.window, QMessageBox.Icon.Warning, "Backup failed",
                                 f"Your work is saved in the project, but backing it up "
                                 f"failed: {error}")
            finally:
                QGuiApplication.restoreOverrideCursor()
        service.close()
        if path is not None and ok and path.exists():
            backup.mark_current(path)       # closing checkpoints; nothing changed

    # File › Restore from Backup… -----------------------------------------------------------

    def show_dialog(self) -> BackupDialog | None:
        window = self.window
        if window.service is None:
            return None
        if self.path is None:
            show_message(window, QMessageBox.Icon.Information, "Restore from Backup",
                         "This project is on a database server: its server keeps its "
                         "backups.")
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = BackupDialog(self.path, window)
        self.dialog.restore_requested.connect(self.restore)
        self.dialog.backup_requested.connect(self.back_up_now)
        self.dialog.open()
        return self.dialog

    def back_up_now(self) -> Backup | None:
        if self.path is None:
            return None
        self.window.editor.commit_note()
        try:
            taken = backup.take_backup(self.path, "manual")
        except BackupError as error:
            show_message(self.window, QMessageBox.Icon.Critical, "Backup failed", str(error))
            return None
        if self.dialog is not None:
            self.dialog.refresh()
        self.window.show_message(f"Backed up ({plural(taken.claims, 'claim')}).", 5000)
        return taken

    def restore(self, chosen: Backup) -> bool:
        """Ask, then replace the open project by ``chosen`` (backing it up first)
        and open it again."""
        window, path = self.window, self.path
        if path is None or window.service is None:
            return False
        if window.files.importing:
            show_message(window, QMessageBox.Icon.Information, "Restore from Backup",
                         "Wait for the import to finish first.")
            return False
        now = window.service.claim_count()
        when = when_text(chosen)
        answer = show_message(
            window, QMessageBox.Icon.Question, "Restore from Backup",
            f"Replace {path.name} by the backup taken {when} ({chosen.describe()}), with "
            f"{plural(chosen.claims, 'claim')} in {plural(chosen.documents, 'document')}?"
            f"\n\nThe project has {plural(now, 'claim')} now; what was done after {when} "
            "is undone. The project as it is now is backed up first, so you can come "
            "back to it from this list.",
            Button.Yes | Button.Cancel, Button.Cancel)
        if answer != Button.Yes:
            return False
        if self.dialog is not None:
            self.dialog.close()
        self._restoring = True
        try:
            window.close_project()
        finally:
            self._restoring = False
        try:
            before = backup.restore(path, chosen.path)
        except BackupError as error:
            show_message(window, QMessageBox.Icon.Critical, "Restore failed", str(error))
            self._reopen(path)
            return False
        if not self._reopen(path):
            return False
        kept = f" The project as it was is kept as the backup of {when_text(before)}." \
            if before is not None else ""
        window.show_message(f"Restored the backup of {when}.{kept}", 15000)
        return True

    def _reopen(self, path: Path) -> bool:
        """Open ``path`` again in the window, which kept its lock on it throughout."""
        try:
            service = ProjectService.open(path)
        except ProjectError as error:
            show_message(self.window, QMessageBox.Icon.Warning, "Cannot open project",
                         str(error))
            return False
        self.window.set_service(service, self.window.project_hold.lock)
        return True

    # A project set aside at open ---------------------------------------------------------

    def offer_restore(self, error: DamagedProjectError) -> bool:
        """Tell what happened to a project damaged by an unclean shutdown and offer
        its newest good backup, saying what restoring it loses. True if restored
        and opened."""
        window = self.window
        aside = (f"It was moved aside, untouched, to:\n{error.set_aside}"
                 if error.set_aside is not None else "It was left where it is, unopened.")
        head = (f"{error.project.name} was not closed cleanly (the program using it "
                f"stopped) and is damaged: {error.problem}.\n\n{aside}\n\n")
        chosen = error.backup if isinstance(error.backup, Backup) else None
        loss = loss_text(chosen, error.damaged_claims, error.claims_after)
        if chosen is None or error.set_aside is None:
            show_message(window, QMessageBox.Icon.Critical, "Project damaged", head + loss)
            return False
        answer = show_message(window, QMessageBox.Icon.Warning, "Project damaged",
                              head + loss + "\n\nRestore that backup now?",
                              Button.Yes | Button.No, Button.Yes)
        if answer != Button.Yes:
            return False
        try:
            backup.restore(error.project, chosen.path)
        except BackupError as failure:
            show_message(window, QMessageBox.Icon.Critical, "Restore failed", str(failure))
            return False
        if not window.open_project(error.project):
            return False
        window.show_message(f"Restored the backup of {when_text(chosen)}.", 15000)
        return True
