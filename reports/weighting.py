"""Weights that correct a panel's answers for who responded.

The usual order is: design weights (1/π from the draw), optionally a response-propensity
adjustment for nonresponse that depends on register covariates, then post-stratification or
raking to population totals from the register, and optionally trimming of extreme weights.
Every function returns a new :class:`pandas.Series` aligned with the input rows and raises
:class:`~reports.errors.WeightingError` (with a Dutch message naming the cell or category) when
the data cannot be weighted; nothing is printed and no state is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reports.errors import WeightingError
from reports.propensity import propensity_adjustment, response_propensities
from reports.raking import base_weight_array, category_codes, rake
from reports.trimming import trim

__all__ = [
    "design_weights",
    "poststratify",
    "propensity_adjustment",
    "rake",
    "response_propensities",
    "trim",
]

def design_weights(inclusion_probabilities: pd.Series) -> pd.Series:
    """Design weights 1/π from inclusion probabilities.

    Parameters
    ----------
    inclusion_probabilities : pandas.Series
        Probability π of each respondent to be drawn; every value must satisfy 0 < π ≤ 1.

    Returns
    -------
    pandas.Series
        The design weights ``1 / π``, named ``"design_weight"``.

    References
    ----------
    Horvitz, D. G. and Thompson, D. J. (1952). A generalization of sampling without replacement
    from a finite universe. Journal of the American Statistical Association 47, 663-685.
    """
    probabilities = pd.to_numeric(inclusion_probabilities, errors="coerce").astype(float)
    invalid = ~((probabilities > 0) & (probabilities <= 1))
    if invalid.any():
        label = invalid.index[invalid.to_numpy().argmax()]
        value = inclusion_probabilities.loc[label]
        raise WeightingError(
            f"Ongeldige insluitkans {value!r} voor rij {label!r}: een kans moet groter dan 0 "
            "en hoogstens 1 zijn."
        )
    return (1.0 / probabilities).rename("design_weight")


def _cell_key(totals_key: object, width: int) -> tuple:
    key = totals_key if isinstance(totals_key, tuple) else (totals_key,)
    if len(key) != width:
        raise WeightingError(f"Populatiecel {totals_key!r} heeft niet {width} kenmerken.")
    return key


def _cell_targets(
    keys: list[tuple], totals: Mapping | pd.Series, cells: Sequence[str]
) -> np.ndarray:
    population = {_cell_key(key, len(cells)): float(value) for key, value in dict(totals).items()}
    for key in keys:
        if key not in population:
            raise WeightingError(
                f"Cel {key} ({', '.join(cells)}) komt voor in de gegevens maar heeft geen "
                "populatietotaal."
            )
    present = set(keys)
    for key, total in population.items():
        if key not in present and total > 0:
            raise WeightingError(
                f"Cel {key} ({', '.join(cells)}) heeft geen respondenten: een lege cel kan niet "
                "gewogen worden. Voeg ze samen met een verwante cel."
            )
    targets = np.array([population[key] for key in keys])
    if np.any(~np.isfinite(targets) | (targets <= 0)):
        key = keys[int(np.argmax(~np.isfinite(targets) | (targets <= 0)))]
        raise WeightingError(f"Cel {key} heeft respondenten maar populatietotaal 0 of ongeldig.")
    return targets


def poststratify(
    data: pd.DataFrame,
    cells: Sequence[str] | str,
    totals: Mapping[tuple | object, float] | pd.Series,
    base_weights: pd.Series | None = None,
) -> pd.Series:
    """Post-stratification weights on a full cross-classification of ``cells``.

    Within every cell the base weights are scaled so that they add up to the cell's population
    total: ``w_i = d_i * N_c / sum_{j in c} d_j``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent.
    cells : sequence of str
        Columns whose cross-classification forms the cells (a single name is allowed).
    totals : mapping or pandas.Series
        Population total per cell, keyed by a tuple of the cell's values in the order of
        ``cells`` (a plain value when there is one column); a Series may have a MultiIndex.
    base_weights : pandas.Series, optional
        Weights before post-stratification (design weights); all ones when omitted.

    Returns
    -------
    pandas.Series
        The post-stratified weights, named ``"weight"``.

    Raises
    ------
    WeightingError
        When a cell of the data has no population total, a populated cell has no respondents
        (collapse it with a neighbour), or a cell column has missing values.

    References
    ----------
    Holt, D. and Smith, T. M. F. (1979). Post stratification. Journal of the Royal Statistical
    Society A 142(1), 33-46. R: ``survey::postStratify`` (Lumley 2010, section 7.2).
    """
    cells = [cells] if isinstance(cells, str) else list(cells)
    base = base_weight_array(data, base_weights)
    coded = [category_codes(data, column) for column in cells]
    shape = tuple(len(labels) for _, labels in coded)
    combined, cell_ids = pd.factorize(
        np.ravel_multi_index([codes for codes, _ in coded], shape), sort=True
    )
    positions = np.unravel_index(cell_ids, shape)
    keys = [
        tuple(coded[k][1][positions[k][i]] for k in range(len(cells)))
        for i in range(len(cell_ids))
    ]
    targets = _cell_targets(keys, totals, cells)
    sums = np.bincount(combined, weights=base, minlength=len(keys))
    return pd.Series(base * (targets / sums)[combined], index=data.index, name="weight")
