import numpy as np
import pandas as pd
import pytest

from reports.errors import RakingDidNotConverge, WeightingError
from reports.weighting import design_weights, poststratify, propensity_adjustment, rake, trim
from tests.reports.data import reference

R_MARGINS = {"rake2": ("age_band", "sex"), "rake3": ("age_band", "sex", "district")}


def sample_with_id_index() -> pd.DataFrame:
    return reference.sample().set_index("id")


def test_design_weights_are_inverse_probabilities():
    weights = design_weights(pd.Series([0.5, 0.25, 1.0], index=["a", "b", "c"]))
    pd.testing.assert_series_equal(
        weights, pd.Series([2.0, 4.0, 1.0], index=["a", "b", "c"], name="design_weight"))


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.2, np.nan])
def test_design_weights_reject_impossible_probabilities(bad):
    with pytest.raises(WeightingError, match="rij 'b'"):
        design_weights(pd.Series([0.5, bad], index=["a", "b"]))


@pytest.mark.parametrize("design", ["rake2", "rake3"])
def test_rake_matches_r_survey(design):
    data = sample_with_id_index()
    margins = reference.margins(*R_MARGINS[design])
    ours = rake(data, margins, base_weights=data["base_weight"])
    np.testing.assert_allclose(ours.to_numpy(), reference.weights(design).to_numpy(), rtol=1e-6)


def test_poststratify_matches_r_survey():
    data = sample_with_id_index()
    ours = poststratify(data, ["age_band", "sex"], reference.cell_totals(), data["base_weight"])
    np.testing.assert_allclose(ours.to_numpy(), reference.weights("post").to_numpy(), rtol=1e-6)


def test_poststratify_by_hand():
    data = pd.DataFrame({"sex": ["M", "M", "V", "V", "V"], "age": ["j", "o", "j", "j", "o"]})
    base = pd.Series([1.0, 1.0, 1.0, 3.0, 1.0])
    totals = pd.Series({("M", "j"): 10.0, ("M", "o"): 20.0, ("V", "j"): 40.0, ("V", "o"): 30.0})
    weights = poststratify(data, ["sex", "age"], totals, base_weights=base)
    np.testing.assert_allclose(weights.to_numpy(), [10.0, 20.0, 10.0, 30.0, 30.0])


def test_poststratify_errors_name_the_cell():
    data = pd.DataFrame({"sex": ["M", "V"], "age": ["j", "j"]})
    with pytest.raises(WeightingError, match=r"\('V', 'j'\).*geen populatietotaal"):
        poststratify(data, ["sex", "age"], {("M", "j"): 5.0})
    with pytest.raises(WeightingError, match=r"\('M', 'o'\).*geen respondenten.*Voeg"):
        poststratify(data, ["sex", "age"], {("M", "j"): 5, ("V", "j"): 5, ("M", "o"): 5})
    with pytest.raises(WeightingError, match="'age'.*ontbrekende"):
        poststratify(data.assign(age=["j", None]), ["sex", "age"], {("M", "j"): 5.0})


def test_raking_preserves_the_sample_odds_ratio_and_meets_margins():
    data = pd.DataFrame({"a": ["x"] * 30 + ["y"] * 70, "b": ["p"] * 10 + ["q"] * 20 + ["p"] * 50
                         + ["q"] * 20})
    weights = rake(data, {"a": {"x": 500, "y": 500}, "b": {"p": 300, "q": 700}})
    table = weights.groupby([data["a"], data["b"]]).sum()
    assert table["x"].sum() == pytest.approx(500)
    assert table[:, "q"].sum() == pytest.approx(700)
    odds = table["x", "p"] * table["y", "q"] / (table["x", "q"] * table["y", "p"])
    assert odds == pytest.approx((10 * 20) / (20 * 50))


def test_rake_ignores_row_order():
    data = sample_with_id_index()
    margins = reference.margins("age_band", "sex", "district")
    shuffled = data.sample(frac=1, random_state=3)
    first = rake(data, margins, data["base_weight"])
    second = rake(shuffled, margins, shuffled["base_weight"])
    pd.testing.assert_series_equal(first, second.reindex(first.index), rtol=1e-12)


def test_rake_category_errors():
    data = pd.DataFrame({"sex": ["M", "V", "X"]})
    with pytest.raises(WeightingError, match="'X'.*geen populatietotaal"):
        rake(data, {"sex": {"M": 1, "V": 1}})
    with pytest.raises(WeightingError, match="'Y'.*geen respondenten"):
        rake(data, {"sex": {"M": 1, "V": 1, "X": 1, "Y": 1}})


