"""Storage errors split by whose fault they are.

:class:`ProjectError` and its subclasses are the user's problem (a locked,
missing, too-new, corrupt or full project) and carry a message meant for them.
A driver error nobody can act on (a broken constraint: a bug or a damaged
project) becomes :class:`DatabaseBugError`, logged with its traceback, so a
change that was not saved is always reported, never passed over.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import exc as orm_exc

from annotator.paths import no_room_reason

_log = logging.getLogger(__name__)


class ProjectError(Exception):
    """A problem with a project the user can understand and act on."""


class ProjectNotFoundError(ProjectError):
    pass


class NotAProjectError(ProjectError):
    pass


class ProjectTooNewError(ProjectError):
    pass


class ProjectNeedsUpgradeError(ProjectError):
    """A project of an older schema that cannot be upgraded where it is (read-only)."""


class ProjectBusyError(ProjectError):
    pass


class DiskFullError(ProjectError):
    pass


class CorruptProjectError(ProjectError):
    pass


class ProjectAccessError(ProjectError):
    pass


class PasswordNeededError(ProjectAccessError):
    """A team server refused the connection for want of the right password."""


class ServerUnreachableError(ProjectAccessError):
    """The team server could not be reached, or dropped the connection (stopped,
    restarted, the network gone): what was asked was not done; what was saved
    before is on the server. The next try connects again."""


class ClaimConflictError(ProjectError):
    """An edit made on an older version of a claim than the stored one: someone
    saved the claim in between, so the edit was not saved (nothing is overwritten
    in silence). ``stored`` and ``yours`` are the two versions (domain claims),
    ``stored_version`` and ``your_version`` their save counters; ``kind`` says
    whose claim: an analyst's ("claim") or the gold layer's ("gold claim")."""

    def __init__(self, message: str, *, stored: object, yours: object,
                 stored_version: int, your_version: int, kind: str = "claim") -> None:
        super().__init__(message)
        self.kind = kind
        self.stored = stored
        self.yours = yours
        self.stored_version = stored_version
        self.your_version = your_version


class DowngradeRefusedError(ProjectError):
    """Going back to an older schema would drop data the older schema cannot hold."""


_SQLITE_ERRORS: dict[str, tuple[type[ProjectError], str]] = {
    "SQLITE_BUSY": (ProjectBusyError, "the project is in use by another program or window "
                    "and stayed locked; try again in a moment"),
    "SQLITE_LOCKED": (ProjectBusyError, "the project is locked by another connection"),
    "SQLITE_FULL": (DiskFullError, "the disk is full, or the project reached its size "
                    "limit; nothing more could be saved (what was already saved is safe; "
                    "free some space, then try again)"),
    "SQLITE_CORRUPT": (CorruptProjectError, "the project file is damaged"),
    "SQLITE_NOTADB": (NotAProjectError, "the file is not a SQLite database"),
    "SQLITE_READONLY": (ProjectAccessError, "the project file is read-only"),
    "SQLITE_CANTOPEN": (ProjectAccessError, "the project file cannot be opened"),
    "SQLITE_IOERR": (ProjectAccessError, "reading or writing the project file failed"),
    "SQLITE_PERM": (ProjectAccessError, "permission denied"),
}


def _sqlite_error_name(error: BaseException) -> str | None:
    name = getattr(error, "sqlite_errorname", None)
    if name:
        # Extended codes such as SQLITE_IOERR_WRITE or SQLITE_BUSY_SNAPSHOT.
        for base in _SQLITE_ERRORS:
            if name == base or name.startswith(base + "_"):
                return base
    message = str(error).lower()
    if "database is locked" in message:
        return "SQLITE_BUSY"
    if "disk is full" in message:
        return "SQLITE_FULL"
    if "file is not a database" in message:
        return "SQLITE_NOTADB"
    return None


def _no_room(where: str | Path, cls: type[ProjectError],
             reason: str) -> tuple[type[ProjectError], str]:
    """A full disk or a file-size limit (``ulimit -f``) is reported by SQLite as
    "disk is full" or as a bare "disk I/O error": say which it was."""
    if "://" in str(where):
        return cls, reason
    room = no_room_reason(Path(where).parent)
    if room is None:
        return cls, reason
    return DiskFullError, (f"{room}; nothing more could be saved (what was already saved "
                           "is safe; free some space, then try again)")


def translate(error: BaseException, where: str | Path) -> ProjectError | None:
    """The :class:`ProjectError` for a driver error, or None if it is a bug."""
    original = getattr(error, "orig", error)
    if isinstance(original, sqlite3.Error):
        name = _sqlite_error_name(original)
        if name is not None:
            cls, reason = _SQLITE_ERRORS[name]
            if name in ("SQLITE_FULL", "SQLITE_IOERR"):
                cls, reason = _no_room(where, cls, reason)
            return cls(f"{where}: {reason}")
    if getattr(original, "sqlstate", None) == "42501":
        # Refused by the team server's roles (see storage/team.py), not a bug.
        return ProjectAccessError(f"{where}: your role on the team server does not allow "
                                  f"this change ({str(original).splitlines()[0]})")
    if _connection_lost(error, original):
        return ServerUnreachableError(
            f"{where}: the team server cannot be reached (the connection was lost or "
            f"refused: {_first_line(original)}); what was saved before is safe on the "
            "server, and Annotator reconnects by itself")
    if isinstance(error, sa_exc.OperationalError):
        message = str(original)
        if "password" in message and ("no password supplied" in message
                                      or "authentication failed" in message):
            return PasswordNeededError(
                f"{where}: the server wants this user's password (none given, none kept in "
                "the keyring, or a wrong one)")
        return ProjectAccessError(f"{where}: the database could not be reached ({original})")
    return None


#: SQLSTATEs of a lost connection: class 08 (connection exception) and the
#: server shutting down or ending the backend (57P01-57P03).
_LOST_STATES = ("57P01", "57P02", "57P03")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _connection_lost(error: BaseException, original: BaseException) -> bool:
    """Whether a driver error of a database server means the connection is gone
    (rather than a refused statement): SQLAlchemy saw a disconnect, or the driver
    failed without a server's answer (connection refused, closed, timed out)."""
    if isinstance(original, sqlite3.Error) or not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    state = getattr(original, "sqlstate", None)
    if state is not None:
        return state.startswith("08") or state in _LOST_STATES
    message = str(original).lower()
    if "password" in message:
        return False
    return isinstance(error, sa_exc.OperationalError) and type(original).__module__ \
        .startswith("psycopg")


