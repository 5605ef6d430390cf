"""Strata: human-readable stratum labels, stratum sizes and the frame hash.

A *stratum label* joins the values of the strata columns with ``" | "`` in the order the
columns are given, e.g. ``"18-24 | F | Centrum"``. Missing values appear as ``"(onbekend)"``.
With no strata columns every resident belongs to the single stratum ``"alle inwoners"``.
Labels are sorted in Unicode code-point order (Python's ``sorted``) wherever an order matters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

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
    return hash_in_order(frame, names, canonical_order(frame[PERSON_KEY]))


def canonical_order(keys: pd.Series) -> np.ndarray:
    """Positions that sort ``keys`` (unique strings) in code-point order.

    Raises ``SamplingError`` when a key occurs twice.
    """
    values = keys.to_numpy(dtype=object)
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    joined = "".join(values)
    fixed = joined.isascii() and lengths.min() == lengths.max() and lengths[0] > 0
    if fixed and lengths[0] % 16 == 0:
        order = _hex_order(joined.encode("ascii"), int(lengths[0]))
        if order is not None:
            return order
    if fixed:
        # Fixed-width ASCII keys: byte order equals code-point order.
        comparable = np.frombuffer(joined.encode("ascii"), dtype=f"S{lengths[0]}")
    else:
        comparable = values.astype(str)
    order = np.argsort(comparable, kind="stable")
    ordered = comparable[order]
    if bool(np.any(ordered[1:] == ordered[:-1])):
        raise SamplingError("De kolom person_key bevat dubbele sleutels.")
    return order


def _hex_order(joined: bytes, width: int) -> np.ndarray | None:
    """Order lower-case hex keys (the usual HMAC) by their leading 64 bits.

    For lower-case hexadecimal, numeric order equals code-point order. Returns None when the
    keys are not lower-case hex or two keys share their leading 64 bits (then the caller sorts
    the full strings).
    """
    if joined.translate(None, b"0123456789abcdef"):
        return None
    words = np.frombuffer(bytes.fromhex(joined.decode("ascii")), dtype=">u8")
    leading = words.reshape(-1, width // 16)[:, 0]
    order = np.argsort(leading, kind="stable")
    ordered = leading[order]
    if bool(np.any(ordered[1:] == ordered[:-1])):
        return None
    return order


def hash_in_order(frame: pd.DataFrame, names: Sequence[str], order: np.ndarray) -> str:
    """SHA-256 of the COPY text serialisation of ``frame[names]`` with rows in ``order``."""
    text = serialise_in_order(frame, names, order)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_text(frame: pd.DataFrame, columns: Sequence[str]) -> str:
    """The canonical serialisation that :func:`frame_hash` hashes (a frame snapshot).

    It is a tab-separated text with a header line that ``pandas.read_csv(sep="\t",
    na_values=["\\N"], keep_default_na=False, dtype=str)`` reads back.
    """
    names = [PERSON_KEY, *(column for column in columns if column != PERSON_KEY)]
    _check_columns(frame, names)
    return serialise_in_order(frame, names, canonical_order(frame[PERSON_KEY]))


def serialise_in_order(frame: pd.DataFrame, names: Sequence[str], order: np.ndarray) -> str:
    """COPY text format of ``frame[names]`` with rows in ``order`` (see :func:`frame_hash`)."""
    columns = [_as_text(frame[name])[order] for name in names]
    missing = any(bool(frame[name].isna().any()) for name in names)
    header = "\t".join(names) + "\n"
    if not missing and len(order):
        body = "\n".join(map("\t".join, zip(*columns, strict=True)))
        if _plain(body, rows=len(order), fields=len(names)):
            return header + body + "\n"
    lines = ("\t".join(_copy_text(value) for value in values) + "\n"
             for values in zip(*columns, strict=True))
    return header + "".join(lines)


def _plain(body: str, *, rows: int, fields: int) -> bool:
    """True when no value contained a character that the COPY text format escapes."""
    if "\\" in body or "\r" in body:
        return False
    return body.count("\t") == rows * (fields - 1) and body.count("\n") == rows - 1


def _as_text(column: pd.Series) -> np.ndarray:
    """Values as an object array of ``str`` (missing values kept as they are)."""
    if pd.api.types.is_string_dtype(column.dtype) and not pd.api.types.is_object_dtype(
        column.dtype
    ):
        return column.to_numpy(dtype=object)
    values = column.to_numpy(dtype=object)
    return np.asarray(
        [value if isinstance(value, str) or _is_missing(value) else str(value) for value in values],
        dtype=object,
    )


def _copy_text(value: object) -> str:
    if _is_missing(value):
        return "\\N"
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(raw, escaped)
    return text


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))
