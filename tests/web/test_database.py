"""Pooled connections are pinged after sitting idle, and a dead one is replaced unnoticed."""

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

from app.database import install_idle_ping
from app.extensions import db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def engine_and_clock(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'ping.db'}", poolclass=QueuePool,
                              pool_size=1, max_overflow=0)
    clock = Clock()
    install_idle_ping(engine, 5, clock=clock)
    yield engine, clock
    engine.dispose()


def _kill_pooled_connection(engine) -> None:
    """Close the DBAPI connection that sits in the pool (as a database restart would)."""
    with engine.connect() as connection:
        dbapi_connection = connection.connection.dbapi_connection
    dbapi_connection.close()


def test_an_idle_dead_connection_is_replaced_before_use(engine_and_clock):
    engine, clock = engine_and_clock
    _kill_pooled_connection(engine)
    clock.now += 6  # idle longer than 5 s: pinged, found dead, replaced
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 41 + 1")).scalar() == 42


def test_a_connection_in_steady_use_is_not_pinged(engine_and_clock):
    engine, clock = engine_and_clock
    _kill_pooled_connection(engine)
    clock.now += 1  # used a second ago: no ping, so the dead connection is handed out
    with pytest.raises(sa.exc.ProgrammingError), engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


@pytest.fixture
def app_config():
    return {"DB_PING_AFTER_IDLE_SECONDS": 0}


def test_requests_survive_the_database_dropping_idle_connections(app, client, database_url,
                                                                login_as):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no server that can drop connections")
    login_as("researcher")
    assert client.get("/dashboard").status_code == 200
    db.session.remove()  # every pooled connection is now idle in the pool
    admin = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with admin.connect() as connection:  # a connection outside the app's pool
        killed = connection.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend' AND state = 'idle'")).scalar()
    admin.dispose()
    assert killed >= 1
    for _ in range(3):
        assert client.get("/dashboard").status_code == 200