def test_rake_margins_with_different_totals():
    data = pd.DataFrame({"a": ["x", "y", "x", "y"], "b": ["p", "p", "q", "q"]})
    margins = {"a": {"x": 60, "y": 40}, "b": {"p": 30, "q": 30}}
    with pytest.raises(WeightingError, match="totaal van 'b'"):
        rake(data, margins)
    weights = rake(data, margins, rescale_margins=True)
    assert weights.groupby(data["b"]).sum().tolist() == pytest.approx([50, 50])
    assert weights.groupby(data["a"]).sum().tolist() == pytest.approx([60, 40])


def test_rake_reports_non_convergence():
    data = sample_with_id_index()
    with pytest.raises(RakingDidNotConverge, match="na 1 iteraties"):
        rake(data, reference.margins("age_band", "sex", "district"), max_iter=1)


def test_trim_keeps_weights_within_bounds_and_margins_exact():
    data = sample_with_id_index()
    margins = reference.margins("age_band", "sex", "district")
    raked = rake(data, margins, data["base_weight"] ** 2)
    assert raked.max() > 3 * raked.mean()
    trimmed = trim(raked, lower=0.5, upper=2.0, data=data, margins=margins, max_rounds=50)
    assert trimmed.max() <= 2.0 * trimmed.mean() * (1 + 1e-3)
    assert trimmed.min() >= 0.5 * trimmed.mean() * (1 - 1e-3)
    for column, totals in margins.items():
        achieved = trimmed.groupby(data[column]).sum()
        np.testing.assert_allclose(achieved[list(totals)], list(totals.values()), rtol=1e-8)


def test_trim_without_margins_keeps_the_total():
    weights = pd.Series([1.0, 1.0, 1.0, 1.0, 20.0])
    trimmed = trim(weights, lower=0.3, upper=2.0)
    assert trimmed.sum() == pytest.approx(24.0)
    assert trimmed.max() <= 2.0 * trimmed.mean() * (1 + 1e-3)


def test_trim_raises_when_bounds_cannot_be_met():
    data = pd.DataFrame({"a": ["x", "y", "y", "y"]})
    weights = rake(data, {"a": {"x": 50, "y": 50}})
    with pytest.raises(WeightingError, match="buiten"):
        trim(weights, lower=0.9, upper=1.1, data=data, margins={"a": {"x": 50, "y": 50}})


def invited_people():
    group = np.repeat(["a", "b", "c"], [100, 200, 100])
    responded = np.concatenate([np.arange(100) < 20, np.arange(200) < 100, np.arange(100) < 80])
    return pd.DataFrame({"group": group}), pd.Series(responded)


def test_inverse_propensity_is_inverse_group_response_rate():
    invited, responded = invited_people()
    factors = propensity_adjustment(invited, responded, ["group"], classes=None)
    assert factors.index.equals(invited.index[responded.to_numpy()])
    expected = invited["group"][responded].map({"a": 1 / 0.2, "b": 1 / 0.5, "c": 1 / 0.8})
    np.testing.assert_allclose(factors.to_numpy(), expected.to_numpy(), rtol=1e-2)


def test_propensity_classes_use_class_response_rates():
    invited, responded = invited_people()
    factors = propensity_adjustment(invited, responded, ["group"], classes=2)
    by_group = factors.groupby(invited["group"][responded]).first()
    # The median propensity is group b's; a value on a class edge belongs to the upper class.
    assert by_group["a"] == pytest.approx(100 / 20)
    assert by_group["b"] == pytest.approx(300 / 180)
    assert by_group["c"] == pytest.approx(300 / 180)


def test_propensity_needs_respondents_and_nonrespondents():
    invited, _ = invited_people()
    with pytest.raises(WeightingError, match="niet"):
        propensity_adjustment(invited, pd.Series(True, index=invited.index), ["group"])


def test_propensity_classes_with_equal_base_weights_match_unweighted():
    invited, responded = invited_people()
    unweighted = propensity_adjustment(invited, responded, ["group"], classes=3)
    weighted = propensity_adjustment(invited, responded, ["group"], classes=3,
                                     base_weights=pd.Series(4.0, index=invited.index))
    pd.testing.assert_series_equal(unweighted, weighted)
