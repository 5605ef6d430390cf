"""Roles, security headers and safe redirects."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, request, session
from flask_login import current_user

STAFF_ROLES = ("admin", "researcher", "data_entry", "councillor")


def roles_required(*roles: str) -> Callable:
    """Allow only logged-in staff with one of ``roles``; ``admin`` is always allowed.

    Anonymous visitors are sent to the login page, staff without the role get 403.
    """
    allowed = set(roles) | {"admin"}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view as reachable without login (respondent pages, login)."""
    view.allowed_roles = "public"
    return view


def fresh_session() -> None:
    """Start an empty session (no fixation), keeping only the chosen language."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths: never an open redirect."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:
        return fallback
    return target


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def register(app: Flask) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), geolocation=(), microphone=()"
        if app.config["ENV_NAME"] == "production":
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
