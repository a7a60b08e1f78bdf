"""One window per project: a lock file beside the project says who has it open.

``PROJECT.lock`` (beside ``PROJECT``) is held with an OS-level lock
(``flock`` on POSIX, ``msvcrt.locking`` on Windows) for as long as a window has
the project open, and holds JSON saying who: pid, host, user, analyst, since
when, app version. The operating system drops the lock when its process ends,
however it ends, so a lock left by a killed process is simply taken over; a
window that closes removes the file. Where
the file system cannot lock (some network shares), the JSON decides instead: a
holder on this host whose pid is gone is reclaimed; any other holder keeps it.

Only windows take the lock. The command line's writing commands do not: SQLite
(WAL, ``BEGIN IMMEDIATE`` with a busy timeout) keeps concurrent writers safe,
so ``annotator import`` may add documents while a window is open.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.storage.errors import ProjectError

LOCK_SUFFIX = ".lock"
MAX_LOCK_BYTES = 64 * 1024


class ProjectInUseError(ProjectError):
    """The project is open for editing in another window (``holder`` says whose)."""

    def __init__(self, project: Path, holder: LockHolder | None) -> None:
        self.project = project
        self.holder = holder
        if holder is None:
            who = "in another window (its owner could not be read)"
        else:
            who = (f"in another window by {holder.user or 'someone'} on {holder.host} "
                   f"since {holder.since()} (pid {holder.pid})")
        super().__init__(f"{project.name} is open {who}")


@dataclass(frozen=True, slots=True)
class LockHolder:
    pid: int
    host: str
    user: str
    analyst: str
    started: str            # ISO 8601, UTC
    version: str

    @classmethod
    def me(cls, analyst: str) -> LockHolder:
        return cls(os.getpid(), socket.gethostname(), _user(), analyst,
                   datetime.now(UTC).isoformat(timespec="seconds"), __version__)

    @classmethod
    def parse(cls, data: bytes) -> LockHolder | None:
        try:
            value: Any = json.loads(data.decode("utf-8"))
            return cls(int(value["pid"]), str(value["host"]), str(value.get("user", "")),
                       str(value.get("analyst", "")), str(value.get("started", "")),
                       str(value.get("version", "")))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def since(self) -> str:
        """When the holder opened the project, in local time."""
        try:
            return datetime.fromisoformat(self.started).astimezone().strftime(
                "%Y-%m-%d %H:%M")
        except ValueError:
            return self.started or "an unknown time"

    def is_alive(self) -> bool:
        """False only when the holder is surely gone: on this host, pid not running."""
        if self.host != socket.gethostname():
            return True
        return pid_running(self.pid)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def pid_running(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_path(project: Path) -> Path:
    return project.with_name(project.name + LOCK_SUFFIX)


def _os_lock(fd: int) -> bool | None:
    """Take the OS lock without waiting: True taken, False held by another
    open file, None when this file system cannot lock."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 1 << 30, os.SEEK_SET)   # a byte past the JSON: readers can read it
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as error:
        if sys.platform == "win32" and error.errno in (13, 36):  # EACCES, EDEADLOCK
            return False
        return None
    return True


def _still_there(fd: int, path: Path) -> bool:
    """Whether ``fd`` is still the file at ``path`` (not one a releasing holder
    removed between our opening and locking it)."""
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def read_holder(project: Path) -> LockHolder | None:
    """Who the lock file names (whether or not they still hold it)."""
    try:
        with lock_path(project).open("rb") as handle:
            return LockHolder.parse(handle.read(MAX_LOCK_BYTES))
    except OSError:
        return None


class ProjectLock:
    """A held project lock; :meth:`release` (or the process ending) lets it go."""

    def __init__(self, project: Path, fd: int, holder: LockHolder) -> None:
        self.project = project
        self.holder = holder
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, project: str | Path, *, analyst: str = "") -> ProjectLock | None:
        """Hold ``project``'s lock, or raise :class:`ProjectInUseError` naming who
        holds it. None when no lock file can be made (a read-only folder): the
        project opens unlocked, as nothing else could write there either."""
        project = Path(project).expanduser().absolute()
        path = lock_path(project)
        for _attempt in range(5):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
            except OSError:
                return None
            try:
                taken = _os_lock(fd)
                if taken is False:
                    raise ProjectInUseError(project, read_holder(project))
                if taken and not _still_there(fd, path):
                    os.close(fd)        # its holder removed it as we opened it: again
                    continue
                if taken is None:
                    holder = read_holder(project)
                    if holder is not None and holder.is_alive() and holder.pid != os.getpid():
                        raise ProjectInUseError(project, holder)
                me = LockHolder.me(analyst)
                data = json.dumps(asdict(me), ensure_ascii=False).encode("utf-8")
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, data)
                os.fsync(fd)
            except BaseException:
                os.close(fd)
                raise
            return cls(project, fd, me)
        return None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Let go: remove the file (or, where an open file cannot be removed,
        empty it so it names nobody), then drop the OS lock."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        with contextlib.suppress(OSError):
            lock_path(self.project).unlink()
        os.close(fd)                    # closing drops flock / msvcrt locks

    def __enter__(self) -> ProjectLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
