"""members.email_undeliverable_at: a panel member whose e-mail bounced gets paper next time

Revision ID: 7c1e5b2a9d40
Revises: 042975dfdb55
Create Date: 2026-11-28 19:30:00

Hand-written: one nullable column, no data to move.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c1e5b2a9d40'
down_revision = '042975dfdb55'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_undeliverable_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('email_undeliverable_at')
