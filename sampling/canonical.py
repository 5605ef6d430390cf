"""The canonical serialisation of a frame and its SHA-256: the frame hash a draw records.

The text is PostgreSQL's ``COPY ... TO STDOUT`` text format with a header line, rows sorted by
``person_key`` in code-point order (see :func:`frame_hash` for the exact definition). It is also
the frame snapshot a draw stores, so ``flask draws verify`` can replay the draw from it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sampling.errors import SamplingError
from sampling.strata import PERSON_KEY, _check_columns, _is_missing

__all__ = ["canonical_order", "canonical_serialisation", "frame_hash"]


def frame_hash(frame: pd.DataFrame, columns: Sequence[str]) -> str:
    """Return the SHA-256 hex digest of the canonical serialisation of ``frame``.

    The canonical serialisation, which anyone can recompute, is UTF-8 text in PostgreSQL's
    ``COPY ... TO STDOUT`` text format with a header line:

    1. the first line holds the column names separated by TAB: ``person_key`` followed by
       ``columns`` in the given order (``person_key`` is not repeated if it is listed);
    2. then one line per resident, rows sorted by ``person_key`` in code-point order (like
       ``ORDER BY person_key COLLATE "C"``), holding the values of those columns separated by
       TAB; a value is written with Python ``str()`` (``3``, ``"Centrum"``), a missing value as
       ``\\N``, and a backslash, TAB, newline or carriage return inside a value as ``\\\\``,
       ``\\t``, ``\\n`` or ``\\r``;
    3. every line, the last one included, ends with a single newline ``"\\n"``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Must contain a unique ``person_key`` column and ``columns``.
    columns : sequence of str
        The further columns covered by the hash.

    Returns
    -------
    str
        64 lowercase hexadecimal characters.

    References
    ----------
    .. [1] NIST FIPS 180-4 (2015), *Secure Hash Standard*.
    .. [2] PostgreSQL 17 documentation, *COPY*, section "Text Format".
    """
    names = [PERSON_KEY, *(column for column in columns if column != PERSON_KEY)]
    _check_columns(frame, names)
    return hashlib.sha256(canonical_serialisation(frame, names)[1]).hexdigest()


def canonical_serialisation(frame: pd.DataFrame, names: Sequence[str]) -> tuple[np.ndarray, bytes]:
    """The canonical row order and the serialisation (UTF-8) that :func:`frame_hash` hashes.

    ``names`` starts with ``person_key``. The text is also the frame snapshot a draw stores:
    ``pandas.read_csv(sep="\\t", na_values=["\\\\N"], keep_default_na=False, dtype=str)``
    reads it back. Each column is encoded once per distinct value (``person_key`` once per
    row) into a zero-padded byte table, and the lines are assembled with numpy, so no Python
    string operation runs per row and value.
    """
    fields = [_field(frame[name], sep="\n" if index == len(names) - 1 else "\t",
                     per_row=name == PERSON_KEY)
              for index, name in enumerate(names)]
    order = _hex_prefix_order(fields[0].table) if len(frame) else None
    if order is None:
        order = canonical_order(frame[PERSON_KEY])
    header = ("\t".join(names) + "\n").encode("utf-8")
    chunks = (_lines(fields, order[start:start + _CHUNK_ROWS])
              for start in range(0, len(order), _CHUNK_ROWS))
    return order, b"".join([header, *chunks])


def canonical_order(keys: pd.Series) -> np.ndarray:
    """Positions that sort ``keys`` (unique strings) in code-point order.

    Raises ``SamplingError`` when a key occurs twice.
    """
    values = keys.to_numpy(dtype=object)
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    order = _hex_prefix_order(_field(keys, sep="\n", per_row=True).table)
    if order is not None:
        return order
    texts = list(map(str, values))  # Python str order is code-point order (NUL included)
    order = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
    if any(texts[a] == texts[b] for a, b in zip(order[:-1], order[1:], strict=True)):
        raise SamplingError("De kolom person_key bevat dubbele sleutels.")
    return order


_HEX_VALUE = np.full(256, 255, dtype=np.uint8)
_HEX_VALUE[np.frombuffer(b"0123456789abcdef", dtype=np.uint8)] = np.arange(16, dtype=np.uint8)
_HEX_PREFIX = 16  # characters: 64 bits


def _hex_prefix_order(table: np.ndarray) -> np.ndarray | None:
    """Order keys that start with 16 distinct lower-case hex characters (the usual HMAC).

    ``table`` holds the keys' bytes row by row. Two strings whose first 16 characters differ
    compare like those prefixes, and for lower-case hexadecimal numeric order equals
    code-point order; so when every key starts with 16 hex characters and no two keys share
    them, sorting the prefixes as 64-bit numbers gives the code-point order of the keys.
    Returns None otherwise (the caller then sorts the full strings).
    """
    if table.shape[0] == 0 or table.shape[1] <= _HEX_PREFIX:
        return None
    nibbles = _HEX_VALUE[table[:, :_HEX_PREFIX]]
    if bool((nibbles == 255).any()):
        return None
    packed = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]  # 8 bytes per key, big-endian
    leading = np.ascontiguousarray(packed).view(">u8").ravel()
    order = np.argsort(leading, kind="stable")
    ordered = leading[order]
    if bool(np.any(ordered[1:] == ordered[:-1])):
        return None
    return order


_CHUNK_ROWS = 65_536
_ESCAPED = ("\\", "\t", "\n", "\r")


@dataclass
class _Field:
    """One column's values as COPY text bytes, each followed by its separator."""

    codes: np.ndarray | None  # frame row -> row of ``table`` (None: one table row per frame row)
    table: np.ndarray  # uint8 (values, width): each value's bytes + separator, zero-padded
    lengths: np.ndarray  # bytes used in each row of ``table``, separator included


