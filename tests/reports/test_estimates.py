import math

import numpy as np
import pandas as pd
import pytest

from reports.errors import ReportsError
from reports.estimates import difference_test, make_design, weighted_means, weighted_proportions
from tests.reports.data import reference


def r_design(name: str):
    """The fixtures come from R ``rake()``, whose SEs use the backfitting linearisation."""
    data = reference.sample().set_index("id")
    weights = reference.weights(name)
    options = {"linearisation": "backfitting"} if name.startswith(("rake", "strat_rake")) else {}
    return data, weights, make_design(data, weights, **reference.DESIGNS[name], **options)


@pytest.mark.parametrize("name", list(reference.DESIGNS))
@pytest.mark.parametrize("by", [None, "sex"])
def test_proportions_match_r_svymean(name, by):
    data, weights, design = r_design(name)
    table = weighted_proportions(data, "answer", weights, by=by, design=design)
    assert len(table) == (3 if by is None else 6)
    for row in table.itertuples():
        expected = reference.value(name, "proportion", row.group, row.category)
        expected_se = reference.value(name, "proportion_se", row.group, row.category)
        assert row.proportion == pytest.approx(expected, rel=1e-8)
        assert row.se == pytest.approx(expected_se, rel=1e-6)


@pytest.mark.parametrize("name", list(reference.DESIGNS))
@pytest.mark.parametrize("by", [None, "sex"])
def test_means_match_r_svymean(name, by):
    data, weights, design = r_design(name)
    table = weighted_means(data, "score", weights, by=by, design=design)
    for row in table.itertuples():
        assert row.mean == pytest.approx(reference.value(name, "mean", row.group, "score"))
        assert row.se == pytest.approx(reference.value(name, "mean_se", row.group, "score"),
                                       rel=1e-6)


@pytest.mark.parametrize("name", list(reference.DESIGNS))
def test_mean_interval_matches_r_confint(name):
    data, weights, design = r_design(name)
    row = weighted_means(data, "score", weights, design=design).iloc[0]
    assert row["ci_low"] == pytest.approx(reference.value(name, "mean_ci", "Totaal", "low"))
    assert row["ci_high"] == pytest.approx(reference.value(name, "mean_ci", "Totaal", "high"))


@pytest.mark.parametrize("name", list(reference.DESIGNS))
@pytest.mark.parametrize("by", [None, "sex"])
def test_logit_interval_matches_r_svyciprop(name, by):
    data, weights, design = r_design(name)
    table = weighted_proportions(data, "answer", weights, by=by, design=design)
    row = table[(table["group"] == ("Totaal" if by is None else "V"))
                & (table["category"] == "eens")].iloc[0]
    group = row["group"]
    assert row["ci_low"] == pytest.approx(reference.value(name, "ciprop_logit", group, "low"),
                                          rel=1e-6)
    assert row["ci_high"] == pytest.approx(reference.value(name, "ciprop_logit", group, "high"),
                                           rel=1e-6)


def test_simple_random_sample_by_hand():
    data = pd.DataFrame({"q": ["ja", "ja", "nee", "nee", "nee", None]})
    table = weighted_proportions(data, "q", pd.Series(1.0, index=data.index), min_cell=1)
    yes = table[table["category"] == "ja"].iloc[0]
    assert yes["n_answered"] == 5
    assert yes["n_category"] == 2
    assert yes["proportion"] == pytest.approx(0.4)
    # The non-answer stays in the design as a zero score (domain estimation, as R):
    # var = n/(n-1) * sum(((y - p) / 5)^2) with n = 6; R's svymean gives 0.24 as well.
    variance = 6 / 5 * (2 * 0.6**2 + 3 * 0.4**2) / 25
    assert yes["se"] == pytest.approx(math.sqrt(variance))
    assert yes["se"] == pytest.approx(0.24)
    assert yes["wald_low"] == pytest.approx(0.4 - 1.959963985 * 0.24)


