"""Taylor-linearisation variance that accounts for how the weights were calibrated.

The respondents are treated as a with-replacement sample of units (R:
``svydesign(ids = ~1, weights = ~w, strata = ~s, fpc = ~N)``). The linearised scores of an
estimator are first replaced by their residuals from the calibration, exactly as R's
``survey:::svyrecvar`` does for a design passed through ``postStratify()`` or ``rake()``:

* post-stratification: ``x_i - w_i * (sum_{j in c} x_j) / (sum_{j in c} w_j)`` within each cell
  ``c`` (residuals from the weighted cell means of ``x / w``);
* raking, ``linearisation="calibration"`` (the default): with ``z = x / w``, the residual of
  the regression of ``z`` on the dummies of all margins weighted by the base weights ``d``,
  then ``x = w * z`` (``w = g d``: the g-weighted residuals of Deville and Särndal 1992), as
  R's ``svyrecvar`` does for ``calibrate(..., calfun = "raking")``;
* raking, ``linearisation="backfitting"``: R ``rake()``'s approximation, ten backfitting
  sweeps over the margins, each subtracting the unweighted mean of ``z`` within every
  category of the margin, then ``x = w * z``; it converges to the *unweighted* least-squares
  residual, so it equals the calibration linearisation only when the base weights are equal.

The variance is then ``sum_h (1 - f_h) n_h / (n_h - 1) sum_{i in h} (x_i - xbar_h)^2`` over the
strata ``h`` (one stratum without ``strata``), with ``n_h`` the respondents in the stratum and
``f_h`` the sampling fraction (0 without ``fpc``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports.errors import ReportsError

METHODS = ("none", "poststratify", "rake")
LINEARISATIONS = ("calibration", "backfitting")
RAKING_SWEEPS = 10


@dataclass(frozen=True)
class CalibrationDesign:
    """How the weights of a set of respondents were made, for variance estimation.

    Build it with :func:`make_design`. ``codes`` holds one integer code array per calibration
    variable (the combined cell for post-stratification, one per margin for raking);
    ``calibration_weights`` are the weights the calibration produced.
    """

    method: str
    columns: tuple[str, ...]
    strata: str | None
    index: pd.Index
    calibration_weights: np.ndarray
    codes: tuple[np.ndarray, ...]
    strata_codes: np.ndarray
    sampling_fraction: np.ndarray
    linearisation: str = "calibration"
    base_weights: np.ndarray | None = None


def _factorize(data: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    for column in columns:
        if column not in data.columns or data[column].isna().any():
            raise ReportsError(f"Kolom '{column}' ontbreekt of heeft ontbrekende waarden.")
    if len(columns) == 1:
        return pd.factorize(data[columns[0]], sort=True)[0]
    return data.groupby(list(columns), sort=True, observed=True).ngroup().to_numpy()


def _sampling_fraction(data: pd.DataFrame, fpc: str | None, strata_codes: np.ndarray):
    if fpc is None:
        return np.zeros(len(data))
    values = pd.to_numeric(data[fpc], errors="coerce").to_numpy(float)
    per_stratum = pd.Series(values).groupby(strata_codes).nunique(dropna=False)
    if np.isnan(values).any() or (per_stratum > 1).any():
        raise ReportsError(f"De kolom '{fpc}' moet per stratum één geldig getal bevatten.")
    counts = np.bincount(strata_codes)[strata_codes]
    fraction = np.where(values <= 1, values, counts / values)
    if np.any((fraction <= 0) | (fraction > 1)):
        raise ReportsError(f"De kolom '{fpc}' geeft een steekproeffractie buiten (0, 1].")
    return fraction


def make_design(
    data: pd.DataFrame,
    weights: pd.Series,
    method: str = "none",
    cells: Sequence[str] | None = None,
    margins: Sequence[str] | Mapping[str, object] | None = None,
    strata: str | None = None,
    fpc: str | None = None,
    *,
    base_weights: pd.Series | None = None,
    linearisation: str = "calibration",
) -> CalibrationDesign:
    """Describe how ``weights`` were made so that standard errors account for it.

    Parameters
    ----------
    data : pandas.DataFrame
        The respondents the weights belong to (same index).
    weights : pandas.Series
        The final (calibrated) weights.
    method : {"none", "poststratify", "rake"}
        How the weights were calibrated.
    cells : sequence of str, optional
        Cell columns, for ``"poststratify"``.
    margins : sequence of str or mapping, optional
        Margin columns (or the margins mapping given to ``rake``), for ``"rake"``.
    strata : str, optional
        Column of the sampling strata (a stratified draw).
    fpc : str, optional
        Column with each stratum's population size (values above 1) or sampling fraction
        (values up to 1), for the finite population correction; as R's ``fpc=``.
    base_weights : pandas.Series, optional
        The weights raking started from (design weights), for the calibration
        linearisation; equal base weights when omitted.
    linearisation : {"calibration", "backfitting"}
        For ``"rake"``: the calibration linearisation (R ``calibrate(calfun = "raking")``)
        or R ``rake()``'s backfitting approximation; see the module docstring.

    Returns
    -------
    CalibrationDesign

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, chapters 2 and 7. Wiley.
    """
    if method not in METHODS:
        raise ReportsError(f"Onbekende methode '{method}'; kies uit {', '.join(METHODS)}.")
    columns = {"none": [], "poststratify": list(cells or []), "rake": list(margins or [])}[method]
    if method != "none" and not columns:
        raise ReportsError(f"Methode '{method}' vraagt de kolommen waarop gewogen werd.")
    codes = [_factorize(data, columns)] if method == "poststratify" else [
        _factorize(data, [column]) for column in columns]
    calibration = pd.to_numeric(weights.reindex(data.index), errors="coerce").to_numpy(float)
    if not np.all(np.isfinite(calibration) & (calibration > 0)):
        raise ReportsError("De gewichten moeten voor elke rij een positief getal zijn.")
    strata_codes = np.zeros(len(data), dtype=np.intp) if strata is None else _factorize(
        data, [strata])
    if linearisation not in LINEARISATIONS:
        raise ReportsError(f"Onbekende linearisatie '{linearisation}'; kies uit "
                           f"{', '.join(LINEARISATIONS)}.")
    return CalibrationDesign(
        method, tuple(columns), strata, data.index, calibration, tuple(codes), strata_codes,
        _sampling_fraction(data, fpc, strata_codes), linearisation,
        _positive(data, base_weights, "basisgewichten"))


def _positive(data: pd.DataFrame, weights: pd.Series | None, name: str) -> np.ndarray | None:
    if weights is None:
        return None
    values = pd.to_numeric(weights.reindex(data.index), errors="coerce").to_numpy(float)
    if not np.all(np.isfinite(values) & (values > 0)):
        raise ReportsError(f"De {name} moeten voor elke rij een positief getal zijn.")
    return values


def _group_sums(codes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sums per group of each row of ``values`` (estimates × respondents)."""
    return np.stack([np.bincount(codes, weights=row, minlength=size) for row in values])


