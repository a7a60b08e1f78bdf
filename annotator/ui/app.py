"""The composition root of the GUI: application, settings, first project."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from annotator import __version__, about, logs
from annotator.paths import APP_AUTHOR, APP_NAME, default_project_path, resources_dir
from annotator.services.project import ProjectService
from annotator.services.sample import AS_USER_FILES, import_sample_corpus
from annotator.storage.errors import DamagedProjectError, ProjectError
from annotator.storage.lock import ProjectInUseError, ProjectLock
from annotator.ui import plain
from annotator.ui.error_dialog import ErrorReporter
from annotator.ui.identity import ask_first_name
from annotator.ui.main_window import MainWindow
from annotator.ui.project_hold import bring_forward, take_lock
from annotator.ui.settings import UiSettings
from annotator.ui.team_connect import open_service


def create_application(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setOrganizationName(APP_AUTHOR)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    icon = resources_dir() / "icons" / "annotator.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


class FileOpener(QObject):
    """Opens a project the system hands over as a :class:`QFileOpenEvent`: how macOS
    opens a double-clicked file (elsewhere it is a command-line argument)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen:
            path = event.file()  # type: ignore[attr-defined]
            if path:
                self._window.open_project(path)
            return True
        return super().eventFilter(watched, event)


def first_project(requested: str | None, settings: UiSettings,
                  take: Callable[[str | Path], object] = lambda _location: None
                  ) -> ProjectService:
    """The project to open: the one asked for (created if missing), else the most
    recent one, else the sample-corpus project, created and filled on first launch.
    ``take(location)`` is called before each is opened (to lock it; it may raise)."""
    if requested:
        take(requested)
        service = open_service(None, requested, create=True)   # a team password is asked
        if service is None:
            raise ProjectError(f"{requested}: not opened: no password was given")
        return service
    for recent in settings.recent_projects():
        if Path(recent).exists():
            take(recent)
            try:
                return ProjectService.open(recent)
            except DamagedProjectError:
                raise               # set aside: the analyst is told, and offered its backup
            except ProjectError:
                continue
    path = default_project_path()
    take(path)
    fresh = not path.exists()
    service = ProjectService.open(path, create=True)
    if fresh or not service.documents():
        # As the user's own files would be (the PDF-extracted briefing reflowed).
        import_sample_corpus(service, options=AS_USER_FILES)
    return service


def run_gui(project: str | None = None, *, self_test: bool = False) -> int:
    """Show the main window on the first project. If that project is open in
    another process's window, that window is brought forward and nothing is shown
    here (or, if it cannot be reached, the user is told who has the project). On the
    first launch the analyst's name is asked before the window shows.

    ``self_test`` (``annotator --self-test``, hidden from ``--help``; what the
    installers' smoke test runs) opens the project as usual, shows the window, runs
    the event loop briefly, closes the window, prints one line and exits 0, with no
    user input (:func:`self_test_run`).

    Unexpected errors go to the log (:mod:`annotator.logs`) and to a dialog
    (:mod:`annotator.ui.error_dialog`); one that stops the start-up is shown
    until the user closes it, and the exit code is 3."""
    app = create_application()
    if logs.configure() is not None:
        logging.getLogger("annotator").info("%s starting", about.platform_summary())
    reporter = ErrorReporter(QApplication.activeWindow, app)
    reporter.install()
    try:
        return _run(app, project, self_test)
    except Exception as error:
        reporter.show_blocking(type(error), error, error.__traceback__)
        return 3
    finally:
        reporter.uninstall()


def _run(app: QApplication, project: str | None, self_test: bool = False) -> int:
    settings = UiSettings()
    locks: list[ProjectLock] = []

    def release() -> None:
        while locks:
            locks.pop().release()

    def take(location: str | Path) -> None:
        release()
        lock = take_lock(location, settings.annotator_name())
        if lock is not None:
            locks.append(lock)

    try:
        service = first_project(project, settings, take)
    except ProjectInUseError as error:
        if bring_forward(error.project):
            return 0
        plain.fail(None, "Project open elsewhere", str(error))
        return 2
    except DamagedProjectError as error:    # set aside: offer its backup, in a window
        release()
        ask_first_name(settings)
        window = MainWindow(settings)
        window.show()
        window.backups.offer_restore(error)
        return app.exec()
    except ProjectError as error:
        release()
        plain.fail(None, "Cannot open project", str(error))
        return 2
    # The first launch asks who is labelling, before the window shows (a launch
    # that only brings another window forward has not asked). A self-test runs
    # without anyone to answer: it uses the login name, as a cancelled question
    # does, and the question still comes at the first real launch.
    if not self_test:
        ask_first_name(settings)
    window = MainWindow(settings)
    window.set_service(service, locks[0] if locks else None)
    window.show()
    app.installEventFilter(FileOpener(window))
    if self_test:
        return self_test_run(app, window, service)
    return app.exec()


#: How long the self-test runs the event loop with the window shown.
SELF_TEST_MS = 500


def self_test_run(app: QApplication, window: MainWindow, service: ProjectService) -> int:
    """Run the event loop with ``window`` shown for :data:`SELF_TEST_MS`, close it
    (as the user would: the layout is saved, the project closed and unlocked) and
    print ``self-test ok: LOCATION (N documents)``; exit code 0, or 1 if the window
    was not shown."""
    location, count = service.location, len(service.documents())
    shown: list[bool] = []

    def close() -> None:
        shown.append(window.isVisible())
        window.close()

    QTimer.singleShot(SELF_TEST_MS, close)
    code = app.exec()
    ok = code == 0 and shown == [True]
    if sys.stdout is not None:   # None in a Windows/macOS GUI bundle without a console
        print(f"self-test {'ok' if ok else 'FAILED'}: {location} ({count} documents)",
              flush=True)
    return 0 if ok else 1
