"""Bind the extensions to an app: database, migrations, login, CSRF, Babel, rate limits."""

import sqlalchemy as sa
from flask import Flask, current_app, request, session

from app.database import install_idle_ping
from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def register(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    limiter.request_filter(_nothing_to_count)
    limiter.pass_through = _nothing_to_count
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)
        else:
            install_idle_ping(db.engine, app.config["DB_PING_AFTER_IDLE_SECONDS"])


# Respondent pages read with a session cookie carry no limit (only the code entry, a POST, does):
# skipping the limiter's lookup there saves about a tenth of a page view's time.
UNLIMITED_READS = frozenset({"respond"})


def _nothing_to_count() -> bool:
    return request.method in ("GET", "HEAD") and request.blueprint in UNLIMITED_READS


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _load_user(user_id: str):
    from app.auth import sessions

    return sessions.load(user_id)


def select_locale() -> str:
    """Dutch unless the visitor chose a translation (language law: Dutch is the default)."""
    chosen = session.get("language")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]
