"""Response propensities from register covariates, and the nonresponse adjustment built on them.

Re-exported by :mod:`reports.weighting`; kept apart so each module stays short.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from reports.errors import WeightingError

PROPENSITY_PENALTY_C = 1000.0


def _design_matrix(invited: pd.DataFrame, covariates: Sequence[str]) -> np.ndarray:
    missing = [column for column in covariates if column not in invited.columns]
    if missing:
        raise WeightingError(f"De covariaat '{missing[0]}' ontbreekt bij de uitgenodigden.")
    frame = invited[list(covariates)]
    if frame.isna().any().any():
        column = frame.columns[frame.isna().any().to_numpy().argmax()]
        raise WeightingError(f"De covariaat '{column}' heeft ontbrekende waarden.")
    numeric = [column for column in covariates if pd.api.types.is_numeric_dtype(frame[column])
               and not pd.api.types.is_bool_dtype(frame[column])]
    categorical = [column for column in covariates if column not in numeric]
    parts = []
    if numeric:
        values = frame[numeric].to_numpy(float)
        spread = values.std(axis=0)
        parts.append((values - values.mean(axis=0)) / np.where(spread > 0, spread, 1.0))
    if categorical:
        dummies = pd.get_dummies(frame[categorical].astype(str), dtype=float)
        parts.append(dummies.to_numpy())
    return np.hstack(parts)


def _aligned_response(invited: pd.DataFrame, responded: pd.Series) -> np.ndarray:
    aligned = responded.reindex(invited.index)
    if aligned.isna().any() or not pd.api.types.is_bool_dtype(aligned):
        raise WeightingError("'responded' moet voor elke uitgenodigde True of False zijn.")
    answer = aligned.to_numpy(bool)
    if answer.all() or not answer.any():
        raise WeightingError("Er zijn geen uitgenodigden die niet (of wel) antwoordden.")
    return answer


def response_propensities(
    invited: pd.DataFrame,
    responded: pd.Series,
    covariates: Sequence[str],
    *,
    base_weights: pd.Series | None = None,
    seed: int = 0,
) -> pd.Series:
    """Estimated probability of responding, for everyone invited.

    A logistic regression of responding on the covariates: text, categorical and boolean
    columns are one-hot coded (all categories), numeric columns standardised. A weak L2
    penalty (``C = 1000``) keeps the fit finite when a category responded completely or not at
    all, and otherwise leaves it practically unpenalised. ``base_weights`` (design weights)
    weight the fit.

    Parameters
    ----------
    invited : pandas.DataFrame
        Register covariates of everyone invited (respondents and nonrespondents).
    responded : pandas.Series of bool
        Whether each invited person responded, aligned with ``invited``.
    covariates : sequence of str
        Columns of ``invited`` to model response with.
    base_weights : pandas.Series, optional
        Design weights of the invited; unweighted when omitted.
    seed : int
        Random state handed to scikit-learn (the default solver is deterministic).

    Returns
    -------
    pandas.Series
        Estimated response propensity per invited person, named ``"propensity"``.

    References
    ----------
    Rosenbaum, P. R. and Rubin, D. B. (1983). The central role of the propensity score in
    observational studies for causal effects. Biometrika 70(1), 41-55.
    """
    answer = _aligned_response(invited, responded)
    features = _design_matrix(invited, covariates)
    weights = None if base_weights is None else base_weights.reindex(invited.index).to_numpy()
    model = LogisticRegression(C=PROPENSITY_PENALTY_C, max_iter=5000, random_state=seed)
    model.fit(features, answer, sample_weight=weights)
    return pd.Series(model.predict_proba(features)[:, 1], index=invited.index, name="propensity")


def _class_factors(
    propensity: np.ndarray, answer: np.ndarray, weights: np.ndarray, classes: int
) -> np.ndarray:
    edges = np.quantile(propensity, np.linspace(0, 1, classes + 1)[1:-1])
    groups = np.searchsorted(edges, propensity, side="right")
    invited_total = np.bincount(groups, weights=weights, minlength=classes)
    responded_total = np.bincount(groups, weights=weights * answer, minlength=classes)
    used = invited_total > 0
    if np.any(used & (responded_total == 0)):
        raise WeightingError(
            "Een propensiteitsklasse heeft geen respondenten; kies minder klassen."
        )
    rate = np.divide(responded_total, invited_total, out=np.ones(classes), where=used)
    return 1.0 / rate[groups]


def propensity_adjustment(
    invited: pd.DataFrame,
    responded: pd.Series,
    covariates: Sequence[str],
    *,
    base_weights: pd.Series | None = None,
    classes: int | None = 5,
    seed: int = 0,
) -> pd.Series:
    """Nonresponse adjustment factors for respondents from modelled response propensities.

    Use it before raking, when response depends on register covariates known for everyone
    invited (for example nationality group, household size or age in detail) beyond the
    margins you rake to. Multiply the design weights by these factors, then rake.

    Two forms are offered. With ``classes=None`` the factor is ``1 / p̂`` (inverse propensity):
    unbiased if the model is right, but small ``p̂`` give very large, unstable weights. With
    ``classes=k`` (the default, k = 5 after Cochran 1968) the invited are grouped into ``k``
    quantile classes of ``p̂`` and each respondent gets the inverse of the (design-weighted)
    response rate of their class: more stable and less dependent on the model's exact form,
    which is why it is the default; use inverse propensities only with a well-fitting model and
    no propensities near zero.

    Parameters
    ----------
    invited, responded, covariates, base_weights, seed
        As for :func:`response_propensities`.
    classes : int or None
        Number of propensity classes, or None for inverse propensities.

    Returns
    -------
    pandas.Series
        Adjustment factor per respondent (index of the responding rows), named
        ``"propensity_factor"``.

    References
    ----------
    Little, R. J. A. (1986). Survey nonresponse adjustments for estimates of means.
    International Statistical Review 54(2), 139-157. Cochran, W. G. (1968). The effectiveness
    of adjustment by subclassification in removing bias in observational studies.
    Biometrics 24(2), 295-313.
    """
    if classes is not None and classes < 1:
        raise WeightingError("Het aantal propensiteitsklassen moet minstens 1 zijn.")
    propensity = response_propensities(
        invited, responded, covariates, base_weights=base_weights, seed=seed
    ).to_numpy()
    answer = _aligned_response(invited, responded)
    if classes is None:
        factors = 1.0 / propensity
    else:
        weights = np.ones(len(invited)) if base_weights is None else (
            base_weights.reindex(invited.index).to_numpy(float))
        factors = _class_factors(propensity, answer, weights, classes)
    return pd.Series(factors[answer], index=invited.index[answer], name="propensity_factor")
