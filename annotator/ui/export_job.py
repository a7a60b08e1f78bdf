"""An export running on a worker thread, for the export dialog."""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from annotator.services import exports
from annotator.services.exports import (
    ExportCancelled,
    ExportError,
    ExportOptions,
    ExportScope,
)
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectError


class ExportJob(QObject):
    """Runs :func:`exports.export` on a Python worker thread with its own
    connection to the project (as :class:`annotator.ui.import_flow.ImportJob`
    does): the job lives in the GUI thread and the worker only emits its
    signals, which Qt queues to the GUI thread.

    Signals:
        progressed(int, int): records written so far, and the total.
        finished(object): the :class:`~annotator.services.exports.ExportResult`.
        cancelled(): the export stopped; nothing was written in place of the target.
        failed(str): why the export could not be done (for the user).
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject, location: str, fmt: str, out: Path,
                 scope: ExportScope, options: ExportOptions) -> None:
        super().__init__(parent)
        self.location, self.format, self.out = location, fmt, out
        self.scope, self.options = scope, options
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="annotator-export",
                                        daemon=True)

    def start(self) -> None:
        """Start after connecting the signals (a small export finishes at once)."""
        self._thread.start()

    def cancel(self) -> None:
        """Ask the worker to stop (it checks every few hundred records and once
        more before anything is renamed into place). Safe from any thread."""
        self._cancelled.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancelled.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the worker thread to end; True when it has (or never started)."""
        if self._thread.ident is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            service = ProjectService.open(self.location)
        except ProjectError as error:
            self.failed.emit(str(error))
            return
        try:
            result = exports.export(service, self.format, self.out, self.scope, self.options,
                                    progress=self.progressed.emit,
                                    cancel=self._cancelled.is_set)
        except ExportCancelled:
            self.cancelled.emit()
            return
        except (ExportError, ProjectError, OSError) as error:
            self.failed.emit(str(error))
            return
        except Exception as error:      # a bug: say so rather than hang the dialog
            traceback.print_exc()
            self.failed.emit(f"unexpected error ({type(error).__name__}: {error})")
            return
        finally:
            service.close()
        self.finished.emit(result)
