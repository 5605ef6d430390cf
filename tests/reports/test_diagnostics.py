from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from reports.diagnostics import (
    effective_n,
    kish_deff,
    margin_check,
    r_indicator,
    r_indicator_from_response,
    weight_summary,
)
from reports.errors import ReportsError
from tests.reports.data import reference


def test_kish_design_effect_and_effective_n_by_hand():
    weights = [1.0, 1.0, 2.0, 2.0]
    assert kish_deff(weights) == pytest.approx(4 * 10 / 36)
    assert effective_n(weights) == pytest.approx(36 / 10)
    assert kish_deff(np.full(7, 3.5)) == pytest.approx(1.0)


def test_weight_summary_is_consistent_with_kish():
    weights = reference.weights("rake3")
    summary = weight_summary(weights)
    assert summary["min"] == weights.min()
    assert summary["max"] == weights.max()
    assert summary["median"] == pytest.approx(weights.median())
    assert summary["min"] <= summary["p1"] <= summary["p25"] <= summary["p75"] <= summary["p99"]
    assert kish_deff(weights) == pytest.approx(1 + summary["cv"] ** 2)
    assert weight_summary(np.arange(1.0, 102.0))["p25"] == pytest.approx(26.0)


def test_weights_must_be_valid():
    with pytest.raises(ReportsError):
        kish_deff([1.0, -1.0])
    with pytest.raises(ReportsError):
        effective_n([])


def test_margin_check_after_raking():
    data = reference.sample().set_index("id")
    margins = reference.margins("age_band", "sex", "district")
    table = margin_check(data, reference.weights("rake3"), margins)
    assert len(table) == 5 + 2 + 4
    np.testing.assert_allclose(table["difference"], 0.0, atol=1e-10)
    women = table[(table["variable"] == "sex") & (table["category"] == "V")].iloc[0]
    assert women["unweighted_share"] == pytest.approx((data["sex"] == "V").mean())
    assert women["population_share"] == pytest.approx(51819 / 100000)
    before = margin_check(data, data["base_weight"], margins)
    assert before["difference"].abs().max() > 0.01


def test_margin_check_lists_categories_missing_from_the_margin():
    data = pd.DataFrame({"sex": ["M", "V", "X"]})
    table = margin_check(data, pd.Series(1.0, index=data.index), {"sex": {"M": 1, "V": 1}})
    assert table["category"].tolist() == ["M", "V", "X"]
    assert np.isnan(table["population_total"].iloc[2])


def test_r_indicator_by_hand():
    assert r_indicator([0.2, 0.4, 0.6, 0.8]) == pytest.approx(1 - 2 * (0.2 / 3) ** 0.5)
    rho = [Fraction(2, 10), Fraction(4, 10), Fraction(6, 10), Fraction(8, 10)]
    design = [1, 1, 2, 2]
    mean = sum(d * r for d, r in zip(design, rho, strict=True)) / 6
    variance = sum(d * (r - mean) ** 2 for d, r in zip(design, rho, strict=True)) / 5
    expected = 1 - 2 * float(variance) ** 0.5
    assert r_indicator([0.2, 0.4, 0.6, 0.8], weights=design) == pytest.approx(expected)
    assert r_indicator([0.3] * 5) == 1.0


def test_r_indicator_from_response_recovers_group_rates():
    invited = pd.DataFrame({"group": np.repeat(["a", "b"], [100, 300])})
    responded = pd.Series(np.concatenate([np.arange(100) < 30, np.arange(300) < 180]))
    rates = np.repeat([0.3, 0.6], [100, 300])
    expected = 1 - 2 * rates.std(ddof=1)
    assert r_indicator_from_response(invited, responded, ["group"]) == pytest.approx(
        expected, abs=1e-3)
