"""User administration; every change is audited."""

import sqlalchemy as sa

from app import audit
from app.auth import sessions
from app.extensions import db
from app.models import ROLES, User
from app.passwords import hash_password, policy_problem


class UserError(ValueError):
    """A user cannot be created or changed; the message is safe to show."""


def create_user(email: str, name: str, role: str, password: str) -> User:
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(f"Onbekende rol: {role}")
    if problem := policy_problem(password):
        raise UserError(problem)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise UserError("Er bestaat al een gebruiker met dit e-mailadres.")
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user, details={"role": role})
    return user


def change_role(user: User, role: str) -> None:
    if role not in ROLES:
        raise UserError(f"Onbekende rol: {role}")
    old = user.role
    user.role = role
    user.session_version += 1  # existing sessions must log in again with the new role
    sessions.end_all(user, "role_changed")
    audit.record("role_changed", user, details={"from": old, "to": role})


def set_active(user: User, active: bool) -> None:
    user.active = active
    user.session_version += 1
    sessions.end_all(user, "deactivated")
    audit.record("user_activated" if active else "user_deactivated", user)


def log_out_everywhere(user: User) -> int:
    """An admin ends every session of ``user`` (a lost laptop, a shared screen)."""
    count = sessions.end_all(user, "admin")
    audit.record("user_sessions_ended", user, details={"sessions": count})
    return count
