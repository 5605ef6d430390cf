"""Small secrets the application must read back (a TOTP seed), encrypted at rest.

Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) under a key derived
with HKDF from ``PERSON_KEY_SECRET``: the one secret a city must keep unchanged for years (it
also keys the register's person keys), and which never sits in the database. A database dump
alone therefore yields no second factor. Each purpose has its own derived key.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "f1:"  # marks a sealed value (and its scheme), so plain legacy values are told apart


def _fernet(secret: str, purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=f"stadspanel sealed {purpose}".encode()).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str, *, secret: str, purpose: str) -> str:
    return PREFIX + _fernet(secret, purpose).encrypt(value.encode()).decode()


def is_sealed(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX)


def unseal(stored: str, *, secret: str, purpose: str) -> str:
    """The plain value; ValueError when it was sealed under another key or was altered."""
    if not is_sealed(stored):
        raise ValueError("not a sealed value")
    try:
        return _fernet(secret, purpose).decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken as error:
        raise ValueError("sealed under another key, or altered") from error