def _field(column: pd.Series, *, sep: str, per_row: bool) -> _Field:
    values = column.to_numpy(dtype=object)
    if per_row:  # person_key: all distinct, encoded in frame order (memory-local, fast)
        return _Field(None, *_encode(values, sep))
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        # Numbers, dates, mixed objects: str() each value first, so that 1 and 1.0 (equal
        # as Python objects) keep their own text.
        values = np.asarray([value if isinstance(value, str) or _is_missing(value)
                             else str(value) for value in values], dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = np.append(np.asarray(uniques, dtype=object), None)  # code -1: missing (\N)
    return _Field(codes, *_encode(uniques, sep))


def _encode(values: np.ndarray, sep: str) -> tuple[np.ndarray, np.ndarray]:
    """COPY texts of ``values`` + ``sep`` as a zero-padded uint8 table and byte lengths."""
    try:
        joined = "".join(values)
    except TypeError:  # missing values or non-strings
        joined = None
    if joined is None or any(character in joined for character in _ESCAPED):
        texts = [_copy_text(value) for value in values]
        joined = "".join(texts)
    else:
        texts = values
    if joined.isascii():
        data = joined.encode("ascii")
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    else:
        encoded = [text.encode("utf-8") for text in texts]
        data = b"".join(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    width = int(lengths.max(initial=0)) + 1
    table = np.zeros((len(texts), width), dtype=np.uint8)
    if len(texts) and lengths.min() == width - 1:
        table[:, :-1] = np.frombuffer(data, dtype=np.uint8).reshape(len(texts), width - 1)
    else:
        table[np.arange(width) < lengths[:, None]] = np.frombuffer(data, dtype=np.uint8)
    table[np.arange(len(texts)), lengths] = ord(sep)
    return table, lengths + 1


def _lines(fields: list[_Field], rows: np.ndarray) -> bytes:
    """The COPY text lines of ``rows`` (positions in the frame), as UTF-8 bytes."""
    parts = []
    for field in fields:
        index = rows if field.codes is None else field.codes[rows]
        parts.append((field.table[index], field.lengths[index]))
    width = sum(table.shape[1] for table, _ in parts)
    matrix = np.empty((len(rows), width), dtype=np.uint8)
    used = np.empty((len(rows), width), dtype=bool)
    padded = False
    start = 0
    for table, lengths in parts:
        stop = start + table.shape[1]
        matrix[:, start:stop] = table
        if lengths.min(initial=table.shape[1]) == table.shape[1]:
            used[:, start:stop] = True
        else:
            used[:, start:stop] = np.arange(table.shape[1]) < lengths[:, None]
            padded = True
        start = stop
    return (matrix[used] if padded else matrix.reshape(-1)).tobytes()


def _copy_text(value: object) -> str:
    if _is_missing(value):
        return "\\N"
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(raw, escaped)
    return text
