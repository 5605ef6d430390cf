"""Diagnostics of a set of weights: design effect, effective sample size, margins, R-indicator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reports.errors import ReportsError
from reports.propensity import response_propensities


def _values(weights) -> np.ndarray:
    values = np.asarray(weights, dtype=float)
    if values.size == 0 or not np.all(np.isfinite(values) & (values >= 0)) or values.sum() <= 0:
        raise ReportsError("De gewichten moeten niet-negatieve getallen zijn, niet allemaal 0.")
    return values


def kish_deff(weights) -> float:
    """Kish's design effect due to unequal weights, ``n Σw² / (Σw)²`` (= 1 + cv²).

    ``n`` counts the units with a positive weight: a unit with weight 0 does not count in any
    estimate, so it adds nothing to the precision (and the cv is that of the positive weights).

    References
    ----------
    Kish, L. (1965). Survey Sampling, section 11.7. Wiley. Kish, L. (1992). Weighting for
    unequal P_i. Journal of Official Statistics 8(2), 183-200.
    """
    values = _values(weights)
    return float(np.count_nonzero(values) * np.sum(values**2) / np.sum(values) ** 2)


def weighting_efficiency(weights) -> float:
    """Weighting efficiency in %, ``100 / kish_deff`` = ``100 (Σw)² / (n Σw²)`` (n: w > 0).

    The share of the respondents' precision that is kept after weighting: the effective n as
    a percentage of the number of respondents who count.

    References
    ----------
    Kish, L. (1992). Weighting for unequal P_i. Journal of Official Statistics 8(2), 183-200.
    Valliant, R., Dever, J. A. and Kreuter, F. (2018). Practical Tools for Designing and
    Weighting Survey Samples, 2nd ed., section 14.4. Springer.
    """
    return 100.0 / kish_deff(weights)


def effective_n(weights) -> float:
    """Effective sample size ``(Σw)² / Σw²`` = n / Kish's design effect.

    References
    ----------
    Kish, L. (1965). Survey Sampling, section 11.7. Wiley.
    """
    values = _values(weights)
    return float(np.sum(values) ** 2 / np.sum(values**2))


def weight_summary(weights) -> dict[str, float]:
    """Distribution of the weights: quantiles, mean and coefficient of variation.

    ``cv`` is the standard deviation (divisor n) over the mean of the positive weights, so
    that ``kish_deff == 1 + cv**2``; ``n_zero`` counts the weights equal to 0.

    References
    ----------
    Valliant, R., Dever, J. A. and Kreuter, F. (2018). Practical Tools for Designing and
    Weighting Survey Samples, 2nd ed., section 14.4. Springer.
    """
    values = _values(weights)
    quantiles = np.quantile(values, [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1])
    names = ["min", "p1", "p5", "p25", "median", "p75", "p95", "p99", "max"]
    summary = {name: float(value) for name, value in zip(names, quantiles, strict=True)}
    summary["mean"] = float(values.mean())
    positive = values[values > 0]
    summary["cv"] = float(positive.std() / positive.mean())
    summary["n_zero"] = float(values.size - positive.size)
    return summary


def _margin_rows(column: str, data: pd.DataFrame, weights: np.ndarray, margin: Mapping):
    if column not in data.columns:
        raise ReportsError(f"De kolom '{column}' ontbreekt in de gegevens.")
    values = data[column]
    population = pd.Series({key: float(total) for key, total in dict(margin).items()})
    categories = list(population.index) + [
        value for value in sorted(values.dropna().unique()) if value not in population.index]
    for category in categories:
        member = (values == category).fillna(False).to_numpy(bool)
        total = float(population.get(category, np.nan))
        yield {
            "variable": column, "category": category, "population_total": total,
            "population_share": total / population.sum(),
            "weighted_share": weights[member].sum() / weights.sum(),
            "unweighted_share": member.mean(),
        }


def margin_check(
    data: pd.DataFrame, weights: pd.Series, margins: Mapping[str, Mapping[object, float]]
) -> pd.DataFrame:
    """Compare weighted and unweighted shares with the population shares, per margin category.

    Returns
    -------
    pandas.DataFrame
        Columns ``variable``, ``category``, ``population_total``, ``population_share``,
        ``weighted_share``, ``unweighted_share`` and ``difference`` (weighted minus population
        share). Categories found in the data but absent from a margin have a NaN population.

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, section 7.3. Wiley.
    """
    values = _values(pd.to_numeric(weights.reindex(data.index), errors="coerce"))
    rows = [row for column, margin in margins.items()
            for row in _margin_rows(column, data, values, margin)]
    frame = pd.DataFrame(rows, columns=["variable", "category", "population_total",
                                        "population_share", "weighted_share",
                                        "unweighted_share"])
    return frame.assign(difference=frame["weighted_share"] - frame["population_share"])


def r_indicator(propensities, weights=None) -> float:
    """Representativity indicator ``R = 1 - 2 S(ρ̂)`` of response propensities.

    ``S`` is the (design-weighted) standard deviation of the propensities with divisor
    ``N̂ - 1``, ``N̂ = Σ d_i``; unweighted when ``weights`` is omitted. R = 1 means response
    did not depend on the covariates of the propensity model; the lower bound is 0.

    References
    ----------
    Schouten, B., Cobben, F. and Bethlehem, J. (2009). Indicators for the representativeness of
    survey response. Survey Methodology 35(1), 101-113.
    """
    rho = np.asarray(propensities, dtype=float)
    design = np.ones_like(rho) if weights is None else np.asarray(weights, dtype=float)
    if rho.size < 2 or np.any((rho < 0) | (rho > 1)) or np.isnan(rho).any():
        raise ReportsError("Geef minstens twee propensiteiten tussen 0 en 1.")
    population = design.sum()
    mean = np.sum(design * rho) / population
    spread = np.sqrt(np.sum(design * (rho - mean) ** 2) / (population - 1))
    return float(1 - 2 * spread)


def r_indicator_from_response(
    invited: pd.DataFrame,
    responded: pd.Series,
    covariates: Sequence[str],
    *,
    base_weights: pd.Series | None = None,
    seed: int = 0,
) -> float:
    """R-indicator from a logistic model of responding on register covariates.

    The propensities come from :func:`reports.weighting.response_propensities`.

    References
    ----------
    Schouten, B., Cobben, F. and Bethlehem, J. (2009). Indicators for the representativeness of
    survey response. Survey Methodology 35(1), 101-113.
    """
    propensity = response_propensities(
        invited, responded, covariates, base_weights=base_weights, seed=seed
    )
    weights = None if base_weights is None else base_weights.reindex(invited.index).to_numpy()
    return r_indicator(propensity.to_numpy(), weights)
