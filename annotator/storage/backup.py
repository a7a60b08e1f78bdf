"""Backups of a project file, taken with SQLite's online backup API.

Where: one folder per project under the user's data folder (``Backups/NAME-ID``,
ID a hash of the project's resolved path), or under ``$ANNOTATOR_BACKUP_DIR``.
Not beside the project: a project usually lives in a folder the analyst chose
to share, sync or hand on (a synced Documents folder, a network drive, a folder
zipped for a colleague), and copies of it there would travel, conflict and leak
with it; a read-only project folder could not hold them at all. The data folder
is the platform's place for what an app keeps for its user (not synced by
default), and a backup folder found inside a cloud-sync folder anyway is named
in a warning (:func:`cloud_warning`), never used silently.

How: the copy is written to a temporary file, switched out of WAL mode, opened
read-only and checked (``PRAGMA quick_check``, claim and document counts) and
only then renamed into place; only then are older copies rotated out, and a
copy that would stand in for the ones rotated out is checked first, unless it
passed a check in the last week and was not written since (a damaged one is
renamed ``*.damaged`` and counts for nothing). What is kept
(:func:`keep`): the newest copy of each of the last 7 days, 4 weeks and 12
months that have copies, and the 5 newest copies taken before a schema upgrade
or a restore. Nothing here uses Qt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.domain.wording import shorten
from annotator.paths import PROJECT_SUFFIX, user_data_dir
from annotator.storage.errors import ProjectError

BACKUP_DIR_ENV = "ANNOTATOR_BACKUP_DIR"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_SPECIAL = 5
#: How long a copy's passed check is trusted before it is checked again.
RECHECK = timedelta(days=7)
DAILY = timedelta(days=1)
#: Kinds of regular copies (rotated by :func:`keep`); others start with ``before-``.
REGULAR_KINDS = ("close", "daily", "manual")
_NAME = re.compile(r"^(\d{8}T\d{6}Z)(?:_(\d+))?-([a-z0-9.-]+)\.sqlite$")
_STATE = "state.json"
_CLOUD = (("dropbox", "Dropbox"), ("onedrive", "OneDrive"), ("icloud", "iCloud Drive"),
          ("mobile documents", "iCloud Drive"), ("google drive", "Google Drive"),
          ("googledrive", "Google Drive"), ("my drive", "Google Drive"),
          ("cloudstorage", "a cloud storage provider"), ("pcloud", "pCloud"),
          ("nextcloud", "Nextcloud"), ("owncloud", "ownCloud"), ("box sync", "Box"),
          ("megasync", "MEGA"), ("mega", "MEGA"), ("seafile", "Seafile"),
          ("syncthing", "Syncthing"), ("yandex.disk", "Yandex Disk"))


class BackupError(ProjectError):
    """A backup could not be taken, checked or restored (the project is unchanged)."""


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file and what it holds (``claims`` is None when it cannot be read)."""

    path: Path
    taken_at: datetime
    kind: str
    size: int
    claims: int | None
    documents: int | None
    revision: str | None

    @property
    def readable(self) -> bool:
        return self.claims is not None

    @property
    def regular(self) -> bool:
        return self.kind in REGULAR_KINDS

    def describe(self) -> str:
        """What the copy was taken for, for people."""
        if self.kind.startswith("before-upgrade-"):
            return f"before upgrading schema {self.kind.removeprefix('before-upgrade-')}"
        return {"close": "on close", "daily": "daily", "manual": "by hand",
                "before-restore": "before a restore"}.get(self.kind, self.kind)


# Where ----------------------------------------------------------------------------------

def backup_root() -> Path:
    configured = os.environ.get(BACKUP_DIR_ENV)
    return Path(configured).expanduser() if configured else user_data_dir() / "Backups"


def _resolved(project: str | Path) -> Path:
    return Path(project).expanduser().resolve()


def backup_folder(project: str | Path) -> Path:
    """The folder holding ``project``'s backups (not created here)."""
    path = _resolved(project)
    digest = hashlib.sha256(os.path.normcase(str(path)).encode("utf-8")).hexdigest()[:12]
    name = path.name.removesuffix(PROJECT_SUFFIX).removesuffix(".sqlite").removesuffix(".db")
    stem = re.sub(r"[^\w .-]+", "_", name).strip(" .")[:40] or "project"
    return backup_root() / f"{stem}-{digest}"


def cloud_service(path: str | Path) -> str | None:
    """The cloud-sync service whose folder ``path`` is in, by its folders' names."""
    for part in Path(path).expanduser().absolute().parts:
        lowered = part.lower()
        for marker, service in _CLOUD:
            if lowered == marker or lowered.startswith((marker + " ", marker + "-")) \
                    or (len(marker) > 4 and lowered.startswith(marker)):
                return service
    return None


