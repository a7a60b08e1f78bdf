"""Opening a project that was not closed cleanly.

A write-ahead log (``NAME-wal``) with something in it when a project is opened
means that a program using it ended without closing it (a crash, a kill, a
power cut), or still has it open. Either way the project is checked with
``PRAGMA integrity_check`` on a read-only connection (which never checkpoints,
so it changes neither the file nor its log). A damaged project is not opened:
it and its -wal and -shm are renamed to ``NAME.corrupt-TIMESTAMP`` untouched,
and :class:`~annotator.storage.errors.DamagedProjectError` names the newest
backup that passes its check and what restoring it would lose.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from annotator.paths import PROJECT_SUFFIX
from annotator.storage import backup as backups
from annotator.storage.errors import DamagedProjectError


def wal_left(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def integrity_problem(path: Path, busy_timeout: float = 10.0) -> str | None:
    """None when ``path`` (with its log) passes ``PRAGMA integrity_check`` or
    could not be checked for another reason (a lock: the open reports it), else
    the first problem found."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True,
                                     timeout=busy_timeout)
    except sqlite3.Error:
        return None
    connection.text_factory = backups.lenient_text
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return None
        return str(error)
    except sqlite3.DatabaseError as error:
        return str(error)
    except UnicodeDecodeError:      # SQLite's message quoted damaged bytes
        return "database disk image is malformed"
    finally:
        connection.close()
    if rows == [("ok",)]:
        return None
    return str(rows[0][0]).replace("*** in database main ***", "").strip().splitlines()[0] \
        if rows else "no answer from integrity_check"


def check_after_unclean_shutdown(path: Path, *, busy_timeout: float = 10.0,
                                 now: datetime | None = None) -> None:
    """Raise :class:`DamagedProjectError` (after setting the project aside) when
    a log was left beside ``path`` and the project fails its integrity check."""
    if not wal_left(path):
        return
    problem = integrity_problem(path, busy_timeout)
    if problem is None:
        return
    aside: Path | None = None
    if _ours(path):         # another program's file is never moved
        with contextlib.suppress(OSError):
            aside = backups.set_aside(path, "corrupt", now=now)
    backup = backups.newest_passing(path)
    counts = None
    if aside is not None:
        since = backups.newest_change(backup.path) if backup else None
        counts = backups.claims_changed_after(aside, since)
    damaged, after = counts if counts else (None, None)
    raise DamagedProjectError(
        damage_message(path, aside, problem, backup, damaged, after),
        project=path, set_aside=aside, problem=problem, backup=backup,
        damaged_claims=damaged, claims_after=after)


def _ours(path: Path) -> bool:
    """Whether a damaged file is an Annotator project: it has backups, a
    project's name, or (as far as it can be read) the app's schema table."""
    if path.name.endswith(PROJECT_SUFFIX) or backups.list_backups(path):
        return True
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            connection.text_factory = bytes
            names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return False
    return b"alembic_version" in names


def plural(count: int | None, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def loss_text(backup: backups.Backup | None, damaged: int | None, after: int | None) -> str:
    """What restoring ``backup`` would lose, in a sentence or two."""
    if backup is None:
        return ("There is no good backup of it. The damaged file may still be partly "
                "recoverable with SQLite's .recover command.")
    when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    text = (f"The newest good backup was taken {when} ({backup.describe()}) and holds "
            f"{plural(backup.claims, 'claim')} in {plural(backup.documents, 'document')}. ")
    if damaged is None or after is None:
        return text + ("The damaged file cannot be read to count what was done since: "
                       f"everything done after {when} would be lost.")
    return text + (f"Restoring it loses what was done after {when}: {after} of the {damaged} "
                   "claims in the damaged file were made or changed since then (and claims "
                   "deleted since come back).")


def damage_message(path: Path, aside: Path | None, problem: str,
                   backup: backups.Backup | None, damaged: int | None,
                   after: int | None) -> str:
    where = (f"It was moved aside, untouched, to {aside}." if aside is not None
             else "It was left where it is, unopened (it could not be moved aside, or "
            "may belong to another program).")
    return (f"{path}: the project was not closed cleanly and is damaged ({problem}). "
            f"{where} {loss_text(backup, damaged, after)}")
