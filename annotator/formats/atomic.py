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


@contextmanager
def atomic_write(path: str | Path, *, newline: str | None = None,
                 encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Yield a text handle on a temporary file beside ``path``; on success it is
    flushed to disk and renamed over ``path``; on error it is removed."""
    target = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                     dir=target.parent)
    try:
        os.chmod(temp_name, creation_mode())
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