def cloud_warning(project: str | Path) -> str | None:
    """A warning when ``project``'s backups go into a cloud-sync folder."""
    folder = backup_folder(project)
    service = cloud_service(folder)
    if service is None:
        return None
    return (f"backups of {Path(project).name} go to {folder}, inside a folder synced by "
            f"{service}: copies of the project travel with it (set {BACKUP_DIR_ENV} to a "
            "local folder to keep them here)")


# Reading backups ------------------------------------------------------------------------

def lenient_text(data: bytes) -> str:
    """Text from a file that may be damaged (never a decoding error)."""
    return data.decode("utf-8", "replace")


def _read_only(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    connection.text_factory = lenient_text
    return connection


def _contents(connection: sqlite3.Connection) -> tuple[int, int, str | None]:
    claims = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
    documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return claims, documents, row[0] if row else None


def summary(path: str | Path) -> tuple[int, int, str | None] | None:
    """(claims, documents, schema revision) of a project file not in use, or None."""
    try:
        connection = _read_only(Path(path))
        try:
            return _contents(connection)
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return None


def check(path: str | Path) -> str | None:
    """None when the file passes ``PRAGMA quick_check`` and reads as a project,
    else the problem found."""
    try:
        connection = _read_only(Path(path))
    except sqlite3.Error as error:
        return str(error)
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            return str(rows[0][0]).splitlines()[0] if rows else "no answer from quick_check"
        _contents(connection)
    except sqlite3.Error as error:
        return str(error)
    except UnicodeDecodeError:      # SQLite's message quoted damaged bytes
        return "database disk image is malformed"
    finally:
        connection.close()
    return None


def _parse_name(name: str) -> tuple[datetime, int, str] | None:
    match = _NAME.match(name)
    if match is None:
        return None
    taken = datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return taken, int(match[2] or 0), match[3]


def read_backup(path: Path) -> Backup | None:
    """The backup at ``path`` (None if its name is not a backup's)."""
    parsed = _parse_name(path.name)
    if parsed is None:
        return None
    taken, _n, kind = parsed
    size = 0
    with contextlib.suppress(OSError):
        size = path.stat().st_size
    claims, documents, revision = summary(path) or (None, None, None)
    return Backup(path, taken, kind, size, claims, documents, revision)


def _backup_files(folder: Path) -> list[Path]:
    try:
        names = [p for p in folder.iterdir() if _parse_name(p.name) is not None]
    except OSError:
        return []
    return sorted(names, key=lambda p: _parse_name(p.name)[:2], reverse=True)  # type: ignore[index]


def list_backups(project: str | Path) -> list[Backup]:
    """``project``'s backups, newest first (damaged ones show with no counts)."""
    found = (read_backup(path) for path in _backup_files(backup_folder(project)))
    return [backup for backup in found if backup is not None]


def newest_passing(project: str | Path) -> Backup | None:
    """The newest backup that passes its check (checked newest first)."""
    for backup in list_backups(project):
        if backup.readable and check(backup.path) is None:
            return backup
    return None


# Taking backups -------------------------------------------------------------------------

def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def file_stamp(project: str | Path) -> list[int]:
    """What changes whenever anyone writes the project: the size and modification
    time of the file and of its write-ahead log (reads change neither; opening
    makes an empty log, which counts as none)."""
    path = Path(project)
    stamp: list[int] = []
    for item in (path, Path(f"{path}-wal")):
        try:
            info = item.stat()
        except OSError:
            stamp += [0, 0]
            continue
        stamp += [info.st_mtime_ns, info.st_size] if info.st_size else [0, 0]
    return stamp


def _read_state(folder: Path) -> dict:  # type: ignore[type-arg]
    try:
        state = json.loads((folder / _STATE).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_state(folder: Path, **changes: object) -> None:
    state = _read_state(folder)
    state.update(changes)
    temporary = folder / f".{_STATE}.{uuid.uuid4().hex}"
    try:
        temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, folder / _STATE)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def mark_current(project: str | Path) -> None:
    """Record that the project file as it is now holds what its newest backup
    holds (after a backup; after closing a project not changed since one)."""
    if backup_folder(project).is_dir():
        _write_state(backup_folder(project), project=str(_resolved(project)),
                     stamp=file_stamp(project))


def _identity(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def _checked_lately(checked: dict, path: Path) -> bool:  # type: ignore[type-arg]
    """Whether ``path`` passed its check less than :data:`RECHECK` ago and was
    not written since (a copy is checked again at least once a week)."""
    entry = checked.get(path.name)
    try:
        return (isinstance(entry, list) and len(entry) == 3 and entry[:2] == _identity(path)
                and time.time() - entry[2] < RECHECK.total_seconds())
    except OSError:
        return False


def changed_since_backup(project: str | Path) -> bool:
    """True when the project was written (by anyone) since its newest backup, or
    has none."""
    folder = backup_folder(project)
    if not _backup_files(folder):
        return True
    return _read_state(folder).get("stamp") != file_stamp(project)


def take_backup(project: str | Path, kind: str = "manual", *, now: datetime | None = None,
                busy_timeout: float = 10.0) -> Backup:
    """Copy ``project`` (open or not; writers go on) into its backup folder,
    check the copy, then rotate older copies out. Raises :class:`BackupError`
    (older copies untouched) when the copy cannot be made or fails its check."""
    if not re.fullmatch(r"[a-z0-9.-]+", kind):
        raise ValueError(f"bad backup kind {kind!r}")
    source_path = Path(project).expanduser().absolute()
    folder = backup_folder(source_path)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"{folder}: cannot make the backup folder: "
                          f"{error.strerror or error}") from error
    temporary = folder / f".{uuid.uuid4().hex}.tmp"
    try:
        _copy(source_path, temporary, busy_timeout)
        problem = check(temporary)
        if problem is not None:
            raise BackupError(f"{source_path}: the backup copy failed its check "
                              f"({shorten(problem)}); "
                              "older backups were kept")
        _fsync(temporary)
        target = _free_name(folder, moment, kind)
        os.replace(temporary, target)
        _fsync(folder)
    except OSError as error:
        raise BackupError(f"{folder}: the backup could not be written: "
                          f"{error.strerror or error}; older backups were kept") from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    checked = _read_state(folder).get("checked", {})
    checked[target.name] = [*_identity(target), time.time()]
    _write_state(folder, checked=checked)
    mark_current(source_path)
    backup = read_backup(target)
    assert backup is not None
    rotate(folder)
    return backup


def _copy(source_path: Path, target: Path, busy_timeout: float) -> None:
    if not source_path.is_file():
        raise BackupError(f"{source_path}: no such project")
    try:
        source = sqlite3.connect(source_path, timeout=busy_timeout)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
                # A file on its own: no -wal or -shm beside it, readable read-only.
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"{source_path}: could not be copied for a backup "
                          f"({shorten(str(error))}); "
                          "older backups were kept") from error


