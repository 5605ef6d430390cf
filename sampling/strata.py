"""Strata: human-readable stratum labels and stratum sizes (the frame hash: canonical.py).

A *stratum label* joins the values of the strata columns with ``" | "`` in the order the
columns are given, e.g. ``"18-24 | F | Centrum"``. Missing values appear as ``"(onbekend)"``.
With no strata columns every resident belongs to the single stratum ``"alle inwoners"``.
Labels are sorted in Unicode code-point order (Python's ``sorted``) wherever an order matters.
"""

from __future__ import annotations

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


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


