"""Writing a file so that a crash never leaves a partial file in place of a good one,
and never over a project (a SQLite database) or the files SQLite keeps beside one."""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"
#: The files SQLite keeps beside a database ``PATH``: ``PATH-wal`` and so on.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
#: First bytes of a write-ahead log (either byte order) and of a rollback journal.
_SIDE_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83",
                 b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")


class ProtectedFileError(OSError):
    """A write aimed at a project, another SQLite database or one of their
    ``-wal``/``-shm``/``-journal`` files; ``str()`` says which, for the user."""


def _starts_with(path: Path, *headers: bytes) -> bool:
    """Whether regular file ``path`` starts with one of ``headers`` (never
    opens a pipe or a device, which could block or never end)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with open(path, "rb") as handle:
            start = handle.read(16)
    except OSError:       # missing, a folder, unreadable: not a database we can see
        return False
    return any(start.startswith(header) for header in headers)


def _resolved(path: str | Path) -> Path:
    try:
        return Path(path).resolve()       # follows symlinks
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def protected_reason(path: str | Path, projects: Iterable[str | Path] = ()) -> str | None:
    """Why ``path`` must never be written over, or None when it may be.

    Refused: any of ``projects`` or its ``-wal``/``-shm``/``-journal`` file;
    any existing file that is a SQLite database, a write-ahead log or a rollback
    journal; and ``NAME-wal``/``-shm``/``-journal`` beside a SQLite database
    ``NAME``. Paths are compared resolved, following symlinks.
    """
    target = _resolved(path)
    for project in projects:
        main = _resolved(project)
        if target == main:
            return f"{path} is this project's own file; an export never overwrites a project"
        for side in SQLITE_SIDE_FILES:
            if target == main.with_name(main.name + side):
                return (f"{path} is this project's {side} file, which holds its latest "
                        "work; an export never overwrites a project")
    if _starts_with(target, SQLITE_HEADER):
        return f"{path} is a SQLite database (a project?); it is never overwritten"
    if _starts_with(target, *_SIDE_HEADERS):
        return f"{path} is a SQLite journal (part of a project); it is never overwritten"
    for side in SQLITE_SIDE_FILES:
        if target.name.endswith(side) and _starts_with(
                target.with_name(target.name[:-len(side)]), SQLITE_HEADER):
            return (f"{path} is the {side} file of the SQLite database "
                    f"{target.name[:-len(side)]}; it is never overwritten")
    return None


def refuse_protected(path: str | Path, projects: Iterable[str | Path] = ()) -> None:
    """Raise :class:`ProtectedFileError` when :func:`protected_reason` refuses ``path``."""
    reason = protected_reason(path, projects)
    if reason is not None:
        raise ProtectedFileError(reason)


def creation_mode(directory: bool = False) -> int:
    """The permissions a new file (or folder) gets from the process's umask:
    ``mkstemp``/``mkdtemp`` make private ones, but an export is meant to be shared."""
    try:   # Linux: read the umask without changing it (os.umask is process-wide)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    mask = int(line.split()[1], 8)
                    break
            else:
                raise OSError
    except (OSError, ValueError):
        mask = os.umask(0o022)
        os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def fsync_directory(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# Partial files ---------------------------------------------------------------------
#
# A file (or folder) being written is ``.NAME.XXXXXXXX.part`` beside its target NAME
# (``tempfile``'s eight random characters), and its writer holds an exclusive
# ``flock`` on it until it is renamed or removed. A writer that is killed leaves it
# behind, unlocked: :func:`remove_stale_parts` removes those, and only those.

#: What :func:`atomic_path` and :func:`~annotator.formats.export.files.atomic_directory`
#: name their partial files: ``.`` NAME ``.`` eight random characters ``.part``.
PART_PATTERN = re.compile(r"^\..+\.[a-z0-9_]{8}\.part$")
#: Where locks cannot be taken (no ``fcntl``), a partial file is stale only this old.
STALE_AFTER = 24 * 3600.0

try:
    import fcntl
except ImportError:      # Windows
    fcntl = None  # type: ignore[assignment]


def _lock(fd: int, *, wait: bool) -> bool:
    """Take an exclusive lock on ``fd``; False when another process holds one."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:        # a filesystem without locks: nothing to go by
        return True
    return True


@contextmanager
def held_part(make: Callable[[], str]) -> Iterator[str]:
    """Create a partial file or folder with ``make`` and hold its lock while the
    block runs. A cleaner that took the lock first (in the instant between
    creation and locking) may have removed it: then make another."""
    fd: int | None = None
    while True:
        name = make()
        try:
            fd = os.open(name, os.O_RDONLY)
        except FileNotFoundError:
            continue
        except OSError:       # e.g. a folder on Windows: no lock, only its age counts
            break
        _lock(fd, wait=True)
        if os.fstat(fd).st_nlink > 0:
            break
        os.close(fd)
    try:
        yield name
    finally:
        if fd is not None:
            os.close(fd)


def _is_stale(path: Path) -> bool:
    """Whether partial file ``path`` was left by a writer that is gone."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        if fcntl is None:
            return time.time() - os.fstat(fd).st_mtime > STALE_AFTER
        return _lock(fd, wait=False)
    finally:
        os.close(fd)      # closing lets go of the lock


def remove_stale_parts(folder: str | Path) -> list[Path]:
    """Remove, from ``folder``, the partial files and folders (``.NAME.*.part``)
    that writers killed before they finished left behind; never one a live
    writer still holds, nor any other file. Returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not PART_PATTERN.match(entry.name) or entry.is_symlink():
            continue
        path = Path(entry.path)
        if not _is_stale(path):
            continue
        try:
            if entry.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; once the block has written it, the
    file is synced to disk and renamed over ``path`` (and the rename synced); on
    error it is removed. Every atomic write in the app goes through here, so none
    can replace a project (see :func:`protected_reason`): that raises
    :class:`ProtectedFileError` before anything is written. While it is written,
    the temporary file is locked (see :func:`remove_stale_parts`)."""
    target = Path(path)
    refuse_protected(target)

    def make() -> str:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                    dir=target.parent)
        os.close(fd)
        return name

    with held_part(make) as temp_name:
        try:
            os.chmod(temp_name, creation_mode())
            yield Path(temp_name)
            with open(temp_name, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(temp_name, target)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise
    fsync_directory(target.parent)


@contextmanager
def atomic_write(path: str | Path, *, newline: str | None = None,
                 encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Yield a text handle on a temporary file beside ``path``; on success it is
    synced and renamed over ``path``; on error it is removed."""
    with atomic_path(path) as temp, \
            open(temp, "w", encoding=encoding, newline=newline) as handle:
        yield handle


@contextmanager
def atomic_binary(path: str | Path) -> Iterator[IO[bytes]]:
    """Yield a binary handle on a temporary file beside ``path`` (see :func:`atomic_write`)."""
    with atomic_path(path) as temp, open(temp, "wb") as handle:
        yield handle
