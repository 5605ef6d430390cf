"""``flask backup`` / ``flask restore`` round-trip a full database (SQLite or PostgreSQL)."""

import uuid

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.privacy import backup
from tests.conftest import TEST_SECRETS
from tests.web.privacy.test_privacy_study import make_chain


@pytest.fixture
def empty_target(database_url, tmp_path):
    """An empty database of the same kind as the suite's, dropped afterwards."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"sp_restore_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1)
                             if database_url.startswith("postgresql://") else database_url,
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_and_restore_round_trip_every_table(app, tmp_path, empty_target):
    from app import create_app

    make_chain(members=40, draw_size=10)
    before = backup.fingerprint()
    assert sum(count for count, _ in before.values()) > 500
    path = tmp_path / "stadspanel.backup"
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    target = create_app({**TEST_SECRETS, "SQLALCHEMY_DATABASE_URI": empty_target,
                         "TESTING": True})
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert result.exit_code == 0, result.output
        after = backup.fingerprint()
        again = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert again.exit_code != 0 and "not empty" in again.output  # never silently over
        db.session.remove()
        db.engine.dispose()
    before.pop("alembic_version", None)
    after.pop("alembic_version", None)
    assert after == before


def test_restore_refuses_a_missing_file(app, runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "nope.backup")])
    assert result.exit_code != 0
