"""Unexpected errors in the GUI: written to the log and shown, never a silent exit.

:class:`ErrorReporter` takes over :func:`sys.excepthook` (an exception in a slot or
a Qt override lands there: PySide6 reports it and the app goes on),
:func:`threading.excepthook` (a worker thread's: shown from the GUI thread) and
Qt's message handler (Qt's warnings go to the log; a critical message is also
shown). Each error is logged with its traceback, then shown in an
:class:`ErrorDialog`: a short message, "Copy details" (version, platform,
traceback) and "Open log folder".

One dialog at a time: errors that come while it is open are counted in it (each
is in the log), so a flood of errors makes one dialog, not a hundred. An error
raised while the dialog itself is being shown is logged and written to stderr,
not shown (no recursion).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QThread,
    QtMsgType,
    QUrl,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator import logs
from annotator.ui.plain import plain_label

TITLE = "Unexpected error"


def summary(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if len(text) > 200:
        text = text[:199] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class ErrorDialog(QDialog):
    """A bug, told to the user: what it was, where the log is, the details to copy."""

    def __init__(self, message: str, details: str, log_path: Path | None,
                 parent: QWidget | None = None,
                 open_url: Callable[[QUrl], object] = QDesktopServices.openUrl) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._open_url = open_url
        self._log_path = log_path
        self.count = 1
        where = (f"The details are in the log: {log_path}" if log_path is not None
                 else "The log could not be written; copy the details to report it.")
        self.message = plain_label(
            "Something went wrong inside Annotator (a bug, not something you did):\n"
            f"{message}\n\nYour changes are saved as you make them; the one in progress "
            f"when this happened may not have been.\n{where}", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more = plain_label("", self)
        self.more.hide()
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setPlainText(details)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy Details", self)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button = QPushButton("&Open Log Folder", self)
        self.open_button.clicked.connect(self.open_log_folder)
        self.open_button.setEnabled(log_path is not None)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.more)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def add_details(self, details: str) -> None:
        """Another error came while this was open: count it, keep its details."""
        self.count += 1
        self.more.setText(f"{self.count - 1} more unexpected error(s) since; "
                          "each is in the log and in the details below.")
        self.more.show()
        if self.count <= 20:    # the log has them all
            self.details.appendPlainText(f"\n--- error {self.count} ---\n{details}")

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("Copied")

    def open_log_folder(self) -> None:
        if self._log_path is not None:
            self._open_url(QUrl.fromLocalFile(str(self._log_path.parent)))


class ErrorReporter(QObject):
    """Routes unexpected errors to the log and to one :class:`ErrorDialog`.

    Signals:
        reported(str): an error was logged (its details); from the GUI thread.
    """

    reported = Signal(str)
    _from_thread = Signal(str, str)     # (summary, details) of another thread's error

    def __init__(self, parent_widget: Callable[[], QWidget | None] = lambda: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parent_widget = parent_widget
        self.dialog: ErrorDialog | None = None
        self._showing = False
        self._previous: tuple | None = None
        self._from_thread.connect(self._show)

    # Installation ---------------------------------------------------------------------

    def install(self) -> None:
        """Take over the excepthooks and Qt's message handler (see :meth:`uninstall`)."""
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook,
                              qInstallMessageHandler(self._qt_message))
            sys.excepthook = self.excepthook
            threading.excepthook = self._thread_excepthook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook, handler = self._previous
            qInstallMessageHandler(handler)
            self._previous = None

    # Hooks ----------------------------------------------------------------------------

    def excepthook(self, kind: type[BaseException], error: BaseException,
                   trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        where = "" if _on_gui_thread() else f"thread {threading.current_thread().name}"
        text = self._log(kind, error, trace, where)
        if _on_gui_thread():
            self._show(summary(error), text)
        else:
            self._from_thread.emit(summary(error), text)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        text = self._log(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}")
        self._from_thread.emit(summary(args.exc_value), text)

    def _qt_message(self, mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        logger = logging.getLogger("annotator.qt")
        if mode in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        print(f"Qt: {message}", file=sys.stderr)
        if mode == QtMsgType.QtWarningMsg:
            logger.warning("%s", message)
            return
        logger.error("Qt %s: %s", "fatal error" if mode == QtMsgType.QtFatalMsg
                     else "critical message", message)
        if mode == QtMsgType.QtFatalMsg:    # Qt aborts next: the log and stderr say why
            if logs.current() is not None:
                print(f"annotator: Qt stopped the app; the log is {logs.current()}",
                      file=sys.stderr)
            return
        text = f"Qt critical message: {message}"
        if _on_gui_thread():
            self._show(text, text)
        else:
            self._from_thread.emit(text, text)

    # Reporting ------------------------------------------------------------------------

    def _log(self, kind: type[BaseException], error: BaseException,
             trace: TracebackType | None, where: str) -> str:
        try:
            return logs.log_unexpected(kind, error, trace, where)
        except Exception:       # the log itself failed: stderr still has the error
            sys.__excepthook__(kind, error, trace)
            return logs.details(kind, error, trace, where)

    def _show(self, message: str, details: str) -> None:
        self.reported.emit(details)
        if self._showing:       # an error while the dialog is being built or shown
            print(f"annotator: another unexpected error while reporting one: {message}",
                  file=sys.stderr)
            return
        self._showing = True
        try:
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.add_details(details)
                return
            if self.dialog is not None:     # closed: a new one replaces it
                self.dialog.deleteLater()
            self.dialog = ErrorDialog(message, details, logs.current(),
                                      self._parent_widget())
            self.dialog.show()
            self.dialog.raise_()
        except Exception as error:      # never recurse into the hook
            print(f"annotator: cannot show the error dialog ({summary(error)}); "
                  f"the error was: {message}", file=sys.stderr)
        finally:
            self._showing = False

    def show_blocking(self, kind: type[BaseException], error: BaseException,
                      trace: TracebackType | None) -> None:
        """Log an error that ends the app and show it until the user closes it."""
        self.excepthook(kind, error, trace)
        if self.dialog is not None:
            self.dialog.exec()


def _on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and app.thread() is QThread.currentThread()
