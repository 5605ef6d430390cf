"""Helpdesk lookup: staff type a letter code and see the invitation's status and timeline."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.invitations import joining, keys
from app.models import AuditEvent
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch, print_letters


@pytest.fixture
def app_config():
    return dict(CONFIG)


def test_the_code_shows_status_and_timeline_in_dutch_and_is_audited(client, login_as):
    batch = make_batch(3)
    login_as("researcher")
    print_letters(client, batch)
    invitation = invitations_of(batch)[0]
    joining.decline(invitation, source="paper", actor=None)
    db.session.commit()
    code, _token = keys.invitation_secrets(invitation)
    typed = code.lower().replace("-", " ")  # as read out on the phone
    page = client.post("/uitnodigingen/opzoeken", data={"code": typed}).get_data(as_text=True)
    resident = invitation.selection.resident
    assert resident.last_name in page and resident.street in page
    assert "doet niet mee" in page
    assert page.index("brief afgedrukt") < page.index("zei nee")
    assert "op papier of telefonisch" in page
    assert "Antwoord van de inwoner registreren" not in page  # already answered
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "invitation_viewed"))
    assert event.details == {"via": "code"} and code not in str(event.details)


def test_an_unknown_code_is_a_clear_error_and_nothing_is_shown(client, login_as):
    make_batch(2)
    login_as("data_entry")
    response = client.post("/uitnodigingen/opzoeken", data={"code": "AAAA-BBBB-CC"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Deze code kennen we niet" in page and "Wat er gebeurde" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "invitation_viewed")) == 0


def test_a_fresh_invitation_offers_to_register_the_reply(client, login_as):
    batch = make_batch(2)
    login_as("researcher")
    code, _ = keys.invitation_secrets(invitations_of(batch)[0])
    page = client.post("/uitnodigingen/opzoeken", data={"code": code}).get_data(as_text=True)
    assert "nog niet verstuurd" in page and "de brief werd nog niet afgedrukt" in page
    assert "Antwoord van de inwoner registreren" in page


def test_times_are_shown_in_belgian_local_time(client, login_as):
    from datetime import UTC, datetime

    from app.invitations import services

    batch = make_batch(1)
    invitation = invitations_of(batch)[0]
    services.add_events([invitation.id], "letter_printed")
    for event in services.timeline(invitation):
        event.at = datetime(2026, 7, 1, 21, 30, tzinfo=UTC)  # summer time: UTC+2
    db.session.commit()
    login_as("researcher")
    code, _ = keys.invitation_secrets(invitation)
    page = client.post("/uitnodigingen/opzoeken", data={"code": code}).get_data(as_text=True)
    assert "01/07/2026 23:30" in page
