"""Writing binary files and whole folders so that a crash, a full disk or a
cancelled export never leaves a partial result in place of a good one.

Text files use :func:`annotator.formats.atomic.atomic_write`; this module adds
the binary and folder cases: the result is written beside the target under a
hidden temporary name, flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from annotator.formats.atomic import creation_mode


def _fsync_directory(path: Path) -> None:
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
def atomic_binary(path: str | Path) -> Iterator[IO[bytes]]:
    """Yield a binary handle on a temporary file beside ``path``; on success it is
    flushed to disk and renamed over ``path``; on error it is removed."""
    target = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                     dir=target.parent)
    try:
        os.chmod(temp_name, creation_mode())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_directory(target.parent)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for a library that writes files by
    name (pyarrow); on success the file is synced and renamed over ``path``."""
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
    _fsync_directory(target.parent)


class FolderInTheWay(OSError):
    """The target folder exists and holds files this export did not write."""


@contextmanager
def atomic_directory(path: str | Path, *, replaceable: Collection[str]) -> Iterator[Path]:
    """Yield a temporary folder beside ``path`` to fill; on success its files are
    synced and it is renamed to ``path``; on error it is removed.

    An existing folder at ``path`` is replaced only when it holds nothing but
    files named in ``replaceable`` (an earlier export of the same kind);
    anything else raises :class:`FolderInTheWay` before any work is done, so a
    mistyped ``-o`` never deletes a folder of the user's. While the new folder is
    swapped in, the old one is kept under a hidden name until the new one is in
    place.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise FolderInTheWay(f"{target} exists and is not a folder")
    if target.is_dir():
        extra = sorted(child.name for child in target.iterdir()
                       if child.name not in replaceable or not child.is_file())
        if extra:
            raise FolderInTheWay(f"{target} exists and holds other files ({', '.join(extra[:3])}"
                                 f"{', …' if len(extra) > 3 else ''}); choose a new folder")
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        os.chmod(temp, creation_mode(directory=True))
        yield temp
        for child in temp.iterdir():
            with open(child, "rb+") as handle:
                os.fsync(handle.fileno())
        _fsync_directory(temp)
        if target.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old",
                                        dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
            try:
                os.rename(temp, target)
            except BaseException:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    _fsync_directory(target.parent)
