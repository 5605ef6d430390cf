"""Intervals at the edges (issue 16, points 1 and 6): 0 % and 100 %, small counts, t intervals.

References are independent of the code under test: Clopper–Pearson's closed form at x = 0
(upper end ``1 - (α/2)^(1/n)``), and Korn–Graubard (1998) written out here from R
``svyciprop(method = "beta")``'s definition (``n* = p(1-p)/var``, scaled by
``(qt(α/2, n-1) / qt(α/2, df))^2``, then ``qbeta``) with the variance computed by hand.
"""

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from reports.estimates import make_design, weighted_means, weighted_proportions
from reports.intervals import interval_rule_text


def men_all_no() -> pd.DataFrame:
    """88 men who all answer "nee"; 60 women of whom 24 answer "ja"."""
    return pd.DataFrame({"sex": ["M"] * 88 + ["V"] * 60,
                         "q": ["nee"] * 88 + ["ja"] * 24 + ["nee"] * 36})


def test_zero_percent_gets_the_clopper_pearson_interval():
    data = men_all_no()
    table = weighted_proportions(data, "q", pd.Series(1.0, index=data.index), by="sex")
    men = table[table["group"] == "M"].set_index("category")
    assert men.loc["ja", "proportion"] == 0.0
    assert men.loc["ja", "ci_low"] == 0.0
    assert men.loc["ja", "ci_high"] == pytest.approx(1 - 0.025 ** (1 / 88), rel=1e-9)
    assert men.loc["nee", "proportion"] == 1.0
    assert men.loc["nee", "ci_low"] == pytest.approx(0.025 ** (1 / 88), rel=1e-9)
    assert men.loc["nee", "ci_high"] == 1.0
    assert set(men["interval"]) == {"beta"}


def test_a_categorical_answer_everyone_gave_is_exactly_100_percent():
    # Weights whose sum is not exact in floating point: the share used to be 0.99999…
    weights = pd.Series(np.full(30, 0.1) + np.arange(30) * 1e-3)
    data = pd.DataFrame({"q": pd.Categorical(["ja"] * 30, ["ja", "nee"])})
    table = weighted_proportions(data, "q", weights).set_index("category")
    assert table.loc["ja", "proportion"] == 1.0
    assert table.loc["ja", "se"] == 0.0
    kish = weights.sum() ** 2 / (weights**2).sum()
    assert table.loc["ja", "ci_low"] == pytest.approx(0.025 ** (1 / kish), rel=1e-9)
    assert table.loc["ja", "ci_low"] < 0.9
    assert table.loc["nee", "proportion"] == 0.0
    assert table.loc["nee", "ci_high"] == pytest.approx(1 - 0.025 ** (1 / kish), rel=1e-9)


def test_a_category_nobody_chose_keeps_its_row():
    data = pd.DataFrame({"q": ["ja"] * 8 + ["nee"] * 12})
    weights = pd.Series(1.0, index=data.index)
    table = weighted_proportions(data, "q", weights, categories=["ja", "nee", "soms"])
    soms = table.set_index("category").loc["soms"]
    assert soms["proportion"] == 0.0 and soms["n_category"] == 0
    assert soms["ci_high"] == pytest.approx(1 - 0.025 ** (1 / 20), rel=1e-9)
    with pytest.raises(ValueError, match="geen categorie"):
        weighted_proportions(data, "q", weights, categories=["ja"])


def hand_variance(y: np.ndarray, w: np.ndarray, strata: np.ndarray) -> tuple[float, float]:
    """Ratio estimate and its stratified with-replacement linearised variance, by hand."""
    p = float(np.sum(w * y) / np.sum(w))
    z = w * (y - p) / np.sum(w)
    variance = 0.0
    for stratum in np.unique(strata):
        zh = z[strata == stratum]
        variance += len(zh) / (len(zh) - 1) * float(np.sum((zh - zh.mean()) ** 2))
    return p, variance


