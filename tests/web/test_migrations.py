"""``flask db upgrade`` builds, from an empty database, exactly the schema of the models."""

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from app.extensions import db
from tests.conftest import make_app


@pytest.fixture
def empty_database_url(tmp_path):
    base = os.environ.get("DATABASE_URL")
    if not base or base.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"stadspanel_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True})
            differences = compare_metadata(context, db.metadata)
            current = context.get_current_revision()
        config = app.extensions["migrate"].migrate.get_config()
        head = ScriptDirectory.from_config(config).get_current_head()
        db.session.remove()
        db.engine.dispose()
    assert differences == []
    assert current == head


def _report_kind_check(engine) -> str:
    checks = sa.inspect(engine).get_check_constraints("reports")
    return next(check["sqltext"] for check in checks if check["name"] == "ck_reports_kind")


def test_report_kind_pptx_migration_up_and_down(empty_database_url, tmp_path):
    from flask_migrate import downgrade

    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        assert "'pptx'" in _report_kind_check(db.engine)
        downgrade(revision="62d9f5941cd5")
        assert "'pptx'" not in _report_kind_check(db.engine)
        assert "'slides'" in _report_kind_check(db.engine)
        upgrade()
        assert "'pptx'" in _report_kind_check(db.engine)
        db.session.remove()
        db.engine.dispose()
