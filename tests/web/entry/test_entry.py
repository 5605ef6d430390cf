"""Double entry of paper questionnaires: agreement, conflicts, resolution, refusals, dashboard."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Answer, AuditEvent, Conflict, Entry, Response, utcnow
from tests.web.entry_helpers import (
    EXPECTED,
    TYPED,
    entry_id_from,
    form_of,
    key_form,
    make_paper_survey,
    quick_user,
    start,
)


@pytest.fixture
def make_user(app):
    return quick_user


def _answers(response_id):
    return {row.question_code: row.value for row in db.session.scalars(
        sa.select(Answer).where(Answer.response_id == response_id))}


def _responses(assignment):
    return db.session.scalars(sa.select(Response).where(
        Response.assignment_id == assignment.id)).all()


def test_agreeing_passes_make_exactly_one_paper_response(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    first = key_form(app.test_client(), make_user("data_entry"), survey.id, code)
    assert first.status_code == 302
    assert form_of(assignment).status == "keyed_once"
    assert _responses(assignment) == []
    second = key_form(app.test_client(), make_user("data_entry"), survey.id, code)
    assert second.status_code == 302
    [response] = _responses(assignment)
    assert (response.mode, response.status, response.survey_version) == ("paper", "complete", 1)
    assert _answers(response.id) == EXPECTED
    paper_form = form_of(assignment)
    assert paper_form.status == "final" and paper_form.response_id == response.id
    assert paper_form.final_values["Q5_d"] == "#leeg" and paper_form.final_values["Q4"] == "#leeg"
    assert db.session.get(type(assignment), assignment.id).status == "completed"
    third = start(_logged_in(app, make_user("data_entry")), survey.id, code)
    assert third.status_code == 422 and "al volledig ingevoerd" in third.get_data(as_text=True)


def _logged_in(app, user):
    from tests.conftest import login

    client = app.test_client()
    login(client, user)
    return client


def test_a_form_with_a_web_response_is_refused_clearly(app, make_user):
    survey, [(assignment, code), (late, late_code)] = make_paper_survey()
    now = utcnow()
    db.session.add(Response(assignment_id=assignment.id, survey_id=survey.id, mode="web",
                            status="complete", started_at=now, submitted_at=now))
    db.session.commit()
    refused = start(_logged_in(app, make_user("data_entry")), survey.id, code)
    assert refused.status_code == 422
    assert "al een antwoord via de website" in refused.get_data(as_text=True)
    assert form_of(assignment) is None
    # The web response arrives after the first pass: the second pass is refused, nothing lost.
    assert key_form(app.test_client(), make_user("data_entry"), survey.id,
                    late_code).status_code == 302
    db.session.add(Response(assignment_id=late.id, survey_id=survey.id, mode="web",
                            status="partial", started_at=now))
    db.session.commit()
    second = key_form(app.test_client(), make_user("data_entry"), survey.id, late_code)
    assert second.status_code == 422
    assert "al een antwoord via de website" in second.get_data(as_text=True)
    assert [row.mode for row in _responses(late)] == ["web"]
    assert form_of(late).status == "keyed_once"


def test_a_disagreement_lists_exactly_the_differing_fields(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    key_form(app.test_client(), make_user("data_entry"), survey.id, code)
    # Q9 typed in another order means the same boxes: not a difference.
    other = {**TYPED, "Q2": "5", "Q5_c": "?", "Q9": "4 2", "Q12": "Meer groen  in de wijk "}
    assert key_form(app.test_client(), make_user("data_entry"), survey.id,
                    code, other).status_code == 302
    paper_form = form_of(assignment)
    assert paper_form.status == "conflict"
    conflicts = {item.field: (item.first_value, item.second_value)
                 for item in paper_form.conflicts}
    assert conflicts == {"Q2": ("4", "5"), "Q5_c": ("1", "#onleesbaar")}
    assert _responses(assignment) == []


def _conflicted(app, make_user, first_clerk=None):
    survey, [(assignment, code), _] = make_paper_survey()
    first_clerk = first_clerk or make_user("data_entry")
    second_clerk = make_user("data_entry")
    key_form(app.test_client(), first_clerk, survey.id, code)
    key_form(app.test_client(), second_clerk, survey.id, code,
             {**TYPED, "Q2": "5", "Q5_c": "?"})
    return survey, assignment, form_of(assignment), (first_clerk, second_clerk)


def test_resolution_makes_the_response_and_is_audited(app, make_user):
    survey, assignment, paper_form, clerks = _conflicted(app, make_user)
    researcher = make_user("researcher")
    client = _logged_in(app, researcher)
    page = client.get(f"/invoer/formulier/{paper_form.id}").get_data(as_text=True)
    assert "4 – Eens" in page and "5 – Helemaal eens" in page and "onleesbaar" in page
    incomplete = client.post(f"/invoer/formulier/{paper_form.id}",
                             data={"source-Q2": "first"})
    assert incomplete.status_code == 422 and _responses(assignment) == []
    done = client.post(f"/invoer/formulier/{paper_form.id}",
                       data={"source-Q2": "second", "source-Q5_c": "other",
                             "other-Q5_c": "2"})
    assert done.status_code == 302
    [response] = _responses(assignment)
    assert _answers(response.id) == {**EXPECTED, "Q2": "5", "Q5": {**EXPECTED["Q5"], "c": "2"}}
    resolved = {item.field: (item.resolved_value, item.resolved_by_id)
                for item in db.session.scalars(sa.select(Conflict))}
    assert resolved == {"Q2": ("5", researcher.id), "Q5_c": ("2", researcher.id)}
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "entry_conflict_resolved"))
    assert event.actor_id == researcher.id and event.object_id == str(paper_form.id)
    assert event.details == {"sources": {"Q2": "second", "Q5_c": "other"}}
    # Error rates: the first clerk keyed Q2 and Q5_c differently from the resolution.
    overview = client.get(f"/invoer/overzicht/{survey.id}").get_data(as_text=True)
    first_rate = f"{2 / 16 * 100:.1f}\u00a0%".replace(".", ",")  # Dutch: a decimal comma
    assert first_rate in overview and "definitief" not in overview.lower().split("verschillen")[0]


def test_a_resolver_who_keyed_the_form_is_refused(app, make_user):
    admin = make_user("admin")
    _, assignment, paper_form, _ = _conflicted(app, make_user, first_clerk=admin)
    client = _logged_in(app, admin)
    page = client.get(f"/invoer/formulier/{paper_form.id}").get_data(as_text=True)
    assert "zelf ingevoerd" in page
    refused = client.post(f"/invoer/formulier/{paper_form.id}",
                          data={"source-Q2": "first", "source-Q5_c": "first"})
    assert refused.status_code == 422 and "zelf ingevoerd" in refused.get_data(as_text=True)
    assert form_of(assignment).status == "conflict" and _responses(assignment) == []


def test_the_same_clerk_can_never_key_both_passes(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    clerk = make_user("data_entry")
    client = _logged_in(app, clerk)
    entry_id = entry_id_from(start(client, survey.id, code))
    again = start(client, survey.id, code)  # an unsaved claim is resumed, not doubled
    assert entry_id_from(again) == entry_id
    key_form(client, clerk, survey.id, code)
    refused = start(client, survey.id, code)
    assert refused.status_code == 422
    assert "controle-invoer moet door een collega" in refused.get_data(as_text=True)
    assert len(form_of(assignment).entries) == 1
    db.session.add(Entry(form_id=form_of(assignment).id, pass_number=2, clerk_id=clerk.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
    else:
        raise AssertionError("the database accepted a second pass by the same clerk")


def test_server_side_validation_keeps_the_typed_values(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    client = _logged_in(app, make_user("data_entry"))
    entry_id = entry_id_from(start(client, survey.id, code))
    from tests.web.entry_helpers import save

    bad = {**TYPED, "Q1": "9", "Q10": "25", "Q2": "", "Q11": "*"}
    response = save(client, entry_id, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies een vakje van 1 tot 6." in page and "Vul een getal van 1 tot en met 20 in." in page
    assert "Typ het antwoord, of . (leeg)" in page and "alleen bij een keuzevraag" in page
    assert 'value="Meer groen  in de wijk"' in page and 'value="25"' in page
    assert db.session.get(Entry, entry_id).status == "claimed"
