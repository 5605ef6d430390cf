"""The keying grammar, single keying with a seeded verification sample, and reply slips."""

import pytest
import sqlalchemy as sa

from app.entry import fields as keying
from app.entry.settings import in_verification_sample
from app.extensions import db
from app.invitations import keys
from app.models import EntrySetting, Invitation, Member, Response
from app.surveys.definition import load_definition
from tests.conftest import login
from tests.web.entry_helpers import (
    EXPECTED,
    TYPED,
    entry_id_from,
    form_of,
    key_form,
    make_paper_survey,
    quick_user,
    save,
    start,
)
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch
from tests.web.survey_factory import EXAMPLE


@pytest.fixture
def app_config():
    return dict(CONFIG)


@pytest.fixture
def fields():
    return {item.key: item for item in keying.entry_fields(load_definition(EXAMPLE.read_text()))}


@pytest.mark.parametrize(("key", "typed", "expected"), [
    ("Q1", "3", "3"), ("Q1", "6", "98"), ("Q1", "98", "98"), ("Q1", ".", "#leeg"),
    ("Q1", "?", "#onleesbaar"), ("Q1", "*", "#meerdere"), ("Q5_b", "2", "2"),
    ("Q7", "1,5", ["1", "5"]), ("Q7", "51", ["1", "5"]), ("Q9", "8 2", ["2", "8"]),
    ("Q10", "20", 20), ("Q11", "01/02/2001", "2001-02-01"), ("Q11", "98", "98"),
    ("Q12", "  tekst ", "tekst"),
])
def test_typed_keys_become_web_normal_values_or_distinct_codes(fields, key, typed, expected):
    assert keying.read_field(fields[key], typed) == (expected, None)


@pytest.mark.parametrize(("key", "typed"), [
    ("Q1", "7"), ("Q1", "0"), ("Q7", "1 9"), ("Q9", "1 2 3 4"), ("Q10", "21"), ("Q10", "*"),
    ("Q11", "31/02/2001"), ("Q11", "1/1/1900"),
])
def test_invalid_keys_are_refused_with_a_message(fields, key, typed):
    value, error = keying.read_field(fields[key], typed)
    assert value is None and error


def test_the_verification_sample_is_reproducible_and_near_its_share():
    ids = range(1, 4001)
    chosen = {unit for unit in ids if in_verification_sample(unit, 0.1, seed=7)}
    again = {unit for unit in reversed(ids) if in_verification_sample(unit, 0.1, seed=7)}
    other = {unit for unit in ids if in_verification_sample(unit, 0.1, seed=8)}
    assert chosen == again and chosen != other
    # Binomial(4000, 0.1): mean 400, sd 19; four sd either side.
    assert 324 <= len(chosen) <= 476
    assert not any(in_verification_sample(unit, 0.0, seed=7) for unit in ids)
    assert all(in_verification_sample(unit, 1.0, seed=7) for unit in ids)


def test_single_keying_finalises_unsampled_forms_and_verifies_sampled_ones(app):
    survey, issued = make_paper_survey(count=8)
    researcher = app.test_client()
    login(researcher, quick_user("researcher"))
    changed = researcher.post(f"/invoer/overzicht/{survey.id}/instelling",
                              data={"mode": "single", "share": "50", "seed": "3"})
    assert changed.status_code == 302
    setting = db.session.scalar(sa.select(EntrySetting))
    assert (setting.mode, setting.verification_share, setting.seed) == ("single", 0.5, 3)
    clerk = app.test_client()
    login(clerk, quick_user("data_entry"))
    for _, code in issued:
        assert save(clerk, entry_id_from(start(clerk, survey.id, code)), TYPED).status_code \
            == 302
    sampled = {assignment.id for assignment, _ in issued
               if in_verification_sample(assignment.id, 0.5, seed=3)}
    assert 0 < len(sampled) < len(issued)  # seed 3 gives both kinds among these ids
    for assignment, _ in issued:
        paper_form = form_of(assignment)
        assert paper_form.sampled_for_verification == (assignment.id in sampled)
        assert paper_form.status == ("keyed_once" if assignment.id in sampled else "final")
    final = db.session.scalars(sa.select(Response)).all()
    assert len(final) == len(issued) - len(sampled)
    assert all(response.mode == "paper" for response in final)


def test_reply_slips_are_keyed_twice_and_applied_through_the_join_service(app):
    invitation, declining = invitations_of(make_batch(n=2))
    code = keys.invitation_secrets(invitation)[0]
    slip = {"reply": "1", "consent": "1", "contact": "1", "email": "an@example.org",
            "language": "1"}
    first, second = quick_user("data_entry"), quick_user("data_entry")
    assert key_form(app.test_client(), first, "stroken", code, slip).status_code == 302
    assert db.session.scalar(sa.select(Member)) is None
    conflicted = key_form(app.test_client(), second, "stroken", code,
                          {**slip, "email": "an@exampel.org"})
    assert conflicted.status_code == 302
    researcher = app.test_client()
    login(researcher, quick_user("researcher"))
    overview = researcher.get("/invoer/overzicht/stroken").get_data(as_text=True)
    assert "Formulier" in overview
    from app.models import PaperForm

    paper_form = db.session.scalar(sa.select(PaperForm).where(PaperForm.kind == "slip"))
    assert [item.field for item in paper_form.conflicts] == ["email"]
    assert researcher.post(f"/invoer/formulier/{paper_form.id}",
                           data={"source-email": "first"}).status_code == 302
    member = db.session.scalar(sa.select(Member))
    assert (member.email, member.contact_preference, member.language) == \
        ("an@example.org", "email", "nl")
    assert member.consent_text_version.startswith("papier-")
    assert db.session.get(Invitation, invitation.id).status == "joined"
    decline_code = keys.invitation_secrets(declining)[0]
    for clerk in (first, second):
        key_form(app.test_client(), clerk, "stroken", decline_code, {"reply": "2"})
    assert db.session.get(Invitation, declining.id).status == "declined"


def test_a_clerk_can_key_a_whole_form_with_the_expected_answers(app):
    survey, [(assignment, code), _] = make_paper_survey()
    client = app.test_client()
    login(client, quick_user("data_entry"))
    page = client.post("/invoer/", data={"survey": str(survey.id), "code": code.lower()})
    entry_id = entry_id_from(page)
    html = client.get(f"/invoer/pas/{entry_id}").get_data(as_text=True)
    assert '<span class="entry-number">5a</span>' in html and "autofocus" in html
    assert save(client, entry_id, TYPED).status_code == 302
    assert keying.answers_from(load_definition(EXAMPLE.read_text()),
                               form_of(assignment).entries[0].keyed_values) == EXPECTED
