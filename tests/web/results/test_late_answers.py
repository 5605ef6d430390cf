"""A late paper form never blocks a report; failed attempts show why, can go, and stay hidden."""

import io
from datetime import UTC, datetime

import numpy as np
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.demo.story import fake_answer
from app.extensions import db
from app.models import Answer, AuditEvent, Job, Report, Response, WeightSet
from app.results import reporting
from app.surveys.definition import load_definition
from reports.content.data import build_report_data
from reports.content.method_text import weighting_rows
from reports.render.slides import method_lines
from tests.conftest import login
from tests.web.register.test_register_import import SAMPLE, do_import
from tests.web.survey_factory import build_survey_with_responses, survey_assignments


@pytest.fixture
def weighted(app, client, login_as):
    do_import(SAMPLE.read_bytes())
    survey = build_survey_with_responses(150)
    login_as("researcher")
    client.post(f"/resultaten/bevraging/{survey.id}/wegen",
                data={"method": "rake", "variables": ["age_band", "sex"]})
    return survey


def _key_in_a_late_paper_form(survey) -> None:
    assignment = next(a for a in survey_assignments(survey) if db.session.scalar(
        sa.select(Response.id).where(Response.assignment_id == a.id)) is None)
    now = datetime.now(UTC)
    response = Response(assignment_id=assignment.id, survey_id=survey.id, mode="paper",
                        status="complete", started_at=now, submitted_at=now)
    db.session.add(response)
    db.session.flush()
    rng = np.random.default_rng(5)
    for question in load_definition(survey.versions[-1].definition).questions:
        db.session.add(Answer(response_id=response.id, question_code=question.code,
                              value=fake_answer(question, rng)))
    db.session.commit()


def _reports() -> list[Report]:
    return list(db.session.scalars(sa.select(Report).order_by(Report.id)))


def test_the_page_says_how_many_answers_came_after_the_weighting(weighted, client):
    _key_in_a_late_paper_form(weighted)
    page = client.get(f"/resultaten/bevraging/{weighted.id}").get_data(as_text=True)
    assert "1 antwoord kwam binnen na deze weging." in page
    assert "Opnieuw wegen met dezelfde keuzes" in page and 'name="stored_weights"' in page


def test_a_report_without_a_choice_is_refused_before_any_attempt(weighted, client):
    _key_in_a_late_paper_form(weighted)
    response = client.post(f"/resultaten/bevraging/{weighted.id}/rapport",
                           data={"kind": "pdf"}, follow_redirects=True)
    assert "1 antwoord kwam binnen na deze weging" in response.get_data(as_text=True)
    assert _reports() == []


def test_one_click_re_weighting_keeps_the_choices_and_weights_everyone(weighted, client):
    before = db.session.scalars(sa.select(WeightSet)).one()
    _key_in_a_late_paper_form(weighted)
    response = client.post(f"/resultaten/bevraging/{weighted.id}/herwegen")
    assert response.status_code == 302
    after = db.session.scalars(sa.select(WeightSet).where(WeightSet.is_current)).one()
    assert after.id != before.id
    assert (after.method, after.variables, after.margins_import_id) == (
        before.method, before.variables, before.margins_import_id)
    assert len(after.weights) == len(before.weights) + 1
    assert reporting.late_responses(weighted, after) == 0
    page = client.get(f"/resultaten/bevraging/{weighted.id}").get_data(as_text=True)
    assert "binnen na deze weging" not in page


def test_reporting_with_the_stored_weights_says_so(weighted, client):
    weight_set = db.session.scalars(sa.select(WeightSet)).one()
    _key_in_a_late_paper_form(weighted)
    client.post(f"/resultaten/bevraging/{weighted.id}/rapport",
                data={"kind": "pdf", "stored_weights": "y"})
    report = _reports()[0]
    assert report.content is not None and report.parameters["stored_weights"] is True
    data = reporting.report_input(weighted, weight_set, min_cell=10, stored_weights=True)
    assert data.method.late_responses_excluded == 1
    assert len(data.responses) == len(weight_set.weights)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report.content)).pages)
    assert "bewaarde gewichten: 1 antwoord dat na de weging binnenkwam, telt niet mee" in " ".join(
        text.split())
    built = build_report_data(data)  # the slides and the workbook say it too
    sentence = "Dit rapport gebruikt de bewaarde gewichten: 1 antwoord dat na de weging"
    assert any(sentence in line for line in method_lines(built))
    assert any(sentence in " ".join(map(str, row)) for row in weighting_rows(
        built.method.description))


def _failing_attempt(survey, client, monkeypatch) -> Report:
    def broken(_data):
        raise RuntimeError("KeyError: 'district' in make_design")

    monkeypatch.setitem(reporting.RENDERERS, "pdf", broken)
    client.post(f"/resultaten/bevraging/{survey.id}/rapport", data={"kind": "pdf"})
    return _reports()[-1]


def test_a_failed_attempt_shows_a_readable_reason_and_can_be_removed(weighted, client,
                                                                       monkeypatch):
    report = _failing_attempt(weighted, client, monkeypatch)
    job = db.session.get(Job, report.job_id)
    assert job.status == "failed" and "technische fout" in job.error and "KeyError" not in job.error
    page = client.get(f"/resultaten/bevraging/{weighted.id}").get_data(as_text=True)
    assert "mislukt" in page and "technische fout" in page
    assert client.post(f"/resultaten/rapport/{report.id}/verwijderen").status_code == 302
    assert _reports() == []
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report_removed"))
    assert event.details["kind"] == "pdf" and "technische fout" in event.details["reason"]


def test_a_finished_report_cannot_be_removed_this_way(weighted, client):
    client.post(f"/resultaten/bevraging/{weighted.id}/rapport", data={"kind": "pdf"})
    report = _reports()[0]
    client.post(f"/resultaten/rapport/{report.id}/verwijderen")
    assert _reports() == [report]


def test_councillors_never_see_a_failed_attempt(weighted, client, make_user, monkeypatch):
    report = _failing_attempt(weighted, client, monkeypatch)
    report.published_at = datetime.now(UTC)  # even if someone marked it published
    db.session.commit()
    assert reporting.published_reports() == []
    client.post("/auth/logout")
    login(client, make_user("councillor"))
    assert client.get(f"/resultaten/rapport/{report.id}").status_code == 404
    assert f"/resultaten/rapport/{report.id}" not in client.get("/resultaten/").get_data(
        as_text=True)
