"""Confidence intervals for weighted proportions, means and totals.

Proportions get one of two intervals, both with the design's degrees of freedom:

* ``"logit"``: a t interval on the logit scale (R ``svyciprop(method="logit")``);
* ``"beta"``: Korn and Graubard's (1998) interval, Clopper–Pearson's exact binomial interval
  with the effective sample size ``n* = p(1-p)/var`` scaled by ``(t_{n-1}/t_df)^2``
  (R ``svyciprop(method="beta")`` on ``subset(design, group & answered)``: ``n`` is then
  ``nrow(design)``, all rows of a calibrated design but only the subset's of a plain one, and
  ``df`` the subset's ``degf``). With equal weights and no strata it *is* Clopper–Pearson.

The default (``"auto"``) uses Korn–Graubard where the logit interval breaks down: when the
estimate is 0 % or 100 % (variance 0, a logit interval of width zero), or when fewer than
:data:`SMALL_COUNT` effective respondents gave, or did not give, the answer
(``min(n* p, n* (1-p)) < SMALL_COUNT``). When the variance is 0, ``n*`` is undefined (R gives
NaN); we then take the Kish effective n of the group's respondents, ``(Σw)² / Σw²`` (``n``
with equal weights), so that 0 of 88 gives Clopper–Pearson's ``[0, 1 - 0.025^(1/88)]``.

Means and totals get a symmetric interval ``estimate ± q·se`` with a normal quantile
(``"normal"``, R ``confint(svymean(...))``) or a t quantile with the design's degrees of
freedom (``"t"``, R ``confint(..., df = degf(design))``).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from reports.errors import ReportsError

PROPORTION_INTERVALS = ("auto", "logit", "beta")
SYMMETRIC_INTERVALS = ("normal", "t")
SMALL_COUNT = 10


def interval_rule_text(min_count: int = SMALL_COUNT) -> str:
    """One sentence for the report's method text: how intervals of shares are computed."""
    return (
        "Het interval van een percentage berekenen we op de logit-schaal, zodat het tussen "
        "0 en 100 % blijft. Bij 0 % of 100 %, of wanneer minder dan "
        f"{min_count} (effectieve) respondenten het antwoord wel of niet gaven, gebruiken we "
        "het exacte interval van Korn en Graubard (1998): ook wie in een groep allemaal "
        "hetzelfde antwoordden, krijgen zo een eerlijke foutenmarge (bijvoorbeeld 0 % met een "
        "interval van 0 tot 4,1 % bij 88 antwoorden), nooit een interval van nul breed.")


def check_interval(choice: str, allowed: tuple[str, ...]) -> None:
    if choice not in allowed:
        raise ReportsError(f"Onbekend interval '{choice}'; kies uit {', '.join(allowed)}.")


def t_quantile(df, level: float):
    """Two-sided quantile of Student's t with ``df`` degrees of freedom (NaN when df ≤ 0)."""
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, stats.t.ppf(0.5 + level / 2, np.maximum(df, 1)), np.nan)


def symmetric_interval(estimate, se, df, level: float, interval: str = "normal"):
    """``estimate ± q·se`` with a normal or a t (design df) quantile."""
    check_interval(interval, SYMMETRIC_INTERVALS)
    quantile = stats.norm.ppf(0.5 + level / 2) if interval == "normal" else t_quantile(
        df, level)
    return estimate - quantile * se, estimate + quantile * se


def logit_interval(proportion, se, df, level: float):
    """R ``svyciprop(method="logit")``: a t interval (design df) on the logit scale."""
    quantile = t_quantile(df, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        logit = np.log(proportion / (1 - proportion))
        half = quantile * se / (proportion * (1 - proportion))
        low, high = stats.logistic.cdf(logit - half), stats.logistic.cdf(logit + half)
    degenerate = (proportion <= 0) | (proportion >= 1)
    return np.where(degenerate, proportion, low), np.where(degenerate, proportion, high)


def effective_size(proportion, se, level: float, *, kish_n: float, n_rows: int, beta_df: int):
    """Korn–Graubard's df-adjusted effective sample size (Kish's n where the variance is 0).

    ``n* = p(1-p)/var · (qt(α/2, n_rows - 1) / qt(α/2, beta_df))²``, as R ``svyciprop``
    with ``n_rows = nrow(design)`` and ``beta_df = degf(design)``.
    """
    variance = np.square(se)
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(variance > 0, proportion * (1 - proportion) / variance, kish_n)
        factor = (stats.t.ppf(alpha / 2, max(n_rows - 1, 1))
                  / stats.t.ppf(alpha / 2, max(beta_df, 1))) ** 2
    return raw * factor


def korn_graubard_interval(proportion, se, level: float, **sizes):
    """R ``svyciprop(method="beta")``, with the lower end 0 at p = 0 and the upper end 1 at 1.

    ``sizes`` are the keyword arguments of :func:`effective_size`.
    """
    size = effective_size(proportion, se, level, **sizes)
    alpha = 1 - level
    events = size * proportion
    with np.errstate(invalid="ignore"):
        low = stats.beta.ppf(alpha / 2, np.maximum(events, 1e-300), size - events + 1)
        high = stats.beta.ppf(1 - alpha / 2, events + 1, np.maximum(size - events, 1e-300))
    return np.where(proportion <= 0, 0.0, low), np.where(proportion >= 1, 1.0, high), size


def proportion_interval(proportion, se, df, level: float, interval: str = "auto", **sizes):
    """``(low, high, method)`` per proportion; ``method`` is ``"logit"`` or ``"beta"``.

    ``df`` is the design df of the logit interval; ``sizes`` those of :func:`effective_size`.
    """
    check_interval(interval, PROPORTION_INTERVALS)
    proportion = np.asarray(proportion, dtype=float)
    beta_low, beta_high, size = korn_graubard_interval(proportion, se, level, **sizes)
    logit_low, logit_high = logit_interval(proportion, se, df, level)
    if interval == "auto":
        small = np.minimum(size * proportion, size * (1 - proportion)) < SMALL_COUNT
        use_beta = small | (proportion <= 0) | (proportion >= 1)
    else:
        use_beta = np.full(proportion.shape, interval == "beta")
    return (np.where(use_beta, beta_low, logit_low), np.where(use_beta, beta_high, logit_high),
            np.where(use_beta, "beta", "logit"))
