"""Raking SEs by the calibration linearisation (issue 16, point 2).

The reference is the calibration (GREG) linearisation written out here from its definition
(Deville and Särndal 1992; R ``survey:::svyrecvar`` for ``calibrate(..., calfun = "raking")``):
with scores ``x``, final weights ``w``, base weights ``d`` and ``z = x / w``, the residual is
``w (z - X b)`` where ``b`` is the least-squares fit of ``z`` on the full dummy matrix ``X`` of
the margins weighted by ``d``; the variance is the (stratified, fpc) with-replacement variance
of the residuals. It is computed with an explicit dummy matrix and ``numpy.linalg.lstsq``,
not with the code under test. The same SEs are compared with R's ``calibrate()`` in
:mod:`tests.reports.test_r_edges`.
"""

import numpy as np
import pandas as pd
import pytest

from reports.errors import ReportsError
from reports.estimates import make_design, weighted_means, weighted_proportions
from tests.reports.data import reference

CASES = ["rake2", "rake3", "strat_rake2"]


def hand_variance(data, scores, design_name):
    spec = reference.DESIGNS[design_name]
    weights = reference.weights(design_name).to_numpy(float)
    base = data["base_weight"].to_numpy(float)
    dummies = pd.get_dummies(data[list(spec["margins"])].astype(str)).to_numpy(float)
    root = np.sqrt(base)
    ratio = scores / weights
    fit = np.linalg.lstsq(dummies * root[:, None], ratio * root, rcond=None)[0]
    residual = weights * (ratio - dummies @ fit)
    strata = data[spec["strata"]].to_numpy() if "strata" in spec else np.zeros(len(data))
    variance = 0.0
    for stratum in np.unique(strata):
        member = strata == stratum
        r = residual[member]
        n_h = member.sum()
        fraction = n_h / data.loc[member, spec["fpc"]].iloc[0] if "fpc" in spec else 0.0
        variance += (1 - fraction) * n_h / (n_h - 1) * np.sum((r - r.mean()) ** 2)
    return variance


def ratio_scores(y, weights, domain):
    weight = np.where(domain, weights, 0.0)
    estimate = np.sum(weight * y) / weight.sum()
    return estimate, weight * (y - estimate) / weight.sum()


def calibration_design(data, name, **options):
    weights = reference.weights(name)
    design = make_design(data, weights, **reference.DESIGNS[name],
                         base_weights=data["base_weight"], **options)
    return weights, design


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("group", [None, "V"])
def test_calibration_linearisation_matches_the_definition(name, group):
    data = reference.sample().set_index("id")
    weights, design = calibration_design(data, name)
    by = None if group is None else "sex"
    in_group = np.ones(len(data), bool) if group is None else (data["sex"] == group).to_numpy()
    answered = data["answer"].notna().to_numpy()
    row = weighted_proportions(data, "answer", weights, by=by, design=design)
    row = row[(row["group"] == (group or "Totaal")) & (row["category"] == "eens")].iloc[0]
    y = (data["answer"] == "eens").to_numpy(float)
    estimate, scores = ratio_scores(y, weights.to_numpy(), in_group & answered)
    assert row["proportion"] == pytest.approx(estimate, rel=1e-12)
    assert row["se"] == pytest.approx(np.sqrt(hand_variance(data, scores, name)), rel=1e-6)
    score = data["score"].to_numpy(float)
    has_score = ~np.isnan(score)
    mean, scores = ratio_scores(np.nan_to_num(score), weights.to_numpy(), in_group & has_score)
    means = weighted_means(data, "score", weights, by=by, design=design)
    means = means[means["group"] == (group or "Totaal")].iloc[0]
    assert means["mean"] == pytest.approx(mean, rel=1e-12)
    assert means["se"] == pytest.approx(np.sqrt(hand_variance(data, scores, name)), rel=1e-6)


@pytest.mark.parametrize("name", CASES)
def test_calibration_is_the_default_and_backfitting_stays_available(name):
    data = reference.sample().set_index("id")
    weights, default = calibration_design(data, name)
    _, explicit = calibration_design(data, name, linearisation="calibration")
    _, backfitting = calibration_design(data, name, linearisation="backfitting")
    tables = [weighted_proportions(data, "answer", weights, design=design)["se"].to_numpy()
              for design in (default, explicit, backfitting)]
    np.testing.assert_allclose(tables[0], tables[1], rtol=1e-12)
    # Unequal base weights: R rake()'s approximation is measurably off (here 0.1–0.4 %).
    assert np.max(np.abs(tables[2] / tables[0] - 1)) > 1e-4
    expected = [reference.value(name, "proportion_se", "Totaal", category)
                for category in weighted_proportions(data, "answer", weights)["category"]]
    np.testing.assert_allclose(tables[2], expected, rtol=1e-6)  # backfitting = R rake()


def test_with_equal_base_weights_both_linearisations_agree():
    data = reference.sample().set_index("id")
    weights = reference.weights("rake3")
    margins = reference.DESIGNS["rake3"]["margins"]
    ones = pd.Series(3.0, index=data.index)
    calibration = make_design(data, weights, "rake", margins=margins, base_weights=ones)
    backfitting = make_design(data, weights, "rake", margins=margins,
                              linearisation="backfitting")
    first, second = (weighted_means(data, "score", weights, by="district", design=design)["se"]
                     for design in (calibration, backfitting))
    np.testing.assert_allclose(first, second, rtol=1e-9)


def test_poststratification_does_not_depend_on_the_base_weights():
    data = reference.sample().set_index("id")
    weights = reference.weights("post")
    plain = make_design(data, weights, **reference.DESIGNS["post"])
    based = make_design(data, weights, **reference.DESIGNS["post"],
                        base_weights=data["base_weight"])
    first, second = (weighted_proportions(data, "answer", weights, design=design)["se"]
                     for design in (plain, based))
    np.testing.assert_allclose(first, second, rtol=1e-12)


def test_bad_linearisation_or_base_weights_are_refused():
    data = reference.sample().set_index("id")
    weights = reference.weights("rake2")
    with pytest.raises(ReportsError, match="linearisatie"):
        make_design(data, weights, "rake", margins=["sex"], linearisation="sweeps")
    with pytest.raises(ReportsError, match="basisgewichten"):
        make_design(data, weights, "rake", margins=["sex"],
                    base_weights=data["base_weight"].where(data.index != 3, 0.0))


def test_confounded_margins_give_the_same_residuals_as_one_margin():
    data = reference.sample().set_index("id")
    data = data.assign(sex_copy=data["sex"])
    weights = reference.weights("rake2")
    once, twice = (make_design(data, weights, "rake", margins=columns,
                               base_weights=data["base_weight"])
                   for columns in (["age_band", "sex"], ["age_band", "sex", "sex_copy"]))
    first, second = (weighted_means(data, "score", weights, by="district", design=design)["se"]
                     for design in (once, twice))
    np.testing.assert_allclose(first, second, rtol=1e-9)
