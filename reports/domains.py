"""Shared by the estimators: weights and design checks, groups (domains), table shape."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from reports.errors import ReportsError
from reports.variance import make_design

TOTAL_LABEL = "Totaal"
UNKNOWN_LABEL = "onbekend"
WEIGHT_AGREEMENT = 1e-9


def domains(data: pd.DataFrame, by: str | None,
            unknown: str | None = UNKNOWN_LABEL) -> Iterator[tuple[object, np.ndarray]]:
    """``(label, mask)`` per group of ``by``; rows without a value form a last group
    labelled ``unknown`` (``None``: refuse them, rather than leave them out silently)."""
    if by is None:
        yield TOTAL_LABEL, np.ones(len(data), dtype=bool)
        return
    if by not in data.columns:
        raise ReportsError(f"De kolom '{by}' ontbreekt in de gegevens.")
    column = data[by]
    levels = column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype) else sorted(
        column.dropna().unique())
    for level in levels:
        yield level, (column == level).fillna(False).to_numpy(bool)
    missing = column.isna().to_numpy(bool)
    if missing.any():
        if unknown is None:
            raise ReportsError(
                f"De kolom '{by}' heeft {int(missing.sum())} rij(en) zonder waarde; die "
                "zouden in geen enkele groep meetellen.")
        yield unknown, missing


def check_design_weights(index: pd.Index, weight: np.ndarray, design) -> None:
    """Refuse weights that are not the calibrated weights the design was made with."""
    expected = design.calibration_weights
    differs = ~np.isclose(weight, expected, rtol=WEIGHT_AGREEMENT, atol=0)
    if differs.any():
        position = int(np.argmax(differs))
        raise ReportsError(
            f"De gewichten horen niet bij het ontwerp: rij {index[position]!r} heeft gewicht "
            f"{weight[position]:g}, het ontwerp {expected[position]:g}. Geef de gewichten "
            "waarmee het ontwerp gemaakt werd.")


def prepare(data: pd.DataFrame, column: str, weights: pd.Series, design):
    """Weights as an array and a design (a plain one when none is given), both checked."""
    if column not in data.columns:
        raise ReportsError(f"De kolom '{column}' ontbreekt in de gegevens.")
    weight = pd.to_numeric(weights.reindex(data.index), errors="coerce").to_numpy(float)
    if not np.all(np.isfinite(weight) & (weight >= 0)):
        raise ReportsError("De gewichten moeten voor elke rij een getal van minstens 0 zijn.")
    if design is None:
        design = make_design(data, pd.Series(np.where(weight > 0, weight, 1.0), data.index))
    elif not design.index.equals(data.index):
        raise ReportsError("Het ontwerp hoort niet bij deze gegevens (andere rijen).")
    else:
        check_design_weights(data.index, weight, design)
    return weight, design


def finish(frames: list[pd.DataFrame], estimate_columns: list[str]) -> pd.DataFrame:
    """One table from the groups' frames: estimates as floats, NaN where suppressed."""
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    for column in estimate_columns:
        if column not in result.columns:
            result[column] = np.nan
        result[column] = result[column].astype(float)
        result.loc[result["suppressed"].astype(bool), column] = np.nan
    leading = [column for column in result.columns if column not in estimate_columns + [
        "suppressed"]]
    return result[leading + estimate_columns + ["suppressed"]]
