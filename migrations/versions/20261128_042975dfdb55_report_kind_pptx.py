"""reports may be editable PowerPoint decks (kind 'pptx')

Revision ID: 042975dfdb55
Revises: 62d9f5941cd5
Create Date: 2026-11-28 21:00:00

Hand-written: only the CHECK constraint on reports.kind changes (autogenerate does not compare
CHECK constraints). batch_alter_table recreates the table on SQLite.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '042975dfdb55'
down_revision = '62d9f5941cd5'
branch_labels = None
depends_on = None

WITHOUT_PPTX = "kind IN ('pdf', 'slides', 'xlsx', 'sav')"
WITH_PPTX = "kind IN ('pdf', 'slides', 'pptx', 'xlsx', 'sav')"


def _replace_kind_check(condition):
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reports_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_reports_kind'), condition)


def upgrade():
    _replace_kind_check(WITH_PPTX)


def downgrade():
    # The older schema cannot hold PowerPoint reports; they are generated files that can be
    # made again from the survey, so they are removed rather than left to break the constraint.
    op.execute("DELETE FROM reports WHERE kind = 'pptx'")
    _replace_kind_check(WITHOUT_PPTX)
