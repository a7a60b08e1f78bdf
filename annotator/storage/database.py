"""Opening a project database: engine, connection settings, migrations.

A project is one SQLite file (or, in team mode, a PostgreSQL URL). On open the
schema is brought to the newest version by Alembic; a database written by a
newer version of the app is refused.

SQLite runs in WAL mode with ``synchronous=FULL`` and foreign keys on. Every
write is its own short ``BEGIN IMMEDIATE`` transaction, committed before the
caller hears of success: a crash or a kill loses nothing reported as saved,
and with ``synchronous=FULL`` neither does a power loss. A second process on
the same file waits up to ``busy_timeout`` seconds for the write lock, then
gets :class:`~annotator.storage.errors.ProjectBusyError`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from annotator.storage import backup, errors, recovery, team
from annotator.storage.errors import (
    NotAProjectError,
    ProjectNotFoundError,
    ProjectTooNewError,
    translated,
)

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 10.0
#: The oldest SQLite with FTS5's trigram tokenizer (the search index, schema 0005).
TRIGRAM_SQLITE = (3, 34)
_WRITE = "annotator_write"


def _migrations_config(connection: Any | None = None) -> Config:
    config = Config()
    location = resources.files("annotator.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_migrations_config()).get_current_head()
    assert head is not None
    return head


def _is_url(location: str | Path) -> bool:
    return isinstance(location, str) and "://" in location


def _sqlite_engine(path: Path, busy_timeout: float) -> Engine:
    engine = create_engine(URL.create("sqlite", database=str(path)),
                           connect_args={"timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not pysqlite, decide when a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """An open project database. Sessions come from :meth:`reading` and :meth:`writing`."""

    def __init__(self, engine: Engine, where: str, path: Path | None = None, *,
                 read_only: bool = False) -> None:
        self.engine = engine
        self.where = where
        #: The project file (None for a database server).
        self.path = path
        #: Opened only to read (see :func:`open_database`): every change is refused.
        self.read_only = read_only
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(**{_WRITE: True}),
                                   expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with translated(self.where), self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose work is committed (durably) when the block ends without error."""
        with translated(self.where), self._write() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_database(location: str | Path, *, create: bool = False,
                  busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
                  read_only: bool = False, back_up: bool = True) -> Database:
    """Open (and with ``create``, create) a project and migrate it to the newest schema.

    A project file with data is backed up before its schema is upgraded (unless
    ``back_up`` is False: for a temporary copy).

    ``read_only`` (for commands that only read, such as exports): an empty file
    is refused rather than made a project, and an up-to-date project is opened
    without writing anything (no WAL switch, no files beside it where it cannot
    be written): see :func:`_read_only_engine`. A project made by an older
    version is upgraded only where it can be written; elsewhere the error says so.
    """
    database = _connect(location, create=create, busy_timeout=busy_timeout,
                        read_only=read_only)
    if database.read_only:
        return database
    try:
        _migrate(database, back_up=back_up)
    except BaseException:
        database.close()
        raise
    return database


