"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.storage.migrations.guard import refuse_losing

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('documents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=2000), nullable=False),
    sa.Column('published', sa.String(length=64), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('sha256', name=op.f('uq_documents_sha256'))
    )
    op.create_table('claims',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('prefix', sa.Text(), nullable=False),
    sa.Column('suffix', sa.Text(), nullable=False),
    sa.Column('proposition', sa.Text(), nullable=False),
    sa.Column('stance', sa.String(length=16), nullable=True),
    sa.Column('source_reliability', sa.String(length=1), nullable=True),
    sa.Column('info_credibility', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('annotator', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("source_reliability IS NULL OR source_reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name=op.f('ck_claims_source_reliability')),
    sa.CheckConstraint("stance IS NULL OR stance IN ('supports', 'refutes', 'neutral', 'unclear')", name=op.f('ck_claims_stance')),
    sa.CheckConstraint('info_credibility IS NULL OR info_credibility BETWEEN 1 AND 6', name=op.f('ck_claims_info_credibility')),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_claims_span')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_claims_document_id_documents'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_document_start', ['document_id', 'start'], unique=False)




def downgrade() -> None:
    refuse_losing('0001', {'documents': 'SELECT COUNT(*) FROM documents',
                           'claims': 'SELECT COUNT(*) FROM claims'})

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_document_start')

    op.drop_table('claims')
    op.drop_table('documents')