def calibration_residuals(scores: np.ndarray, design: CalibrationDesign) -> np.ndarray:
    """Residuals of linearised scores (estimates × respondents) from the calibration."""
    weights = design.calibration_weights
    if design.method == "poststratify":
        codes = design.codes[0]
        size = int(codes.max()) + 1
        cell_means = _group_sums(codes, scores, size) / np.bincount(codes, weights, size)
        return scores - cell_means[:, codes] * weights
    if design.method == "rake":
        ratio = scores / weights
        effects = (_backfitted_effects(ratio, design.codes)
                   if design.linearisation == "backfitting"
                   else _regression_effects(ratio, design.codes, design.base_weights))
        for codes, effect in zip(design.codes, effects, strict=True):
            ratio -= effect[:, codes]
        return ratio * weights
    return scores


def _backfitted_effects(ratio: np.ndarray, margins: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    """Category effects of R's backfitting sweeps, computed on cross-tabulated counts.

    Each sweep subtracts, margin by margin, the unweighted category means of the current
    residual ``ratio - sum_b effect_b[code_b]``; its category sums follow from the sums of
    ``ratio`` and the cross counts of the margins, so no sweep touches every respondent.
    """
    sizes = [int(codes.max()) + 1 for codes in margins]
    sums = [_group_sums(codes, ratio, size) for codes, size in zip(margins, sizes, strict=True)]
    cross = {
        (a, b): np.bincount(margins[a] * sizes[b] + margins[b],
                            minlength=sizes[a] * sizes[b]).reshape(sizes[a], sizes[b])
        for a in range(len(margins)) for b in range(len(margins))
    }
    effects = [np.zeros((ratio.shape[0], size)) for size in sizes]
    for _ in range(RAKING_SWEEPS):
        for a in range(len(sizes)):
            current = sums[a] - sum(effects[b] @ cross[a, b].T for b in range(len(sizes)))
            effects[a] += current / np.diag(cross[a, a])
    return effects


def _regression_effects(ratio: np.ndarray, margins: tuple[np.ndarray, ...],
                        base: np.ndarray | None) -> list[np.ndarray]:
    """Category effects of the base-weighted least-squares fit of ``ratio`` on the margins.

    The normal equations are built from base-weighted cross counts of the margins (the first
    category of every margin but the first is dropped; least squares copes with margins
    that are confounded), so the cost per estimate is one weighted sum per category.
    """
    base = np.ones(ratio.shape[1]) if base is None else base
    sizes = [int(codes.max()) + 1 for codes in margins]
    keep = [np.arange(size) >= (0 if k == 0 else 1) for k, size in enumerate(sizes)]
    sums = np.hstack([_group_sums(codes, ratio * base, size)[:, kept]
                      for codes, size, kept in zip(margins, sizes, keep, strict=True)])
    blocks = [[np.bincount(margins[a] * sizes[b] + margins[b], base, sizes[a] * sizes[b])
               .reshape(sizes[a], sizes[b])[np.ix_(keep[a], keep[b])]
               for b in range(len(sizes))] for a in range(len(sizes))]
    coefficients = _solve(np.block(blocks), sums.T).T
    bounds = np.cumsum([0] + [int(kept.sum()) for kept in keep])
    effects = []
    for k, size in enumerate(sizes):
        effect = np.zeros((ratio.shape[0], size))
        effect[:, keep[k]] = coefficients[:, bounds[k]:bounds[k + 1]]
        effects.append(effect)
    return effects


def _solve(matrix: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Solve the normal equations; least squares when margins are confounded (singular)."""
    try:
        solution = np.linalg.solve(matrix, right)
        if np.allclose(matrix @ solution, right, rtol=1e-10, atol=1e-12 * np.abs(right).max()):
            return solution
    except np.linalg.LinAlgError:
        pass
    return np.linalg.lstsq(matrix, right, rcond=None)[0]


def stratified_variance(residuals: np.ndarray, design: CalibrationDesign) -> np.ndarray:
    """With-replacement variance of totals of ``residuals`` (estimates × respondents)."""
    strata = design.strata_codes
    counts = np.bincount(strata)
    if np.any(counts == 1):
        raise ReportsError("Een stratum heeft maar één respondent: geen variantie te schatten.")
    size = len(counts)
    centred = residuals - (_group_sums(strata, residuals, size) / counts)[:, strata]
    squares = _group_sums(strata, centred**2, size)
    fraction = np.bincount(strata, design.sampling_fraction, size) / counts
    scale = (1 - fraction) * counts / (counts - 1)
    return squares @ scale


def linearised_variance(scores: np.ndarray, design: CalibrationDesign) -> np.ndarray:
    """Variance of the estimates whose linearised scores are the rows of ``scores``.

    ``scores`` has one row per estimate and one column per respondent.

    References
    ----------
    Lumley, T. (2010). Complex Surveys, section 7.5; R: ``survey:::svyrecvar``.
    """
    return stratified_variance(calibration_residuals(scores, design), design)


def degrees_of_freedom(design: CalibrationDesign, domain: np.ndarray) -> int:
    """Respondents in ``domain`` minus the strata they fall in (R ``degf``)."""
    return int(domain.sum() - np.unique(design.strata_codes[domain]).size)
