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

__all__ = [
    "design_weights",
    "poststratify",
    "propensity_adjustment",
    "rake",
    "response_propensities",
    "trim",
]

MARGIN_AGREEMENT = 1e-6


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


def _agreeing_totals(targets: list[np.ndarray], columns: list[str], rescale: bool) -> None:
    grand = targets[0].sum()
    for column, target in zip(columns, targets, strict=True):
        if abs(target.sum() - grand) > MARGIN_AGREEMENT * grand:
            if not rescale:
                raise WeightingError(
                    f"Het totaal van '{column}' ({target.sum():g}) verschilt van dat van "
                    f"'{columns[0]}' ({grand:g}); gebruik marges met hetzelfde totaal of "
                    "rescale_margins=True."
                )
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
        When the margins' totals differ by more than one millionth, raise (the default) or
        rescale every margin to the total of the first one.

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
    _agreeing_totals(targets, columns, rescale_margins)
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


def _within(weights: np.ndarray, low: float, high: float, tol: float) -> bool:
    return bool(weights.min() >= low * (1 - tol) and weights.max() <= high * (1 + tol))


def trim(
    weights: pd.Series,
    *,
    lower: float = 0.3,
    upper: float = 3.0,
    relative_to: str = "mean",
    data: pd.DataFrame | None = None,
    margins: Mapping[str, Mapping[object, float]] | None = None,
    max_rounds: int = 20,
    tol: float = 1e-3,
) -> pd.Series:
    """Trim extreme weights to ``[lower, upper]`` times their mean (or median).

    Each round clips the weights at the bounds and then restores the totals: by raking the
    clipped weights to ``margins`` (with ``data``) when margins are given, otherwise by scaling
    them back to the original sum. Raking may push some weights past a bound again, so rounds
    alternate until every weight lies within the bounds (up to a relative slack ``tol``); the
    margins always hold exactly, because every round ends with the raking.

    Parameters
    ----------
    weights : pandas.Series
        Weights to trim (usually the output of :func:`rake` or :func:`poststratify`).
    lower, upper : float
        Bounds as multiples of the centre of the weights.
    relative_to : {"mean", "median"}
        Centre of the weights, recomputed every round.
    data : pandas.DataFrame, optional
        Respondents, required with ``margins``.
    margins : mapping, optional
        Margins to re-rake to after clipping, as for :func:`rake`.
    max_rounds : int
        Maximum number of clip-and-restore rounds.
    tol : float
        Relative slack on the bounds.

    Returns
    -------
    pandas.Series
        The trimmed weights, named ``"weight"``.

    Raises
    ------
    WeightingError
        When the bounds are invalid, or still not met after ``max_rounds`` (bounds too tight
        for these margins).

    References
    ----------
    Potter, F. J. (1990). A study of procedures to identify and trim extreme sampling weights.
    Proceedings of the Survey Research Methods Section, American Statistical Association, 225-230.
    """
    if not 0 <= lower <= 1 <= upper or relative_to not in ("mean", "median"):
        raise WeightingError("Ongeldige grenzen: vereist 0 ≤ lower ≤ 1 ≤ upper, mean of median.")
    if margins is not None and data is None:
        raise WeightingError("Geef de gegevens (data) mee om na het trimmen opnieuw te raken.")
    current = pd.to_numeric(weights, errors="coerce").astype(float)
    total = current.sum()
    for _ in range(max_rounds):
        centre = current.mean() if relative_to == "mean" else current.median()
        if _within(current.to_numpy(), lower * centre, upper * centre, tol):
            return current.rename("weight")
        clipped = current.clip(lower * centre, upper * centre)
        if margins is None:
            current = clipped * (total / clipped.sum())
        else:
            current = rake(data, margins, base_weights=clipped)
    raise WeightingError(
        f"Na {max_rounds} rondes liggen de gewichten nog buiten [{lower}, {upper}] × het "
        f"{'gemiddelde' if relative_to == 'mean' else 'mediaan'}; verruim de grenzen."
    )
