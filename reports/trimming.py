"""Trimming of extreme weights, with the margins restored after every round."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from reports.errors import WeightingError
from reports.raking import rake


def _trimmable(weights: pd.Series) -> pd.Series:
    current = pd.to_numeric(weights, errors="coerce").astype(float)
    bad = ~(np.isfinite(current) & (current >= 0))
    if bad.any():
        label = current.index[bad.to_numpy().argmax()]
        raise WeightingError(f"Gewicht {weights.loc[label]!r} van rij {label!r} is geen getal "
                             "van minstens 0; zo'n gewicht kan niet getrimd worden.")
    if not (current > 0).any():
        raise WeightingError("Alle gewichten zijn 0: er valt niets te trimmen.")
    return current


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
    margins always hold exactly, because every round ends with the raking. A weight of 0 (a
    unit that does not count) stays 0 and does not count for the mean or median either.

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
    current = _trimmable(weights)
    positive = current > 0
    kept, total = current[positive], current.sum()
    for _ in range(max_rounds):
        centre = kept.mean() if relative_to == "mean" else kept.median()
        if _within(kept.to_numpy(), lower * centre, upper * centre, tol):
            return current.where(~positive, kept).rename("weight")
        clipped = kept.clip(lower * centre, upper * centre)
        if margins is None:
            kept = clipped * (total / clipped.sum())
        else:
            kept = rake(data.loc[kept.index], margins, base_weights=clipped)
    raise WeightingError(
        f"Na {max_rounds} rondes liggen de gewichten nog buiten [{lower}, {upper}] × het "
        f"{'gemiddelde' if relative_to == 'mean' else 'mediaan'}; verruim de grenzen."
    )
