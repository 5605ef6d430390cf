"""Anonymising a survey cuts assignments loose from people, irreversibly and audited."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Assignment, AuditEvent, Response
from app.privacy import people
from app.surveys import distribution
from tests.web.privacy.test_privacy_study import make_chain


def linked(survey_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Assignment).where(
        Assignment.survey_id == survey_id, sa.or_(Assignment.member_id.is_not(None),
                                                  Assignment.selection_id.is_not(None))))


def test_only_a_closed_survey_can_be_anonymised(app, client, login_as):
    survey = make_chain()["survey"]
    login_as("researcher")
    url = f"/privacy/bevraging/{survey.id}/anonimiseren"
    assert client.post(url, data={"confirm_text": "ANONIEM"}).status_code == 422
    assert linked(survey.id) > 0


def test_anonymise_cuts_the_link_and_keeps_the_answers(app, client, login_as):
    survey = make_chain()["survey"]
    paper = db.session.scalar(sa.select(Assignment).where(
        Assignment.survey_id == survey.id, Assignment.channel == "paper",
        Assignment.status != "completed").limit(1))
    codes = dict((a.id, code) for a, code in distribution.issue_paper_codes(survey))
    survey.status = "closed"
    db.session.commit()
    assert people.find_by_code(codes[paper.id]) is not None
    responses = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
    total = linked(survey.id)
    login_as("researcher")
    url = f"/privacy/bevraging/{survey.id}/anonimiseren"
    assert f"Nog {total} toewijzingen" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"confirm_text": "ja"}).status_code == 422
    assert linked(survey.id) == total
    assert client.post(url, data={"confirm_text": "anoniem"}).status_code == 302
    assert linked(survey.id) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == responses
    assert people.find_by_code(codes[paper.id]) is None
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "survey_anonymised"))
    assert event.details == {"assignments": total}
    again = client.post(url, data={"confirm_text": "ANONIEM"})
    assert again.status_code == 422 or "al geanonimiseerd" in again.get_data(as_text=True)
