"""Issue 16 against R's survey package: calibrate() SEs, Korn–Graubard, totals, t intervals.

The values are in ``data/edge_reference_values.csv``, written by ``data/make_edge_reference.R``
(R 4.2.2, survey 4.1.1). Designs ``cal_*`` are raked with ``calibrate(calfun = "raking")``,
whose SEs use the calibration linearisation (our default, with the base weights); the designs
raked with R ``rake()`` use its backfitting linearisation (our ``linearisation="backfitting"``).
"""

import numpy as np
import pytest

from reports.estimates import make_design, weighted_means, weighted_proportions, weighted_totals
from reports.weighting import rake
from tests.reports.data import reference

CALIBRATED = ["cal_rake2", "cal_rake3", "cal_strat_rake2"]


def r_design(name: str):
    data = reference.sample().set_index("id")
    weights = reference.edge_weights(name)
    base = {"base_weights": data["base_weight"]} if name.startswith("cal_") else {}
    return data, weights, make_design(data, weights, **reference.EDGE_DESIGNS[name], **base)


@pytest.mark.parametrize("name", CALIBRATED)
def test_raking_weights_equal_calibrate_raking(name):
    data = reference.sample().set_index("id")
    margins = reference.margins(*reference.DESIGNS[name[4:]]["margins"])
    ours = rake(data, margins, base_weights=data["base_weight"])
    np.testing.assert_allclose(ours.to_numpy(), reference.edge_weights(name).to_numpy(),
                               rtol=1e-9)


@pytest.mark.parametrize("name", CALIBRATED)
@pytest.mark.parametrize("by", [None, "sex"])
def test_calibration_linearisation_matches_r_calibrate(name, by):
    data, weights, design = r_design(name)
    table = weighted_proportions(data, "answer", weights, by=by, design=design)
    for row in table.itertuples():
        expected = reference.edge_value(name, "proportion_se", row.group, row.category)
        assert row.se == pytest.approx(expected, rel=1e-6)
    for row in weighted_means(data, "score", weights, by=by, design=design).itertuples():
        assert row.se == pytest.approx(reference.edge_value(name, "mean_se", row.group,
                                                            "score"), rel=1e-6)


@pytest.mark.parametrize("name", list(reference.EDGE_DESIGNS))
def test_korn_graubard_matches_r_svyciprop_beta(name):
    data, weights, design = r_design(name)
    overall = weighted_proportions(data, "answer", weights, design=design, interval="beta")
    women = weighted_proportions(data, "answer", weights, by="sex", design=design,
                                 interval="beta")
    rows = [*overall.itertuples(), *women[(women["group"] == "V")
                                          & (women["category"] == "eens")].itertuples()]
    for row in rows:
        for end, value in (("low", row.ci_low), ("high", row.ci_high)):
            expected = reference.edge_value(name, "ciprop_beta", row.group,
                                            f"{row.category}:{end}")
            assert value == pytest.approx(expected, rel=1e-6), (row.group, row.category, end)


@pytest.mark.parametrize("name", list(reference.EDGE_DESIGNS))
@pytest.mark.parametrize("by", [None, "sex"])
def test_totals_match_r_svytotal(name, by):
    data, weights, design = r_design(name)
    for row in weighted_totals(data, "score", weights, by=by, design=design).itertuples():
        assert row.total == pytest.approx(reference.edge_value(name, "total", row.group,
                                                               "score"), rel=1e-9)
        assert row.se == pytest.approx(reference.edge_value(name, "total", row.group,
                                                            "score_se"), rel=1e-6)


@pytest.mark.parametrize("name", list(reference.EDGE_DESIGNS))
def test_mean_t_interval_matches_r_confint_with_degf(name):
    data, weights, design = r_design(name)
    row = weighted_means(data, "score", weights, design=design, interval="t").iloc[0]
    assert row["ci_low"] == pytest.approx(reference.edge_value(name, "mean_ci_t", "Totaal",
                                                               "low"), rel=1e-9)
    assert row["ci_high"] == pytest.approx(reference.edge_value(name, "mean_ci_t", "Totaal",
                                                                "high"), rel=1e-9)
