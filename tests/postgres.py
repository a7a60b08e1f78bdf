"""The real PostgreSQL server the team tests run against.

Every run names what it creates ``annotator_t_<pid>_<random>_…`` (databases and
roles), drops it in fixture finalizers, and on start drops what runs on this host
left behind when they died (their pid is gone). Roles belong to the whole server,
so they are dropped one by one, after the databases holding their privileges.

The server is ``ANNOTATOR_TEST_POSTGRES`` (default: user postgres, trust auth, on
127.0.0.1:5432, database ``test``). When it cannot be reached, tests that need it
fail under CI (``CI`` set) and are skipped with the reason elsewhere.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from annotator.storage.lock import pid_running

ADMIN_URL = os.environ.get("ANNOTATOR_TEST_POSTGRES",
                           "postgresql://postgres@127.0.0.1:5432/test")
PREFIX = "annotator_t_"
COLLATION = os.environ.get(
    "ANNOTATOR_TEST_POSTGRES_COLLATION",
    "TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'")


def _psycopg() -> Any:
    import psycopg
    return psycopg


def _conninfo(database: str | None = None, user: str | None = None,
              password: str | None = None) -> dict[str, Any]:
    from sqlalchemy.engine import make_url
    url = make_url(ADMIN_URL)
    return {"host": url.host or "127.0.0.1", "port": url.port or 5432,
            "user": user or url.username or "postgres",
            "password": password if user else url.password,
            "dbname": database or url.database or "postgres", "connect_timeout": 5}


def connect(database: str | None = None, user: str | None = None,
            password: str | None = None, autocommit: bool = True) -> Any:
    """A plain driver connection (no Annotator code in between)."""
    return _psycopg().connect(**_conninfo(database, user, password), autocommit=autocommit)


def url_of(database: str, user: str | None = None, password: str | None = None) -> str:
    info = _conninfo(database, user, password)
    auth = info["user"] + (f":{password}" if password else "")
    return f"postgresql://{auth}@{info['host']}:{info['port']}/{database}"


def _pid_of(name: str) -> int | None:
    rest = name[len(PREFIX):].split("_", 1)[0]
    return int(rest) if rest.isdigit() else None


def _local_server() -> bool:
    return _conninfo()["host"] in ("127.0.0.1", "localhost", "::1")


class Server:
    """Creates and drops this run's databases and roles on the test server."""

    def __init__(self) -> None:
        self.tag = f"{PREFIX}{os.getpid()}_{secrets.token_hex(3)}"
        self._count = 0
        self._run: str | None = None
        self.problem: str | None = None
        try:
            with connect() as connection:
                connection.execute("SELECT 1")
        except ImportError:
            self.problem = "psycopg is not installed (pip install -e '.[team]')"
        except Exception as error:
            self.problem = (f"the PostgreSQL server {url_of('test')} cannot be reached "
                            f"({str(error).strip().splitlines()[0]})")

    def require(self) -> None:
        if self.problem is None:
            return
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL: {self.problem}", pytrace=False)
        pytest.skip(f"no PostgreSQL: {self.problem}")

    def name(self, what: str = "db") -> str:
        self._count += 1
        return f"{self.tag}_{what}{self._count}"

    def sweep_dead_runs(self) -> list[str]:
        """Drop the databases and roles left by runs on this host that died."""
        if self.problem is not None or not _local_server():
            return []
        with connect() as connection:
            databases = [r[0] for r in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'annotator\\_t\\_%'")]
            roles = [r[0] for r in connection.execute(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE 'annotator\\_t\\_%'")]
        dead = [n for n in databases + roles
                if (pid := _pid_of(n)) is not None and pid != os.getpid() and not pid_running(pid)]
        self.drop(databases=[n for n in dead if n in databases],
                  roles=[n for n in dead if n in roles])
        return dead

    def _run_database(self) -> str:
        """The database of this run; each test gets a schema of its own in it (creating
        and dropping a database costs seconds on a server that syncs to disk)."""
        if self._run is None:
            name = f"{self.tag}_run"
            with connect() as connection:
                # Sorted as many team servers sort (a language's collation, not bytes),
                # so an order the app takes from the database is tested as it will be.
                connection.execute(f'CREATE DATABASE "{name}" {COLLATION}')
            self._run = name
        return self._run

    def create_schema(self) -> tuple[str, str]:
        """A new, empty schema in the run's database: (its name, the project URL that
        works in it)."""
        self.require()
        database = self._run_database()
        name = self.name("s")
        with connect(database) as connection:
            connection.execute(f'CREATE SCHEMA "{name}"')
        # Commits need not wait for the disk in tests (this session only, not the server).
        return name, (f"{url_of(database)}?options=-csearch_path%3D{name}"
                      "%20-csynchronous_commit%3Doff")

    def drop_schema(self, name: str) -> None:
        with connect(self._run_database()) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    def create_database(self) -> str:
        """A new, empty database of this run (for what needs a database of its own:
        team roles and their privileges)."""
        self.require()
        name = self.name("db")
        with connect() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop(self, *, databases: list[str] = (), roles: list[str] = ()) -> None:  # type: ignore[assignment]
        with connect() as connection:
            for name in databases:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for name in roles:
                connection.execute(f'DROP ROLE IF EXISTS "{name}"')

    def drop_everything_of_this_run(self) -> None:
        if self.problem is not None:
            return
        with connect() as connection:
            databases = [r[0] for r in connection.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
                (self.tag,))]
            roles = [r[0] for r in connection.execute(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (self.tag,))]
        self.drop(databases=databases, roles=roles)

    @contextmanager
    def database(self) -> Iterator[str]:
        name = self.create_database()
        try:
            yield name
        finally:
            self.drop(databases=[name])
