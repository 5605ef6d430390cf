"""weight_sets.base_weights: the weights each calibration started from

Revision ID: c4d2e8f0a3b5
Revises: b3c1d7e9f2a4
Create Date: 2026-12-02 21:15:00

A weight set with a propensity adjustment calibrated from design weight x propensity factor;
the standard errors' calibration linearisation needs those base weights, which were not
stored. Existing sets keep NULL: reports then use the design weights, as before.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4d2e8f0a3b5'
down_revision = 'b3c1d7e9f2a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('weight_sets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base_weights', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('weight_sets', schema=None) as batch_op:
        batch_op.drop_column('base_weights')
