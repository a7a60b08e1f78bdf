"""Writing binary files and whole folders so that a crash, a full disk or a
cancelled export never leaves a partial result in place of a good one.

Files use :mod:`annotator.formats.atomic` (text, binary, by path); this module
adds whole folders: the result is written beside the target under a
hidden temporary name, flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.formats.atomic import (
    ProtectedFileError,
    creation_mode,
    held_part,
    protected_reason,
    refuse_protected,
)
from annotator.formats.atomic import fsync_directory as _fsync_directory


class FolderInTheWay(OSError):
    """The target folder exists and holds files this export did not write."""


@contextmanager
def atomic_directory(path: str | Path, *, replaceable: Collection[str]) -> Iterator[Path]:
    """Yield a temporary folder beside ``path`` to fill; on success its files are
    synced and it is renamed to ``path``; on error it is removed.

    An existing folder at ``path`` is replaced only when it holds nothing but
    files named in ``replaceable`` (an earlier export of the same kind);
    anything else raises :class:`FolderInTheWay` before any work is done, so a
    mistyped ``-o`` never deletes a folder of the user's; a folder holding a
    project (a SQLite database) raises :class:`ProtectedFileError`. While the
    new folder is swapped in, the old one is kept under a hidden name until the
    new one is in place.
    """
    target = Path(path)
    refuse_protected(target)
    if target.is_dir():
        projects = sorted(child.name for child in target.iterdir() if protected_reason(child))
        if projects:
            raise ProtectedFileError(f"{target} holds a project ({projects[0]}); a folder "
                                     "with a project in it is never replaced")
    if target.exists() and not target.is_dir():
        raise FolderInTheWay(f"{target} exists and is not a folder")
    if target.is_dir():
        extra = sorted(child.name for child in target.iterdir()
                       if child.name not in replaceable or not child.is_file())
        if extra:
            raise FolderInTheWay(f"{target} exists and holds other files ({', '.join(extra[:3])}"
                                 f"{', …' if len(extra) > 3 else ''}); choose a new folder")
    with held_part(lambda: tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part",
                                            dir=target.parent)) as temp_name:
        yield from _fill_and_swap(target, Path(temp_name))


def _fill_and_swap(target: Path, temp: Path) -> Iterator[Path]:
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
