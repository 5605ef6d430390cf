"""Respondent pages through the Flask test client: access, autosave, conditions, submit."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assignment, Response
from app.surveys import distribution, services

DEFINITION = {
    "format": "stadspanel-survey", "version": 1, "languages": ["nl", "fr"],
    "title": {"nl": "Buurtbevraging", "fr": "Enquête de quartier"},
    "intro": {"nl": "Welkom bij de bevraging."},
    "sections": [
        {"code": "S1", "title": {"nl": "Uw buurt", "fr": "Votre quartier"}, "questions": [
            {"code": "Q1", "type": "single", "required": True,
             "text": {"nl": "Hebt u een tuin?", "fr": "Avez-vous un jardin ?"},
             "help": {"nl": "Een koer telt niet."},
             "options": [{"value": "1", "label": {"nl": "Ja", "fr": "Oui"}},
                         {"value": "2", "label": {"nl": "Nee", "fr": "Non"}}]},
            {"code": "Q2", "type": "number", "text": {"nl": "Hoe groot is uw tuin (m²)?"},
             "settings": {"min": 1, "max": 5000},
             "condition": {"question": "Q1", "operator": "in", "values": ["1"]}},
        ]},
        {"code": "S2", "title": {"nl": "Uw mening"}, "questions": [
            {"code": "Q3", "type": "matrix", "required": True,
             "text": {"nl": "Hoe eens bent u het met deze uitspraken?"},
             "settings": {"points": 5},
             "items": [{"code": "a", "text": {"nl": "De buurt is netjes."}},
                       {"code": "b", "text": {"nl": "De buurt is veilig."}}]},
            {"code": "Q4", "type": "multiple", "text": {"nl": "Wat gebruikt u?"},
             "settings": {"max_choices": 2},
             "options": [{"value": "1", "label": {"nl": "Park"}},
                         {"value": "2", "label": {"nl": "Bib"}},
                         {"value": "3", "label": {"nl": "Zwembad"}}],
             "missing": [{"value": "99", "label": {"nl": "Geen van deze"}}]},
        ]},
        {"code": "S3", "title": {"nl": "Tot slot"}, "questions": [
            {"code": "Q5", "type": "text", "text": {"nl": "Nog iets kwijt?"}},
            {"code": "Q6", "type": "date", "text": {"nl": "Sinds wanneer woont u hier?"},
             "settings": {"min": "1920-01-01", "max": "2030-12-31"}},
        ]},
    ],
}


def make_survey(document=DEFINITION, *, status: str = "open"):
    survey = services.create_survey(document)
    if status == "open":
        services.open_survey(survey)
    db.session.commit()
    return survey


def make_assignment(survey, *, channel: str = "web") -> tuple[Assignment, str, str]:
    assignment = distribution._new_assignment(survey, channel, "nl")
    db.session.add(assignment)
    db.session.flush()
    token, code = distribution.reissue(assignment)
    db.session.commit()
    return assignment, token, code


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def responses(assignment_id: int) -> list[Response]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Response).where(
        Response.assignment_id == assignment_id)).all()


def answers_of(response: Response) -> dict:
    rows = db.session.scalars(sa.select(Answer).where(Answer.response_id == response.id))
    return {row.question_code: row.value for row in rows}


@pytest.fixture
def open_survey(app):
    return make_survey()


@pytest.fixture
def respondent(client, open_survey):
    assignment, token, _code = make_assignment(open_survey)
    response = client.get(f"/antwoorden/t/{token}")
    assert response.status_code == 302
    return assignment


def page(client, code: str):
    response = client.get(f"/antwoorden/vragenlijst/deel/{code}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def post(client, code: str, data: dict, action: str = "next", token: str | None = None):
    token = token or form_token(page(client, code))
    return client.post(f"/antwoorden/vragenlijst/deel/{code}",
                       data={**data, "action": action, "form_token": token})


def test_link_token_becomes_a_session_and_a_clean_url(client, open_survey):
    _assignment, token, _code = make_assignment(open_survey)
    first = client.get(f"/antwoorden/t/{token}")
    assert first.headers["Location"] == "/antwoorden/vragenlijst"
    resumed = client.get("/antwoorden/vragenlijst")
    assert resumed.headers["Location"] == "/antwoorden/vragenlijst/deel/S1"
    assert token not in client.get(resumed.headers["Location"]).get_data(as_text=True)


def test_typed_code_with_spaces_and_lower_case(client, open_survey):
    _assignment, _token, code = make_assignment(open_survey)
    typed = code.lower().replace("-", " ")
    response = client.post("/antwoorden/", data={"code": typed})
    assert response.headers["Location"] == "/antwoorden/vragenlijst"


def test_unknown_code_and_link_are_refused(client, open_survey):
    response = client.post("/antwoorden/", data={"code": "ABCD-EFGH-JK"})
    assert response.status_code == 422
    assert "Deze code kennen we niet" in response.get_data(as_text=True)
    assert client.get("/antwoorden/t/nietbestaand").status_code == 404


def test_page_markup_is_accessible_by_construction(client, respondent):
    html = page(client, "S1")
    assert "Deel 1 van 3" in html and '<progress max="3" value="1"' in html
    assert '<fieldset class="question" id="vraag-Q1" aria-describedby="q-Q1-help">' in html
    assert '<legend lang="nl"><span class="question-number">1.</span> Hebt u een tuin?' in html
    assert '<label for="q-Q1-1" lang="nl">Ja</label>' in html
    assert 'id="vraag-Q2"' not in html


def test_required_error_keeps_input_and_shows_summary(client, respondent):
    response = post(client, "S1", {"q-Q2": "12"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and "Deze vraag is verplicht." in html
    assert 'id="q-Q1-error"' in html and 'aria-describedby="q-Q1-help q-Q1-error"' in html


def test_condition_reveals_question_on_the_same_page(client, respondent):
    response = post(client, "S1", {"q-Q1": "1"})
    assert response.headers["Location"] == "/antwoorden/vragenlijst/deel/S1?nieuw=1"
    assert 'id="vraag-Q2"' in page(client, "S1")
    response = post(client, "S1", {"q-Q1": "1", "q-Q2": "1.250"})
    assert response.headers["Location"] == "/antwoorden/vragenlijst/deel/S2"
    assert answers_of(responses(respondent.id)[0]) == {"Q1": "1", "Q2": 1250}


def test_hidden_answer_is_cleared_when_the_condition_stops_holding(client, respondent):
    post(client, "S1", {"q-Q1": "1"})
    post(client, "S1", {"q-Q1": "1", "q-Q2": "40"})
    post(client, "S1", {"q-Q1": "2"})
    assert answers_of(responses(respondent.id)[0]) == {"Q1": "2"}


def test_invalid_number_is_kept_and_not_saved(client, respondent):
    post(client, "S1", {"q-Q1": "1"})
    response = post(client, "S1", {"q-Q1": "1", "q-Q2": "veel"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="veel"' in html
    assert "Vul een getal in." in html
    assert "Q2" not in answers_of(responses(respondent.id)[0])


def complete(client, token: str | None = None):
    post(client, "S1", {"q-Q1": "2"}, token=token)
    post(client, "S2", {"q-Q3-a": "4", "q-Q3-b": "5", "q-Q4": ["1", "3"]}, token=token)
    post(client, "S3", {"q-Q5": "  Meer bomen <script>  ", "q-Q6": "2001-05-17"}, token=token)


def test_full_response_review_and_submit(client, respondent):
    complete(client)
    review = client.get("/antwoorden/vragenlijst/overzicht").get_data(as_text=True)
    assert "Meer bomen &lt;script&gt;" in review and "17/05/2001" in review
    assert "De buurt is netjes.: Eens" in review
    response = client.post("/antwoorden/vragenlijst/overzicht",
                           data={"form_token": form_token(review)})
    assert response.headers["Location"] == "/antwoorden/vragenlijst/bedankt"
    [stored] = responses(respondent.id)
    assert stored.status == "complete" and stored.submitted_at is not None
    assert answers_of(stored) == {"Q1": "2", "Q3": {"a": "4", "b": "5"}, "Q4": ["1", "3"],
                                  "Q5": "Meer bomen <script>", "Q6": "2001-05-17"}
    assert db.session.get(Assignment, respondent.id).status == "completed"


def test_resubmit_and_late_page_post_create_nothing(client, respondent):
    complete(client)
    token = form_token(client.get("/antwoorden/vragenlijst/overzicht").get_data(as_text=True))
    for _ in range(3):
        again = client.post("/antwoorden/vragenlijst/overzicht", data={"form_token": token})
        assert again.headers["Location"] == "/antwoorden/vragenlijst/bedankt"
    late = client.post("/antwoorden/vragenlijst/deel/S1",
                       data={"q-Q1": "1", "action": "next", "form_token": token})
    assert "al ingevuld" in client.get(late.headers["Location"]).get_data(as_text=True)
    [stored] = responses(respondent.id)
    assert answers_of(stored)["Q1"] == "2"


def test_submit_with_missing_required_answer_goes_back_to_review(client, respondent):
    post(client, "S1", {"q-Q1": "2"})
    token = form_token(page(client, "S2"))
    response = client.post("/antwoorden/vragenlijst/overzicht", data={"form_token": token})
    assert response.headers["Location"] == "/antwoorden/vragenlijst/overzicht?onvolledig=1"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Er ontbreken nog antwoorden" in html and "Vraag 3" in html
    assert responses(respondent.id)[0].status == "partial"


def test_post_after_the_session_expired_still_saves(client, respondent):
    token = form_token(page(client, "S1"))
    client.delete_cookie("session")
    response = post(client, "S1", {"q-Q1": "2"}, token=token)
    assert response.headers["Location"] == "/antwoorden/vragenlijst/deel/S2"
    assert answers_of(responses(respondent.id)[0]) == {"Q1": "2"}


def test_forged_or_missing_form_token_is_refused(client, respondent):
    token = form_token(page(client, "S1"))
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert post(client, "S1", {"q-Q1": "2"}, token=forged).status_code == 400
    assert client.post("/antwoorden/vragenlijst/deel/S1", data={"q-Q1": "2"}).status_code == 400
    assert responses(respondent.id) == []


def test_stop_and_resume_with_the_code_returns_to_the_saved_section(app, open_survey):
    assignment, _token, code = make_assignment(open_survey)
    first = app.test_client()
    first.post("/antwoorden/", data={"code": code})
    post(first, "S1", {"q-Q1": "1"})
    post(first, "S1", {"q-Q1": "1", "q-Q2": "30"})
    assert post(first, "S2", {"q-Q3-a": "2"}, action="save").headers["Location"] \
        == "/antwoorden/vragenlijst/bewaard"
    second = app.test_client()
    second.post("/antwoorden/", data={"code": code})
    assert second.get("/antwoorden/vragenlijst").headers["Location"] \
        == "/antwoorden/vragenlijst/deel/S2"
    assert 'id="q-Q3-a-2" name="q-Q3-a" value="2" checked' in page(second, "S2")
    assert assignment.id == responses(assignment.id)[0].assignment_id


def test_back_keeps_answers_without_required_check(client, respondent):
    post(client, "S1", {"q-Q1": "2"})
    response = post(client, "S2", {"q-Q4": ["2"]}, action="back")
    assert response.headers["Location"] == "/antwoorden/vragenlijst/deel/S1"
    assert answers_of(responses(respondent.id)[0]) == {"Q1": "2", "Q4": ["2"]}
    assert 'value="2" checked' in page(client, "S1")


def test_too_many_choices_and_dont_know_with_others(client, respondent):
    post(client, "S1", {"q-Q1": "2"})
    html = post(client, "S2", {"q-Q3-a": "1", "q-Q3-b": "1", "q-Q4": ["1", "2", "3"]}) \
        .get_data(as_text=True)
    assert "Kruis maximaal 2 antwoorden aan." in html
    html = post(client, "S2", {"q-Q3-a": "1", "q-Q3-b": "1", "q-Q4": ["1", "99"]}) \
        .get_data(as_text=True)
    assert "samen met andere antwoorden" in html


def test_language_switch_marks_french_texts(client, respondent):
    token = form_token(page(client, "S1"))
    response = client.post("/antwoorden/vragenlijst/taal",
                           data={"form_token": token, "language": "fr", "section": "S1"})
    assert response.headers["Location"] == "/antwoorden/vragenlijst/deel/S1"
    html = page(client, "S1")
    assert '<html lang="fr">' in html
    assert '<legend lang="fr"><span class="question-number">1.</span> Avez-vous un jardin ?' in html
    assert '<p class="help" id="q-Q1-help" lang="nl">Een koer telt niet.</p>' in html


def test_closed_and_unopened_surveys_say_so(client, open_survey, respondent):
    services.close_survey(open_survey)
    db.session.commit()
    response = client.get("/antwoorden/vragenlijst")
    assert response.status_code == 403
    assert "afgesloten" in response.get_data(as_text=True)
    draft = make_survey(status="draft")
    _assignment, token, _code = make_assignment(draft)
    client.get(f"/antwoorden/t/{token}")
    assert "nog niet geopend" in client.get("/antwoorden/vragenlijst").get_data(as_text=True)


def test_fieldwork_dates_are_recorded_and_a_reopened_survey_answers_again(client, open_survey,
                                                                            respondent):
    from app.results.reporting import _period

    opened = open_survey.opens_at
    assert opened is not None and open_survey.closes_at is None
    assert _period(open_survey) == f"vanaf {opened:%d/%m/%Y}"
    services.close_survey(open_survey)
    db.session.commit()
    closed = open_survey.closes_at
    assert closed is not None and _period(open_survey) == f"{opened:%d/%m/%Y} – {closed:%d/%m/%Y}"
    assert client.get("/antwoorden/vragenlijst").status_code == 403
    services.open_survey(open_survey)  # reopened: fieldwork started on the first opening
    db.session.commit()
    assert (open_survey.opens_at, open_survey.closes_at) == (opened, None)
    assert client.get("/antwoorden/vragenlijst").status_code == 302


def test_token_of_survey_a_cannot_touch_survey_b(client, app, open_survey):
    assignment_a, token_a, _ = make_assignment(open_survey)
    other = make_survey({**DEFINITION, "title": {"nl": "Andere"}})
    assignment_b, _token_b, _ = make_assignment(other)
    client.get(f"/antwoorden/t/{token_a}")
    token = form_token(page(client, "S1"))
    post(client, "S1", {"q-Q1": "2"}, token=token)
    assert responses(assignment_b.id) == []
    assert len(responses(assignment_a.id)) == 1
    assert "Andere" not in page(client, "S1")


def test_respondent_page_views_pass_the_limiter_but_other_pages_do_not(make_user, database_url,
                                                                        tmp_path):
    """GETs of respondent pages skip every limit lookup (a fast path); others stay limited."""
    from tests.conftest import make_app

    app = make_app(database_url, tmp_path, RATELIMIT_ENABLED=True,
                   RATELIMIT_DEFAULT="2 per minute", RATELIMIT_STORAGE_URI="memory://",
                   CODE_RATE_LIMIT="2 per minute")
    with app.app_context():
        _assignment, token, _code = make_assignment(make_survey())
    client = app.test_client()
    assert client.get(f"/antwoorden/t/{token}").status_code == 302
    assert [page(client, "S1") and 200 for _ in range(5)] == [200] * 5
    assert [client.get("/auth/login").status_code for _ in range(3)] == [200, 200, 429]
    statuses = [client.post("/antwoorden/", data={"code": "AAAA-AAAA-AA"}).status_code
                for _ in range(3)]
    assert statuses[-1] == 429
    with app.app_context():
        db.engine.dispose()


def test_code_entry_is_rate_limited_in_its_own_scope(make_user, database_url, tmp_path):
    from tests.conftest import make_app

    app = make_app(database_url, tmp_path, RATELIMIT_ENABLED=True,
                   CODE_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI="memory://")
    client = app.test_client()
    statuses = [client.post("/antwoorden/", data={"code": "AAAA-AAAA-AA"}).status_code
                for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert client.get("/auth/login").status_code == 200
    assert client.post("/auth/login", data={"email": "x@example.org",
                                            "password": "y"}).status_code != 429
    with app.app_context():
        db.engine.dispose()  # this second app's pool must not outlive the test
