"""Strata: human-readable stratum labels, stratum sizes and the frame hash.

A *stratum label* joins the values of the strata columns with ``" | "`` in the order the
columns are given, e.g. ``"18-24 | F | Centrum"``. Missing values appear as ``"(onbekend)"``.
With no strata columns every resident belongs to the single stratum ``"alle inwoners"``.
Labels are sorted in Unicode code-point order (Python's ``sorted``) wherever an order matters.
"""

from __future__ import annotations

import hashlib
import json
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
    strata = list(strata)
    _check_columns(frame, strata)
    if not strata:
        return pd.Series(SINGLE_STRATUM, index=frame.index, dtype=object, name="stratum")
    codes = frame.groupby(strata, sort=False, dropna=False).ngroup().to_numpy()
    unique_codes, first_positions = np.unique(codes, return_index=True)
    label_of_code = np.empty(len(unique_codes), dtype=object)
    columns = [frame[column].to_numpy(dtype=object) for column in strata]
    for code, position in zip(unique_codes, first_positions, strict=True):
        parts = (_value_text(values[position]) for values in columns)
        label_of_code[code] = LABEL_SEPARATOR.join(parts)
    return pd.Series(label_of_code[codes], index=frame.index, dtype=object, name="stratum")


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

    The canonical serialisation, which anyone can recompute, is UTF-8 text with one JSON
    array per line, each line ending in ``"\\n"``:

    1. the first line holds the column names: ``"person_key"`` followed by ``columns`` in the
       given order (``"person_key"`` is not repeated if it is listed);
    2. then one line per resident, rows sorted by ``person_key`` in code-point order, holding
       the values of those columns, each converted to text with Python ``str()`` (missing
       values as JSON ``null``);
    3. arrays are written like ``json.dumps(values, ensure_ascii=False, separators=(",", ":"))``.

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
    .. [2] RFC 8259 (2017), *The JavaScript Object Notation (JSON) Data Interchange Format*.
    """
    names = [PERSON_KEY, *(column for column in columns if column != PERSON_KEY)]
    _check_columns(frame, names)
    ordered = frame[names].iloc[np.argsort(frame[PERSON_KEY].to_numpy(dtype=object), kind="stable")]
    digest = hashlib.sha256()
    digest.update(_json_line(names))
    for values in zip(*(ordered[name].to_numpy(dtype=object) for name in names), strict=True):
        digest.update(_json_line([None if _is_missing(value) else str(value) for value in values]))
    return digest.hexdigest()


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _json_line(values: list) -> bytes:
    return (json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
