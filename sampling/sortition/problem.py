"""Checked input of a quota selection: the pool in canonical order and the quota matrix.

Canonical order: people are sorted by the text of their id (``str(id)``) in Unicode
code-point order, so the row order of the pool plays no part. Feature values are compared as
text; quotas are sorted by (feature, value) in code-point order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from sampling.errors import SamplingError

QUOTA_COLUMNS = ("feature", "value", "min", "max")


@dataclass(frozen=True)
class SortitionInput:
    """A pool and its quotas, checked and in canonical order.

    ``members`` is a sparse 0/1 matrix with one row per quota and one column per person:
    ``members[q, i] == 1`` when person ``i`` has the feature value of quota ``q``.
    """

    ids: np.ndarray
    quotas: pd.DataFrame
    members: sp.csr_array
    panel_size: int

    @property
    def people(self) -> int:
        return len(self.ids)

    def quota_label(self, row: int) -> str:
        quota = self.quotas.iloc[row]
        return f"{quota['feature']} = {quota['value']}"


def _integer(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer | float):
        raise SamplingError(f"{what} moet een geheel getal zijn, niet {value!r}.")
    if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
        raise SamplingError(f"{what} moet een geheel getal zijn, niet {value!r}.")
    return int(value)


def _canonical_pool(pool: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(pool, pd.DataFrame) or len(pool) == 0:
        raise SamplingError("De pool is leeg: er zijn geen kandidaten.")
    if pool.index.hasnans:
        raise SamplingError("Elke kandidaat in de pool heeft een id nodig.")
    texts = pool.index.map(str)
    if texts.has_duplicates:
        doubles = sorted(set(texts[texts.duplicated()]))[:5]
        raise SamplingError(f"Dubbele id's in de pool: {', '.join(doubles)}.")
    if pool.columns.map(str).has_duplicates:
        raise SamplingError("De pool heeft twee kolommen met dezelfde naam.")
    ordered = pool.iloc[np.argsort(np.asarray(texts, dtype=str), kind="stable")]
    return ordered.rename(columns=str)


def _quota_row(position: int, row: pd.Series) -> tuple[str, str, int, int]:
    where = f"Quotum rij {position + 1}"
    feature, value = str(row["feature"]), str(row["value"])
    low = _integer(row["min"], f"{where} ({feature} = {value}): het minimum")
    high = _integer(row["max"], f"{where} ({feature} = {value}): het maximum")
    if low < 0 or high < low:
        raise SamplingError(
            f"{where} ({feature} = {value}): minimum {low} en maximum {high} passen niet "
            "(0 ≤ minimum ≤ maximum)."
        )
    return feature, value, low, high


def _canonical_quotas(quotas: pd.DataFrame, pool: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in QUOTA_COLUMNS if column not in quotas.columns]
    if missing:
        raise SamplingError(f"Kolommen ontbreken in de quota: {', '.join(missing)}.")
    rows = [_quota_row(position, row) for position, (_, row) in enumerate(quotas.iterrows())]
    table = pd.DataFrame(rows, columns=list(QUOTA_COLUMNS))
    doubles = table[table.duplicated(["feature", "value"])]
    if len(doubles):
        first = doubles.iloc[0]
        raise SamplingError(f"Quotum {first['feature']} = {first['value']} staat er twee keer.")
    unknown = sorted(set(table["feature"]) - set(map(str, pool.columns)))
    if unknown:
        raise SamplingError(f"Kenmerken ontbreken in de pool: {', '.join(unknown)}.")
    return table.sort_values(["feature", "value"], kind="stable").reset_index(drop=True)


def _feature_values(pool: pd.DataFrame, feature: str, known: set[str]) -> np.ndarray:
    column = pool[feature]
    if column.isna().any():
        who = str(column.index[column.isna()][0])
        raise SamplingError(f"Kandidaat {who} heeft geen waarde voor kenmerk '{feature}'.")
    values = column.map(str).to_numpy(dtype=object)
    stray = sorted(set(values) - known)
    if stray:
        count = int(np.isin(values, stray).sum())
        raise SamplingError(
            f"Kenmerk '{feature}': waarde(n) {', '.join(stray)} ({count} kandidaten) hebben "
            "geen quotum; voeg een quotum toe (minimum 0 mag)."
        )
    return values


def _members(pool: pd.DataFrame, table: pd.DataFrame) -> sp.csr_array:
    rows, columns = [], []
    for feature, group in table.groupby("feature", sort=False):
        values = _feature_values(pool, str(feature), set(group["value"]))
        for row, value in zip(group.index, group["value"], strict=True):
            hits = np.flatnonzero(values == value)
            rows.append(np.full(len(hits), row))
            columns.append(hits)
    rows_all = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    columns_all = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    data = np.ones(len(rows_all))
    return sp.csr_array((data, (rows_all, columns_all)), shape=(len(table), len(pool)))


def build_input(pool: pd.DataFrame, quotas: pd.DataFrame, panel_size: int) -> SortitionInput:
    """Check the pool, the quotas and the panel size (Dutch errors) and put them in order."""
    ordered = _canonical_pool(pool)
    size = _integer(panel_size, "De grootte van het panel")
    if not 1 <= size <= len(ordered):
        raise SamplingError(
            f"De grootte van het panel ({size}) moet tussen 1 en het aantal kandidaten "
            f"({len(ordered)}) liggen."
        )
    table = _canonical_quotas(quotas, ordered)
    return SortitionInput(
        ids=ordered.index.to_numpy(dtype=object), quotas=table,
        members=_members(ordered, table), panel_size=size,
    )
