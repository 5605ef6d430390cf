"""Per-variable summaries of a per-stratum table (the compact view of a draw's allocation)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sampling.errors import SamplingError

__all__ = ["SEPARATOR", "per_variable"]

SEPARATOR = " | "


def per_variable(table: pd.DataFrame, strata: Sequence[str],
                 columns: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Sum ``columns`` of a per-stratum table over every strata variable on its own.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per stratum, with a ``stratum`` label that joins the values of ``strata``
        with ``" | "`` (as :func:`sampling.strata.stratum_labels` writes it).
    strata : sequence of str
        The strata variables, in label order.
    columns : sequence of str
        The numeric columns to add up (e.g. ``population``, ``eligible``, ``selected``).

    Returns
    -------
    dict
        Variable name → a frame with ``group`` (the variable's value, in code-point order)
        and the summed ``columns``.
    """
    if table.empty:
        return {name: pd.DataFrame(columns=["group", *columns]) for name in strata}
    parts = table["stratum"].astype(str).str.split(SEPARATOR, regex=False, expand=True)
    if parts.shape[1] != len(strata):
        raise SamplingError(f"De strata-labels hebben {parts.shape[1]} delen, maar er zijn "
                            f"{len(strata)} stratificatievariabelen.")
    views = {}
    for index, name in enumerate(strata):
        grouped = (table.assign(group=parts[index]).groupby("group", sort=True)[list(columns)]
                   .sum().reset_index())
        views[name] = grouped
    return views
