"""The window's File menu work: projects (new, open, recent), importing documents
(on a worker, with progress and cancel; drag and drop too), claims to place after
a new version, a colleague's work, and the export dialog."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog

from annotator.domain.editing import with_span
from annotator.domain.model import Claim
from annotator.domain.wording import plural
from annotator.formats.registry import ImportOptions, default_registry
from annotator.paths import PROJECT_SUFFIX
from annotator.services.exports import ExportResult
from annotator.services.packages import (
    DatasetImportReport,
    ImportCancelled,
    PreparedWork,
    prepare_work,
    write_work,
)
from annotator.services.project import ProjectService
from annotator.services.qdpx_import import import_qdpx, is_qdpx
from annotator.services.transfer import FileStatus, ImportReport
from annotator.storage.team import is_team_url
from annotator.ui import plain
from annotator.ui.commands import EditClaimCommand
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.import_flow import EncodingDialog, ImportJob, files_to_review
from annotator.ui.mapping_dialog import MappingDialog
from annotator.ui.tasks import BackgroundTask, Cancelled, Progress, with_project
from annotator.ui.team_connect import project_title
from annotator.ui.unplaced_dialog import UnplacedDialog

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

PROJECT_FILTER = f"Annotator projects (*{PROJECT_SUFFIX} *.sqlite *.db);;All files (*)"


class WorkTask(BackgroundTask):
    """A step of importing a colleague's work; ``progressed(stage, done, total)``."""

    progressed = Signal(str, int, int)


def _step(call: Callable[..., object], subject: object) -> Callable[..., object]:
    """A worker-thread step of a colleague's import: ``call(service, subject,
    progress=, cancelled=)``, a cancel returned (as :class:`ImportCancelled`)
    rather than raised, for the finishing slot to tell apart."""
    def run(service: ProjectService, progress: Progress, cancelled: Cancelled) -> object:
        try:
            return call(service, subject, progress=progress, cancelled=cancelled)
        except ImportCancelled as stopped:
            return stopped
    return run


def _import_qdpx(service: ProjectService, path: str, **_polling: object) -> object:
    return import_qdpx(service, path)     # reads and writes in one step; nothing to map


