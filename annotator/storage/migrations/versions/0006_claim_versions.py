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
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_TABLES = ("claims", "gold_claims")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False,
                                       server_default="1"))


def downgrade() -> None:
    # The counter only guards edits in progress: going back loses nothing an
    # analyst made. SQLite >= 3.35 and PostgreSQL drop a plain column in place.
    for table in _TABLES:
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN version')
