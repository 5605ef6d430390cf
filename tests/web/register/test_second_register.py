"""A new register import never breaks an older survey: it keeps its own margins and cells."""

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Margin, RegisterImport, WeightSet
from app.results import data
from tests.web.register.test_register_import import SAMPLE, as_bytes, do_import, sample_lines
from tests.web.survey_factory import build_survey_with_responses

VARIABLES = ["age_band", "sex", "district"]


def _year_two() -> bytes:
    """A year later: the first 60 people moved to a new district, 20 others left."""
    lines = sample_lines()
    rows = [line.split(";") for line in lines[1:] if line]
    for row in rows[:60]:
        row[-1] = "Nieuwwijk"
    return as_bytes([lines[0], *[";".join(row) for row in rows[:-20]]])


@pytest.fixture
def two_years(app):
    first = do_import(SAMPLE.read_bytes())
    survey = build_survey_with_responses(150)
    second = do_import(_year_two(), reference_date=date(2027, 1, 1))
    assert second.status == "committed" and survey.register_import_id == first.id
    return survey, first, second


def _weigh(client, survey, **extra):
    form = {"method": "rake", "variables": VARIABLES, **extra}
    return client.post(f"/resultaten/bevraging/{survey.id}/wegen", data=form)


def _population(record: RegisterImport) -> float:
    return db.session.scalar(sa.select(sa.func.sum(Margin.count)).where(
        Margin.import_id == record.id, Margin.age_band.not_like("<%")))


def test_re_weighting_an_old_survey_uses_its_own_register(two_years, client, login_as):
    survey, first, _second = two_years
    login_as("researcher")
    response = _weigh(client, survey)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    weight_set = db.session.scalars(sa.select(WeightSet)).one()
    assert weight_set.margins_import_id == first.id
    assert pd.Series(weight_set.weights).sum() == pytest.approx(_population(first))
    frame = data.respondent_frame(survey)
    assert "Nieuwwijk" not in set(frame["district"])  # the cells of year one
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"registerimport {first.id} (export.csv), peildatum 01/01/2026" in page
    assert "register van deze bevraging" in page


def test_a_newer_register_is_used_only_when_chosen(two_years, client, login_as):
    survey, first, second = two_years
    login_as("researcher")
    page = client.get(f"/resultaten/bevraging/{survey.id}").get_data(as_text=True)
    assert f"registerimport {first.id} (export.csv), peildatum 01/01/2026" in page
    assert f'<option value="{second.id}">Registerimport {second.id}, peildatum 01/01/2027' in page
    response = _weigh(client, survey, register_import_id=str(second.id))
    assert response.status_code == 302
    weight_set = db.session.scalars(sa.select(WeightSet)).one()
    assert weight_set.margins_import_id == second.id
    assert pd.Series(weight_set.weights).sum() == pytest.approx(_population(second))
    assert "Nieuwwijk" in set(data.respondent_frame(survey, second.id)["district"])
    assert "nieuwer register" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_import_that_is_neither_own_nor_latest_is_refused(two_years, client, login_as):
    survey, first, second = two_years
    third = do_import(_year_two(), reference_date=date(2027, 6, 1))
    login_as("researcher")
    response = _weigh(client, survey, register_import_id=str(second.id))
    assert response.status_code == 422
    assert "het nieuwste register" in response.get_data(as_text=True)
    assert third.id != first.id
