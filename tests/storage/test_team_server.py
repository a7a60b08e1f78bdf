"""The PostgreSQL test server's housekeeping (tests/postgres.py) and team URLs:
leftovers of dead runs are dropped, a missing server fails CI, passwords come
from the keyring and are never shown."""

from __future__ import annotations

import subprocess
import sys

import keyring
import pytest
from keyring.backend import KeyringBackend

from annotator.storage import team
from annotator.storage.database import open_database
from tests import postgres as pg
from tests.postgres import Server, connect


def _names(kind: str) -> set[str]:
    column, table = ("datname", "pg_database") if kind == "db" else ("rolname", "pg_roles")
    with connect() as connection:
        return {r[0] for r in connection.execute(
            f"SELECT {column} FROM {table} WHERE {column} LIKE 'annotator\\_t\\_%'")}


def test_leftovers_of_dead_runs_are_dropped_and_live_runs_kept(postgres: Server) -> None:
    postgres.require()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = f"{pg.PREFIX}{int(finished.stdout)}_dead00"
    live_process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    live = f"{pg.PREFIX}{live_process.pid}_live00"
    try:
        with connect() as connection:
            for name in (dead, live):
                connection.execute(f'CREATE DATABASE "{name}_db1"')
                connection.execute(f'CREATE ROLE "{name}_alice" LOGIN')
        swept = Server().sweep_dead_runs()
        assert {f"{dead}_db1", f"{dead}_alice"} <= set(swept)
        assert f"{dead}_db1" not in _names("db") and f"{dead}_alice" not in _names("role")
        assert f"{live}_db1" in _names("db") and f"{live}_alice" in _names("role")
        assert postgres.tag not in " ".join(swept)          # this run's own are kept
    finally:
        live_process.kill()
        live_process.wait()
        postgres.drop(databases=[f"{dead}_db1", f"{live}_db1"],
                      roles=[f"{dead}_alice", f"{live}_alice"])


def test_without_a_server_ci_fails_and_elsewhere_the_test_skips(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg, "ADMIN_URL", "postgresql://postgres@127.0.0.1:1/test")
    server = Server()
    assert server.problem is not None and "cannot be reached" in server.problem
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI needs PostgreSQL"):
        server.require()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL"):
        server.require()


class _Keyring(KeyringBackend):
    """A keyring held in memory, in place of the OS one (keyring's own plug-in API)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


def test_a_password_kept_in_the_keyring_is_used_and_never_shown(postgres: Server) -> None:
    postgres.require()
    schema, project_location = postgres.create_schema()
    before = keyring.get_keyring()
    memory = _Keyring()
    keyring.set_keyring(memory)
    try:
        url = team.normalise_url(project_location)
        assert url.drivername == "postgresql+psycopg" and url.password is None
        assert team.remember_password(url, "s3cret")
        database = open_database(project_location, create=True)
        try:
            assert database.engine.url.password == "s3cret"
            assert "s3cret" not in database.where
        finally:
            database.close()
        assert list(memory.saved) == [
            ("annotator", f"postgres@{url.host}:{url.port}/{url.database}")]
    finally:
        keyring.set_keyring(before)
        postgres.drop_schema(schema)
