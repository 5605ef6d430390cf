"""Argon2id password hashing with rehash-on-login (argon2-cffi defaults), and the policy.

Policy (OWASP ASVS 5.0 §6.2): at least 12 characters, and not one of the 19,640 common
passwords in ``common-passwords.txt`` (the list Django ships, by Royce Williams; source and
BSD licence in ``common-passwords.LICENSE.txt``), compared case-insensitively.
"""

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")


@cache
def _common() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS.read_text(encoding="utf-8").split("\n")) - {""}


def policy_problem(password: str) -> str | None:
    """Why ``password`` may not be used (Dutch), or ``None`` when it may."""
    if len(password) < MIN_LENGTH:
        return f"Het wachtwoord moet minstens {MIN_LENGTH} tekens hebben."
    if password.strip().lower() in _common():
        return ("Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden die aanvallers "
                "eerst proberen. Kies een ander, bijvoorbeeld vier losse woorden.")
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# A dummy hash so a login for an unknown e-mail costs the same time as a real one.
DUMMY_HASH = _hasher.hash("stadspanel-timing-equaliser")
