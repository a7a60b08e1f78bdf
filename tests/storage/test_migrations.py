"""Schema creation by Alembic, model/migration drift, and refusing foreign files."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from annotator.storage.database import downgrade_database, head_revision, open_database
from annotator.storage.errors import (
    NotAProjectError,
    ProjectNotFoundError,
    ProjectTooNewError,
)
from annotator.storage.migrations import include_name
from annotator.storage.models import Base


def versions(path) -> list[str]:
    raw = sqlite3.connect(path)
    try:
        return [row[0] for row in raw.execute("SELECT version_num FROM alembic_version")]
    finally:
        raw.close()


def tables(path) -> set[str]:
    raw = sqlite3.connect(path)
    try:
        return {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        raw.close()


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.annotator.sqlite"
    open_database(path, create=True).close()
    return path


def test_opening_creates_the_schema_at_head(project):
    assert versions(project) == [head_revision()]
    assert {"documents", "claims", "alembic_version"} <= tables(project)


def test_reopening_leaves_the_version_alone(project):
    database = open_database(project)
    database.close()
    assert versions(project) == [head_revision()]


def test_an_empty_file_becomes_a_project(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    open_database(path).close()
    assert versions(path) == [head_revision()]


def _no_drift(location) -> None:
    database = open_database(location)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_name": include_name})
            assert compare_metadata(context, Base.metadata) == []
            inspector = inspect(connection)
            for table in Base.metadata.sorted_tables:
                assert {c["name"] for c in inspector.get_columns(table.name)} == \
                    {c.name for c in table.columns}
    finally:
        database.close()


def test_models_and_migrations_do_not_drift(project_location):
    """On SQLite and on the PostgreSQL server the migrations make the models' schema."""
    open_database(project_location, create=True).close()
    _no_drift(project_location)


def test_every_revision_upgrades_and_empty_projects_go_back(project_location):
    """From the first schema, the app's open brings a project to head on both backends;
    an empty project goes back to the first schema and up again."""
    database = open_database(project_location, create=True)
    database.close()
    downgrade_database(project_location, "0001")
    database = open_database(project_location)
    try:
        with database.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_heads() == (
                head_revision(),)
    finally:
        database.close()
    _no_drift(project_location)


def test_unknown_revision_is_refused_as_too_new(project):
    raw = sqlite3.connect(project)
    with raw:
        raw.execute("UPDATE alembic_version SET version_num = 'f00dfeedcafe'")
    raw.close()
    with pytest.raises(ProjectTooNewError) as caught:
        open_database(project)
    assert "f00dfeedcafe" in str(caught.value)
    assert "newer version" in str(caught.value)
    assert versions(project) == ["f00dfeedcafe"]       # left untouched


def test_a_non_sqlite_file_is_not_a_project(tmp_path):
    path = tmp_path / "notes.annotator.sqlite"
    path.write_text("just some text, not a database\n", encoding="utf-8")
    with pytest.raises(NotAProjectError) as caught:
        open_database(path)
    assert str(path) in str(caught.value)
    assert path.read_text(encoding="utf-8") == "just some text, not a database\n"


def test_a_sqlite_file_with_other_tables_is_not_a_project(tmp_path):
    path = tmp_path / "other.sqlite"
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        raw.execute("INSERT INTO recipes VALUES ('soup', 40)")
    raw.close()
    with pytest.raises(NotAProjectError) as caught:
        open_database(path, create=True)
    assert "recipes" in str(caught.value)
    assert tables(path) == {"recipes"}                 # nothing was added to it


def test_a_missing_file_without_create(tmp_path):
    path = tmp_path / "missing" / "p.annotator.sqlite"
    with pytest.raises(ProjectNotFoundError) as caught:
        open_database(path)
    assert str(path) in str(caught.value)
    assert not path.exists() and not path.parent.exists()


def test_a_folder_is_not_a_project(tmp_path):
    with pytest.raises(NotAProjectError):
        open_database(tmp_path, create=True)
