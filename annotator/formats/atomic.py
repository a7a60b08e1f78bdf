"""Writing a file so that a crash never leaves a partial file in place of a good one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO


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


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; once the block has written it, the
    file is synced to disk and renamed over ``path`` (and the rename synced); on
    error it is removed. Every atomic write in the app goes through here."""
    target = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                     dir=target.parent)
    os.close(fd)
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