def test_poststratified_standard_error_by_hand():
    data = pd.DataFrame({"cell": ["A", "A", "B", "B", "B"], "y": [1.0, 0.0, 1.0, 1.0, 0.0]})
    weights = pd.Series([30.0, 30.0, 40 / 3, 40 / 3, 40 / 3])
    design = make_design(data, weights, method="poststratify", cells=["cell"])
    row = weighted_means(data, "y", weights, design=design, min_cell=1).iloc[0]
    assert row["mean"] == pytest.approx((30 + 80 / 3) / 100)
    residuals = [0.15, -0.15, 40 / 3 / 3 / 100, 40 / 3 / 3 / 100, -80 / 3 / 3 / 100]
    assert row["se"] == pytest.approx(math.sqrt(5 / 4 * sum(r * r for r in residuals)))


def test_small_groups_are_suppressed_with_nan_estimates():
    data = pd.DataFrame({"q": ["a"] * 12 + ["b"] * 3, "g": ["x"] * 12 + ["y"] * 3})
    table = weighted_proportions(data, "q", pd.Series(1.0, index=data.index), by="g")
    small = table[table["group"] == "y"]
    assert small["suppressed"].all()
    assert small[["proportion", "se", "ci_low", "ci_high", "wald_low", "wald_high"]].isna().all(
        axis=None)
    assert small["n_category"].isna().all()
    assert (small["n_answered"] == 3).all()
    assert not table[table["group"] == "x"]["suppressed"].any()
    means = weighted_means(data.assign(v=1.0), "v", pd.Series(1.0, index=data.index), by="g")
    assert means.set_index("group").loc["y", ["mean", "se"]].isna().all()


def test_categorical_order_is_kept_and_intervals_are_valid():
    data, weights, design = r_design("rake3")
    data = data.assign(answer=pd.Categorical(data["answer"], ["oneens", "neutraal", "eens"]))
    table = weighted_proportions(data, "answer", weights, design=design)
    assert table["category"].tolist() == ["oneens", "neutraal", "eens"]
    assert table["proportion"].sum() == pytest.approx(1.0)
    assert (table["ci_low"] < table["proportion"]).all()
    assert (table["proportion"] < table["ci_high"]).all()


def test_row_order_does_not_matter():
    data, weights, _ = r_design("rake2")
    shuffled = data.sample(frac=1, random_state=5)
    first = weighted_proportions(data, "answer", weights, by="district",
                                 design=make_design(data, weights, "rake", margins=["sex"]))
    second = weighted_proportions(shuffled, "answer", weights, by="district",
                                  design=make_design(shuffled, weights, "rake", margins=["sex"]))
    pd.testing.assert_frame_equal(first, second, rtol=1e-10)


def test_design_must_belong_to_the_data():
    data, weights, design = r_design("rake2")
    with pytest.raises(ReportsError, match="ontwerp"):
        weighted_means(data.iloc[:-1], "score", weights, design=design)


def test_difference_test_by_hand():
    z, p = difference_test(0.5, 0.03, 0.4, 0.04)
    assert z == pytest.approx(2.0)
    assert p == pytest.approx(0.0455003, rel=1e-5)
    z, p = difference_test(np.array([0.5, 0.5]), np.array([0.1, 0.0]), 0.5, np.array([0.1, 0.0]))
    assert z[0] == 0.0
    assert np.isnan(p[1])


def test_fpc_as_population_size_or_as_sampling_fraction():
    data, weights, _ = r_design("strat_rake2")
    counts = data.groupby("district")["district"].transform("size")
    data = data.assign(fraction=counts / data["district_population"])
    by_size = make_design(data, weights, "rake", margins=["age_band", "sex"], strata="district",
                          fpc="district_population")
    by_fraction = make_design(data, weights, "rake", margins=["age_band", "sex"],
                              strata="district", fpc="fraction")
    first = weighted_means(data, "score", weights, design=by_size)
    second = weighted_means(data, "score", weights, design=by_fraction)
    assert first["se"].iloc[0] == pytest.approx(second["se"].iloc[0], rel=1e-12)


def test_a_stratum_with_one_respondent_is_refused():
    data = pd.DataFrame({"s": ["a", "a", "b"], "y": [1.0, 2.0, 3.0]})
    weights = pd.Series(1.0, index=data.index)
    design = make_design(data, weights, strata="s")
    with pytest.raises(ReportsError, match="één respondent"):
        weighted_means(data, "y", weights, design=design, min_cell=1)
