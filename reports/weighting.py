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

from reports.errors import RakingDidNotConverge, WeightingError
from reports.propensity import propensity_adjustment, response_propensities
from reports.trimming import trim

__all__ = [
    "design_weights",
    "poststratify",
    "propensity_adjustment",
    "rake",
    "response_propensities",
    "trim",
]

MARGIN_AGREEMENT = 1e-10  # relative; the default raking tolerance, so both tests agree


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


def _base_weights(data: pd.DataFrame, base_weights: pd.Series | None) -> np.ndarray:
    if base_weights is None:
        return np.ones(len(data))
    aligned = pd.to_numeric(base_weights.reindex(data.index), errors="coerce").to_numpy(float)
    if not np.all(np.isfinite(aligned) & (aligned > 0)):
        raise WeightingError(
            "De basisgewichten moeten voor elke rij van de gegevens een positief getal zijn."
        )
    return aligned


def _codes(data: pd.DataFrame, column: str) -> tuple[np.ndarray, pd.Index]:
    if column not in data.columns:
        raise WeightingError(f"De kolom '{column}' ontbreekt in de gegevens.")
    values = data[column]
    if values.isna().any():
        label = values.index[values.isna().to_numpy().argmax()]
        raise WeightingError(
            f"De kolom '{column}' heeft een ontbrekende waarde (rij {label!r}); "
            "vul ze aan of laat de rij weg voor het wegen."
        )
    codes, labels = pd.factorize(values, sort=True)
    return codes, pd.Index(labels)


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
    base = _base_weights(data, base_weights)
    coded = [_codes(data, column) for column in cells]
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


def _margin_targets(column: str, labels: pd.Index, margin: Mapping) -> np.ndarray:
    totals = {key: float(value) for key, value in dict(margin).items()}
    missing = [label for label in labels if label not in totals]
    if missing:
        raise WeightingError(
            f"Categorie {missing[0]!r} van '{column}' komt voor in de gegevens maar heeft geen "
            "populatietotaal."
        )
    empty = [key for key, total in totals.items() if total > 0 and key not in set(labels)]
    if empty:
        raise WeightingError(
            f"Categorie {empty[0]!r} van '{column}' heeft geen respondenten: een lege categorie "
            "kan niet gewogen worden. Voeg ze samen met een verwante categorie."
        )
    targets = np.array([totals[label] for label in labels])
    if np.any(~np.isfinite(targets) | (targets <= 0)):
        label = labels[int(np.argmax(~np.isfinite(targets) | (targets <= 0)))]
        raise WeightingError(f"Categorie {label!r} van '{column}' heeft totaal 0 of ongeldig.")
    return targets


def _total_text(value: float) -> str:
    return f"{value:,.6f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",")


def _agreeing_totals(targets: list[np.ndarray], columns: list[str], rescale: bool,
                     tol: float) -> None:
    """Margins must have one total (to within ``tol`` relative, the raking tolerance).

    Totals that differ by more can never all be met; raking would end without converging or
    with weights whose total lies somewhere in between. Small differences (rounding) within
    the tolerance are removed by scaling every margin to the first one's total.
    """
    grand = targets[0].sum()
    threshold = max(tol, MARGIN_AGREEMENT)
    differing = [column for column, target in zip(columns, targets, strict=True)
                 if abs(target.sum() - grand) > threshold * grand]
    if differing and not rescale:
        totals = "; ".join(f"'{column}' {_total_text(target.sum())}"
                           for column, target in zip(columns, targets, strict=True))
        raise WeightingError(
            f"De marges hebben niet hetzelfde totaal ({totals}): het totaal van "
            f"'{differing[0]}' verschilt van dat van '{columns[0]}'. Gebruik marges uit "
            "dezelfde bevolkingstelling of kies rescale_margins=True om elke marge naar het "
            f"totaal van '{columns[0]}' te schalen.")
    for target in targets:
        target *= grand / target.sum()


def rake(
    data: pd.DataFrame,
    margins: Mapping[str, Mapping[object, float]],
    base_weights: pd.Series | None = None,
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
    rescale_margins: bool = False,
) -> pd.Series:
    """Raking (iterative proportional fitting) of weights to any number of margins.

    Each sweep post-stratifies on every margin in turn. Iteration stops when, within one sweep,
    no margin needed a relative correction larger than ``tol``; every margin then holds to
    within about ``tol`` relative.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent, with a column for every margin.
    margins : mapping
        ``{column: {category: population_total}}``.
    base_weights : pandas.Series, optional
        Starting weights (design or propensity-adjusted weights); all ones when omitted.
    tol : float
        Largest relative correction allowed in the last sweep.
    max_iter : int
        Maximum number of sweeps.
    rescale_margins : bool
        When the margins' totals differ by more than ``tol`` (relative), raise (the default)
        or rescale every margin to the total of the first one. Smaller differences are
        always scaled away, so the weights add up to the first margin's total.

    Returns
    -------
    pandas.Series
        The raked weights, named ``"weight"``.

    Raises
    ------
    WeightingError
        For a category without a population total, a populated category without respondents,
        missing values, or margins with different totals.
    RakingDidNotConverge
        When ``max_iter`` sweeps were not enough.

    References
    ----------
    Deming, W. E. and Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
    table when the expected marginal totals are known. Annals of Mathematical Statistics 11(4),
    427-444. R: ``survey::rake`` (Lumley 2010, section 7.3).
    """
    if not margins:
        raise WeightingError("Geef minstens één marge om naar te wegen.")
    columns = list(margins)
    codes, targets = [], []
    for column in columns:
        column_codes, labels = _codes(data, column)
        codes.append(column_codes)
        targets.append(_margin_targets(column, labels, margins[column]))
    _agreeing_totals(targets, columns, rescale_margins, tol)
    weights = _base_weights(data, base_weights).copy()
    for _ in range(max_iter):
        largest = 0.0
        for column_codes, target in zip(codes, targets, strict=True):
            factors = target / np.bincount(column_codes, weights=weights, minlength=len(target))
            largest = max(largest, float(np.max(np.abs(factors - 1.0))))
            weights *= factors[column_codes]
        if largest <= tol:
            return pd.Series(weights, index=data.index, name="weight")
    raise RakingDidNotConverge(
        f"De raking convergeerde niet na {max_iter} iteraties (laatste relatieve correctie "
        f"{largest:.2e}); controleer of de marges samen haalbaar zijn."
    )