def _connect(location: str | Path, *, create: bool, busy_timeout: float,
             read_only: bool = False) -> Database:
    if _is_url(location):
        url = team.normalise_url(str(location))
        if url.password is not None:      # typed in the URL: kept in memory only
            team.use_password(url, str(url.password))
            url = team.strip_password(url)
        where = team.without_password(url)
        password = team.password_for(url) if url.username else None
        if password is not None:
            url = url.set(password=password)
        # A connection the server dropped (restarted, network gone, backend ended)
        # is found before use (pre-ping); one dropped mid-statement fails that
        # statement, and SQLAlchemy then renews every pooled connection.
        engine = create_engine(url, pool_pre_ping=True, connect_args=team.connect_args())
    else:
        path = Path(location).expanduser().absolute()
        where = str(path)
        if path.is_dir():
            raise NotAProjectError(f"{path}: is a folder, not a project file")
        if not path.exists():
            if not create:
                raise ProjectNotFoundError(f"{path}: no such project")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise errors.ProjectAccessError(f"{path}: {error.strerror}") from error
        elif path.stat().st_size > 0:
            try:
                with path.open("rb") as handle:
                    header = handle.read(len(SQLITE_HEADER))
            except OSError as error:
                raise errors.ProjectAccessError(f"{path}: {error.strerror}") from error
            if header != SQLITE_HEADER:
                raise NotAProjectError(f"{path}: not an Annotator project (not a SQLite file)")
            revisions = _check_before_writing(path)
            if read_only and revisions == set():
                raise NotAProjectError(f"{path}: an empty database, not a project")
            if read_only and (revisions == {head_revision()} or not _writable(path)):
                if revisions is not None and revisions != {head_revision()}:
                    raise errors.ProjectNeedsUpgradeError(
                        f"{path}: made by an older version of Annotator and needs upgrading, "
                        "which writes to it, but it is read-only here; copy it to a "
                        "folder you can write to (or make it writable) and open it there")
                return Database(_read_only_engine(path, busy_timeout), where, path,
                                read_only=True)
            # Opening to write: a WAL left by a crash is checked first (and a
            # damaged project set aside, untouched); reading alone never moves it.
            recovery.check_after_unclean_shutdown(path, busy_timeout=busy_timeout)
        elif read_only:
            raise NotAProjectError(f"{path}: is empty, not a project")
        engine = _sqlite_engine(path, busy_timeout)
    return Database(engine, where, None if _is_url(location) else path)


def _writable(path: Path) -> bool:
    """Whether the project and its folder (where SQLite keeps its ``-wal`` and
    ``-shm`` files) can be written (False on a read-only disk, even for root)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_engine(path: Path, busy_timeout: float) -> Engine:
    """An engine that never changes the project (``PRAGMA query_only``; no WAL
    switch). Where the project can be written, SQLite opens it as usual (so it
    sees another program's latest work, and tidies its ``-wal``/``-shm`` files
    when done). Where it cannot (a read-only file, folder or disk), it is opened
    read-only, as ``immutable`` unless a ``-wal`` file holds work not yet in it:
    nothing is created beside it, and nobody can be writing it."""
    uri = path.as_uri()
    if not _writable(path):
        uri += "?mode=ro"
        try:
            pending = path.with_name(path.name + "-wal").stat().st_size > 0
        except OSError:
            pending = False
        if not pending:
            uri += "&immutable=1"

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True, timeout=busy_timeout,
                                     check_same_thread=False)
        connection.isolation_level = None
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        connection.execute("PRAGMA query_only = ON")
        return connection

    engine = create_engine(URL.create("sqlite", database=str(path)), creator=connect)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _check_before_writing(path: Path) -> set[str] | None:
    """Refuse another program's SQLite database (or one from a newer Annotator)
    before anything is written to it: opening a project switches it to WAL mode,
    which would change a file the analyst only pointed at. Read-only, and without
    locks (``immutable``) unless a ``-wal`` file beside it holds work, so nothing
    is created beside another program's file.
    Returns the project's schema revisions, or None when they could not be read."""
    # ``immutable`` ignores the ``-wal`` file: a project another program holds open
    # may have its whole schema there, not yet checkpointed (a new project does).
    try:
        pending = path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        pending = False
    try:
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=ro{'' if pending else '&immutable=1'}", uri=True)
    except sqlite3.Error:
        return None     # unreadable this way: the normal open reports why
    try:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        revisions: set[str] = set()
        if "alembic_version" in tables:
            revisions = {row[0] for row in connection.execute(
                "SELECT version_num FROM alembic_version")}
    except (sqlite3.Error, UnicodeDecodeError):
        return None     # e.g. a WAL file not yet checkpointed, or damage: the open tells
    finally:
        connection.close()
    if tables and not revisions:
        raise NotAProjectError(
            f"{path}: a database, but not an Annotator project "
            f"(it has tables {', '.join(sorted(tables)[:5])})")
    known = {rev.revision for rev in ScriptDirectory.from_config(
        _migrations_config()).walk_revisions()}
    unknown = sorted(revisions - known)
    if unknown:
        raise ProjectTooNewError(
            f"{path}: written by a newer version of Annotator "
            f"(schema {', '.join(unknown)}); update Annotator to open it")
    return revisions


