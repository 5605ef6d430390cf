"""Weighting respondents to the stored register margins."""

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Margin, Survey, WeightSet
from app.results import weighting
from reports.errors import WeightingError
from tests.web.test_register_import import SAMPLE, do_import


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
                                      Margin.age_band != "<18")).all()
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
        Margin.import_id == record.id, Margin.age_band != "<18"))
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
