"""search: the gold layer's claims in the full-text index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Gold claims (``gold_claims``, review's layer) are searched like analysts'
claims (``annotator/services/search.py``): their proposition, note and tags
join the index of schema 0005, made the same way.

SQLite: an external-content FTS5 table ``search_gold`` (``trigram`` tokenizer)
over the view ``search_gold_content`` (the tags JSON list as words) over
``gold_claims``, kept in step by triggers on insert, update (of the indexed
columns) and delete, so the index changes in the same transaction as the row;
the gold claims already there are indexed here. Where SQLite is too old for
``trigram`` and the JSON functions (< 3.38), no index is made (search reads
the gold claims through). PostgreSQL (team server): a GIN index over a
``simple`` ``tsvector`` of the same text, as for ``claims``.

Derived data only: the downgrade drops it and loses nothing.
"""

from __future__ import annotations

import sqlite3

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

MINIMUM_SQLITE = (3, 38)
_TAGS = ("CASE WHEN json_valid({row}.tags) THEN (SELECT group_concat(value, ' ') "
         "FROM json_each({row}.tags)) ELSE {row}.tags END")
_COLUMNS = "proposition, note, tags"
_PG_EXPRESSION = ("to_tsvector('simple', coalesce(proposition, '') || ' ' || "
                  "coalesce(note, '') || ' ' || coalesce(tags::text, ''))")


def _values(row: str) -> str:
    return f"{row}.proposition, {row}.note, {_TAGS.format(row=row)}"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE INDEX IF NOT EXISTS ix_gold_claims_search ON gold_claims "
                   f"USING gin ({_PG_EXPRESSION})")
        return
    if dialect != "sqlite" or sqlite3.sqlite_version_info < MINIMUM_SQLITE:
        return
    op.execute("CREATE VIEW search_gold_content AS SELECT rowid AS rid, proposition, note, "
               f"{_TAGS.format(row='gold_claims')} AS tags FROM gold_claims")
    op.execute(f"CREATE VIRTUAL TABLE search_gold USING fts5({_COLUMNS}, "
               "content='search_gold_content', content_rowid='rid', tokenize='trigram')")
    delete = (f"INSERT INTO search_gold(search_gold, rowid, {_COLUMNS}) "
              f"VALUES ('delete', old.rowid, {_values('old')});")
    insert = f"INSERT INTO search_gold(rowid, {_COLUMNS}) VALUES (new.rowid, {_values('new')});"
    op.execute(f"CREATE TRIGGER search_gold_insert AFTER INSERT ON gold_claims "
               f"BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER search_gold_delete AFTER DELETE ON gold_claims "
               f"BEGIN {delete} END")
    op.execute(f"CREATE TRIGGER search_gold_update AFTER UPDATE OF {_COLUMNS} ON gold_claims "
               f"BEGIN {delete} {insert} END")
    # The gold claims already there ('rebuild' cannot read the view).
    op.execute(f"INSERT INTO search_gold(rowid, {_COLUMNS}) "
               f"SELECT rid, {_COLUMNS} FROM search_gold_content")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_gold_claims_search")
        return
    if dialect != "sqlite":
        return
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS search_gold_{event}")
    op.execute("DROP TABLE IF EXISTS search_gold")
    op.execute("DROP VIEW IF EXISTS search_gold_content")
