"""document versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Documents gain an origin (file path or canonical URL) and a link to the version
they replace, so a changed file imports as a new version with its claims
carried over.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.storage.migrations.guard import refuse_losing

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=2000), server_default='', nullable=False))
        batch_op.add_column(sa.Column('previous_id', sa.String(length=36), nullable=True))
        batch_op.create_index('ix_documents_origin', ['origin'], unique=False)
        batch_op.create_index('ix_documents_previous_id', ['previous_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_documents_previous_id_documents'), 'documents', ['previous_id'], ['id'], ondelete='RESTRICT')




def downgrade() -> None:
    refuse_losing('0003', {
        'document origins': "SELECT COUNT(*) FROM documents WHERE origin != ''",
        'links between document versions': 'SELECT COUNT(*) FROM documents '
                                           'WHERE previous_id IS NOT NULL',
    })

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_previous_id_documents'), type_='foreignkey')
        batch_op.drop_index('ix_documents_previous_id')
        batch_op.drop_index('ix_documents_origin')
        batch_op.drop_column('previous_id')
        batch_op.drop_column('origin')


