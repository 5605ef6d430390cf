"""Edges of the weighting core (issue 16, points 3–6), against exact arithmetic.

Zero weights in the design effect and in trimming, margins whose totals disagree, rows without
a breakdown value, weights that do not belong to the design, weighted totals with their SE and
the weighting efficiency. Hand computations use :mod:`fractions`.
"""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from reports.diagnostics import effective_n, kish_deff, weight_summary, weighting_efficiency
from reports.errors import RakingDidNotConverge, ReportsError, WeightingError
from reports.estimates import (
    make_design,
    weighted_means,
    weighted_proportions,
    weighted_totals,
)
from reports.weighting import rake, trim


def test_kish_design_effect_counts_only_units_with_a_positive_weight():
    weights = [0.0, 1.0, 1.0, 2.0]
    # n = 3 units count: 3 * (1 + 1 + 4) / (1 + 1 + 2)^2 = 18/16 (not 4 * 6 / 16 = 1.5).
    assert kish_deff(weights) == pytest.approx(float(Fraction(18, 16)), rel=1e-15)
    assert kish_deff(weights) == pytest.approx(kish_deff([1.0, 1.0, 2.0]), rel=1e-15)
    assert effective_n(weights) == pytest.approx(float(Fraction(16, 6)), rel=1e-15)
    summary = weight_summary(weights)
    assert kish_deff(weights) == pytest.approx(1 + summary["cv"] ** 2)
    assert summary["n_zero"] == 1


def test_weighting_efficiency_is_the_inverse_design_effect_in_percent():
    assert weighting_efficiency([0.0, 1.0, 1.0, 2.0]) == pytest.approx(
        float(100 * Fraction(16, 18)), rel=1e-15)
    assert weighting_efficiency(np.full(9, 2.5)) == pytest.approx(100.0)


def test_trim_keeps_zero_weights_at_zero():
    weights = pd.Series([0.0, 1.0, 1.0, 1.0, 1.0, 20.0])
    trimmed = trim(weights, lower=0.3, upper=2.0)
    assert trimmed.iloc[0] == 0.0
    assert trimmed.sum() == pytest.approx(24.0)
    positive = trimmed[trimmed > 0]
    assert positive.max() <= 2.0 * positive.mean() * (1 + 1e-3)


def test_trim_with_margins_keeps_zero_weights_at_zero():
    data = pd.DataFrame({"a": ["x", "x", "y", "y", "y", "x"]})
    margins = {"a": {"x": 60.0, "y": 40.0}}
    weights = pd.Series([0.0, 10.0, 2.0, 2.0, 36.0, 50.0])
    trimmed = trim(weights, lower=0.3, upper=2.0, data=data, margins=margins, max_rounds=50)
    assert trimmed.iloc[0] == 0.0
    assert trimmed.groupby(data["a"]).sum().to_dict() == pytest.approx({"x": 60, "y": 40})


def test_trim_refuses_negative_or_missing_weights():
    with pytest.raises(WeightingError, match="rij 1"):
        trim(pd.Series([1.0, -1.0, 2.0]))
    with pytest.raises(WeightingError, match="rij 2"):
        trim(pd.Series([1.0, 1.0, np.nan]))


def margins_44000(second: float) -> dict:
    return {"a": {"x": 22_000.0, "y": 22_000.0}, "b": {"p": 22_000.0, "q": second}}


def data_ab() -> pd.DataFrame:
    return pd.DataFrame({"a": ["x", "y", "x", "y", "x"], "b": ["p", "p", "q", "q", "q"]})


def test_margins_that_disagree_slightly_are_refused_with_their_totals():
    # 44,000 against 44,000.02: 4.5e-7 relative, below the old 1e-6 check, above the raking
    # tolerance; before, this ended in "RakingDidNotConverge ... haalbaar".
    with pytest.raises(WeightingError, match=r"'a' 44 000; 'b' 44 000,02") as caught:
        rake(data_ab(), margins_44000(22_000.02))
    assert not isinstance(caught.value, RakingDidNotConverge)
    weights = rake(data_ab(), margins_44000(22_000.02), rescale_margins=True)
    assert weights.sum() == pytest.approx(44_000.0, rel=1e-12)


def test_a_loose_tolerance_does_not_give_a_total_in_between():
    weights = rake(data_ab(), margins_44000(22_000.02), tol=1e-6)
    assert weights.sum() == pytest.approx(44_000.0, rel=1e-12)
    assert weights.groupby(data_ab()["a"]).sum().to_dict() == pytest.approx(
        {"x": 22_000.0, "y": 22_000.0}, rel=1e-6)


