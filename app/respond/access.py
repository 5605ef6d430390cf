"""Who is answering: typed codes, personal links, the session, and the signed form token.

Every respondent form carries an opaque token signed with the app's secret that names the
assignment. A POST needs only that token (not the session and not Flask-WTF's session-bound
CSRF token), so a page left open for hours, or a session that expired meanwhile, still saves.
The token is unguessable without the secret, so it also protects against cross-site posts.
"""

from functools import lru_cache

import sqlalchemy as sa
from flask import current_app, session
from itsdangerous import BadSignature, URLSafeSerializer

from app.extensions import db
from app.invitations.codes import hash_code, hash_token, normalise_code
from app.models import Assignment
from app.security import fresh_session
from app.surveys.distribution import hash_secret

SESSION_KEY = "respondent"
_SALT = "stadspanel-respond-form"


def form_token(assignment: Assignment) -> str:
    """The signed per-assignment token put in every respondent form."""
    return _signed(current_app.config["SECRET_KEY"], assignment.id)


def assignment_id_from_form(token: str | None) -> int | None:
    """The assignment id a signed form token names, or None when it is missing or forged."""
    if not token or len(token) > 200:
        return None
    return _verified(current_app.config["SECRET_KEY"], token)


@lru_cache(maxsize=4096)
def _signed(secret: str, assignment_id: int) -> str:
    """Signing is deterministic: remembered per process (the key is part of the cache key)."""
    return URLSafeSerializer(secret, salt=_SALT).dumps(assignment_id)


@lru_cache(maxsize=4096)
def _verified(secret: str, token: str) -> int | None:
    try:
        assignment_id = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature:
        return None
    return assignment_id if isinstance(assignment_id, int) else None


def assignment_by_code(typed: str) -> Assignment | None:
    """The assignment of a typed code (spaces, dashes and lower case allowed)."""
    canonical = normalise_code(typed or "")
    if canonical is None:
        return None
    digest = hash_code(canonical, hash_secret())
    return db.session.scalar(sa.select(Assignment).where(Assignment.code_hash == digest))


def assignment_by_token(token: str) -> Assignment | None:
    if not token or len(token) > 100:
        return None
    digest = hash_token(token, hash_secret())
    return db.session.scalar(sa.select(Assignment).where(Assignment.token_hash == digest))


def remember(assignment_id: int) -> None:
    """Keep the respondent in the session (a fresh session id: no fixation)."""
    if session.get(SESSION_KEY) != assignment_id:
        fresh_session()
        session[SESSION_KEY] = assignment_id


def current_assignment_id() -> int | None:
    assignment_id = session.get(SESSION_KEY)
    return assignment_id if isinstance(assignment_id, int) else None
