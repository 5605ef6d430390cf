"""Strata: human-readable stratum labels, stratum sizes and the frame hash.

A *stratum label* joins the values of the strata columns with ``" | "`` in the order the
columns are given, e.g. ``"18-24 | F | Centrum"``. Missing values appear as ``"(onbekend)"``.
With no strata columns every resident belongs to the single stratum ``"alle inwoners"``.
Labels are sorted in Unicode code-point order (Python's ``sorted``) wherever an order matters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sampling.errors import SamplingError

LABEL_SEPARATOR = " | "
MISSING_LABEL = "(onbekend)"
SINGLE_STRATUM = "alle inwoners"
PERSON_KEY = "person_key"


def _check_columns(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise SamplingError(f"Kolommen ontbreken in het kader: {', '.join(missing)}.")


def _value_text(value: object) -> str:
    return MISSING_LABEL if _is_missing(value) else str(value)


def stratum_codes(frame: pd.DataFrame, strata: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Return per-row codes into the sorted list of stratum labels, and that list.

    ``labels[codes[i]]`` is the stratum label of row ``i`` (by position); ``labels`` holds
    the labels that occur, in code-point order.
    """
    strata = list(strata)
    _check_columns(frame, strata)
    if not strata:
        return np.zeros(len(frame), dtype=np.int64), [SINGLE_STRATUM] if len(frame) else []
    group_codes = frame.groupby(strata, sort=False, dropna=False).ngroup().to_numpy()
    unique_codes, first_positions = np.unique(group_codes, return_index=True)
    columns = [frame[column].to_numpy(dtype=object) for column in strata]
    group_labels = [
        LABEL_SEPARATOR.join(_value_text(values[position]) for values in columns)
        for position in first_positions
    ]
    labels = sorted(set(group_labels))
    rank = {label: index for index, label in enumerate(labels)}
    recode = np.zeros(len(unique_codes), dtype=np.int64)
    for code, label in zip(unique_codes, group_labels, strict=True):
        recode[code] = rank[label]
    return recode[group_codes], labels


def stratum_labels(frame: pd.DataFrame, strata: Sequence[str]) -> pd.Series:
    """Return the stratum label of every row of ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per resident.
    strata : sequence of str
        Columns that define the strata, in display order.

    Returns
    -------
    pandas.Series
        String labels such as ``"18-24 | F | Centrum"``, indexed like ``frame``.

    References
    ----------
    .. [1] Lohr, S. L. (2022). *Sampling: Design and Analysis*, 3rd ed., ch. 3 (stratified
       sampling). CRC Press.
    """
    codes, labels = stratum_codes(frame, strata)
    values = np.asarray(labels, dtype=object)[codes] if len(codes) else np.zeros(0, dtype=object)
    return pd.Series(values, index=frame.index, dtype=object, name="stratum")


def stratum_sizes(frame: pd.DataFrame, strata: Sequence[str]) -> pd.Series:
    """Count residents per stratum, sorted by stratum label.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per resident.
    strata : sequence of str
        Columns that define the strata.

    Returns
    -------
    pandas.Series
        Integer counts indexed by stratum label in code-point order.

    References
    ----------
    .. [1] Lohr, S. L. (2022). *Sampling: Design and Analysis*, 3rd ed., section 3.1.
    """
    counts = stratum_labels(frame, strata).value_counts(sort=False)
    counts = counts.reindex(sorted(counts.index)).astype("int64")
    counts.index.name = "stratum"
    counts.name = "size"
    return counts


def household_size_class(size: int) -> str:
    """Return the household-size class ``"1"``, ``"2"``, ``"3-4"`` or ``"5+"``.

    Parameters
    ----------
    size : int
        Number of residents in the household (at least 1).

    Returns
    -------
    str
        The class label.

    References
    ----------
    .. [1] Statbel, huishoudens naar grootte (classes 1, 2, 3-4, 5+ as published for
       Belgian municipalities).
    """
    if isinstance(size, bool) or int(size) != size or size < 1:
        raise SamplingError(f"Ongeldige huishoudgrootte: {size!r} (verwacht een geheel getal ≥ 1).")
    size = int(size)
    if size <= 2:
        return str(size)
    return "3-4" if size <= 4 else "5+"


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


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))
