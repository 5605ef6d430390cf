"""Login with per-account lockout on top of the per-IP rate limit."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from app import audit
from app.extensions import db
from app.models import User, utcnow
from app.passwords import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    policy_problem,
    verify_password,
)


class LoginRefusedError(Exception):
    """Credentials wrong or account locked; the message is safe to show."""


class PasswordChangeError(ValueError):
    """The new password was refused; the message is Dutch and safe to show."""


def authenticate(email: str, password: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(DUMMY_HASH, password)
        audit.record("login_failed", details={"reason": "unknown_account"})
        raise LoginRefusedError
    if user.locked_until and _aware(user.locked_until) > utcnow():
        audit.record("login_refused_locked", user, actor=user)
        raise LoginRefusedError
    if not user.active or not verify_password(user.password_hash, password):
        _count_failure(user)
        raise LoginRefusedError
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, utcnow()
    audit.record("login", user, actor=user)
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password and end every session of ``user`` (the caller starts a new one)."""
    from app.auth import sessions

    if not verify_password(user.password_hash, current):
        raise PasswordChangeError("Het huidige wachtwoord klopt niet.")
    if problem := policy_problem(new):
        raise PasswordChangeError(problem)
    user.password_hash = hash_password(new)
    user.session_version += 1
    sessions.end_all(user, "password_changed")
    audit.record("password_changed", user, actor=user)


def _count_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_LOCKOUT_FAILURES"]:
        minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
        user.locked_until = utcnow() + timedelta(minutes=minutes)
        user.failed_logins = 0
        audit.record("account_locked", user, actor=user, details={"minutes": minutes})
    else:
        audit.record("login_failed", user, actor=user)


def _aware(moment):
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
