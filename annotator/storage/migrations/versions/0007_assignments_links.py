"""assignments, claim links and dismissed candidates

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

- ``assignments``: documents given to analysts (blind double coding), each with
  the analyst's own done status.
- ``claim_links``: confirmed links between claims across documents: the same
  claim elsewhere (clusters, corroboration) or evidence that supports or refutes
  it.
- ``candidate_dismissals``: passages an analyst said do not state a claim, so
  they are not suggested again.

On PostgreSQL the new tables get the NOTIFY trigger of 0006, so open windows
see colleagues' links and assignments at once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.storage.migrations.guard import refuse_losing

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_NOTIFIED = ("assignments", "claim_links")


def upgrade() -> None:
    op.create_table('assignments',
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('analyst', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='assigned', nullable=False),
    sa.Column('assigned_by', sa.String(length=200), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('assigned', 'done')", name=op.f('ck_assignments_status')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_assignments_document_id_documents'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('document_id', 'analyst', name=op.f('pk_assignments'))
    )
    op.create_index('ix_assignments_analyst', 'assignments', ['analyst'], unique=False)
    op.create_table('claim_links',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('target_id', sa.String(length=36), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('analyst', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("relation IN ('same', 'supports', 'refutes', 'not_enough_info')", name=op.f('ck_claim_links_relation')),
    sa.CheckConstraint('claim_id <> target_id', name=op.f('ck_claim_links_distinct')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_links')),
    sa.UniqueConstraint('claim_id', 'target_id', name=op.f('uq_claim_links_claim_id'))
    )
    op.create_index('ix_claim_links_target_id', 'claim_links', ['target_id'], unique=False)
    op.create_table('candidate_dismissals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('analyst', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_candidate_dismissals_document_id_documents'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_dismissals')),
    sa.UniqueConstraint('claim_id', 'document_id', 'start', 'end', name=op.f('uq_candidate_dismissals_claim_id'))
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in _NOTIFIED:
            op.execute(f'CREATE TRIGGER "{table}_notify_change" AFTER INSERT OR UPDATE OR '
                       f'DELETE ON "{table}" FOR EACH STATEMENT '
                       "EXECUTE FUNCTION annotator_notify_change()")


def downgrade() -> None:
    refuse_losing('0007', {
        'document assignments': 'SELECT COUNT(*) FROM assignments',
        'claim links': 'SELECT COUNT(*) FROM claim_links',
        'dismissed candidates': 'SELECT COUNT(*) FROM candidate_dismissals',
    })
    if op.get_bind().dialect.name == "postgresql":
        for table in _NOTIFIED:
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_notify_change" ON "{table}"')
    op.drop_table('candidate_dismissals')
    op.drop_index('ix_claim_links_target_id', table_name='claim_links')
    op.drop_table('claim_links')
    op.drop_index('ix_assignments_analyst', table_name='assignments')
    op.drop_table('assignments')
