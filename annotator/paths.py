"""Where things live: the user's data folder (platformdirs) and bundled files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "Annotator"
APP_AUTHOR = "Annotator"
PROJECT_SUFFIX = ".annotator.sqlite"


def user_data_dir() -> Path:
    """The platform's per-user data folder for the app (created on demand by callers)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_project_path() -> Path:
    """The project a first launch creates and fills with the sample corpus."""
    return user_data_dir() / f"Sample corpus{PROJECT_SUFFIX}"


def _bundled(name: str) -> Path:
    """A folder shipped with the app: inside the wheel, or at the top of a checkout."""
    packaged = resources.files("annotator") / "_bundled" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def seeds_dir() -> Path:
    return _bundled("seeds")


def resources_dir() -> Path:
    return _bundled("resources")


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")


def file_size_limit() -> int | None:
    """The largest file this process may write (``ulimit -f``), or None when unlimited."""
    try:
        import resource
    except ImportError:       # Windows: no such limit
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


#: Less free space than this in a folder where a write failed: the disk is full.
NEARLY_FULL = 1024 * 1024


def no_room_reason(folder: str | Path, errno_code: int | None = None) -> str | None:
    """Why a file in ``folder`` could not grow, in words for the user, or None
    when it was not for lack of room. ``errno_code``: the write's error, when
    known (``EFBIG``, ``ENOSPC``, ``EDQUOT``); unknown (as for SQLite's "disk I/O
    error"), the file-size limit and the free space are looked at instead."""
    import errno
    import shutil

    limit = file_size_limit()
    if errno_code == errno.EFBIG or (errno_code is None and limit is not None):
        if limit is not None:
            return (f"the file reached the file-size limit set for this program "
                    f"({_size(limit)}, see ulimit -f)")
        if errno_code == errno.EFBIG:
            return "the file is too large for the filesystem it is on"
    if errno_code == getattr(errno, "EDQUOT", None):
        return "the disk quota is used up"
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        free = None
    if errno_code == errno.ENOSPC or (free is not None and free < NEARLY_FULL):
        return "the disk is full" + (f" ({_size(free)} free)" if free is not None else "")
    return None
