"""Data-subject requests: find, export, erase, restrict, object; due dates and the audit trail."""

import json
from datetime import date

import pytest
import sqlalchemy as sa

from app.draws.frame import Exclusions, eligibility, load_frame
from app.extensions import db
from app.invitations import services as invitation_services
from app.models import (
    Answer,
    Assignment,
    AuditEvent,
    DataSubjectRequest,
    Margin,
    Member,
    Resident,
    Response,
    Suppression,
)
from app.privacy import people, rights
from app.surveys import distribution
from tests.web.privacy.test_privacy_study import make_chain
from tests.web.register.test_register_import import REFERENCE, SAMPLE, do_import


@pytest.mark.parametrize(("received", "due"), [
    (date(2026, 1, 31), date(2026, 2, 28)), (date(2028, 1, 31), date(2028, 2, 29)),
    (date(2026, 3, 15), date(2026, 4, 15)), (date(2026, 12, 15), date(2027, 1, 15)),
    (date(2026, 5, 31), date(2026, 6, 30))])
def test_due_date_is_one_month_later(received, due):
    assert rights.due_date(received) == due


def member_resident() -> tuple[Member, Resident]:
    member = db.session.scalar(sa.select(Member).order_by(Member.id).limit(1))
    return member, member.resident


def open_and_link(client, kind: str, resident: Resident) -> DataSubjectRequest:
    response = client.post("/privacy/verzoeken", data={"kind": kind, "received_on": "2026-03-02",
                                                       "note": "brief"})
    assert response.status_code == 302
    record = db.session.scalar(sa.select(DataSubjectRequest).order_by(
        DataSubjectRequest.id.desc()).limit(1))
    assert record.due_on == date(2026, 4, 2)
    assert client.post(f"/privacy/verzoeken/{record.id}/koppelen",
                       data={"resident_id": resident.id}).status_code == 302
    return record


def step(client, record, action: str, **extra):
    return client.post(f"/privacy/verzoeken/{record.id}/stap",
                       data={"action": action, "confirm": "y", **extra})


def test_search_by_name_and_address_finds_the_person(app, client, login_as):
    make_chain()
    _, resident = member_resident()
    login_as("researcher")
    record = rights.open_request("access", date(2026, 3, 1))
    db.session.commit()
    page = client.post(f"/privacy/verzoeken/{record.id}/zoeken", data={
        "last_name": resident.last_name.upper(), "street": resident.street,
        "house_number": resident.house_number, "postcode": resident.postcode})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f'value="{resident.id}"' in text
    found = people.find_by_name(resident.last_name, street=resident.street,
                                house_number=resident.house_number, postcode=resident.postcode)
    assert resident in found and all(r.last_name == resident.last_name for r in found)
    assert db.session.scalar(sa.select(AuditEvent.details).where(
        AuditEvent.action == "dsr_search"))["matches"] >= 1


def test_search_by_survey_code_finds_the_person(app):
    chain = make_chain()
    survey = chain["survey"]
    paper = db.session.scalar(sa.select(Assignment).where(
        Assignment.survey_id == survey.id, Assignment.channel == "paper",
        Assignment.status != "completed").limit(1))
    codes = dict((a.id, code) for a, code in distribution.issue_paper_codes(survey))
    db.session.commit()
    expected = people.resident_of(paper)
    assert people.find_by_code(codes[paper.id]) == expected
    assert people.find_by_code("ZZZZZZZZZZ") is None


def test_access_export_holds_everything_but_no_hash(app, client, login_as):
    make_chain()
    member, resident = member_resident()
    member.email = "inwoner@example.org"
    db.session.commit()
    login_as("researcher")
    record = open_and_link(client, "access", resident)
    response = client.post(f"/privacy/verzoeken/{record.id}/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    bundle = json.loads(response.data)
    assert bundle["register"]["last_name"] == resident.last_name
    assert bundle["memberships"][0]["email"] == "inwoner@example.org"
    answered = [s for s in bundle["surveys"] if s["answers"]]
    assignment = db.session.scalar(sa.select(Assignment).where(Assignment.member_id == member.id))
    assert [s["pseudonym"] for s in bundle["surveys"]] == [assignment.pseudonym]
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(Answer).join(Response)
                               .where(Response.assignment_id == assignment.id))
    assert sum(len(s["answers"]) for s in answered) == stored
    assert resident.person_key not in response.get_data(as_text=True)
    assert "inzage geëxporteerd" in [entry["action"] for entry in
                                      db.session.get(DataSubjectRequest, record.id).log]