def _free_name(folder: Path, moment: datetime, kind: str) -> Path:
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    number = 0
    while True:
        name = f"{stamp}{f'_{number}' if number else ''}-{kind}.sqlite"
        if not (folder / name).exists():
            return folder / name
        number += 1


def back_up_if_changed(project: str | Path, kind: str, *, now: datetime | None = None,
                       due_after: timedelta | None = None) -> Backup | None:
    """A backup when the project changed since its newest one (and, with
    ``due_after``, that one is at least that old); else None."""
    if not changed_since_backup(project):
        return None
    if due_after is not None:
        newest = _backup_files(backup_folder(project))
        moment = now or datetime.now(UTC)
        if newest and moment - _parse_name(newest[0].name)[0] < due_after:  # type: ignore[index]
            return None
    return take_backup(project, kind, now=now)


# Rotation -------------------------------------------------------------------------------

def keep(times: Iterable[datetime], *, daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY,
         monthly: int = KEEP_MONTHLY) -> set[datetime]:
    """Grandfather-father-son: the newest time, and the newest time of each of
    the last ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months that
    have times (by each time's own calendar: pass local times for local days)."""
    ordered = sorted(set(times), reverse=True)
    kept = set(ordered[:1])
    buckets: tuple[tuple[int, Callable[[datetime], Hashable]], ...] = (
        (daily, lambda t: t.date()),
        (weekly, lambda t: tuple(t.isocalendar())[:2]),
        (monthly, lambda t: (t.year, t.month)))
    for count, bucket in buckets:
        seen: list[Hashable] = []
        for moment in ordered:
            key = bucket(moment)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            kept.add(moment)
    return kept


def _set_damaged_aside(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(path.name + ".damaged"))


