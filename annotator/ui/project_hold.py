"""A window's hold on its project: the project's lock (storage/lock.py) and a
local socket through which a second launch asks the window to come forward.

The window holding a project listens on a ``QLocalServer`` named after the
project's path; a second process that finds the project locked connects, sends
``raise`` and, once answered ``ok``, exits without showing anything. If nobody
answers (another host, or an older version), it says who holds the project.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

from annotator.storage.lock import ProjectLock

_REQUEST = b"raise\n"
_ANSWER = b"ok\n"


def project_path(location: str | Path) -> Path | None:
    """The absolute path of a project file; None for a database URL (not locked)."""
    if isinstance(location, str) and "://" in location:
        return None
    return Path(location).expanduser().absolute()


def server_name(project: Path) -> str:
    """A name for the project's local server, short enough for a Unix socket path."""
    digest = hashlib.sha256(str(project).encode("utf-8")).hexdigest()[:24]
    return f"annotator-{digest}"


def take_lock(location: str | Path, analyst: str) -> ProjectLock | None:
    """The project's lock, or None for a URL or a folder where no lock can be
    made; raises :class:`~annotator.storage.lock.ProjectInUseError`."""
    path = project_path(location)
    return None if path is None else ProjectLock.acquire(path, analyst=analyst)


def bring_forward(project: Path, timeout_ms: int = 3000) -> bool:
    """Ask the window holding ``project`` (in another process) to come forward;
    True when it answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(project))
    if not socket.waitForConnected(timeout_ms):
        return False
    try:
        socket.write(_REQUEST)
        if not socket.waitForBytesWritten(timeout_ms):
            return False
        answer = b""
        while len(answer) < len(_ANSWER) and socket.waitForReadyRead(timeout_ms):
            answer += bytes(socket.readAll().data())
        return answer == _ANSWER
    finally:
        socket.abort()


def window_holding(location: str | Path) -> QWidget | None:
    """This process's window that has ``location`` open, if any."""
    path = project_path(location)
    if path is None:
        return None
    for widget in QApplication.topLevelWidgets():
        hold = getattr(widget, "project_hold", None)
        if isinstance(hold, ProjectHold) and hold.project == path:
            return widget
    return None


class ProjectHold(QObject):
    """Holds one project's lock for a window and answers "raise" requests."""

    raise_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock: ProjectLock | None = None
        self._server: QLocalServer | None = None

    @property
    def project(self) -> Path | None:
        return self._lock.project if self._lock is not None else None

    @property
    def lock(self) -> ProjectLock | None:
        return self._lock

    def hold(self, lock: ProjectLock | None) -> None:
        """Hold ``lock`` (letting go of the one held before) and listen for it."""
        if lock is self._lock:
            return
        self.release()
        self._lock = lock
        if lock is None:
            return
        name = server_name(lock.project)
        QLocalServer.removeServer(name)       # a killed holder's socket (we hold the lock)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(name):
            server.newConnection.connect(self._on_connection)
            self._server = server
        else:
            server.deleteLater()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _on_connection(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_request(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_request(self, socket: QLocalSocket) -> None:
        if socket.bytesAvailable() > 64:
            socket.abort()
            return
        if bytes(socket.peek(len(_REQUEST)).data()) != _REQUEST:
            if socket.bytesAvailable() >= len(_REQUEST):
                socket.abort()
            return
        socket.readAll()
        self.raise_requested.emit()
        socket.write(_ANSWER)
        socket.flush()
        socket.disconnectFromServer()
