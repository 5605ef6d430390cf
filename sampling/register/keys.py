"""Keyed pseudonyms for national numbers."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from sampling.register.values import compact_national_numbers


def person_keys(national_numbers: pd.Series, secret: bytes) -> pd.Series:
    """HMAC-SHA256 (hex) of each normalised 11-digit national number.

    Dots, dashes and spaces are removed first, so ``85.07.30-033.28`` and ``85073003328`` give
    the same key. The key identifies a person across imports without storing the number.

    Parameters
    ----------
    national_numbers : Series of str
        National or BIS numbers, formatted or not.
    secret : bytes
        The installation's secret key (at least 16 bytes).

    Returns
    -------
    Series of str
        64 hexadecimal characters per row, same index.

    References
    ----------
    .. [1] RFC 2104, "HMAC: Keyed-Hashing for Message Authentication".
    """
    if len(secret) < 16:
        raise ValueError("The HMAC secret must be at least 16 bytes long.")
    compact = compact_national_numbers(national_numbers.astype("str").str.strip())
    keys = [hmac.digest(secret, number.encode("ascii", "replace"), hashlib.sha256).hex()
            for number in compact]
    return pd.Series(keys, index=national_numbers.index, dtype="str")
