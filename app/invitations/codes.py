"""Access codes printed on invitation letters, and link tokens for QR codes and e-mails.

A typed code has 10 symbols from a 31-symbol alphabet: the digits 2-9 and the upper-case
letters without I, L and O. The field notes ask for "32 symbols without 0/O/1/I/L", but the
letters and digits minus those five leave exactly 31; adding a punctuation mark to reach 32
would make codes harder to read aloud and type, so we keep 31. The entropy is
``10 * log2(31) = 49.5`` bits, about 8.2e14 codes: with rate limiting (a few attempts per
minute per address and a global cap) guessing any of a few thousand live codes stays
hopeless.

Codes are shown as ``XXXX-XXXX-XX``. People type them with spaces, dashes, lower case or
full-width characters; :func:`normalise_code` accepts all of those. It maps no look-alikes:
none of 0, O, 1, I or L is ever printed, and no single alphabet symbol is their obvious
reading (0 could be read from D or Q, 1 from 7 or J), so a code containing them is rejected
rather than guessed. Codes and tokens are stored only as keyed HMAC-SHA256 hashes.
"""

import hashlib
import hmac
import math
import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
ENTROPY_BITS = CODE_LENGTH * math.log2(len(ALPHABET))
GROUPS = (4, 4, 2)

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._]+")
_CODE_PURPOSE = b"stadspanel-access-code\x00"
_TOKEN_PURPOSE = b"stadspanel-link-token\x00"


def generate_code() -> str:
    """A new random access code formatted as ``XXXX-XXXX-XX`` (cryptographically random)."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return _group(symbols)


def normalise_code(typed: str) -> str | None:
    """The canonical ``XXXX-XXXX-XX`` form of a typed code, or None when it cannot be a code.

    Upper-cases, applies Unicode NFKC (full-width forms) and drops spaces, dashes, dots and
    underscores. Anything else outside :data:`ALPHABET`, or a wrong length, gives None.
    """
    if not isinstance(typed, str) or len(typed) > 64:
        return None
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed)).upper()
    if len(compact) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in compact):
        return None
    return _group(compact)


def hash_code(code: str, secret: bytes) -> str:
    """Keyed HMAC-SHA256 (hex) of a code, computed on its normalised symbols.

    Raises ValueError when `code` is not a valid code or `secret` is empty.
    """
    canonical = normalise_code(code)
    if canonical is None:
        raise ValueError("Not a valid access code.")
    return _hmac_hex(secret, _CODE_PURPOSE + canonical.replace("-", "").encode("ascii"))


def generate_link_token() -> str:
    """A new URL-safe token of 32 random bytes for personal links and QR codes."""
    return secrets.token_urlsafe(32)


def hash_token(token: str, secret: bytes) -> str:
    """Keyed HMAC-SHA256 (hex) of a link token, used to store and look up tokens."""
    return _hmac_hex(secret, _TOKEN_PURPOSE + token.encode("utf-8"))


def _hmac_hex(secret: bytes, message: bytes) -> str:
    if not isinstance(secret, bytes | bytearray) or not secret:
        raise ValueError("The hashing secret must be non-empty bytes.")
    return hmac.new(bytes(secret), message, hashlib.sha256).hexdigest()


def _group(symbols: str) -> str:
    parts, start = [], 0
    for size in GROUPS:
        parts.append(symbols[start : start + size])
        start += size
    return "-".join(parts)
