"""Groups (domains) of a breakdown column, and the check that weights belong to a design."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from reports.errors import ReportsError

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
