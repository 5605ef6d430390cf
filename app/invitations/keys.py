"""Personal access codes and link tokens, derived from a secret so they can be printed again.

Why derived and not random: codes are stored only as keyed hashes, so a random code exists
in plain text only while one letter PDF is written. A re-print (a torn letter, a jammed
printer, a reminder letter with the same code) would then need new codes that silently
invalidate the letters already in the post. Instead each invitation has a random
``secret_nonce``; its code is ``HMAC(derivation key, "code", id, nonce)`` mapped onto the
31-symbol alphabet, and its link token the same with ``"token"``. Printing again gives the
same codes; "new codes" draws a new nonce, which invalidates the old letters on purpose.

The derivation key and the hashing key are separate HMAC sub-keys of ``PERSON_KEY_SECRET``.
Someone with the database alone learns nothing; someone with the database and that secret can
recompute the codes, but with random 50-bit codes they could also brute-force the hashes
(2**50 / 5,000 live codes is about 2**38 tries), so derivation gives up little.
"""

import base64
import hashlib
import hmac
import secrets

from flask import current_app

from app.invitations.codes import ALPHABET, CODE_LENGTH, hash_code, hash_token, normalise_code


def _subkey(purpose: str) -> bytes:
    secret = current_app.config["PERSON_KEY_SECRET"].encode()
    return hmac.new(secret, b"stadspanel-invitations\x00" + purpose.encode(),
                    hashlib.sha256).digest()


def hashing_key() -> bytes:
    """The key for :func:`hash_code` and :func:`hash_token`."""
    return _subkey("hash")


def new_nonce() -> str:
    return secrets.token_hex(16)


def _digest(kind: str, object_id: int, nonce: str) -> bytes:
    message = f"{kind}\x00{object_id}\x00{nonce}".encode()
    return hmac.new(_subkey("derive"), message, hashlib.sha256).digest()


def derive_code(invitation_id: int, nonce: str) -> str:
    """The printed ``XXXX-XXXX-XX`` code of an invitation (uniform up to 2**-200)."""
    number = int.from_bytes(_digest("code", invitation_id, nonce), "big")
    symbols = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    return normalise_code("".join(symbols))


def derive_token(kind: str, object_id: int, nonce: str) -> str:
    """A URL-safe 256-bit link token for an invitation (``"token"``) or member (``"member"``)."""
    return base64.urlsafe_b64encode(_digest(kind, object_id, nonce)).rstrip(b"=").decode()


def code_hash(code: str) -> str:
    return hash_code(code, hashing_key())


def token_hash(token: str) -> str:
    return hash_token(token, hashing_key())


def issue_invitation_secrets(invitation, *, rotate: bool = False) -> tuple[str, str]:
    """Set the invitation's hashes from its (new, if `rotate`) nonce; return (code, token)."""
    if rotate or not invitation.secret_nonce:
        invitation.secret_nonce = new_nonce()
    code = derive_code(invitation.id, invitation.secret_nonce)
    token = derive_token("token", invitation.id, invitation.secret_nonce)
    invitation.code_hash, invitation.token_hash = code_hash(code), token_hash(token)
    return code, token


def invitation_secrets(invitation) -> tuple[str, str]:
    """The current (code, token) of an invitation, as printed."""
    return (derive_code(invitation.id, invitation.secret_nonce),
            derive_token("token", invitation.id, invitation.secret_nonce))


def member_token(member, *, rotate: bool = False) -> str:
    """The member's personal link token; stores its hash (and a new nonce if needed)."""
    if rotate or not member.link_nonce:
        member.link_nonce = new_nonce()
    token = derive_token("member", member.id, member.link_nonce)
    member.link_token_hash = token_hash(token)
    return token
