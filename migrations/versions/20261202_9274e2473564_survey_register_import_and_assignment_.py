"""surveys.register_import_id and the register data of each assignment

Revision ID: 9274e2473564
Revises: 6a9ad3c0b1c7
Create Date: 2026-12-02 17:04:16

A survey is pinned to the register import its population came from, and each assignment keeps
the person's register data (age band, sex, district, nationality group, household size), so a
later import never changes how an earlier survey is weighted.

Data: margins were already stored per import. An existing survey is pinned to the import of
its current weight set (else its latest weight set), otherwise to the latest committed import;
existing assignments get their resident's data as it is now (the latest import's: the best the
database knows). Downgrade drops the columns (on SQLite by a batch copy, which needs an empty database or
foreign keys off).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9274e2473564'
down_revision = '6a9ad3c0b1c7'
branch_labels = None
depends_on = None

FK = "fk_surveys_register_import_id_register_imports"
COVARIATES = ("age_band", "sex", "district", "nationality_group", "household_size")


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('age_band', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('sex', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('district', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('nationality_group', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('household_size', sa.Integer(), nullable=True))

    _add_register_import_id()
    _pin_surveys()
    _copy_register_data()


def _add_register_import_id():
    """On SQLite a plain ALTER TABLE with the named reference: a batch copy of ``surveys`` would
    drop the old table under the weight sets and assignments that refer to it."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE surveys ADD COLUMN register_import_id INTEGER CONSTRAINT {FK} "
                   "REFERENCES register_imports (id)")
        return
    op.add_column('surveys', sa.Column('register_import_id', sa.Integer(), nullable=True))
    op.create_foreign_key(FK, 'surveys', 'register_imports', ['register_import_id'], ['id'])


def _pin_surveys():
    surveys = sa.table("surveys", sa.column("id"), sa.column("register_import_id"))
    weight_sets = sa.table("weight_sets", sa.column("id"), sa.column("survey_id"),
                           sa.column("margins_import_id"), sa.column("is_current"))
    imports = sa.table("register_imports", sa.column("id"), sa.column("status"),
                       sa.column("reference_date"))
    weighted = (sa.select(weight_sets.c.margins_import_id)
                .where(weight_sets.c.survey_id == surveys.c.id,
                       weight_sets.c.margins_import_id.is_not(None))
                .order_by(weight_sets.c.is_current.desc(), weight_sets.c.id.desc())
                .limit(1).scalar_subquery())
    latest = (sa.select(imports.c.id).where(imports.c.status == "committed")
              .order_by(imports.c.reference_date.desc(), imports.c.id.desc())
              .limit(1).scalar_subquery())
    op.execute(surveys.update().values(register_import_id=sa.func.coalesce(weighted, latest)))


def _copy_register_data():
    assignments = sa.table("assignments", sa.column("member_id"), sa.column("selection_id"),
                           *[sa.column(name) for name in COVARIATES])
    residents = sa.table("residents", sa.column("id"), *[sa.column(name) for name in COVARIATES])
    for owner, key in (("members", "member_id"), ("selections", "selection_id")):
        link = sa.table(owner, sa.column("id"), sa.column("resident_id"))
        op.execute(assignments.update().where(assignments.c[key].is_not(None)).values(**{
            name: sa.select(residents.c[name]).where(
                residents.c.id == link.c.resident_id, link.c.id == assignments.c[key])
            .scalar_subquery() for name in COVARIATES}))


def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":  # SQLite: the copy leaves the reference out
            batch_op.drop_constraint(FK, type_='foreignkey')
        batch_op.drop_column('register_import_id')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        for name in reversed(COVARIATES):
            batch_op.drop_column(name)
