"""User administration; every change is audited."""

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import ROLES, User
from app.passwords import MIN_LENGTH, hash_password


class UserError(ValueError):
    """A user cannot be created or changed; the message is safe to show."""


def create_user(email: str, name: str, role: str, password: str) -> User:
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(f"Onbekende rol: {role}")
    if len(password) < MIN_LENGTH:
        raise UserError(f"Het wachtwoord moet minstens {MIN_LENGTH} tekens hebben.")
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
    audit.record("role_changed", user, details={"from": old, "to": role})


def set_active(user: User, active: bool) -> None:
    user.active = active
    user.session_version += 1
    audit.record("user_activated" if active else "user_deactivated", user)
