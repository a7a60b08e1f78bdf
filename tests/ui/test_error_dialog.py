"""Unexpected errors in the GUI go to the rotating log and to one dialog; the app
goes on. pytest-qt's own exception capture is turned off here: these tests check
the app's hooks instead."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl, qCritical
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

import annotator
from annotator import about, logs
from annotator.ui.error_dialog import ErrorDialog, ErrorReporter

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "log" / "annotator.log"
    assert logs.configure(path) == path
    yield path
    logs.stop()


@pytest.fixture
def reporter(qapp, log_file: Path) -> Iterator[ErrorReporter]:
    reporter = ErrorReporter()
    reporter.install()
    yield reporter
    reporter.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()
        reporter.dialog.deleteLater()


def failing_button(qtbot, message: str = "the codebook has no stance") -> QPushButton:
    button = QPushButton("Go")
    qtbot.addWidget(button)

    def broken_slot() -> None:
        raise LookupError(message)

    button.clicked.connect(broken_slot)
    return button


def test_an_error_in_a_slot_is_logged_and_shown(qtbot, reporter: ErrorReporter,
                                                log_file: Path) -> None:
    button = failing_button(qtbot)
    button.click()      # PySide6 hands the exception to sys.excepthook; the app goes on
    dialog = reporter.dialog
    assert dialog is not None and dialog.isVisible()
    assert "LookupError: the codebook has no stance" in dialog.message.text()
    assert str(log_file) in dialog.message.text()
    logged = log_file.read_text(encoding="utf-8")
    assert "ERROR" in logged and "Unexpected error" in logged
    assert "Traceback (most recent call last)" in logged
    assert "in broken_slot" in logged and "LookupError: the codebook has no stance" in logged
    assert f"Annotator {annotator.__version__}" in logged

    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(about.platform_summary())
    assert "in broken_slot" in copied and "LookupError" in copied

    opened: list[QUrl] = []
    shown = ErrorDialog("x", "details", log_file, open_url=opened.append)
    qtbot.addWidget(shown)
    shown.open_button.click()
    assert opened == [QUrl.fromLocalFile(str(log_file.parent))]


def test_a_flood_of_errors_makes_one_dialog_with_a_count(qtbot, reporter: ErrorReporter,
                                                         log_file: Path) -> None:
    button = failing_button(qtbot)
    for _ in range(50):
        button.click()
    dialog = reporter.dialog
    assert dialog is not None and dialog.count == 50
    assert dialog.more.text().startswith("49 more unexpected error(s)")
    visible = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, ErrorDialog) and w.isVisible()]
    assert visible == [dialog]
    assert log_file.read_text(encoding="utf-8").count("Unexpected error") == 50
    # Once it is closed, the next error gets a dialog of its own.
    dialog.reject()
    button.click()
    assert reporter.dialog is not dialog and reporter.dialog.count == 1


def test_an_error_while_showing_the_dialog_is_not_shown_again(qtbot, qapp, log_file: Path,
                                                              capfd) -> None:
    def broken_parent():
        raise RuntimeError("no window to show it on")

    reporter = ErrorReporter(broken_parent)
    reporter.install()
    try:
        failing_button(qtbot).click()
    finally:
        reporter.uninstall()
    assert reporter.dialog is None
    err = capfd.readouterr().err
    assert "cannot show the error dialog (RuntimeError: no window to show it on)" in err
    assert "LookupError: the codebook has no stance" in err
    assert "LookupError" in log_file.read_text(encoding="utf-8")


def test_a_worker_threads_error_is_shown_from_the_gui_thread(qtbot, reporter: ErrorReporter,
                                                             log_file: Path) -> None:
    def work() -> None:
        raise ValueError("bad offset in worker")

    thread = threading.Thread(target=work, name="importer")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert "ValueError: bad offset in worker" in reporter.dialog.message.text()
    logged = log_file.read_text(encoding="utf-8")
    assert "thread importer" in logged and "in work" in logged


def test_qt_warnings_are_logged_and_criticals_shown(qtbot, reporter: ErrorReporter,
                                                    log_file: Path) -> None:
    qCritical("QPainter lost its device")
    assert "Qt critical message: QPainter lost its device" in reporter.dialog.message.text()
    assert "QPainter lost its device" in log_file.read_text(encoding="utf-8")


def test_the_log_rotates(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "annotator.log"
    assert logs.configure(path) == path
    try:
        for i in range(3_000):     # 6 MB: more than the 5 MB kept
            logging.getLogger("annotator.test").info("line %d %s", i, "x" * 2_000)
    finally:
        logs.stop()
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["annotator.log", *(f"annotator.log.{i}" for i in range(1, 5))]
    assert all(p.stat().st_size <= logs.MAX_BYTES for p in path.parent.iterdir())


def test_a_log_folder_that_cannot_be_made_is_said_not_fatal(tmp_path: Path, capfd) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert logs.configure(blocker / "annotator.log") is None
    assert logs.current() is None
    assert f"cannot write the log {blocker / 'annotator.log'}" in capfd.readouterr().err
