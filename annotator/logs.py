"""The app's log: a rotating file in the platform's log folder (:func:`annotator.about.log_dir`).

Unexpected errors (bugs) are written here with their traceback, by the GUI's error
reporter (:mod:`annotator.ui.error_dialog`) and by the CLI; expected problems are
not (the user is told those in one line). The file is ``annotator.log``, rotated at
1 MB with four older files kept (``annotator.log.1`` … ``.4``): at most 5 MB.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from annotator import about

LOGGER = "annotator"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 4
FORMAT = "%(asctime)s %(levelname)s %(process)d %(threadName)s %(name)s: %(message)s"

_handler: RotatingFileHandler | None = None


def configure(path: Path | None = None) -> Path | None:
    """Write the ``annotator`` loggers' records (INFO and above) to the rotating log
    file; returns its path, or None when the folder cannot be created or written
    (then nothing is logged to a file and the caller says so where it can).
    Called again with another path (tests), it moves the log there."""
    global _handler
    path = path or about.log_file()
    if _handler is not None and Path(_handler.baseFilename) == path.absolute():
        return path
    stop()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                      encoding="utf-8", delay=False)
    except OSError as error:
        print(f"annotator: cannot write the log {path}: {error.strerror or error}",
              file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    _handler = handler
    return path


def stop() -> None:
    """Close the log file (it is reopened by :func:`configure`)."""
    global _handler
    if _handler is not None:
        logging.getLogger(LOGGER).removeHandler(_handler)
        _handler.close()
        _handler = None


def current() -> Path | None:
    """The log file being written, or None."""
    return Path(_handler.baseFilename) if _handler is not None else None


def details(kind: type[BaseException], error: BaseException,
            trace: TracebackType | None, where: str = "") -> str:
    """What a bug report needs: the version and platform, then the traceback."""
    lines = [about.platform_summary()]
    if where:
        lines.append(where)
    lines.append("".join(traceback.format_exception(kind, error, trace)).rstrip())
    return "\n".join(lines)


def log_unexpected(kind: type[BaseException], error: BaseException,
                   trace: TracebackType | None, where: str = "") -> str:
    """Write an unexpected error, with its traceback, to the log; returns the details."""
    text = details(kind, error, trace, where)
    logging.getLogger(f"{LOGGER}.error").error("Unexpected error\n%s", text)
    if _handler is not None:
        _handler.flush()
    return text