def _migrate(database: Database, *, back_up: bool = True) -> None:
    """Bring the schema to head. Checking takes only a read transaction, so opening
    an up-to-date project never waits for another process's write lock."""
    if database.is_sqlite and sqlite3.sqlite_version_info < TRIGRAM_SQLITE:
        _unhook_search_index(database)
    script = ScriptDirectory.from_config(_migrations_config())
    head = script.get_current_head()
    with translated(database.where), database.engine.connect() as connection:
        current = _check_revisions(connection, script, database.where)
    if set(current) == {head}:
        return
    if back_up and current and database.path is not None:
        _back_up_before_upgrade(database, current)
    with _migrating(database) as connection:
        # Another process may have migrated while we waited for the lock.
        if set(_check_revisions(connection, script, database.where)) != {head}:
            command.upgrade(_migrations_config(connection), "head")


def _unhook_search_index(database: Database) -> None:
    """A project indexed elsewhere, opened with an SQLite too old for the index's
    ``trigram`` tokenizer: every write through the index's triggers would fail, so
    the triggers go (the index is derived data; search then reads documents through)."""
    with translated(database.where), database.engine.connect() as connection:
        triggers = [row[0] for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search~_%' "
            "ESCAPE '~'")]
    if triggers:
        with database.writing() as session:
            for name in triggers:
                session.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))


def downgrade_database(location: str | Path, revision: str) -> None:
    """Take a project back to the older schema ``revision`` (a developer's tool;
    the app never downgrades). A step that would drop data the older schema
    cannot hold refuses with :class:`~annotator.storage.errors.DowngradeRefusedError`
    and the project is left as it was (see ``migrations/guard.py``)."""
    database = _connect(location, create=False, busy_timeout=DEFAULT_BUSY_TIMEOUT)
    try:
        with _migrating(database) as connection:
            _check_revisions(connection, ScriptDirectory.from_config(_migrations_config()),
                             database.where)
            command.downgrade(_migrations_config(connection), revision)
    except errors.DowngradeRefusedError as error:
        raise errors.DowngradeRefusedError(f"{database.where}: {error}") from None
    finally:
        database.close()


@contextmanager
def _migrating(database: Database) -> Iterator[Any]:
    """A write transaction for changing the schema, committed only if it ends
    without error and leaves every reference intact."""
    write_engine = database.engine.execution_options(**{_WRITE: True})
    with translated(database.where), write_engine.connect() as connection:
        # SQLite changes a table by copying it (Alembic's batch mode), which fails
        # or cascades while foreign keys are enforced; the pragma only takes effect
        # outside a transaction. Integrity is checked before committing instead.
        raw = connection.connection.driver_connection if database.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if raw is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise errors.CorruptProjectError(
                            f"{database.where}: changing the project's schema would break "
                            f"{len(broken)} references; nothing was changed")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def _back_up_before_upgrade(database: Database, current: tuple[str, ...]) -> None:
    """A project with data at an older schema is backed up (forced, named after
    its revision) before it is upgraded; without the copy it is not upgraded."""
    assert database.path is not None
    with translated(database.where), database.engine.connect() as connection:
        has_data = connection.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM documents) OR EXISTS (SELECT 1 FROM claims)"
        ).scalar()
    if not has_data:
        return
    try:
        backup.take_backup(database.path, f"before-upgrade-{'-'.join(sorted(current))}")
    except backup.BackupError as error:
        raise backup.BackupError(
            f"{database.where}: not upgraded to the new schema, because the backup "
            f"taken first failed: {error}") from error


def _check_revisions(connection: Any, script: ScriptDirectory, where: str) -> tuple[str, ...]:
    current = MigrationContext.configure(connection).get_current_heads()
    if not current:
        tables = set(inspect(connection).get_table_names())
        if tables:
            raise NotAProjectError(
                f"{where}: a database, but not an Annotator project "
                f"(it has tables {', '.join(sorted(tables)[:5])})")
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = [rev for rev in current if rev not in known]
    if unknown:
        raise ProjectTooNewError(
            f"{where}: written by a newer version of Annotator "
            f"(schema {', '.join(unknown)}); update Annotator to open it")
    return tuple(current)
