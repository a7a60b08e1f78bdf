"""search: a full-text index of documents, claims and sources

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Derived data only (dropping it loses nothing; ``annotator/services/search.py``
reads it and falls back to scanning where it is missing).

SQLite: three FTS5 tables with the ``trigram`` tokenizer (SQLite >= 3.34), which
matches any substring of three or more characters in any script (CJK has no
spaces between words, so word tokenizers cannot find 東京 inside 東京都知事は),
folding case. They are *external content* tables: they hold only the index, not
a second copy of the text:

* ``search_documents`` (title, text, source) over ``documents``;
* ``search_claims`` (proposition, note, tags) over the view
  ``search_claims_content`` (the tags JSON list as words) over ``claims``;
* ``search_sources`` (name, note) over ``sources``.

Triggers on insert, update (of the indexed columns only) and delete of those
tables keep the index in step, so every write path updates it. The index is
keyed by the tables' rowids: a later migration that copies ``documents``,
``claims`` or ``sources`` (Alembic batch mode) drops these triggers with the old
table and must recreate them and rebuild the index (``tests/services/
test_search.py`` checks at head that the triggers exist and the index is whole).

Where SQLite is too old for ``trigram`` and the JSON functions (< 3.38), no
index is made. PostgreSQL (team server): a GIN index over a ``simple``
``tsvector`` of each table's indexed text instead.
"""

from __future__ import annotations

import sqlite3

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

MINIMUM_SQLITE = (3, 38)
_TAGS = ("CASE WHEN json_valid({row}.tags) THEN (SELECT group_concat(value, ' ') "
         "FROM json_each({row}.tags)) ELSE {row}.tags END")

# (index, indexed table, its columns, content table or view, its rowid column)
_INDEXES = (
    ("search_documents", "documents", ("title", "text", "source"), "documents", "rowid"),
    ("search_claims", "claims", ("proposition", "note", "tags"), "search_claims_content",
     "rid"),
    ("search_sources", "sources", ("name", "note"), "sources", "rowid"),
)

# PostgreSQL: (index name, table, indexed expression)
_PG_INDEXES = (
    ("ix_documents_search", "documents",
     "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(source, '') || ' ' "
     "|| coalesce(text, ''))"),
    ("ix_claims_search", "claims",
     "to_tsvector('simple', coalesce(proposition, '') || ' ' || coalesce(note, '') || ' ' "
     "|| coalesce(tags::text, ''))"),
    ("ix_sources_search", "sources",
     "to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(note, ''))"),
)


def _values(table: str, columns: tuple[str, ...], row: str) -> str:
    return ", ".join(_TAGS.format(row=row) if table == "claims" and column == "tags"
                     else f"{row}.{column}" for column in columns)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for name, table, expression in _PG_INDEXES:
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})")
        return
    if dialect != "sqlite" or sqlite3.sqlite_version_info < MINIMUM_SQLITE:
        return
    op.execute("CREATE VIEW search_claims_content AS SELECT rowid AS rid, proposition, note, "
               f"{_TAGS.format(row='claims')} AS tags FROM claims")
    for index, table, columns, content, rowid in _INDEXES:
        names = ", ".join(columns)
        op.execute(f"CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{content}', "
                   f"content_rowid='{rowid}', tokenize='trigram')")
        new, old = _values(table, columns, "new"), _values(table, columns, "old")
        delete = (f"INSERT INTO {index}({index}, rowid, {names}) "
                  f"VALUES ('delete', old.rowid, {old});")
        insert = f"INSERT INTO {index}(rowid, {names}) VALUES (new.rowid, {new});"
        op.execute(f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {insert} END")
        op.execute(f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {delete} END")
        op.execute(f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} "
                   f"BEGIN {delete} {insert} END")
        # The data already there ('rebuild' cannot read the claims view).
        op.execute(f"INSERT INTO {index}(rowid, {names}) SELECT {rowid}, {names} FROM {content}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for name, _table, _expression in _PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        return
    if dialect != "sqlite":
        return
    for index, *_ in _INDEXES:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {index}_{event}")
        op.execute(f"DROP TABLE IF EXISTS {index}")
    op.execute("DROP VIEW IF EXISTS search_claims_content")
