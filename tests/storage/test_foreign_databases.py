"""Pointing Annotator at a file that is not one of its projects changes nothing:
no WAL switch, no -wal/-shm files, the same bytes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.storage.database import open_database
from annotator.storage.errors import NotAProjectError, ProjectTooNewError


def _rollback_journal_db(path: Path, statements: list[str]) -> bytes:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path.read_bytes()


def _untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        connection.close()


def test_another_programs_database_is_refused_unchanged(tmp_path: Path) -> None:
    other = tmp_path / "places.sqlite"
    before = _rollback_journal_db(other, ["CREATE TABLE moz_places (id INTEGER, url TEXT)",
                                          "INSERT INTO moz_places VALUES (1, 'x')"])
    with pytest.raises(NotAProjectError, match="moz_places"):
        open_database(other)
    _untouched(other, before)


def test_a_project_from_a_newer_annotator_is_refused_unchanged(tmp_path: Path) -> None:
    newer = tmp_path / "newer.annotator.sqlite"
    before = _rollback_journal_db(newer, [
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
        "INSERT INTO alembic_version VALUES ('9999_from_the_future')",
        "CREATE TABLE claims (id TEXT)"])
    with pytest.raises(ProjectTooNewError, match="9999_from_the_future"):
        open_database(newer)
    _untouched(newer, before)
