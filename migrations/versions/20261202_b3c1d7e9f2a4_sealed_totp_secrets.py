"""TOTP secrets stored sealed (Fernet under a key derived from PERSON_KEY_SECRET)

Revision ID: b3c1d7e9f2a4
Revises: 9274e2473564
Create Date: 2026-12-02 21:05:00

users.totp_secret grows to 255 characters and every plain secret already stored is sealed
(app/auth/sealed.py). Sealing needs PERSON_KEY_SECRET, which `flask db upgrade` has from the app's
configuration. Downgrade unseals them again (and shrinks the column).
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

# revision identifiers, used by Alembic.
revision = 'b3c1d7e9f2a4'
down_revision = '9274e2473564'
branch_labels = None
depends_on = None

USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def _rewrite(change) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(USERS.c.id, USERS.c.totp_secret).where(
        USERS.c.totp_secret.is_not(None))).all()
    for user_id, stored in rows:
        new = change(stored)
        if new != stored:
            connection.execute(sa.update(USERS).where(USERS.c.id == user_id)
                               .values(totp_secret=new))


def _secret() -> str:
    return current_app.config["PERSON_KEY_SECRET"]


def upgrade():
    from app.auth import sealed

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64),
                              type_=sa.String(length=255), existing_nullable=True)
    _rewrite(lambda stored: stored if sealed.is_sealed(stored) else sealed.seal(
        stored, secret=_secret(), purpose="totp"))


def downgrade():
    from app.auth import sealed

    _rewrite(lambda stored: sealed.unseal(stored, secret=_secret(), purpose="totp")
             if sealed.is_sealed(stored) else stored)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255),
                              type_=sa.String(length=64), existing_nullable=True)
