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


def _insert(engine, table: str, **values) -> int:
    with engine.begin() as connection:
        target = sa.Table(table, sa.MetaData(), autoload_with=connection)
        return connection.execute(target.insert().values(**values)).inserted_primary_key[0]


def _old_import(engine, reference: str) -> int:
    counts = dict.fromkeys(("total_rows", "valid_rows", "error_rows", "warning_count",
                            "new_count", "updated_count", "moved_count", "left_count",
                            "unchanged_count", "rejoined_count", "minimum_age"), 0)
    return _insert(engine, "register_imports", filename="x.csv", file_sha256="0" * 64,
                   reference_date=sa.func.date(reference) if engine.dialect.name == "sqlite"
                   else reference, legal_basis="Besluit 1", status="committed",
                   problems=[], max_error_share=0.05, preview_rows=[], headers=[],
                   column_mapping={}, street_districts=[], created_at=sa.func.now(), **counts)


def _old_survey(engine, panel_id: int) -> int:
    return _insert(engine, "surveys", title={"nl": "B"}, languages=["nl"], status="closed",
                   version=1, created_at=sa.func.now(), panel_id=panel_id)


def test_existing_surveys_are_pinned_and_assignments_keep_their_register_data(
        empty_database_url, tmp_path):
    """Upgrade a database holding the old schema's rows: a weighted survey keeps the import it
    was weighted to, an unweighted one gets the latest import, assignments get the data."""
    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision="7c1e5b2a9d40")
        engine = db.engine
        first, latest = _old_import(engine, "2025-01-01"), _old_import(engine, "2026-01-01")
        resident = _insert(engine, "residents", person_key="k" * 64, sex="F", district="Noord",
                           age_band="25-34", nationality_group="BE", household_size=2,
                           in_frame=True, first_import_id=first, last_import_id=latest)
        other = _insert(engine, "residents", person_key="j" * 64, sex="M", district="Zuid",
                        age_band="75+", nationality_group="EU", household_size=1,
                        in_frame=True, first_import_id=first, last_import_id=latest)
        panel = _insert(engine, "panels", name="P", description="", target_size=10, strata=[],
                        target_composition={}, active=True, created_at=sa.func.now())
        member = _insert(engine, "members", panel_id=panel, pseudonym="M1", stratum="s",
                         consent_text_version="1", consent_at=sa.func.now(),
                         contact_preference="email", language="nl", status="active",
                         joined_at=sa.func.now(), profile={}, link_nonce="n",
                         resident_id=resident)
        second = _insert(engine, "members", panel_id=panel, pseudonym="M2", stratum="s",
                         consent_text_version="1", consent_at=sa.func.now(),
                         contact_preference="paper", language="nl", status="active",
                         joined_at=sa.func.now(), profile={}, link_nonce="o", resident_id=other)
        weighted, fresh = _old_survey(engine, panel), _old_survey(engine, panel)
        for survey, current in ((weighted, False), (weighted, True)):
            _insert(engine, "weight_sets", survey_id=survey, method="rake", variables=[],
                    propensity=False, weights={}, diagnostics={}, is_current=current,
                    created_at=sa.func.now(), margins_import_id=first if current else latest)
        for owner, name in ((member, "1"), (second, "2")):
            _insert(engine, "assignments", survey_id=weighted, member_id=owner, pseudonym=name,
                    token_hash=name, code_hash=name, channel="web", language="nl",
                    status="sent", created_at=sa.func.now())
        upgrade()
        with engine.connect() as connection:
            pins = dict(connection.execute(sa.text(
                "SELECT id, register_import_id FROM surveys")).all())
            data = connection.execute(sa.text(
                "SELECT age_band, sex, district, nationality_group, household_size "
                "FROM assignments ORDER BY pseudonym")).all()
        db.session.remove()
        db.engine.dispose()
    assert pins == {weighted: first, fresh: latest}
    assert [tuple(row) for row in data] == [("25-34", "F", "Noord", "BE", 2),
                                            ("75+", "M", "Zuid", "EU", 1)]


def test_plain_totp_secrets_are_sealed_by_the_upgrade_and_unsealed_by_the_downgrade(
        empty_database_url, tmp_path):
    from flask_migrate import downgrade

    from app.auth import sealed

    app = make_app(empty_database_url, tmp_path)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with app.app_context():
        upgrade(revision="9274e2473564")
        user_id = _insert(db.engine, "users", email="a@example.org", name="A", role="admin",
                          password_hash="x", active=True, failed_logins=0, session_version=1,
                          totp_secret=secret, created_at=sa.func.now())
        upgrade()

        def stored() -> str:
            with db.engine.connect() as connection:
                return connection.execute(sa.text(
                    "SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id}).scalar()

        assert stored().startswith("f1:") and secret not in stored()
        assert sealed.unseal(stored(), secret=app.config["PERSON_KEY_SECRET"],
                             purpose="totp") == secret
        downgrade(revision="9274e2473564")
        assert stored() == secret
        db.session.remove()
        db.engine.dispose()
