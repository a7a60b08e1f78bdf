"""review: gold layer, comments, history, review status

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Review: a gold layer kept apart from the analysts' claims (adjudications, each
with at most one gold claim), review comments on claims, each claim's earlier
versions (claim history) and each document's review status.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.storage.migrations.guard import refuse_losing

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claim_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_history')),
    sa.UniqueConstraint('claim_id', 'updated_at', name=op.f('uq_claim_history_claim_id'))
    )
    op.create_table('adjudications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('considered', sa.JSON(), nullable=False),
    sa.Column('span_from', sa.String(length=36), nullable=True),
    sa.Column('labels_from', sa.String(length=36), nullable=True),
    sa.Column('adjudicator', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("decision IN ('accept', 'merge', 'edit', 'reject')", name=op.f('ck_adjudications_decision')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_adjudications_document_id_documents'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adjudications'))
    )
    with op.batch_alter_table('adjudications', schema=None) as batch_op:
        batch_op.create_index('ix_adjudications_document_id', ['document_id'], unique=False)

    op.create_table('gold_claims',
    sa.Column('adjudication_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('prefix', sa.Text(), nullable=False),
    sa.Column('suffix', sa.Text(), nullable=False),
    sa.Column('proposition', sa.Text(), nullable=False),
    sa.Column('stance', sa.String(length=40), nullable=True),
    sa.Column('source_reliability', sa.String(length=1), nullable=True),
    sa.Column('info_credibility', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('annotator', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('claim_type', sa.String(length=40), nullable=True),
    sa.Column('source_id', sa.String(length=36), nullable=True),
    sa.Column('likelihood', sa.String(length=40), nullable=True),
    sa.Column('confidence', sa.String(length=40), nullable=True),
    sa.Column('codebook_version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("source_reliability IS NULL OR source_reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name=op.f('ck_gold_claims_source_reliability')),
    sa.CheckConstraint('info_credibility IS NULL OR info_credibility BETWEEN 1 AND 6', name=op.f('ck_gold_claims_info_credibility')),
    sa.CheckConstraint('start >= 0 AND "end" > start', name=op.f('ck_gold_claims_span')),
    sa.ForeignKeyConstraint(['adjudication_id'], ['adjudications.id'], name=op.f('fk_gold_claims_adjudication_id_adjudications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_gold_claims_document_id_documents'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_gold_claims_source_id_sources'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gold_claims')),
    sa.UniqueConstraint('adjudication_id', name=op.f('uq_gold_claims_adjudication_id'))
    )
    with op.batch_alter_table('gold_claims', schema=None) as batch_op:
        batch_op.create_index('ix_gold_claims_document_start', ['document_id', 'start'], unique=False)
        batch_op.create_index('ix_gold_claims_source_id', ['source_id'], unique=False)

    op.create_table('review_comments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments'))
    )
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.create_index('ix_review_comments_claim_id', ['claim_id'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_status', sa.String(length=16), server_default='unreviewed', nullable=False))
        batch_op.create_check_constraint(
            batch_op.f('ck_documents_review_status'),
            "review_status IN ('unreviewed', 'in_review', 'adjudicated')")



def downgrade() -> None:
    refuse_losing('0004', {
        'gold-layer decisions': 'SELECT COUNT(*) FROM adjudications',
        'gold claims': 'SELECT COUNT(*) FROM gold_claims',
        'review comments': 'SELECT COUNT(*) FROM review_comments',
        'earlier claim versions': 'SELECT COUNT(*) FROM claim_history',
        'document review statuses': "SELECT COUNT(*) FROM documents "
                                    "WHERE review_status != 'unreviewed'",
    })
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_documents_review_status'), type_='check')
        batch_op.drop_column('review_status')

    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_review_comments_claim_id')

    op.drop_table('review_comments')
    with op.batch_alter_table('gold_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_gold_claims_source_id')
        batch_op.drop_index('ix_gold_claims_document_start')

    op.drop_table('gold_claims')
    with op.batch_alter_table('adjudications', schema=None) as batch_op:
        batch_op.drop_index('ix_adjudications_document_id')

    op.drop_table('adjudications')
    op.drop_table('claim_history')