class ProjectFiles(QObject):
    """Opens projects and moves files in and out of the open one, for a window.

    Signals:
        work_finished(object): a colleague's work import ended: its report, or
            None when it was cancelled or failed.
    """

    work_finished = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._import: tuple[ImportJob, QProgressDialog] | None = None
        self.unplaced_dialog: UnplacedDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self._work: tuple[WorkTask, QProgressDialog] | None = None
        self._prepared: PreparedWork | None = None
        self._writing = False
        self.mapping_dialog: MappingDialog | None = None

    # Projects ---------------------------------------------------------------------------

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "New Project", str(Path.home()),
                                              PROJECT_FILTER)
        if not path:
            return
        if not path.endswith((PROJECT_SUFFIX, ".sqlite", ".db")):
            path += PROJECT_SUFFIX
        if Path(path).exists():
            plain.warn(self.window, "New Project",
                                f"{path} already exists; use Open Project.")
            return
        self.window.open_project(path, create=True)

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open Project", str(Path.home()),
                                              PROJECT_FILTER)
        if path:
            self.window.open_project(path)

    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        recent = self.window.settings.recent_projects()
        for number, path in enumerate(recent, start=1):    # team URLs: no password
            action = menu.addAction(f"&{number} {project_title(path)}")
            action.setToolTip(plain.plain_tooltip(path))
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        if not recent:
            menu.addAction("(none)").setEnabled(False)

    def _open_recent(self, path: str) -> None:
        if not is_team_url(path) and not Path(path).exists():
            plain.warn(self.window, "Open Recent", f"{path} no longer exists.")
            self.window.settings.remove_recent_project(path)
            return
        self.window.open_project(path)

    # Importing documents ------------------------------------------------------------------

    def choose_documents(self) -> None:
        if self.window.service is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import Documents",
                                                str(Path.home()),
                                                default_registry().file_filter())
        if paths:
            self.import_documents(paths)

    def choose_folder(self) -> None:
        if self.window.service is None:
            return
        folder = QFileDialog.getExistingDirectory(self.window, "Import Folder",
                                                  str(Path.home()))
        if folder:
            self.import_documents([folder])

    def import_documents(self, paths: list[str], *, review_encodings: bool = True,
                         options: ImportOptions | None = None) -> bool:
        """Import files and folders on a worker thread with a progress dialog; the
        window's ``import_finished(report)`` is emitted when done. Text files whose
        encoding was guessed are shown for checking first. False if nothing started."""
        service = self.window.service
        if service is None or self._import is not None:
            return False
        files = [Path(p) for p in paths]
        encodings: dict[Path, str] = {}
        review = files_to_review(files) if review_encodings else {}
        if review:
            dialog = EncodingDialog(review, self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            encodings = dialog.chosen()
        progress = QProgressDialog("Importing…", "Cancel", 0, 0, self.window)
        progress.setWindowTitle("Import")
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        job = ImportJob(self.window, service.location, files, options or ImportOptions(),
                        encodings)
        self._import = (job, progress)
        progress.canceled.connect(job.cancel)
        job.progressed.connect(self._on_import_progressed)
        job.finished.connect(self._on_import_finished)
        job.failed.connect(self._on_import_failed)
        job.start()
        return True

    @property
    def importing(self) -> bool:
        return self._import is not None

    def _on_import_progressed(self, path: str, index: int, total: int) -> None:
        if self._import is not None:
            progress = self._import[1]
            progress.setMaximum(total)
            progress.setValue(index)
            progress.setLabelText(f"Importing {Path(path).name} ({index + 1} of {total})")

    def end_import(self) -> None:
        """The worker has reported (or must stop): wait for its thread to end (it
        has reported, or stops at the next file), then let the job go."""
        if self._import is not None:
            job, progress = self._import
            job.cancel()
            progress.reset()
            progress.deleteLater()
            job.wait()
            job.deleteLater()
            self._import = None

    def _on_import_failed(self, message: str) -> None:
        self.end_import()
        plain.fail(self.window, "Import failed", message)

    def _on_import_finished(self, report: ImportReport) -> None:
        self.end_import()
        window = self.window
        changed = [r.document_id for r in report.results if r.document_id
                   and r.status in (FileStatus.IMPORTED, FileStatus.NEW_VERSION)]
        window.reload_documents(select=changed[0] if changed else None, reshow=True)
        details = "\n".join(f"{Path(r.path).name}: {r.reason}" for r in report.results
                            if r.reason and r.status is not FileStatus.DUPLICATE)
        message = report.summary() + (f"\n\n{details}" if details else "")
        window.import_finished.emit(report)
        if report.count(FileStatus.FAILED) or report.unplaced:
            plain.warn(window, "Import finished", message)
            if report.unplaced:
                self.show_unplaced()
        else:
            window.show_message(message, 8000)

    # Claims to place -----------------------------------------------------------------------

    def show_unplaced(self) -> None:
        if self.window.service is None:
            return
        if self.unplaced_dialog is None:
            self.unplaced_dialog = UnplacedDialog(self.window)
            self.unplaced_dialog.show_requested.connect(self.window.reveal_document)
            self.unplaced_dialog.place_requested.connect(self.place_claim)
        self.unplaced_dialog.set_claims(self.window.service.unplaced_claims())
        self.unplaced_dialog.show()
        self.unplaced_dialog.raise_()

    def place_claim(self, claim: Claim, document_id: str) -> bool:
        """Move an unplaced claim to the viewer's selection in ``document_id``."""
        window = self.window
        document = window.current_document
        span = window.selected_span()
        if document is None or document.id != document_id or span is None \
                or window.controller is None:
            plain.inform(window, "Place Claim", "Open the new version and select "
                                    "the text the claim belongs to first.")
            return False
        after = dataclasses.replace(with_span(claim, document.text, *span),
                                    document_id=document_id)
        window.undo_stack.push(EditClaimCommand(window.controller.update_claim, claim, after,
                                                "placement"))
        if self.unplaced_dialog is not None:
            self.unplaced_dialog.set_claims(window.controller.service.unplaced_claims())
        window.show_document(document_id)
        window.select_claim(claim.id, reveal=True)
        return True

    # A colleague's work and exports ---------------------------------------------------------

    def choose_work(self) -> None:
        if self.window.service is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import a Colleague's Work", str(Path.home()),
            "Annotator work (*.jsonl *.zip *.sqlite *.db *.qdpx);;JSON Lines export (*.jsonl);;"
            "Dataset package (*.zip);;Project file (*.sqlite *.db);;"
            "REFI-QDA project (*.qdpx);;All files (*)")
        if path:
            self.import_work(path)

    def import_work(self, path: str) -> bool:
        """Import a colleague's JSONL export, dataset package, project file or
        REFI-QDA project (.qdpx), on
        worker threads with progress, a busy cursor and Cancel: their work is read
        and their codebook mapped onto ours first (nothing written); when anything
        maps other than by the same key, :class:`MappingDialog` shows it and takes
        the choices; then it is written. ``work_finished(report or None)`` tells
        the end. False if nothing started (no project, or an import running)."""
        window = self.window
        if window.service is None or self._work is not None or self._import is not None:
            return False
        window.editor.commit_note()
        if is_qdpx(path):     # another program's codes: nothing to map
            self._writing = True
            self._run_work(_step(_import_qdpx, path), self._on_work_written, path)
        else:
            self._run_work(_step(prepare_work, path), self._on_work_prepared, path)
        return True

    @property
    def importing_work(self) -> bool:
        return self._work is not None or self.mapping_dialog is not None

    def _run_work(self, call: Callable, done: Callable[[object], None], path: str) -> None:
        window = self.window
        assert window.service is not None
        progress = QProgressDialog(f"Reading {Path(path).name}…", "Cancel", 0, 0, window)
        progress.setWindowTitle("Import a Colleague's Work")
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        task = WorkTask(with_project(window.service.location, call), self,
                        name="annotator-work-import")
        self._work = (task, progress)
        progress.canceled.connect(task.cancel)
        task.progressed.connect(self._on_work_progressed)
        task.finished.connect(done)
        task.failed.connect(self._on_work_failed)
        window.setCursor(Qt.CursorShape.BusyCursor)
        task.start()

    def _on_work_progressed(self, stage: str, done: int, total: int) -> None:
        if self._work is not None:
            progress = self._work[1]
            progress.setMaximum(total)
            progress.setValue(done if total else 0)
            progress.setLabelText(f"{stage}…" + (f" ({done:,} of {total:,})" if total else ""))

    def end_work(self) -> None:
        """Stop a running work import (it stops at its next poll) and let it go."""
        if self._work is not None:
            task, progress = self._work
            task.cancel()
            progress.reset()
            progress.deleteLater()
            task.wait()
            task.deleteLater()
            self._work = None
            self.window.unsetCursor()
        if self._prepared is not None and self.mapping_dialog is None:
            self._prepared.close()
            self._prepared = None

    def _on_work_prepared(self, result: object) -> None:
        self.end_work()
        if isinstance(result, ImportCancelled):
            self.window.show_message("Import cancelled: nothing was imported.", 8000)
            self.work_finished.emit(None)
            return
        assert isinstance(result, PreparedWork)
        self._prepared = result
        if not result.mapping.needs_review():
            self._write_work()
            return
        dialog = MappingDialog(result.mapping, self.window.codebook, result.path.name,
                               self.window)
        self.mapping_dialog = dialog
        dialog.accepted.connect(self._write_work)
        dialog.rejected.connect(self._mapping_rejected)
        dialog.open()

    def _close_mapping_dialog(self) -> None:
        if self.mapping_dialog is not None:
            self.mapping_dialog.deleteLater()
            self.mapping_dialog = None

    def _mapping_rejected(self) -> None:
        self._close_mapping_dialog()
        self.end_work()
        self.window.show_message("Import cancelled: nothing was imported.", 8000)
        self.work_finished.emit(None)

    def _write_work(self) -> None:
        self._close_mapping_dialog()
        prepared = self._prepared
        if prepared is None or self.window.service is None:
            return
        self._writing = True
        self._run_work(_step(write_work, prepared), self._on_work_written,
                       str(prepared.path))

    def _on_work_written(self, result: object) -> None:
        self.end_work()
        self._writing = False
        window = self.window
        window.work_imported()
        if isinstance(result, ImportCancelled):
            copied = result.report.documents_added
            plain.inform(window, "Import cancelled", "No claim and no codebook change was "
                         "imported." + (f" {plural(copied, 'document')} copied before the "
                                        "cancel stay, each whole." if copied else ""))
            self.work_finished.emit(None)
            return
        report = result
        assert isinstance(report, DatasetImportReport)
        details = "\n".join(str(p) for p in report.problems[:20])
        more = len(report.problems) - 20
        if more > 0:
            details += f"\n… and {more} more"
        message = report.summary() + (f"\n\n{details}" if details else "")
        if report.problems:
            plain.warn(window, "Work imported, some of it skipped", message)
        else:
            plain.inform(window, "Work imported", message)
        self.work_finished.emit(report)

    def _on_work_failed(self, message: str) -> None:
        writing = self._writing
        self._writing = False
        self.end_work()
        if writing:
            self.window.work_imported()      # what was stored before it is shown
        plain.fail(self.window, "Import failed", message)
        self.work_finished.emit(None)

    def show_export_dialog(self) -> ExportDialog | None:
        """File › Export…: format, scope, preview; the export runs on a worker."""
        window = self.window
        if window.service is None:
            return None
        window.editor.commit_note()
        if self.export_dialog is not None:
            if self.export_dialog.isVisible():
                self.export_dialog.raise_()
                return self.export_dialog
            self.export_dialog.deleteLater()
        dialog = ExportDialog(window.service, window.settings,
                              analyst=window.settings.annotator_name(), parent=window)
        dialog.exported.connect(self._on_exported)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def _on_exported(self, result: ExportResult) -> None:
        summary = result.summary()
        self.window.show_message(summary[:1].upper() + summary[1:], 8000)

    def close(self) -> None:
        """The window closes: stop the import workers cleanly, abort an export."""
        self.end_import()
        self._close_mapping_dialog()
        self.end_work()
        if self.export_dialog is not None:
            self.export_dialog.abort()
