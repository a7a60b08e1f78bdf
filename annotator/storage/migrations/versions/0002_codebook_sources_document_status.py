"""codebook, sources, document status

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Stance labels move into a per-project codebook (so the stance CHECK goes),
claims gain claim type, source, ICD 203 likelihood/confidence and the codebook
version they were made under; documents gain a status. The default codebook
is written as version 1 and existing claims are marked as made under it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from annotator.storage.migrations.guard import refuse_losing

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('codebook_labels',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dimension', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('shortcut', sa.String(length=1), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('judgeable', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codebook_labels')),
    sa.UniqueConstraint('dimension', 'key', name=op.f('uq_codebook_labels_dimension'))
    )
    op.create_table('codebook_versions',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('change', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_codebook_versions'))
    )
    op.create_table('project_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_project_settings'))
    )
    op.create_table('propositions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_propositions')),
    sa.UniqueConstraint('text', name=op.f('uq_propositions_text'))
    )
    op.create_table('sources',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('reliability', sa.String(length=1), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("reliability IS NULL OR reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name=op.f('ck_sources_reliability')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sources_name'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_type', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('likelihood', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('confidence', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('codebook_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.alter_column('stance',
               existing_type=sa.VARCHAR(length=16),
               type_=sa.String(length=40),
               existing_nullable=True)
        batch_op.create_index('ix_claims_source_id', ['source_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_claims_source_id_sources'), 'sources', ['source_id'], ['id'], ondelete='RESTRICT')
        batch_op.drop_constraint(batch_op.f('ck_claims_stance'), type_='check')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), server_default='new', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_documents_status'), "status IN ('new', 'in_progress', 'done')")

    _write_default_codebook()


def _write_default_codebook() -> None:
    # The codebook as this revision defines it, frozen here: later changes to the
    # app's defaults must not change what this migration writes.
    from datetime import UTC, datetime

    labels = sa.table('codebook_labels', *(sa.column(n) for n in (
        'dimension', 'key', 'name', 'description', 'colour', 'shortcut', 'position',
        'retired', 'judgeable')))
    versions = sa.table('codebook_versions', sa.column('version'), sa.column('created_at'),
                        sa.column('change'), sa.column('snapshot', sa.JSON()))
    rows = []
    for dimension, items in DEFAULT_LABELS.items():
        for position, (key, name, description, colour, shortcut, judgeable) in enumerate(items):
            rows.append({'dimension': dimension, 'key': key, 'name': name,
                         'description': description, 'colour': colour, 'shortcut': shortcut,
                         'position': position, 'retired': False, 'judgeable': judgeable})
    op.bulk_insert(labels, rows)
    snapshot = {
        'format': 'annotator-codebook', 'format_version': 1, 'version': 1,
        'dimensions': {d: {'labels': [{'key': k, 'name': n, 'description': ds, 'colour': c,
                                       'shortcut': sc, 'retired': False, 'judgeable': j}
                                      for k, n, ds, c, sc, j in items]}
                       for d, items in DEFAULT_LABELS.items()},
        'propositions': [], 'tags': [],
    }
    op.bulk_insert(versions, [{'version': 1, 'created_at': datetime.now(UTC).replace(tzinfo=None),
                               'change': 'Default codebook', 'snapshot': snapshot}])


DEFAULT_LABELS = {
    'stance': [
        ('supports', 'Supports', 'The claim argues for, or gives evidence for, the proposition.', '#009E73', '1', True),
        ('refutes', 'Refutes', 'The claim argues against, or gives evidence against, the proposition.', '#D55E00', '2', True),
        ('neutral', 'Neutral', 'The claim bears on the proposition without taking a side.', '#0072B2', '3', True),
        ('unclear', 'Unclear', "The claim's relation to the proposition cannot be decided.", '#CC79A7', '4', True),
    ],
    'source_reliability': [
        ('A', 'Completely reliable', 'no doubt of authenticity, trustworthiness or competency; a history of complete reliability.', '#253494', '', True),
        ('B', 'Usually reliable', 'minor doubt about authenticity, trustworthiness or competency; a history of valid information most of the time.', '#2C7FB8', '', True),
        ('C', 'Fairly reliable', 'doubt of authenticity, trustworthiness or competency, but has provided valid information in the past.', '#41B6C4', '', True),
        ('D', 'Not usually reliable', 'significant doubt about authenticity, trustworthiness or competency, but has provided valid information in the past.', '#A1DAB4', '', True),
        ('E', 'Unreliable', 'lacking in authenticity, trustworthiness and competency; a history of invalid information.', '#FFFFCC', '', True),
        ('F', 'Reliability cannot be judged', "no basis exists for evaluating the source's reliability.", '#9E9E9E', '', False),
    ],
    'info_credibility': [
        ('1', 'Confirmed by other sources', 'confirmed by other independent sources; logical in itself; consistent with other information on the subject.', '#253494', '', True),
        ('2', 'Probably true', 'not confirmed; logical in itself; consistent with other information on the subject.', '#2C7FB8', '', True),
        ('3', 'Possibly true', 'not confirmed; reasonably logical in itself; agrees with some other information on the subject.', '#41B6C4', '', True),
        ('4', 'Doubtful', 'not confirmed; possible but not logical; no other information on the subject.', '#A1DAB4', '', True),
        ('5', 'Improbable', 'not confirmed; not logical in itself; contradicted by other information on the subject.', '#FFFFCC', '', True),
        ('6', 'Truth cannot be judged', 'no basis exists for evaluating the validity of the information.', '#9E9E9E', '', False),
    ],
    'claim_type': [
        ('quantity', 'Quantity', 'A claim about a quantity: numbers, amounts, rankings, comparisons in size.', '#56B4E9', '1', True),
        ('correlation_causation', 'Correlation or causation', 'A claim that one thing is linked to, or causes, another.', '#E69F00', '2', True),
        ('laws_rules', 'Current laws or rules', 'A claim about what the law, a rule or a policy is.', '#009E73', '3', True),
        ('prediction', 'Prediction', 'A claim about what will happen in the future.', '#CC79A7', '4', True),
        ('personal_experience', 'Personal experience', "A claim about the speaker's own experience; usually not checkable.", '#0072B2', '5', True),
        ('other', 'Other', 'A checkable claim of another kind.', '#D55E00', '6', True),
        ('not_a_claim', 'Not a claim', 'Not a checkable claim: opinion, question, rhetoric.', '#9E9E9E', '7', True),
    ],
}



def downgrade() -> None:
    # The default codebook 0002 wrote is version 1; every change makes a new version.
    refuse_losing('0002', {
        'codebook changes': 'SELECT COUNT(*) FROM codebook_versions WHERE version != 1',
        'sources': 'SELECT COUNT(*) FROM sources',
        'propositions in the codebook': 'SELECT COUNT(*) FROM propositions',
        'project settings': 'SELECT COUNT(*) FROM project_settings',
        'claims with labels 0001 cannot hold': (
            'SELECT COUNT(*) FROM claims WHERE claim_type IS NOT NULL '
            'OR source_id IS NOT NULL OR likelihood IS NOT NULL OR confidence IS NOT NULL '
            "OR codebook_version != 1 OR stance NOT IN "
            "('supports', 'refutes', 'neutral', 'unclear')"),
        'document statuses': "SELECT COUNT(*) FROM documents WHERE status != 'new'",
    })
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_documents_status'), type_='check')
        batch_op.drop_column('status')

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_claims_source_id_sources'), type_='foreignkey')
        batch_op.create_check_constraint(
            batch_op.f('ck_claims_stance'),
            "stance IS NULL OR stance IN ('supports', 'refutes', 'neutral', 'unclear')")
        batch_op.drop_index('ix_claims_source_id')
        batch_op.alter_column('stance',
               existing_type=sa.String(length=40),
               type_=sa.VARCHAR(length=16),
               existing_nullable=True)
        batch_op.drop_column('codebook_version')
        batch_op.drop_column('confidence')
        batch_op.drop_column('likelihood')
        batch_op.drop_column('source_id')
        batch_op.drop_column('claim_type')

    op.drop_table('sources')
    op.drop_table('propositions')
    op.drop_table('project_settings')
    op.drop_table('codebook_versions')
    op.drop_table('codebook_labels')
