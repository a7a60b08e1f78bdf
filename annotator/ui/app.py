"""The composition root of the GUI: application, settings, first project."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from annotator import __version__
from annotator.paths import APP_AUTHOR, APP_NAME, default_project_path, resources_dir
from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus
from annotator.storage.errors import DamagedProjectError, ProjectError
from annotator.storage.lock import ProjectInUseError, ProjectLock
from annotator.ui import plain
from annotator.ui.identity import ask_first_name
from annotator.ui.main_window import MainWindow
from annotator.ui.project_hold import bring_forward, take_lock
from annotator.ui.settings import UiSettings


def create_application(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setOrganizationName(APP_AUTHOR)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    icon = resources_dir() / "icons" / "annotator.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


def first_project(requested: str | None, settings: UiSettings,
                  take: Callable[[str | Path], object] = lambda _location: None
                  ) -> ProjectService:
    """The project to open: the one asked for (created if missing), else the most
    recent one, else the sample-corpus project, created and filled on first launch.
    ``take(location)`` is called before each is opened (to lock it; it may raise)."""
    if requested:
        take(requested)
        return ProjectService.open(requested, create=True)
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
        import_sample_corpus(service)
    return service


def run_gui(project: str | None = None) -> int:
    """Show the main window on the first project. If that project is open in
    another process's window, that window is brought forward and nothing is shown
    here (or, if it cannot be reached, the user is told who has the project). On the
    first launch the analyst's name is asked before the window shows."""
    app = create_application()
    settings = UiSettings()
    locks: list[ProjectLock] = []

    def take(location: str | Path) -> None:
        while locks:
            locks.pop().release()
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
        while locks:
            locks.pop().release()
        ask_first_name(settings)
        window = MainWindow(settings)
        window.show()
        window.backups.offer_restore(error)
        return app.exec()
    except ProjectError as error:
        while locks:
            locks.pop().release()
        plain.fail(None, "Cannot open project", str(error))
        return 2
    # The first launch asks who is labelling, before the window shows (a launch
    # that only brings another window forward has not asked).
    ask_first_name(settings)
    window = MainWindow(settings)
    window.set_service(service, locks[0] if locks else None)
    window.show()
    return app.exec()