def rotate(folder: Path) -> list[Path]:
    """Delete the copies :func:`keep` lets go, after checking the copies that
    stay in their place; returns the deleted ones."""
    checked: set[Path] = set()
    while True:
        files = _backup_files(folder)
        parsed = {path: _parse_name(path.name) for path in files}
        regular = [p for p in files if parsed[p][2] in REGULAR_KINDS]  # type: ignore[index]
        special = [p for p in files if p not in regular]
        local = {p: parsed[p][0].astimezone() for p in regular}  # type: ignore[index]
        # Several copies in one second: the newest name stands for that second.
        kept_times = keep(local.values())
        kept_regular, seen = [], set()
        for path in regular:                          # newest first
            if local[path] in kept_times and local[path] not in seen:
                kept_regular.append(path)
                seen.add(local[path])
        kept = kept_regular + special[:KEEP_SPECIAL]
        dropped = [p for p in files if p not in kept]
        if not dropped:
            return []
        passed = _read_state(folder).get("checked", {})
        damaged = []
        for path in kept:
            if path in checked or _checked_lately(passed, path):
                continue
            checked.add(path)
            if check(path) is None:
                passed[path.name] = [*_identity(path), time.time()]
            else:
                damaged.append(path)
        if not damaged:
            break
        for path in damaged:            # counts for nothing, deletes nothing
            _set_damaged_aside(path)
        _write_state(folder, checked=passed)
    for path in dropped:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        passed.pop(path.name, None)
    _write_state(folder, checked={name: entry for name, entry in passed.items()
                                  if (folder / name).exists()})
    return dropped


# Restoring ------------------------------------------------------------------------------

def set_aside(project: str | Path, label: str, *, now: datetime | None = None) -> Path:
    """Rename ``project`` (and its -wal and -shm) to ``NAME.LABEL-TIMESTAMP``,
    untouched; returns the new path of the main file."""
    path = Path(project)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.{label}-{stamp}-{number}")
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            os.replace(companion, f"{target}{suffix}")
    os.replace(path, target)
    return target


def restore(project: str | Path, backup: str | Path, *,
            now: datetime | None = None) -> Backup | None:
    """Replace ``project`` by a copy of ``backup``, checked first. The project
    as it was is backed up first (returned), or, if it cannot be read, set
    aside as ``NAME.replaced-TIMESTAMP``. The project must be closed everywhere."""
    path = Path(project).expanduser().absolute()
    source = Path(backup).expanduser().absolute()
    problem = check(source) if source.is_file() else "no such file"
    if problem is not None:
        raise BackupError(f"{source}: cannot restore this backup: {problem}")
    if Path(f"{path}-wal").exists():
        raise BackupError(f"{path}: the project is open in another window or program "
                          "(it has a -wal file); close it there first")
    before = None
    if path.exists():
        try:
            before = take_backup(path, "before-restore", now=now)
        except BackupError:
            set_aside(path, "replaced", now=now)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.restoring")
    try:
        copy = sqlite3.connect(temporary)
        reading = _read_only(source)
        try:
            reading.backup(copy)
        finally:
            reading.close()
            copy.close()
        _fsync(temporary)
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}-shm").unlink()      # no -wal: nothing in it belongs to anyone
        os.replace(temporary, path)
        _fsync(path.parent)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"{path}: the backup could not be restored: {error}") from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    mark_current(path)
    return before


def find_backup(project: str | Path, name: str) -> Path:
    """A backup named on the command line: a path, or a file name in the
    project's backup folder."""
    given = Path(name).expanduser()
    if given.is_file():
        return given
    inside = backup_folder(project) / given.name
    if inside.is_file():
        return inside
    raise BackupError(f"{name}: no such backup (see: annotator backups --project PATH)")


def newest_change(path: str | Path) -> str | None:
    """The newest claim change stored in a backup (as stored), or None."""
    try:
        connection = _read_only(Path(path))
        try:
            return connection.execute("SELECT max(updated_at) FROM claims").fetchone()[0]
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return None


def claims_changed_after(path: str | Path, since: str | None) -> tuple[int, int] | None:
    """(claims, those made or changed after ``since``, a stored claim time: see
    :func:`newest_change`) in a project file that may be damaged; None when it
    cannot be read that far."""
    try:
        connection = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True)
        connection.text_factory = lenient_text
        try:
            total = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
            later = connection.execute("SELECT count(*) FROM claims WHERE updated_at > ?",
                                       (since or "",)).fetchone()[0]
        finally:
            connection.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return None
    return total, later


def copy_without_writing(path: Path, copy: Path) -> None:
    """Copy the project ``path`` into the new file ``copy`` (SQLite's backup API)
    without writing anything to or beside ``path`` (it may be another analyst's
    file, or sit in a read-only folder): ``immutable`` (no locks, no ``-shm``)
    when the file holds all its data; when a write-ahead log beside it still
    holds some, both are first copied (read, not opened) beside ``copy``.
    Raises :class:`sqlite3.Error` or :class:`OSError` when ``path`` cannot be read."""
    wal = Path(f"{path}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        local = copy.with_name(copy.name + ".source")
        shutil.copyfile(path, local)
        shutil.copyfile(wal, Path(f"{local}-wal"))
        source = sqlite3.connect(local)
    else:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
