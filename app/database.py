"""Connection health: ping a pooled connection only when it sat idle, not on every checkout.

SQLAlchemy's ``pool_pre_ping`` pings on every checkout: two to three extra round trips per
request, which on PostgreSQL cost a respondent page about a third of its throughput. A
connection in steady use is known to be alive; one that sat idle may have been closed by a
database restart, a failover or an idle timeout. So a connection is pinged when it was idle for
longer than ``DB_PING_AFTER_IDLE_SECONDS``; a failed ping raises ``DisconnectionError``, and the
pool then discards it and hands out a fresh connection (SQLAlchemy, "Disconnect Handling -
Pessimistic", custom checkout events).
"""

import time

import sqlalchemy as sa
from sqlalchemy import exc

_CHECKED_IN_AT = "stadspanel_checked_in_at"


def install_idle_ping(engine: sa.Engine, idle_seconds: float, clock=time.monotonic) -> None:
    """Ping connections that were idle in ``engine``'s pool for more than ``idle_seconds``."""

    @sa.event.listens_for(engine.pool, "checkin")
    def _remember_checkin(_dbapi_connection, record) -> None:
        if record is not None:
            record.info[_CHECKED_IN_AT] = clock()

    @sa.event.listens_for(engine.pool, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or clock() - checked_in_at <= idle_seconds:
            return  # new, or in steady use
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_connection.rollback()
        except Exception as error:  # noqa: BLE001 - any failure means: do not use it
            raise exc.DisconnectionError(f"idle connection failed its ping: {error}") from error