def korn_graubard(p: float, variance: float, n: int, df: int, level: float = 0.95):
    """R svyciprop(method = "beta"), written out from its definition."""
    alpha = 1 - level
    n_eff = p * (1 - p) / variance
    n_eff *= (stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, df)) ** 2
    return (stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1),
            stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p)))


def stratified_sample():
    rng = np.random.default_rng(16)
    strata = np.repeat(["a", "b", "c"], [15, 20, 25])
    y = (rng.random(60) < 0.12).astype(float)
    w = rng.uniform(1, 4, 60)
    return pd.DataFrame({"s": strata, "q": np.where(y == 1, "ja", "nee")}), y, w, strata


def test_korn_graubard_with_design_degrees_of_freedom_matches_its_definition():
    data, y, w, strata = stratified_sample()
    weights = pd.Series(w, index=data.index)
    design = make_design(data, weights, strata="s")
    row = weighted_proportions(data, "q", weights, design=design, interval="beta",
                               min_cell=1).set_index("category").loc["ja"]
    p, variance = hand_variance(y, w, strata)
    low, high = korn_graubard(p, variance, n=60, df=60 - 3)
    assert row["proportion"] == pytest.approx(p, rel=1e-12)
    assert row["se"] ** 2 == pytest.approx(variance, rel=1e-10)
    assert row["ci_low"] == pytest.approx(low, rel=1e-8)
    assert row["ci_high"] == pytest.approx(high, rel=1e-8)


def test_auto_uses_korn_graubard_only_for_small_effective_counts():
    data, y, w, _ = stratified_sample()
    weights = pd.Series(w, index=data.index)
    auto = weighted_proportions(data, "q", weights, min_cell=1).set_index("category")
    beta = weighted_proportions(data, "q", weights, min_cell=1, interval="beta")
    logit = weighted_proportions(data, "q", weights, min_cell=1, interval="logit")
    p, variance = hand_variance(y, w, np.zeros(60))
    assert p * (1 - p) / variance * p < 10  # few effective "ja" answers
    assert auto.loc["ja", "interval"] == "beta"
    assert auto.loc["ja", "ci_low"] == beta.set_index("category").loc["ja", "ci_low"]
    big = pd.DataFrame({"q": ["ja"] * 50 + ["nee"] * 50})
    ones = pd.Series(1.0, index=big.index)
    assert set(weighted_proportions(big, "q", ones)["interval"]) == {"logit"}
    assert set(logit["interval"]) == {"logit"}


def test_mean_t_interval_uses_the_design_degrees_of_freedom():
    data = pd.DataFrame({"y": [1.0, 2.0, 4.0, 7.0, 11.0]})
    weights = pd.Series(1.0, index=data.index)
    normal = weighted_means(data, "y", weights, min_cell=1).iloc[0]
    student = weighted_means(data, "y", weights, min_cell=1, interval="t").iloc[0]
    y = [Fraction(v) for v in (1, 2, 4, 7, 11)]
    mean = sum(y) / 5
    variance = Fraction(5, 4) * sum(((v - mean) / 5) ** 2 for v in y)
    assert student["se"] == pytest.approx(math.sqrt(variance), rel=1e-12)
    t_975_4 = 2.7764451051977987  # Student's t, 97.5 % quantile, 4 df (tables)
    assert student["ci_high"] == pytest.approx(float(mean) + t_975_4 * math.sqrt(variance))
    assert normal["ci_high"] == pytest.approx(float(mean) + 1.959963985 * math.sqrt(variance))
    with pytest.raises(ValueError, match="Onbekend interval"):
        weighted_means(data, "y", weights, interval="z")


def test_method_sentence_states_the_rule():
    sentence = interval_rule_text()
    assert "Korn en Graubard" in sentence and "0 %" in sentence and "10" in sentence
    # Its example is Clopper–Pearson's upper end for 0 of 88: 4,1 %.
    assert f"{100 * (1 - 0.025 ** (1 / 88)):.1f}".replace(".", ",") in sentence
