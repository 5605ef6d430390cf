"""Claims and optimistic concurrency of paper data entry: one wins, nobody's work is lost."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.entry import services
from app.entry.errors import ChangedElsewhereError, ClaimTakenError
from app.entry.finalise import receive_survey_form
from app.extensions import db
from app.models import AuditEvent, Entry, PaperForm, utcnow
from tests.conftest import login
from tests.web.entry_helpers import (
    TYPED,
    entry_id_from,
    form_of,
    make_paper_survey,
    quick_user,
    save,
    start,
)


@pytest.fixture
def make_user(app):
    return quick_user


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_a_third_clerk_gets_a_clear_message_while_both_passes_are_claimed(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    first, second, third = (make_user("data_entry") for _ in range(3))
    one = entry_id_from(start(_client(app, first), survey.id, code))
    two = entry_id_from(start(_client(app, second), survey.id, code))
    assert {db.session.get(Entry, one).pass_number, db.session.get(Entry, two).pass_number} \
        == {1, 2}
    busy = start(_client(app, third), survey.id, code)
    assert busy.status_code == 422
    assert "Een collega voert dit formulier nu in" in busy.get_data(as_text=True)
    assert len(form_of(assignment).entries) == 2


def test_a_simultaneous_claim_of_the_same_pass_loses_cleanly(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    winner, loser, colleague = (make_user("data_entry") for _ in range(3))
    paper_form = receive_survey_form(survey, code, actor=loser)
    db.session.commit()
    assert paper_form.entries == []  # the loser's session has seen no claims yet
    with db.engine.begin() as connection:  # the winner's request commits first
        for number in (1, 2):
            connection.execute(sa.insert(Entry.__table__).values(
                form_id=paper_form.id, pass_number=number,
                clerk_id=winner.id if number == 1 else colleague.id,
                status="claimed", claimed_at=utcnow(), version=1))
    with pytest.raises(ClaimTakenError, match="Een collega voert dit formulier nu in"):
        services.claim(paper_form, loser)
    db.session.rollback()
    claims = db.session.scalars(sa.select(Entry).where(Entry.form_id == paper_form.id)).all()
    assert [(entry.pass_number, entry.status) for entry in claims] == [(1, "claimed"),
                                                                        (2, "claimed")]
    assert claims[0].clerk_id == winner.id


def test_an_expired_claim_is_taken_over_and_the_late_save_keeps_the_typed_values(
        app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    slow, fast = make_user("data_entry"), make_user("data_entry")
    slow_client = _client(app, slow)
    entry_id = entry_id_from(start(slow_client, survey.id, code))
    version = db.session.get(Entry, entry_id).version
    db.session.get(Entry, entry_id).claimed_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    assert entry_id_from(start(_client(app, fast), survey.id, code)) == entry_id  # pass 1
    late = save(slow_client, entry_id, {**TYPED, "Q12": "mijn getypte tekst"}, version=version)
    page = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "door iemand anders gewijzigd of overgenomen" in page
    assert 'value="mijn getypte tekst"' in page and "Opslaan</button>" not in page
    entry = db.session.get(Entry, entry_id)
    assert (entry.clerk_id, entry.status, entry.keyed_values) == (fast.id, "claimed", None)
    assert db.session.scalar(sa.select(AuditEvent.id).where(
        AuditEvent.action == "entry_claim_taken_over")) is not None


def test_a_claim_within_the_timeout_is_not_taken_over(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    users = [make_user("data_entry") for _ in range(3)]
    start(_client(app, users[0]), survey.id, code)
    start(_client(app, users[1]), survey.id, code)
    for entry in form_of(assignment).entries:
        entry.claimed_at = utcnow() - timedelta(minutes=29)
    db.session.commit()
    assert start(_client(app, users[2]), survey.id, code).status_code == 422


def test_a_row_changed_after_loading_raises_stale_data_and_writes_nothing(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    clerk = make_user("data_entry")
    paper_form = receive_survey_form(survey, code, actor=clerk)
    entry = services.claim(paper_form, clerk)
    db.session.commit()
    loaded_version = entry.version
    assert loaded_version == 1
    with db.engine.begin() as connection:  # someone else's UPDATE after our page loaded
        connection.execute(sa.update(Entry.__table__).where(Entry.id == entry.id)
                           .values(version=Entry.version + 1))
    with pytest.raises(ChangedElsewhereError, match="door iemand anders gewijzigd"):
        services.save_entry(entry, clerk, version=loaded_version, typed=TYPED)
    db.session.rollback()
    fresh = db.session.get(Entry, entry.id)
    assert (fresh.status, fresh.keyed_values, fresh.version) == ("claimed", None, 2)
    assert db.session.get(PaperForm, paper_form.id).status == "received"


def test_a_stale_version_in_the_page_is_refused(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    client = _client(app, make_user("data_entry"))
    entry_id = entry_id_from(start(client, survey.id, code))
    refused = save(client, entry_id, TYPED, version=99)
    assert refused.status_code == 409
    assert db.session.get(Entry, entry_id).status == "claimed"
    assert save(client, entry_id, TYPED).status_code == 302  # with the current version


def test_releasing_a_claim_frees_the_pass(app, make_user):
    survey, [(assignment, code), _] = make_paper_survey()
    client = _client(app, make_user("data_entry"))
    entry_id = entry_id_from(start(client, survey.id, code))
    assert client.post(f"/invoer/pas/{entry_id}/vrijgeven").status_code == 302
    assert form_of(assignment).entries == []
