"""The composition root of the GUI: application, settings, first project."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from annotator import __version__
from annotator.paths import APP_AUTHOR, APP_NAME, default_project_path, resources_dir
from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus
from annotator.storage.errors import DamagedProjectError, ProjectError
from annotator.ui import plain
from annotator.ui.main_window import MainWindow
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


def first_project(requested: str | None, settings: UiSettings) -> ProjectService:
    """The project to open: the one asked for (created if missing), else the most
    recent one, else the sample-corpus project, created and filled on first launch."""
    if requested:
        return ProjectService.open(requested, create=True)
    for recent in settings.recent_projects():
        if Path(recent).exists():
            try:
                return ProjectService.open(recent)
            except DamagedProjectError:
                raise               # set aside: the analyst is told, and offered its backup
            except ProjectError:
                continue
    path = default_project_path()
    fresh = not path.exists()
    service = ProjectService.open(path, create=True)
    if fresh or not service.documents():
        import_sample_corpus(service)
    return service


def run_gui(project: str | None = None) -> int:
    app = create_application()
    settings = UiSettings()
    window = MainWindow(settings)
    try:
        service = first_project(project, settings)
    except DamagedProjectError as error:
        window.show()
        window.backups.offer_restore(error)
        return app.exec()
    except ProjectError as error:
        plain.fail(None, "Cannot open project", str(error))
        return 2
    window.set_service(service)
    window.show()
    return app.exec()