class DatabaseBugError(ProjectError):
    """The database refused a change for a reason no user can act on (a broken
    constraint, a bug): the change is not saved, and the user is told so."""


def not_yours(where: str | Path) -> ProjectAccessError:
    """An UPDATE or DELETE that changed nothing: on a team server the row belongs to
    someone else (row-level security hides it from the change)."""
    return ProjectAccessError(
        f"{where}: the change was not saved: the row is not yours to change on the "
        "team server, or someone deleted it meanwhile")


@contextmanager
def translated(where: str | Path) -> Iterator[None]:
    """Re-raise driver errors as :class:`ProjectError`: the ones a user can act on
    with their reason, any other as :class:`DatabaseBugError` (logged with its
    traceback), so a change that was not saved is never passed over in silence."""
    try:
        yield
    except orm_exc.StaleDataError as error:
        # On a team server a row another analyst owns is invisible to an UPDATE or
        # DELETE (row-level security): nothing was changed.
        raise not_yours(where) from error
    except (sa_exc.DBAPIError, sqlite3.Error) as error:
        project_error = translate(error, where)
        if project_error is None:
            _log.exception("unexpected database error in %s", where)
            original = getattr(error, "orig", error)
            project_error = DatabaseBugError(
                f"{where}: the database refused the change ({original}); this is a bug "
                "in Annotator or a damaged project — please report it")
        raise project_error from error



class DamagedProjectError(CorruptProjectError):
    """A project found damaged at open after an unclean shutdown (its write-ahead
    log was left behind and the integrity check failed). It was moved aside
    untouched to ``set_aside``; ``backup`` is the newest backup that passes its
    check (a :class:`~annotator.storage.backup.Backup`, or None), ``damaged_claims``
    the claims the damaged file holds and ``claims_after`` how many of them were
    made or changed after that backup (None where it could not be read)."""

    def __init__(self, message: str, *, project: Path, set_aside: Path | None,
                 problem: str, backup: object | None = None,
                 damaged_claims: int | None = None, claims_after: int | None = None) -> None:
        super().__init__(message)
        self.project = project
        self.set_aside = set_aside
        self.problem = problem
        self.backup = backup
        self.damaged_claims = damaged_claims
        self.claims_after = claims_after