def test_erasure_removes_personal_data_and_keeps_aggregates(app, client, login_as):
    make_chain()
    member, resident = member_resident()
    assignment = db.session.scalar(sa.select(Assignment).where(Assignment.member_id == member.id))
    margins = db.session.scalar(sa.select(sa.func.sum(Margin.count)))
    responses = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
    login_as("researcher")
    record = open_and_link(client, "erasure", resident)
    assert step(client, record, "erase", answers="anonymise").status_code == 302
    db.session.expire_all()
    resident = db.session.get(Resident, resident.id)
    assert (resident.last_name, resident.street, resident.birth_date) == (None, None, None)
    assert resident.erased_at is not None and not resident.in_frame
    assert db.session.get(Member, member.id).email is None
    assert db.session.get(Member, member.id).status == "left"
    unlinked = db.session.get(Assignment, assignment.id)
    assert (unlinked.member_id, unlinked.selection_id) == (None, None)
    assert db.session.scalar(sa.select(sa.func.sum(Margin.count))) == margins
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == responses
    assert db.session.scalar(sa.select(AuditEvent.details).where(
        AuditEvent.action == "dsr_gewist"))["assignments_unlinked"] == 1
    do_import(SAMPLE.read_bytes(), reference_date=REFERENCE)  # a re-import does not refill
    db.session.expire_all()
    assert db.session.get(Resident, resident.id).last_name is None


def test_erasure_can_delete_the_answers(app, client, login_as):
    make_chain()
    member, resident = member_resident()
    assignment = db.session.scalar(sa.select(Assignment).where(Assignment.member_id == member.id))
    had = db.session.scalar(sa.select(Response.id).where(Response.assignment_id == assignment.id))
    login_as("researcher")
    record = open_and_link(client, "erasure", resident)
    assert step(client, record, "erase", answers="delete").status_code == 302
    assert db.session.scalar(sa.select(Response.id).where(
        Response.assignment_id == assignment.id)) is None
    if had is not None:
        assert db.session.scalar(sa.select(Answer.id).where(Answer.response_id == had)) is None


def test_restriction_excludes_from_draws_and_letters(app, client, login_as):
    chain = make_chain()
    invitation = invitation_services.letter_invitations
    selection = chain["draw"].selections[0]
    resident = selection.resident
    login_as("researcher")
    record = open_and_link(client, "restriction", resident)
    assert step(client, record, "restrict").status_code == 302
    frame = load_frame()
    mask, counts = eligibility(frame, Exclusions(invited_within_months=None))
    row = frame.index[frame["id"] == resident.id][0]
    assert not mask[row] and counts["beperking van de verwerking (art. 18 AVG)"] == 1
    from app.models import Invitation
    letter = db.session.scalar(sa.select(Invitation).where(Invitation.selection_id == selection.id))
    assert invitation_services.is_suppressed(letter)
    assert step(client, record, "lift").status_code == 302
    mask, counts = eligibility(load_frame(), Exclusions(invited_within_months=None))
    assert counts["beperking van de verwerking (art. 18 AVG)"] == 0
    assert invitation is not None


def test_objection_puts_the_keyed_hash_on_the_list_every_draw_checks(app, client, login_as):
    from app.draws import services as draw_services

    make_chain()
    member, resident = member_resident()
    login_as("researcher")
    record = open_and_link(client, "objection", resident)
    assert step(client, record, "object").status_code == 302
    keys = list(db.session.scalars(sa.select(Suppression.person_key)))
    assert keys == [resident.person_key] and len(keys[0]) == 64
    assert db.session.get(Member, member.id).status == "left"
    frame = load_frame()
    eligible = int(eligibility(frame, Exclusions(invited_within_months=None),
                               today=REFERENCE)[0].sum())
    draw = draw_services.run_draw(purpose="survey_sample", strata=["sex"], n=eligible,
                                  method="proportional", seed=3,
                                  rules=Exclusions(invited_within_months=None))
    drawn = {selection.resident_id for selection in draw.selections}
    assert len(drawn) == eligible and resident.id not in drawn
    assert draw.exclusions["bezwaar (niet meer contacteren)"] == 1


def test_request_log_highlights_overdue_requests(app, client, login_as):
    login_as("researcher")
    late = rights.open_request("access", date(2020, 1, 10))
    rights.open_request("erasure", date.today())
    db.session.commit()
    page = client.get("/privacy/verzoeken").get_data(as_text=True)
    assert page.count('class="overdue"') == 1 and "over tijd" in page
    assert rights.list_requests()[0].id == late.id
    assert rights.overdue_count() == 1
    assert step(client, late, "done").status_code == 302
    assert rights.overdue_count() == 0
    assert step(client, late, "done").status_code == 422  # already closed


def test_steps_need_a_person_and_a_confirmation(app, client, login_as):
    login_as("researcher")
    record = rights.open_request("erasure", date.today())
    db.session.commit()
    assert step(client, record, "erase").status_code == 422
    response = client.post(f"/privacy/verzoeken/{record.id}/stap", data={"action": "erase"})
    assert response.status_code == 422
