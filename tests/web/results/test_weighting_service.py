"""Weighting respondents to the stored register margins."""

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Margin, Survey, WeightSet
from app.results import weighting
from reports.errors import WeightingError
from tests.web.register.test_register_import import SAMPLE, do_import


@pytest.fixture
def setup(app):
    record = do_import(SAMPLE.read_bytes())
    survey = Survey(title={"nl": "Test"}, status="closed")
    db.session.add(survey)
    db.session.commit()
    return survey, record


def respondents(record_id: int, n: int = 120, seed: int = 3) -> pd.DataFrame:
    """A skewed sample of the adult margin cells (older people answer more)."""
    cells = db.session.execute(sa.select(Margin.age_band, Margin.sex, Margin.district)
                               .where(Margin.import_id == record_id,
                                      Margin.age_band.not_like("<%"))).all()
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(cells, columns=["age_band", "sex", "district"])
    bias = frame["age_band"].map(lambda band: 3.0 if band >= "55" else 1.0).to_numpy()
    rows = rng.choice(len(frame), size=n, p=bias / bias.sum())
    sample = frame.iloc[rows].reset_index(drop=True)
    sample.index = [f"r{i}" for i in range(n)]
    # every category must appear at least once for raking
    sample.iloc[: len(frame)] = frame.to_numpy()[: min(n, len(frame))]
    return sample


def test_raking_matches_the_population_margins(setup):
    survey, record = setup
    sample = respondents(record.id)
    choice = weighting.WeightingChoice(method="rake", variables=["age_band", "sex"])
    weight_set = weighting.create_weight_set(survey, choice, sample, None, None)
    db.session.commit()
    weights = pd.Series(weight_set.weights)
    adults = db.session.scalar(sa.select(sa.func.sum(Margin.count)).where(
        Margin.import_id == record.id, Margin.age_band.not_like("<%")))
    assert weights.sum() == pytest.approx(adults)
    for row in weight_set.diagnostics["margins"]:
        assert row["weighted_share"] == pytest.approx(row["population_share"], abs=1e-6)
    assert weight_set.diagnostics["design_effect"] >= 1
    assert weight_set.is_current


def test_a_new_weight_set_replaces_the_current_one(setup):
    survey, record = setup
    sample = respondents(record.id)
    first = weighting.create_weight_set(
        survey, weighting.WeightingChoice("rake", ["sex"]), sample, None, None)
    second = weighting.create_weight_set(
        survey, weighting.WeightingChoice("rake", ["age_band"]), sample, None, None)
    db.session.commit()
    db.session.refresh(first)
    assert (first.is_current, second.is_current) == (False, True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WeightSet)) == 2


def test_empty_cell_gives_a_clear_error(setup):
    survey, record = setup
    sample = respondents(record.id)
    sample = sample[sample["age_band"] != "75+"]
    with pytest.raises(WeightingError):
        weighting.create_weight_set(
            survey, weighting.WeightingChoice("rake", ["age_band"]), sample, None, None)


def _survey_of_panel_drawn_from(minimum_age: int) -> Survey:
    from app.draws import services as draws
    from app.draws.frame import Exclusions
    from app.models import Panel

    panel = Panel(name=f"Panel vanaf {minimum_age}")
    db.session.add(panel)
    db.session.flush()
    draws.run_draw(purpose="recruitment", strata=["sex"], n=20, method="proportional", seed=5,
                   panel=panel, rules=Exclusions(minimum_age=minimum_age), user_id=None)
    survey = Survey(title={"nl": "Panelbevraging"}, status="closed", panel_id=panel.id)
    db.session.add(survey)
    db.session.commit()
    return survey


def _population_from(record_id: int, bands: list[str]) -> float:
    return db.session.scalar(sa.select(sa.func.sum(Margin.count)).where(
        Margin.import_id == record_id, Margin.age_band.in_(bands)))


def test_a_panel_from_16_weights_its_16_to_17_year_olds_to_their_own_band(app):
    record = do_import(SAMPLE.read_bytes(), minimum_age=16)
    survey = _survey_of_panel_drawn_from(16)
    sample = respondents(record.id)
    assert (sample["age_band"] == "16-17").any()
    weight_set = weighting.create_weight_set(
        survey, weighting.WeightingChoice("rake", ["age_band", "sex"]), sample, None, None)
    weights = pd.Series(weight_set.weights)
    bands = sorted(set(sample["age_band"]))
    assert weights.sum() == pytest.approx(_population_from(record.id, bands))
    young = weights[sample.index[sample["age_band"] == "16-17"]].sum()
    assert young == pytest.approx(_population_from(record.id, ["16-17"]))
    assert weight_set.diagnostics["population_minimum_age"] == 16


def test_a_panel_from_18_leaves_the_16_to_17_band_out_of_the_population(app):
    record = do_import(SAMPLE.read_bytes(), minimum_age=16)
    survey = _survey_of_panel_drawn_from(18)
    sample = respondents(record.id)
    sample = sample[sample["age_band"] != "16-17"]
    weight_set = weighting.create_weight_set(
        survey, weighting.WeightingChoice("rake", ["age_band"]), sample, None, None)
    adults = db.session.scalar(sa.select(sa.func.sum(Margin.count)).where(
        Margin.import_id == record.id, Margin.age_band.not_in(["<16", "16-17"])))
    assert pd.Series(weight_set.weights).sum() == pytest.approx(adults)


def test_register_bands_that_start_above_the_panel_age_are_a_clear_error(app):
    record = do_import(SAMPLE.read_bytes(), minimum_age=18)  # bands "<18", "18-24", …
    survey = _survey_of_panel_drawn_from(16)
    with pytest.raises(WeightingError, match="minimumleeftijd 16"):
        weighting.create_weight_set(survey, weighting.WeightingChoice("rake", ["age_band"]),
                                    respondents(record.id), None, None)


def test_a_band_straddling_the_panel_age_is_a_clear_error(app):
    record = do_import(SAMPLE.read_bytes(), minimum_age=16)
    survey = _survey_of_panel_drawn_from(21)  # 21 lies inside the register's 18-24 band
    with pytest.raises(WeightingError, match="18-24.*minimumleeftijd 21"):
        weighting.create_weight_set(survey, weighting.WeightingChoice("rake", ["age_band"]),
                                    respondents(record.id), None, None)


def test_the_weight_set_page_speaks_plain_dutch(setup, client, login_as):
    survey, record = setup
    weight_set = weighting.create_weight_set(
        survey, weighting.WeightingChoice("rake", ["age_band", "sex"]), respondents(record.id),
        None, None)
    db.session.commit()
    login_as("researcher")
    page = client.get(f"/resultaten/weging/{weight_set.id}").get_data(as_text=True)
    assert "raking (naar elke marge apart)" in page
    assert "leeftijdsgroep, geslacht" in page and "age_band" not in page
    assert "inwoners van 16 jaar en ouder" in page
    assert "<td>vrouw</td>" in page and "Aandeel na weging" in page
    assert "\u00a0%</td>" in page and "-0,0" not in page and "0.000" not in page
