"""claim versions: a save counter on analysts' and gold claims

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Two analysts editing the same claim on a team server must not silently
overwrite each other: every save raises the claim's ``version`` and an edit made
on an older version fails (``annotator/services/project.py``). Existing claims
start at version 1.

Added with plain ``ALTER TABLE ... ADD COLUMN`` (no batch copy of the table), so
the search index triggers of 0005 on ``claims`` stay as they are.

PostgreSQL (team server) also gets statement triggers on ``claims``,
``documents`` and ``codebook_versions`` that ``NOTIFY`` the channel
``annotator_<schema>`` after each change, so open windows look for colleagues'
changes at once instead of at their next poll (``annotator/services/live.py``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_TABLES = ("claims", "gold_claims")


_NOTIFIED = ("claims", "documents", "codebook_versions")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False,
                                       server_default="1"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION annotator_notify_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('annotator_' || current_schema(), TG_TABLE_NAME);
                RETURN NULL;
            END $$""")
        for table in _NOTIFIED:
            op.execute(f'CREATE TRIGGER "{table}_notify_change" AFTER INSERT OR UPDATE OR '
                       f'DELETE ON "{table}" FOR EACH STATEMENT '
                       "EXECUTE FUNCTION annotator_notify_change()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _NOTIFIED:
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_notify_change" ON "{table}"')
        op.execute("DROP FUNCTION IF EXISTS annotator_notify_change()")
    # The counter only guards edits in progress: going back loses nothing an
    # analyst made. SQLite >= 3.35 and PostgreSQL drop a plain column in place.
    for table in _TABLES:
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN version')
