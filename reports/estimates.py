"""Weighted proportions, means and totals with standard errors, intervals and suppression.

Standard errors are Taylor-linearisation standard errors that account for post-stratification
or raking (see :mod:`reports.variance`), and agree with R's ``survey`` package: ``svymean`` on
the calibrated design, and ``svyby(..., svymean)`` for subgroups. Subgroups are domains of the
full design (the rows outside a group keep their place in the calibration and the strata), not
a subset of the data; rows without a value in the breakdown column form their own group
("onbekend"), so no row silently drops out. Missing answers are left out of a question's
estimates (R ``na.rm=TRUE``). Intervals are described in :mod:`reports.intervals`.
Estimates for a group with fewer than ``min_cell`` respondents who answered are suppressed:
their estimates are NaN, never a number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from reports.domains import TOTAL_LABEL, UNKNOWN_LABEL, domains, finish, prepare
from reports.errors import ReportsError
from reports.intervals import (
    PROPORTION_INTERVALS,
    SYMMETRIC_INTERVALS,
    check_interval,
    proportion_interval,
    symmetric_interval,
)
from reports.variance import (
    CalibrationDesign,
    degrees_of_freedom,
    linearised_variance,
    make_design,
)

__all__ = [
    "TOTAL_LABEL",
    "UNKNOWN_LABEL",
    "CalibrationDesign",
    "difference_test",
    "make_design",
    "weighted_means",
    "weighted_proportions",
    "weighted_totals",
]

def _categories(answers: pd.Series, given=None) -> list:
    if given is not None:
        unknown = set(answers.dropna().unique()) - set(given)
        if unknown:
            raise ReportsError(f"De antwoorden bevatten waarden die geen categorie zijn: "
                               f"{sorted(map(str, unknown))[:5]}.")
        return list(given)
    if isinstance(answers.dtype, pd.CategoricalDtype):
        return list(answers.cat.categories)
    return sorted(answers.dropna().unique())


def _domain_estimates(values: np.ndarray, weight: np.ndarray, domain: np.ndarray, design):
    """Weighted means of the rows of ``values`` over ``domain`` and their standard errors."""
    domain_weight = np.where(domain, weight, 0.0)
    total = domain_weight.sum()
    estimate = values @ domain_weight / total
    scores = (values - estimate[:, None]) * (domain_weight / total)
    return estimate, np.sqrt(linearised_variance(scores, design))


def _exact_edges(estimate, se, counts, n_answered):
    """0 % and 100 % exactly (with variance 0) where no one, or everyone, chose a category."""
    none, everyone = counts == 0, counts == n_answered
    estimate = np.where(none, 0.0, np.where(everyone, 1.0, estimate))
    return estimate, np.where(none | everyone, 0.0, se)


def _proportion_rows(group, domain, answered, indicators, weight, design, level, interval):
    usable = domain & answered
    estimate, se = _domain_estimates(indicators, weight, usable, design)
    counts = indicators[:, usable].sum(axis=1)
    estimate, se = _exact_edges(estimate, se, counts, usable.sum())
    df = degrees_of_freedom(design, domain & (weight > 0))
    kish_n = weight[usable].sum() ** 2 / np.sum(weight[usable] ** 2)
    # As R svyciprop(method="beta") on subset(design, group & answered): a calibrated design
    # keeps all its rows (nrow), a plain one only the subset's; degf counts the subset.
    rows = len(design.index) if design.method != "none" else int(usable.sum())
    low, high, method = proportion_interval(
        estimate, se, df, level, interval, kish_n=kish_n, n_rows=rows,
        beta_df=degrees_of_freedom(design, usable))
    normal = stats.norm.ppf(0.5 + level / 2)
    return {"group": group, "proportion": estimate, "se": se, "ci_low": low, "ci_high": high,
            "wald_low": estimate - normal * se, "wald_high": estimate + normal * se,
            "interval": method}


def weighted_proportions(
    data: pd.DataFrame,
    question: str,
    weights: pd.Series,
    *,
    by: str | None = None,
    design: CalibrationDesign | None = None,
    min_cell: int = 10,
    level: float = 0.95,
    interval: str = "auto",
    categories: list | None = None,
    unknown_group: str | None = UNKNOWN_LABEL,
) -> pd.DataFrame:
    """Weighted share of each answer category, per group, with margins of error.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent; missing answers (NaN/None) are left out.
    question : str
        Column with the answers (categorical order is kept, otherwise categories are sorted).
    weights : pandas.Series
        Final weights, aligned with ``data``.
    by : str, optional
        Column defining subgroups (domains); one group labelled ``"Totaal"`` when omitted.
        Rows without a ``by`` value form their own last group, ``unknown_group``.
    design : CalibrationDesign, optional
        How the weights were made (see :func:`make_design`); without it the weights are
        treated as plain sampling weights of an unstratified sample. With it, ``weights``
        must be the design's calibrated weights (anything else is refused).
    min_cell : int
        Groups with fewer respondents who answered are suppressed.
    level : float
        Confidence level.
    interval : {"auto", "logit", "beta"}
        The interval in ``ci_low``/``ci_high`` (see :mod:`reports.intervals`): ``"auto"``
        uses Korn–Graubard at 0 % and 100 % and for small effective counts, logit otherwise.
    categories : list, optional
        All answer categories, in order, so that a category nobody chose gets its 0 % row
        (a categorical column's categories are used otherwise).
    unknown_group : str or None
        Label of the group of rows without a ``by`` value; ``None`` refuses such rows.

    Returns
    -------
    pandas.DataFrame
        One row per group and category with ``group``, ``category``, ``n_answered``
        (respondents in the group who answered), ``n_category`` (of whom chose the category),
        ``interval`` (``"logit"`` or ``"beta"``), ``proportion``, ``se``,
        ``ci_low``/``ci_high`` (R ``svyciprop(method="logit")`` or ``method="beta"``, both
        with the design's degrees of freedom; they stay inside [0, 1], so they are the ones
        to report), ``wald_low``/``wald_high`` (symmetric normal interval, as R
        ``confint(svymean())``) and ``suppressed``. Suppressed rows have NaN estimates and a
        missing ``n_category``.

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, sections 2.3, 3.4 and 7.
    Wiley. Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions with
    small expected number of positive counts estimated from survey data. Survey Methodology
    24(2), 193-201.
    """
    check_interval(interval, PROPORTION_INTERVALS)
    weight, design = prepare(data, question, weights, design)
    answers = data[question]
    categories = _categories(answers, categories)
    codes = pd.Categorical(answers, categories=categories).codes
    indicators = (codes == np.arange(max(len(categories), 1))[:, None]).astype(float)
    answered = answers.notna().to_numpy() & (weight > 0)
    frames = []
    for group, domain in domains(data, by, unknown_group):
        counts = indicators[:, domain & answered].sum(axis=1).astype(int)[: len(categories)]
        n_answered = int((domain & answered).sum())
        suppressed = n_answered < max(min_cell, 1)
        rows = {"group": group} if suppressed else _proportion_rows(
            group, domain, answered, indicators, weight, design, level, interval)
        frame = pd.DataFrame(rows, index=range(len(categories)))
        frame.insert(1, "category", categories)
        frame.insert(2, "n_answered", n_answered)
        frame.insert(3, "n_category", pd.array([pd.NA if suppressed else c for c in counts],
                                               dtype="Int64"))
        frames.append(frame.assign(suppressed=suppressed))
    return finish(frames, ["proportion", "se", "ci_low", "ci_high", "wald_low", "wald_high"])


def weighted_means(
    data: pd.DataFrame,
    variable: str,
    weights: pd.Series,
    *,
    by: str | None = None,
    design: CalibrationDesign | None = None,
    min_cell: int = 10,
    level: float = 0.95,
    interval: str = "normal",
    unknown_group: str | None = UNKNOWN_LABEL,
) -> pd.DataFrame:
    """Weighted mean of a numeric answer, per group, with a symmetric interval.

    Parameters
    ----------
    data, weights, by, design, min_cell, level, unknown_group
        As for :func:`weighted_proportions`.
    variable : str
        Numeric column; missing values are left out.
    interval : {"normal", "t"}
        ``mean ± z·se`` (R ``confint(svymean(...))``) or ``mean ± t·se`` with the design's
        degrees of freedom (R ``confint(svymean(...), df = degf(design))``).

    Returns
    -------
    pandas.DataFrame
        One row per group with ``group``, ``n`` (respondents who answered), ``mean``, ``se``,
        ``ci_low``, ``ci_high`` and ``suppressed``.

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, sections 2.3 and 7. Wiley.
    """
    return numeric_table(data, variable, weights, by=by, design=design, min_cell=min_cell,
                         level=level, interval=interval, unknown_group=unknown_group,
                         statistic="mean")


def weighted_totals(data: pd.DataFrame, variable: str, weights: pd.Series, *,
                    by: str | None = None, design: CalibrationDesign | None = None,
                    min_cell: int = 10, level: float = 0.95, interval: str = "normal",
                    unknown_group: str | None = UNKNOWN_LABEL) -> pd.DataFrame:
    """Weighted total of a numeric (or 0/1) column per group, e.g. "how many households …".

    The estimate is ``Σ w_i y_i`` over the group's respondents who answered and its standard
    error is the linearised one of R ``svytotal(..., na.rm = TRUE)`` (calibration-aware; a
    subgroup is a domain). Arguments as for :func:`weighted_means`; the result has a
    ``total`` column instead of ``mean``.

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, sections 2.2 and 7. Wiley.
    """
    return numeric_table(data, variable, weights, by=by, design=design, min_cell=min_cell,
                         level=level, interval=interval, unknown_group=unknown_group,
                         statistic="total")


def _domain_total(column: np.ndarray, weight: np.ndarray, domain: np.ndarray, design):
    """Weighted total of ``column`` over ``domain`` (R ``svytotal``) and its standard error."""
    scores = column * np.where(domain, weight, 0.0)
    return scores.sum(axis=1), np.sqrt(linearised_variance(scores, design))


def numeric_table(data, variable, weights, *, by, design, min_cell, level, interval,
                  unknown_group, statistic) -> pd.DataFrame:
    """Means or totals (``statistic``) of a numeric column per group; see the callers."""
    check_interval(interval, SYMMETRIC_INTERVALS)
    weight, design = prepare(data, variable, weights, design)
    values = pd.to_numeric(data[variable], errors="coerce").to_numpy(float)
    answered = ~np.isnan(values) & (weight > 0)
    column = np.where(answered, values, 0.0)[None, :]
    estimator = _domain_estimates if statistic == "mean" else _domain_total
    rows = []
    for group, domain in domains(data, by, unknown_group):
        n = int((domain & answered).sum())
        row = {"group": group, "n": n, "suppressed": n < max(min_cell, 1)}
        if not row["suppressed"]:
            estimate, se = estimator(column, weight, domain & answered, design)
            df = degrees_of_freedom(design, domain & (weight > 0))
            low, high = symmetric_interval(estimate[0], se[0], df, level, interval)
            row.update({statistic: estimate[0], "se": se[0], "ci_low": low, "ci_high": high})
        rows.append(pd.DataFrame([row]))
    return finish(rows, [statistic, "se", "ci_low", "ci_high"])


def difference_test(est_a, se_a, est_b, se_b) -> tuple:
    """Two-sided z-test of the difference between two estimates (e.g. two subgroups).

    ``z = (a - b) / sqrt(se_a² + se_b²)``, ``p = 2 (1 - Φ(|z|))``. It treats the two estimates
    as independent and so ignores their covariance: domains of one calibrated sample are
    slightly correlated, which makes the test approximate; use it to mark differences, not as
    a formal comparison of many groups (no correction for multiple testing). Works on scalars
    and arrays.

    Returns
    -------
    tuple
        ``(z, p)``; NaN where both standard errors are zero or an input is NaN.

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R, section 3.4 (svycontrast).
    """
    spread = np.sqrt(np.square(se_a) + np.square(se_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, (np.subtract(est_a, est_b)) / spread, np.nan)
    p = 2 * stats.norm.sf(np.abs(z))
    return (z.item(), p.item()) if np.ndim(z) == 0 else (z, p)
