"""macOS hands a double-clicked project to the running app as a QFileOpenEvent
(Linux and Windows pass it as an argument, tests/cli/test_cli_launch.py): the
window opens it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from annotator.services.project import ProjectService
from annotator.ui.app import FileOpener
from annotator.ui.main_window import MainWindow


def test_a_file_open_event_opens_the_project(qtbot, window: MainWindow,
                                             tmp_path: Path) -> None:
    other = tmp_path / "Other.annotator.sqlite"
    ProjectService.open(other, create=True).close()
    opener = FileOpener(window)
    app = QApplication.instance()
    app.installEventFilter(opener)
    try:
        with qtbot.waitSignal(window.project_opened) as opened:
            QApplication.sendEvent(app, QFileOpenEvent(str(other)))
    finally:
        app.removeEventFilter(opener)
    assert Path(opened.args[0]) == other
    assert Path(window.service.location) == other
    assert window.service.documents() == []
