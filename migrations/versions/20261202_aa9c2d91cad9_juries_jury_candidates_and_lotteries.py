"""juries, jury candidates and lotteries

Revision ID: aa9c2d91cad9
Revises: c4d2e8f0a3b5
Create Date: 2026-12-02 20:35:17

Three new tables for issue 15: a jury (panel size, study, self-reported features, quotas,
the register draw its invitations came from), its pool of candidates (pseudonym, source,
features, status) and its lotteries (everything needed to replay phase 1 and phase 2). No
existing table changes; downgrade drops the three tables.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'aa9c2d91cad9'
down_revision = 'c4d2e8f0a3b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('juries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('panel_size', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=True),
    sa.Column('one_per_household', sa.Boolean(), nullable=False),
    sa.Column('self_features', sa.JSON(), nullable=False),
    sa.Column('register_features', sa.JSON(), nullable=False),
    sa.Column('quotas', sa.JSON(), nullable=False),
    sa.Column('invitation_draw_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('panel_size >= 1', name=op.f('ck_juries_panel_size_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_juries_created_by_id_users')),
    sa.ForeignKeyConstraint(['invitation_draw_id'], ['draws.id'], name=op.f('fk_juries_invitation_draw_id_draws')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_juries_study_id_studies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_juries'))
    )
    with op.batch_alter_table('juries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_juries_study_id'), ['study_id'], unique=False)

    op.create_table('jury_lotteries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jury_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('panel_size', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('algorithm', sa.String(length=60), nullable=False),
    sa.Column('software_version', sa.String(length=40), nullable=False),
    sa.Column('features', sa.JSON(), nullable=False),
    sa.Column('quotas', sa.JSON(), nullable=False),
    sa.Column('fixed', sa.JSON(), nullable=False),
    sa.Column('excluded', sa.JSON(), nullable=False),
    sa.Column('pool_snapshot', sa.LargeBinary(), nullable=True),
    sa.Column('pool_hash', sa.String(length=64), nullable=False),
    sa.Column('portfolio_size', sa.Integer(), nullable=False),
    sa.Column('portfolio_text', sa.LargeBinary(), nullable=True),
    sa.Column('portfolio_hash', sa.String(length=64), nullable=False),
    sa.Column('probabilities', sa.JSON(), nullable=False),
    sa.Column('maximin_bound', sa.Double(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=True),
    sa.Column('chosen_number', sa.Integer(), nullable=True),
    sa.Column('chosen', sa.JSON(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('main', 'replacement')", name=op.f('ck_jury_lotteries_kind')),
    sa.CheckConstraint('portfolio_size >= 1', name=op.f('ck_jury_lotteries_portfolio_size_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_jury_lotteries_created_by_id_users')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['users.id'], name=op.f('fk_jury_lotteries_drawn_by_id_users')),
    sa.ForeignKeyConstraint(['jury_id'], ['juries.id'], name=op.f('fk_jury_lotteries_jury_id_juries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jury_lotteries'))
    )
    with op.batch_alter_table('jury_lotteries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jury_lotteries_jury_id'), ['jury_id'], unique=False)

    op.create_table('jury_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jury_id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.String(length=40), nullable=True),
    sa.Column('features', sa.JSON(), nullable=False),
    sa.Column('availability', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('panel', 'invitation', 'upload')", name=op.f('ck_jury_candidates_source')),
    sa.CheckConstraint("status IN ('pool', 'selected', 'withdrawn')", name=op.f('ck_jury_candidates_status')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_jury_candidates_invitation_id_invitations')),
    sa.ForeignKeyConstraint(['jury_id'], ['juries.id'], name=op.f('fk_jury_candidates_jury_id_juries')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_jury_candidates_member_id_members')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_jury_candidates_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jury_candidates')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_jury_candidates_invitation_id')),
    sa.UniqueConstraint('jury_id', 'pseudonym', name=op.f('uq_jury_candidates_jury_id_pseudonym')),
    sa.UniqueConstraint('jury_id', 'resident_id', name=op.f('uq_jury_candidates_jury_id_resident_id'))
    )
    with op.batch_alter_table('jury_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jury_candidates_jury_id'), ['jury_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jury_candidates_resident_id'), ['resident_id'], unique=False)



def downgrade():
    with op.batch_alter_table('jury_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jury_candidates_resident_id'))
        batch_op.drop_index(batch_op.f('ix_jury_candidates_jury_id'))

    op.drop_table('jury_candidates')
    with op.batch_alter_table('jury_lotteries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jury_lotteries_jury_id'))

    op.drop_table('jury_lotteries')
    with op.batch_alter_table('juries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_juries_study_id'))

    op.drop_table('juries')
