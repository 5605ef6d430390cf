"""Fixtures: a fresh app per test on one migrated database (SQLite file, or DATABASE_URL)."""

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g

from app import create_app
from app.extensions import db

TEST_SECRETS = {"SECRET_KEY": "test-secret-key", "PERSON_KEY_SECRET": "test-person-key-secret-0123"}


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile the fr/en catalogs (``make`` does this too; a bare ``pytest`` must work)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from i18n import compile_catalogs

    compile_catalogs()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app({**TEST_SECRETS, "SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                      "SWEEP_UPLOADS_ON_START": False})
    with app.app_context():
        db.drop_all()
        _drop_alembic_version()
        db.create_all()  # migrations are tested on their own database (test_migrations.py)
        db.session.remove()
        db.engine.dispose()
    return url


def _drop_alembic_version() -> None:
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def make_app(database_url: str, instance_path: Path, **overrides):
    config = {
        **TEST_SECRETS,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "JOBS_INLINE": True,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        # Test runs share instance/uploads but not their databases: sweep only when a test asks.
        "SWEEP_UPLOADS_ON_START": False,
        **overrides,
    }
    return create_app(config)


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = make_app(database_url, tmp_path, **app_config)

    @app.before_request
    def fresh_request_state():
        # The test's app context is shared by the client's requests; a real request starts
        # with an empty ``g`` (no cached user) and an empty identity map.
        for cached in ("_login_user", "_flask_babel"):
            g.pop(cached, None)
        db.session.expire_all()

    with app.app_context():
        yield app
        db.session.remove()
        _truncate_all()
        db.engine.dispose()


def _truncate_all() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(sa.text(f'DELETE FROM "{name}"'))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(app):
    from app.admin.services import create_user

    counter = iter(range(1, 10_000))

    def make(role: str = "researcher", **overrides):
        email = overrides.pop("email", f"{role}{next(counter)}@example.org")
        user = create_user(email, overrides.pop("name", role.title()), role,
                           overrides.pop("password", PASSWORD))
        db.session.commit()
        return user

    return make


def login(client, user, password: str = PASSWORD):
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(client, make_user):
    def as_role(role: str):
        user = make_user(role)
        login(client, user)
        return user

    return as_role
