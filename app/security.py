"""Roles, security headers and safe redirects."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, session, url_for
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
            if _must_enrol_first():
                return redirect(url_for("auth.mfa_setup"))
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)
        return wrapped

    return decorator


MFA_EXEMPT = frozenset({"auth.mfa_setup", "auth.logout"})


def _must_enrol_first() -> bool:
    """``REQUIRE_ADMIN_MFA``: an admin without a second factor may only enrol or log out."""
    if not current_app.config.get("REQUIRE_ADMIN_MFA") or request.endpoint in MFA_EXEMPT:
        return False
    return current_user.role == "admin" and not current_user.totp_secret


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
