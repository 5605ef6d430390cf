"""Server-side staff sessions: revocable, with an idle and an absolute timeout.

The signed Flask cookie carries ``user_id:session_version:token``; ``user_sessions`` keeps only
the token's SHA-256. Ending the row (logout, password or role change, deactivation, an admin's
"log out everywhere", a timeout) ends every copy of the cookie, wherever it was copied to.
Respondent pages never carry a staff token, so they never reach this code.

``last_seen_at`` is written at most once per ``TOUCH_SECONDS`` (or a tenth of the idle timeout)
per session, on its own short transaction: no database write on every request.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, flash
from flask_babel import gettext as _

from app.extensions import db
from app.models import User, UserSession, utcnow

TOUCH_SECONDS = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> str:
    """Open a session for ``user`` (the caller commits) and bind it to the user object."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    user.session_token = token
    return token


def end_current(user: User, reason: str = "logout") -> None:
    if user.session_token:
        _end(UserSession.token_hash == _hash(user.session_token), reason)


def end_all(user: User, reason: str) -> int:
    """End every open session of ``user``; returns how many were open (the caller commits)."""
    return _end(UserSession.user_id == user.id, reason)


def _end(where, reason: str) -> int:
    result = db.session.execute(sa.update(UserSession).where(
        where, UserSession.ended_at.is_(None)).values(ended_at=utcnow(), end_reason=reason))
    return result.rowcount or 0


def open_counts() -> dict[int, int]:
    rows = db.session.execute(sa.select(UserSession.user_id, sa.func.count()).where(
        UserSession.ended_at.is_(None)).group_by(UserSession.user_id))
    return dict(rows.all())


def load(cookie_id: str) -> User | None:
    """Flask-Login's user loader: the user of a live session, or ``None``."""
    user_part, version, token = (cookie_id.split(":") + ["", ""])[:3]
    if not user_part.isdigit() or not token:
        return None
    row = db.session.execute(sa.select(UserSession, User).join(User).where(
        UserSession.token_hash == _hash(token))).first()
    if row is None:
        return None
    record, user = row
    if (user.id != int(user_part) or str(user.session_version) != version or not user.active
            or record.ended_at is not None):
        return None
    now = utcnow()
    expired = _expired(record, now)
    if expired:
        _write(record.id, ended_at=now, end_reason=expired)
        flash(_("Uw sessie is verlopen. Meld u opnieuw aan."), "info")
        return None
    if now - _aware(record.last_seen_at) >= _touch_interval():
        _write(record.id, last_seen_at=now)
    user.session_token = token
    return user


def _touch_interval() -> timedelta:
    """``TOUCH_SECONDS``, or a tenth of the idle timeout when that is shorter."""
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    return min(timedelta(seconds=TOUCH_SECONDS), idle / 10)


def _expired(record: UserSession, now: datetime) -> str | None:
    config = current_app.config
    if now - _aware(record.created_at) > timedelta(hours=config["STAFF_SESSION_HOURS"]):
        return "absolute"
    if now - _aware(record.last_seen_at) > timedelta(minutes=config["STAFF_IDLE_MINUTES"]):
        return "idle"
    return None


def _write(session_id: int, **values) -> None:
    """On its own connection: the request's transaction stays untouched."""
    with db.engine.begin() as connection:
        connection.execute(sa.update(UserSession).where(UserSession.id == session_id)
                           .values(**values))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
