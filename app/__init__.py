"""Stadspanel: the Flask application factory."""

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from app.config import Config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config or {})
    _require_secrets(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        db_path = Path(app.instance_path) / "stadspanel.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    _normalise_database_url(app)

    from app import cli, errors, extensions_setup, security, templating
    from app.cookie_session import CachedSerializerSessionInterface

    app.session_interface = CachedSerializerSessionInterface()

    extensions_setup.register(app)
    security.register(app)
    errors.register(app)
    templating.register(app)
    cli.register(app)
    _register_blueprints(app)
    from app.register.uploads import sweep_at_start

    sweep_at_start(app)  # a killed process may have left plain national numbers on disk
    return app


def _require_secrets(app: Flask) -> None:
    """Fail fast in production; generate per-instance secrets in development."""
    production = app.config["ENV_NAME"] == "production"
    for name in ("SECRET_KEY", "PERSON_KEY_SECRET"):
        if app.config.get(name):
            continue
        if production:
            raise RuntimeError(
                f"{name} is not set. Stadspanel refuses to start in production without it; "
                f"set the {name} environment variable (see README, Configuration)."
            )
        app.config[name] = _instance_secret(app, name)
    if len(app.config["PERSON_KEY_SECRET"].encode()) < 16:
        raise RuntimeError("PERSON_KEY_SECRET must be at least 16 bytes: flask generate-secret")


def _instance_secret(app: Flask, name: str) -> str:
    path = Path(app.instance_path) / f"{name.lower()}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _normalise_database_url(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}


def _register_blueprints(app: Flask) -> None:
    from app import (
        admin,
        auth,
        draws,
        entry,
        invitations,
        join,
        juries,
        main,
        panels,
        privacy,
        register,
        respond,
        results,
        surveys,
    )

    for module in (main, auth, register, panels, draws, invitations, surveys, respond, entry,
                   results, admin, join, privacy, juries):
        app.register_blueprint(module.bp)
