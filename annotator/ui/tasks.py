"""Background tasks: the one way the window runs a long service call.

A task is a plain-Python callable ``fn(progress, cancelled)``. It runs on a
worker thread, so it never touches a widget: it calls ``progress(...)`` as it
goes, polls ``cancelled()`` wherever stopping is safe, and returns its result.
:class:`BackgroundTask` runs it on a :class:`QThread` and tells the GUI thread
by signals how it went; :class:`~annotator.ui.import_flow.ImportJob` and
:class:`~annotator.ui.export_dialog.ExportJob` are built on it.

Whose fault an error is decides how it is reported. The user's problems
(:data:`USER_ERRORS`: a project that cannot be opened or written, a file that
cannot be read or written, and what a task adds) end the task with
``failed(message)``, the message written for the user. Anything else is a bug:
it goes to :func:`sys.excepthook` with its traceback (printed to stderr unless
the application installs a hook of its own; under pytest-qt it fails the test)
and the task still ends with ``failed``, so that no progress dialog waits for
ever.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal

from annotator.formats.problems import ImportProblem
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectError

#: Errors that are the user's problem, not a bug: reported as their message.
USER_ERRORS: tuple[type[Exception], ...] = (ProjectError, ImportProblem, OSError)

#: What a task calls to report progress (the arguments of its ``progressed`` signal).
Progress = Callable[..., None]
#: What a task polls: True once :meth:`BackgroundTask.cancel` was called.
Cancelled = Callable[[], bool]
T = TypeVar("T")

#: The tasks whose thread has started and whose end is not yet announced: held
#: here so that Python never collects a running task (and its QThread with it).
_RUNNING: set[BackgroundTask] = set()


class TaskCancelled(Exception):
    """Raised by a task's callable that stopped early because it was asked to
    (a callable may instead return a partial result: that ends in ``finished``)."""


def with_project(location: str, call: Callable[[ProjectService, Progress, Cancelled], T],
                 *, read_only: bool = False) -> Callable[[Progress, Cancelled], T]:
    """A task that opens its own connection to the project at ``location`` on
    the worker thread (SQLite serialises the writes, so the window's connection
    keeps working), runs ``call(service, progress, cancelled)`` and closes it.
    ``read_only`` for a task that only reads (an export): it never writes."""
    def run(progress: Progress, cancelled: Cancelled) -> T:
        service = ProjectService.open(location, read_only=read_only)
        try:
            return call(service, progress, cancelled)
        finally:
            service.close()
    return run


class _WorkerThread(QThread):
    """Runs the call and keeps how it ended, for the GUI thread to read once
    the thread has finished. The thread object itself lives in the GUI thread
    (only ``run`` executes on the worker), so no Qt object changes threads."""

    def __init__(self, call: Callable[[], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._call = call
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._call()
        except BaseException as error:   # judged and reported on the GUI thread
            self.error = error


class BackgroundTask(QObject):
    """Runs ``fn(progress, cancelled)`` once, on a worker :class:`QThread`.

    ``progress(...)`` emits :attr:`progressed` from the worker thread: Qt queues
    it to slots of objects in the GUI thread, and a slot connected with
    ``Qt.DirectConnection`` runs on the worker, before the task goes on. A
    subclass whose callable reports something else than ``(done, total)``
    declares ``progressed`` again with its own arguments. The end of the task
    is announced on the GUI thread once the worker thread has ended (a slot may
    delete the task), by exactly one of ``finished``, ``cancelled`` or ``failed``.

    A running task is kept alive until its end is announced, but its parent
    must not delete it while it runs: :meth:`cancel`, then :meth:`wait` (as a
    window does when it closes).

    Attributes:
        error: the exception that ended the task, if one did (kept whole, with
            its traceback).

    Signals:
        progressed(int, int): done so far, and the total.
        finished(object): the callable's return value.
        cancelled(): the callable raised :class:`TaskCancelled`.
        failed(str): why the task could not be done, for the user: the message
            of one of the user's errors, or ``unexpected error (…)`` for a bug.
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, fn: Callable[[Progress, Cancelled], Any], parent: QObject | None = None,
                 *, name: str = "annotator-task",
                 user_errors: tuple[type[Exception], ...] = USER_ERRORS) -> None:
        super().__init__(parent)
        self._user_errors = user_errors
        self._cancel = threading.Event()
        self._started = False
        self.error: BaseException | None = None
        self._thread = _WorkerThread(lambda: fn(self.progressed.emit, self._cancel.is_set),
                                     self)
        self._thread.setObjectName(name)
        # Emitted on the worker as it ends; queued here, to the GUI thread.
        self._thread.finished.connect(self._on_thread_finished)

    def start(self) -> None:
        """Start the task (once); connect to its signals first."""
        if self._started:
            raise RuntimeError("a background task runs only once")
        self._started = True
        _RUNNING.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the callable to stop at its next poll. Safe from any thread."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait (at most ``timeout`` seconds) for the worker thread to end;
        True when it has, or never started. Its end is still announced after
        this, from the event loop."""
        if timeout is None:
            return self._thread.wait()
        return self._thread.wait(max(0, round(timeout * 1000)))

    def _on_thread_finished(self) -> None:
        # QThread.finished comes just before the thread is done: let it end, so
        # that a slot of the signals below may delete the task.
        self._thread.wait()
        _RUNNING.discard(self)
        error = self.error = self._thread.error
        if error is None:
            self.finished.emit(self._thread.result)
        elif isinstance(error, TaskCancelled):
            self.cancelled.emit()
        elif isinstance(error, self._user_errors):
            self.failed.emit(str(error))
        else:       # a bug: its traceback is reported, never swallowed
            sys.excepthook(type(error), error, error.__traceback__)
            self.failed.emit(f"unexpected error ({type(error).__name__}: {error})")