def test_rounding_differences_within_the_tolerance_are_scaled_away():
    weights = rake(data_ab(), margins_44000(22_000.0 * (1 + 1e-13)))
    assert weights.sum() == pytest.approx(44_000.0, rel=1e-13)


def by_with_missing():
    data = pd.DataFrame({"g": ["a"] * 12 + ["b"] * 12 + [None] * 11,
                         "q": (["ja"] * 6 + ["nee"] * 6) * 2 + ["ja"] * 11,
                         "y": np.arange(35, dtype=float)})
    return data, pd.Series(1.0, index=data.index)


def test_rows_without_a_breakdown_value_form_their_own_group():
    data, weights = by_with_missing()
    table = weighted_proportions(data, "q", weights, by="g")
    assert list(dict.fromkeys(table["group"])) == ["a", "b", "onbekend"]
    unknown = table[table["group"] == "onbekend"].set_index("category")
    assert unknown.loc["ja", "n_answered"] == 11
    assert unknown.loc["ja", "proportion"] == 1.0
    means = weighted_means(data, "y", weights, by="g").set_index("group")
    assert means.loc["onbekend", "mean"] == pytest.approx(float(sum(range(24, 35))) / 11)
    assert int(means["n"].sum()) == len(data)
    with pytest.raises(ReportsError, match="11 rij"):
        weighted_means(data, "y", weights, by="g", unknown_group=None)


def test_weights_that_are_not_the_designs_are_refused():
    data = pd.DataFrame({"cell": ["A", "A", "B", "B", "B"], "y": [1.0, 0.0, 1.0, 1.0, 0.0]})
    weights = pd.Series([30.0, 30.0, 40 / 3, 40 / 3, 40 / 3])
    design = make_design(data, weights, method="poststratify", cells=["cell"])
    other = weights.where(data.index != 3, 20.0)
    for estimator in (weighted_means, weighted_totals):
        with pytest.raises(ReportsError, match="rij 3.*horen niet bij het ontwerp|horen niet"):
            estimator(data, "y", other, design=design, min_cell=1)
    with pytest.raises(ReportsError, match="horen niet bij het ontwerp"):
        weighted_proportions(data.assign(q=data["y"]), "q", other, design=design, min_cell=1)


def test_poststratified_total_and_its_standard_error_by_hand():
    data = pd.DataFrame({"cell": ["A", "A", "B", "B", "B"], "y": [2.0, 0.0, 1.0, 3.0, np.nan]})
    w = [Fraction(30), Fraction(30), Fraction(40, 3), Fraction(40, 3), Fraction(40, 3)]
    weights = pd.Series([float(v) for v in w])
    design = make_design(data, weights, method="poststratify", cells=["cell"])
    row = weighted_totals(data, "y", weights, design=design, min_cell=1).iloc[0]
    y = [Fraction(2), Fraction(0), Fraction(1), Fraction(3), Fraction(0)]  # NaN scores 0
    scores = [wi * yi for wi, yi in zip(w, y, strict=True)]
    assert row["total"] == pytest.approx(float(sum(scores)), rel=1e-15)
    cells = {"A": [0, 1], "B": [2, 3, 4]}
    residuals = list(scores)
    for members in cells.values():  # x_i - w_i * sum_c x / sum_c w
        ratio = sum(scores[i] for i in members) / sum(w[i] for i in members)
        for i in members:
            residuals[i] = scores[i] - w[i] * ratio
    mean = sum(residuals) / 5
    variance = Fraction(5, 4) * sum((r - mean) ** 2 for r in residuals)
    assert row["se"] ** 2 == pytest.approx(float(variance), rel=1e-12)
    assert row["n"] == 4
    t_975_4 = 2.7764451051977987
    student = weighted_totals(data, "y", weights, design=design, min_cell=1,
                              interval="t").iloc[0]
    assert student["ci_low"] == pytest.approx(float(sum(scores)) - t_975_4 * row["se"])


def test_total_of_a_domain_by_hand():
    data = pd.DataFrame({"g": ["a", "a", "b", "b"], "y": [1.0, 1.0, 0.0, 1.0]})
    weights = pd.Series([2.0, 4.0, 3.0, 5.0])
    table = weighted_totals(data, "y", weights, by="g", min_cell=1).set_index("group")
    assert table.loc["a", "total"] == 6.0
    assert table.loc["b", "total"] == 5.0
    scores = [Fraction(0), Fraction(0), Fraction(0), Fraction(5)]  # domain b: w*y inside b
    mean = sum(scores) / 4
    variance = Fraction(4, 3) * sum((s - mean) ** 2 for s in scores)
    assert table.loc["b", "se"] ** 2 == pytest.approx(float(variance), rel=1e-12)
