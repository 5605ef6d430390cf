"""Access-code brute force is rate limited; objects are only reachable by the right people."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assignment, Report, Response
from app.respond.access import form_token
from tests.conftest import login
from tests.web.privacy.test_privacy_study import make_chain


class TestBruteForce:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "CODE_RATE_LIMIT": "5 per minute",
                "CODE_GLOBAL_RATE_LIMIT": "12 per minute",
                "CODE_PER_CODE_RATE_LIMIT": "100 per hour", "LOGIN_RATE_LIMIT": "20 per minute"}

    @staticmethod
    def attempts(client, url: str, ip: str, count: int) -> list[int]:
        return [client.post(url, data={"code": f"ABCDEFGH{n:02d}"},
                            environ_base={"REMOTE_ADDR": ip}).status_code
                for n in range(count)]

    def test_join_codes_per_ip_then_global(self, app, client, make_user):
        statuses = self.attempts(client, "/doe-mee/", "10.1.0.1", 7)
        assert statuses[:5] == [422] * 5 and statuses[5:] == [429, 429]
        spread = [self.attempts(client, "/doe-mee/", f"10.2.0.{n}", 1)[0] for n in range(1, 12)]
        assert 429 in spread, "a botnet spread over many addresses hits the global limit"
        assert spread.index(429) == 12 - 5  # five were used by the first address
        user = make_user("researcher")
        login(client, user)  # staff logins have their own bucket: not locked out

    def test_survey_codes_per_ip(self, app, client):
        statuses = self.attempts(client, "/antwoorden/", "10.3.0.1", 6)
        assert statuses[:5] == [422] * 5 and statuses[5] == 429
        assert self.attempts(client, "/antwoorden/", "10.3.0.2", 1) == [422]


def test_roles_cannot_reach_other_roles_objects(app, client, make_user):
    chain = make_chain(members=20, draw_size=5)
    survey, draw = chain["survey"], chain["draw"]
    hidden = Report(survey_id=survey.id, kind="xlsx", title="Microdata", content=b"PK")
    unpublished = Report(survey_id=survey.id, kind="pdf", title="Concept", content=b"%PDF")
    db.session.add_all([hidden, unpublished])
    db.session.commit()
    urls = [f"/bevragingen/{survey.id}", f"/bevragingen/{survey.id}/definitie.json",
            f"/resultaten/bevraging/{survey.id}", f"/trekkingen/{draw.id}",
            f"/trekkingen/{draw.id}/selectie.csv", f"/register/{chain['import'].id}",
            f"/panels/{survey.panel_id}", f"/uitnodigingen/panel/{survey.panel_id}/leden",
            f"/uitnodigingen/reeks/{chain['batch'].id}", "/privacy/verzoeken",
            f"/privacy/studies/{chain['study'].id}", "/privacy/dpia.md"]
    for role in ("data_entry", "councillor"):
        login(client, make_user(role))
        leaks = [url for url in urls if client.get(url).status_code not in (403, 404)]
        assert leaks == [], role
        client.post("/auth/logout")
    login(client, make_user("councillor"))
    for report in (hidden, unpublished):
        assert client.get(f"/resultaten/rapport/{report.id}").status_code == 404
        assert client.get(f"/resultaten/rapport/{report.id}/download").status_code == 404
    hidden.published_at = unpublished.published_at = sa.func.now()
    db.session.commit()
    assert client.get(f"/resultaten/rapport/{hidden.id}/download").status_code == 404  # micro
    assert client.get(f"/resultaten/rapport/{unpublished.id}/download").status_code == 200


def test_a_respondent_cannot_reach_another_respondents_answers(app, client):
    chain = make_chain(members=20, draw_size=5)
    survey = chain["survey"]
    survey.status = "open"
    mine, theirs = db.session.scalars(sa.select(Assignment).where(
        Assignment.survey_id == survey.id, Assignment.status != "completed").limit(2)).all()
    db.session.execute(sa.delete(Answer).where(Answer.response_id.in_(
        sa.select(Response.id).where(Response.assignment_id.in_([mine.id, theirs.id])))))
    db.session.execute(sa.delete(Response).where(Response.assignment_id.in_([mine.id,
                                                                             theirs.id])))
    db.session.commit()
    token = form_token(mine)
    assert client.post("/antwoorden/vragenlijst/deel/S1", data={
        "form_token": token, "q-Q1": "2", "action": "save"}).status_code == 302
    forged = re.sub(r"^[^.]+", "Mg", token)  # the assignment id changed, the signature kept
    assert client.post("/antwoorden/vragenlijst/deel/S1", data={
        "form_token": forged, "q-Q1": "3", "action": "save"}).status_code == 400
    assert client.post("/antwoorden/vragenlijst/deel/S1", data={
        "form_token": str(theirs.id), "q-Q1": "3", "action": "save"}).status_code == 400
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(
        Response.assignment_id == theirs.id))
    assert stored == 0
    page = client.get("/antwoorden/vragenlijst/deel/S1").get_data(as_text=True)
    assert form_token(theirs) not in page and form_token(mine) in page


def test_member_and_join_links_cannot_be_guessed(app, client):
    make_chain(members=5, draw_size=5)
    assert client.get("/doe-mee/t/" + "A" * 43).status_code in (404, 410)
    with client.session_transaction() as session:
        session["join"] = {"invitation": 1, "nonce": "guess"}
    assert client.get("/doe-mee/toestemming").status_code in (302, 403, 404)
