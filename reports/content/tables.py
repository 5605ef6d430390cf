"""Report tables: weighted shares or means per question, overall and per breakdown group.

Every table has the columns :data:`TABLE_COLUMNS`:

``variable``  analysis column; ``item``  matrix item text ("" otherwise); ``value`` option value
(None for a mean); ``label`` option label (``"Gemiddelde"`` for a mean); ``group`` ``"Totaal"``
or the breakdown group; ``estimate`` share (0–1) or mean; ``ci_low``/``ci_high`` 95 % interval
(logit or Korn–Graubard interval for shares, Wald for means, see :mod:`reports.intervals`);
``n`` unweighted respondents who answered (in the group); ``suppressed``; ``mark`` +1/−1/0 and
``p_value``.

Differences: each group is compared with **the other respondents taken together** (the rest of
the sample, a domain of the same design) with :func:`reports.estimates.difference_test`, a
two-sided z-test at p < 0.05 without correction for multiple testing. ``mark`` is +1 when the
group is significantly higher than the rest, −1 when lower. Groups or rests with fewer than
``min_cell`` answers are never tested, and suppressed cells carry no estimate at all.
The rest's estimate and standard error use the same linearisation as
:func:`reports.estimates.weighted_proportions` (a ratio mean over the domain, scores passed
through :func:`reports.variance.linearised_variance`), computed for all groups at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.estimates import difference_test, weighted_means, weighted_proportions
from reports.variance import linearised_variance

TABLE_COLUMNS = ["variable", "item", "value", "label", "group", "estimate", "ci_low", "ci_high",
                 "n", "suppressed", "mark", "p_value"]
SIGNIFICANCE = 0.05
MEAN_LABEL = "Gemiddelde"
KINDS = {"single": "shares", "likert": "shares", "matrix": "items", "multiple": "choices",
         "number": "mean", "date": "none"}


def _shares(frame, column, weights, design, by, min_cell, labels, item, only=None):
    result = weighted_proportions(frame, column, weights, by=by, design=design,
                                  min_cell=min_cell)
    if only is not None:
        result = result[result["category"] == only].reset_index(drop=True)
    return pd.DataFrame({
        "variable": column, "item": item, "value": result["category"].to_list(),
        "label": [labels.get(value, str(value)) for value in result["category"]],
        "group": result["group"].to_list(), "estimate": result["proportion"],
        "ci_low": result["ci_low"], "ci_high": result["ci_high"],
        "n": result["n_answered"].astype(int), "suppressed": result["suppressed"],
        "se": result["se"]})


def _means(frame, column, weights, design, by, min_cell):
    result = weighted_means(frame, column, weights, by=by, design=design, min_cell=min_cell)
    return pd.DataFrame({
        "variable": column, "item": "", "value": None, "label": MEAN_LABEL,
        "group": result["group"].to_list(), "estimate": result["mean"],
        "ci_low": result["ci_low"], "ci_high": result["ci_high"], "n": result["n"].astype(int),
        "suppressed": result["suppressed"], "se": result["se"]})


def _values(frame: pd.DataFrame, column: str, kind: str, categories: list) -> np.ndarray:
    """The rows being averaged: category indicators for shares, the number for a mean."""
    if kind == "mean":
        return np.nan_to_num(pd.to_numeric(frame[column], errors="coerce").to_numpy(float))[None]
    answers = frame[column].to_numpy(object)
    return np.stack([(answers == category).astype(float) for category in categories])


def rest_estimates(values, answered, weights, design, groups: pd.Series, levels):
    """Estimate, standard error and n of every level's rest (answered rows in other groups).

    ``values`` has one row per estimate (category indicators or the numbers), one column per
    respondent. Returns arrays of shape (estimates, levels) and the n per level.
    """
    weight = weights.to_numpy(float)
    usable = answered & (weight > 0) & groups.notna().to_numpy(bool)
    masks = np.stack([usable & (groups != level).to_numpy(bool) for level in levels])
    domain_weight = masks * weight
    totals = domain_weight.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = values @ domain_weight.T / totals
        shares = domain_weight / totals[:, None]
        scores = (values[:, None, :] - estimate[:, :, None]) * shares[None, :, :]
        variance = linearised_variance(np.nan_to_num(scores).reshape(-1, values.shape[1]),
                                       design).reshape(estimate.shape)
    return estimate, np.sqrt(variance), masks.sum(axis=1)


def _mark(table: pd.DataFrame, frame, column, kind, weights, design, by, min_cell):
    levels = list(dict.fromkeys(table["group"]))
    categories = list(dict.fromkeys(table["value"])) if kind != "mean" else [None]
    answered = frame[column].notna().to_numpy(bool)
    values = _values(frame, column, kind, categories)
    estimate, se, n_rest = rest_estimates(values, answered, weights, design, frame[by], levels)
    row_category = [categories.index(value) for value in table["value"]]
    row_level = [levels.index(group) for group in table["group"]]
    rest_estimate = estimate[row_category, row_level]
    group_se = table["se"].to_numpy(float)
    _, p_value = difference_test(table["estimate"].to_numpy(float), group_se,
                                 rest_estimate, se[row_category, row_level])
    testable = (~table["suppressed"].to_numpy(bool) & (n_rest[row_level] >= min_cell)
                & (np.nan_to_num(group_se) > 0))
    p_value = np.where(testable, p_value, np.nan)
    direction = np.sign(table["estimate"].to_numpy(float) - rest_estimate)
    mark = np.where(p_value < SIGNIFICANCE, direction, 0)
    return table.assign(mark=np.nan_to_num(mark).astype(int), p_value=p_value)


def _variable_table(question, frame, column, item, weights, design, by, min_cell):
    kind = KINDS[question.type]
    labels = dict(question.options)
    if kind == "mean":
        table = _means(frame, column, weights, design, by, min_cell)
    else:
        only = 1 if kind == "choices" else None
        table = _shares(frame, column, weights, design, by, min_cell,
                        {1: item} if only else labels, "" if only else item, only)
    if by is None:
        table = table.assign(mark=0, p_value=np.nan)
    else:
        table = _mark(table, frame, column, "mean" if kind == "mean" else "shares", weights,
                      design, by, min_cell)
    return table.assign(group=table["group"].astype(str))


def _question_table(question, frame, weights, design, by, min_cell) -> pd.DataFrame:
    tables = [_variable_table(question, frame, column, item, weights, design, by, min_cell)
              for column, item in question.variables()]
    table = pd.concat(tables, ignore_index=True)
    suppressed = table["suppressed"].to_numpy(bool)
    for column in ("estimate", "ci_low", "ci_high", "p_value"):
        table.loc[suppressed, column] = np.nan
    return table[TABLE_COLUMNS]


def question_tables(question, frame, weights, design, breakdowns, min_cell):
    """``(kind, overall table, {breakdown column: table})`` for one question."""
    kind = KINDS[question.type]
    if kind == "none":
        empty = pd.DataFrame(columns=TABLE_COLUMNS)
        return kind, empty, {column: empty for column, _ in breakdowns}
    overall = _question_table(question, frame, weights, design, None, min_cell)
    by_group = {column: _question_table(question, frame, weights, design, column, min_cell)
                for column, _ in breakdowns}
    return kind, overall, by_group
