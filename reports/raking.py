"""Raking (iterative proportional fitting) to register margins, and the weight input checks it
shares with post-stratification (:mod:`reports.weighting`) and trimming (:mod:`reports.trimming`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from reports.errors import RakingDidNotConverge, WeightingError

MARGIN_AGREEMENT = 1e-10  # relative; the default raking tolerance, so both tests agree


def base_weight_array(data: pd.DataFrame, base_weights: pd.Series | None) -> np.ndarray:
    """The starting weights aligned with `data` (all ones when omitted); positive numbers."""
    if base_weights is None:
        return np.ones(len(data))
    aligned = pd.to_numeric(base_weights.reindex(data.index), errors="coerce").to_numpy(float)
    if not np.all(np.isfinite(aligned) & (aligned > 0)):
        raise WeightingError(
            "De basisgewichten moeten voor elke rij van de gegevens een positief getal zijn."
        )
    return aligned


def category_codes(data: pd.DataFrame, column: str) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of a weighting column and its sorted categories; no missing values."""
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
        column_codes, labels = category_codes(data, column)
        codes.append(column_codes)
        targets.append(_margin_targets(column, labels, margins[column]))
    _agreeing_totals(targets, columns, rescale_margins, tol)
    weights = base_weight_array(data, base_weights).copy()
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
