"""Jury invitations and reminders by e-mail through a real local SMTP server."""
# ruff: noqa: F811  (pytest fixtures imported from the helpers)

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.invitations import keys
from app.juries import candidacy, services
from app.models import Invitation, MailLog, Member, Panel, utcnow
from tests.conftest import PASSWORD
from tests.web.invitations.test_invitations_mail import Sink, free_port
from tests.web.juries.jury_helpers import LETTERS, make_jury, register_loaded  # noqa: F401

DEADLINE = date.today() + timedelta(days=20)


@pytest.fixture(scope="module")
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_config(smtp_port):
    return {**LETTERS, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port,
            "MAIL_FROM": "jury@zennegem.be", "JOBS_INLINE": True, "MAIL_RATE_PER_MINUTE": 0}


@pytest.fixture
def sink(smtp_port):
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


def invited_jury(study, *, with_email: int = 3):
    """A jury with 8 register invitations; the first ``with_email`` invitees are panel members
    who chose e-mail (the one address the city holds)."""
    jury = make_jury(study)
    invitations = candidacy.invite_from_register(jury, n=8, minimum_age=16, seed=11,
                                                 deadline=DEADLINE, user_id=None)
    panel = Panel(name="Stadspanel")
    db.session.add(panel)
    db.session.flush()
    for index, invitation in enumerate(invitations[:with_email]):
        db.session.add(Member(
            panel_id=panel.id, resident_id=invitation.selection.resident_id,
            pseudonym=f"p{index}", consent_text_version="v1", consent_at=utcnow(),
            contact_preference="email", email=f"inwoner{index}@example.org",
            joined_at=utcnow()))
    db.session.commit()
    return jury


def link_of(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://\S+/kandidaat/t/\S+", text).group(0)


def test_jury_email_link_leads_to_a_candidacy(client, login_as, sink, register_loaded):
    jury = invited_jury(register_loaded)
    login_as("researcher")
    response = client.post(f"/juries/{jury.id}/mail", data={"step": "invite"})
    assert response.status_code == 302
    assert sorted(to for (to,), _ in sink.messages) == [
        "inwoner0@example.org", "inwoner1@example.org", "inwoner2@example.org"]
    message = next(m for (to,), m in sink.messages if to == "inwoner1@example.org")
    assert "Burgerjury 2027" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "dpo@zennegem.be" in text and "Gemeenteraadsleden en het publiek" in text
    assert "QR" not in text and "/doe-mee" not in text
    emailed = [i for i in candidacy.invitations(jury) if i.channel == "email"]
    assert len(emailed) == 3 and all(i.status == "sent" and i.sent_at for i in emailed)
    again = client.post(f"/juries/{jury.id}/mail", data={"step": "invite"})
    assert again.status_code == 422 and len(sink.messages) == 3
    client.post("/auth/logout")
    link = link_of(message).replace("http://127.0.0.1:5000", "")
    assert client.get(link).headers["Location"].endswith("/kandidaat/formulier")
    done = client.post("/kandidaat/formulier", data={
        "available": "y", "consent": "y", "f_opleiding": "Lager"})
    assert done.status_code == 302
    invitee = db.session.scalar(sa.select(Invitation).where(
        Invitation.email == "inwoner1@example.org"))
    assert invitee.status == "joined"
    assert [c.invitation_id for c in services.candidates(jury)] == [invitee.id]


def test_letters_are_only_for_invitees_without_email(client, login_as, sink, register_loaded):
    jury = invited_jury(register_loaded)
    login_as("researcher")
    client.post(f"/juries/{jury.id}/mail", data={"step": "invite"})
    assert client.post(f"/juries/{jury.id}/brieven.pdf").status_code == 200
    letters = [i for i in candidacy.invitations(jury) if i.channel == "letter"]
    assert len(letters) == 5 and all(i.status == "sent" for i in letters)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MailLog)) == 3


def test_reminder_only_to_those_who_did_not_respond(client, login_as, sink, register_loaded):
    jury = invited_jury(register_loaded, with_email=4)
    login_as("researcher")
    client.post(f"/juries/{jury.id}/mail", data={"step": "invite"})
    emailed = [i for i in candidacy.invitations(jury) if i.channel == "email"]
    emailed[0].status = "joined"
    emailed[1].status = "declined"
    emailed[2].status = "undeliverable"
    db.session.commit()
    sink.messages.clear()
    assert client.post(f"/juries/{jury.id}/mail", data={"step": "reminder"}).status_code == 302
    assert [to for (to,), _ in sink.messages] == [emailed[3].email]
    assert "Herinnering" in sink.messages[0][1]["Subject"]
    assert db.session.get(Invitation, emailed[3].id).reminded_at is not None
    twice = client.post(f"/juries/{jury.id}/mail", data={"step": "reminder"})
    assert twice.status_code == 422 and len(sink.messages) == 1


def test_no_reminder_after_the_deadline(client, login_as, sink, register_loaded):
    jury = invited_jury(register_loaded)
    login_as("researcher")
    client.post(f"/juries/{jury.id}/mail", data={"step": "invite"})
    jury.deadline = date.today() - timedelta(days=1)
    db.session.commit()
    sink.messages.clear()
    response = client.post(f"/juries/{jury.id}/mail", data={"step": "reminder"})
    assert response.status_code == 422 and "termijn" in response.get_data(as_text=True)
    assert sink.messages == []


@pytest.mark.parametrize("role", ["data_entry", "councillor"])
def test_other_roles_cannot_send_jury_mail(client, login_as, sink, register_loaded, role):
    jury = invited_jury(register_loaded)
    login_as(role)
    assert client.post(f"/juries/{jury.id}/mail", data={"step": "invite"}).status_code == 403
    assert sink.messages == []


class TestCsrf:
    @pytest.fixture
    def app_config(self, smtp_port):
        return {**LETTERS, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port,
                "JOBS_INLINE": True, "WTF_CSRF_ENABLED": True}

    def test_mail_without_token_sends_nothing(self, client, make_user, sink, register_loaded):
        jury = invited_jury(register_loaded)
        user = make_user("researcher")
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                         "csrf_token": token})
        response = client.post(f"/juries/{jury.id}/mail", data={"step": "invite"})
        assert response.status_code in (400, 422) and sink.messages == []
        page = client.get(f"/juries/{jury.id}").get_data(as_text=True)
        assert f'action="/juries/{jury.id}/mail"' in page

    def test_declining_without_the_form_token_changes_nothing(self, client, sink,
                                                              register_loaded):
        jury = invited_jury(register_loaded)
        invitation = candidacy.invitations(jury)[0]
        _code, token = keys.invitation_secrets(invitation)
        db.session.commit()
        assert client.get(f"/kandidaat/afmelden/{token}").status_code == 302
        page = client.get("/kandidaat/formulier").get_data(as_text=True)
        assert client.post("/kandidaat/niet-deelnemen").status_code in (302, 400)
        db.session.expire_all()
        assert db.session.get(Invitation, invitation.id).status != "declined"
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert client.post("/kandidaat/niet-deelnemen", data={"csrf_token": csrf}
                           ).headers["Location"].endswith("/kandidaat/bedankt/declined")
        db.session.expire_all()
        assert db.session.get(Invitation, invitation.id).status == "declined"


def test_the_unsubscribe_link_lets_an_invitee_decline_or_object(client, login_as, sink,
                                                                 register_loaded):
    from app.models import Suppression

    jury = invited_jury(register_loaded)
    login_as("researcher")
    client.post(f"/juries/{jury.id}/mail", data={"step": "invite"})
    client.post("/auth/logout")
    by_address = {to: message for (to,), message in sink.messages}
    for address, action, outcome in (("inwoner0@example.org", "niet-deelnemen", "declined"),
                                     ("inwoner1@example.org", "bezwaar", "objected")):
        visitor = client.application.test_client()
        header = by_address[address]["List-Unsubscribe"].strip("<>")
        assert "/kandidaat/afmelden/" in header
        landing = visitor.get(header.replace("http://127.0.0.1:5000", ""))
        assert landing.headers["Location"].endswith("/kandidaat/formulier#niet-meedoen")
        page = visitor.get("/kandidaat/formulier").get_data(as_text=True)
        assert 'id="niet-meedoen"' in page and "Nee, ik stel me geen kandidaat" in page
        invitee = db.session.scalar(sa.select(Invitation).where(Invitation.email == address))
        assert invitee.status == "sent"
        done = visitor.post(f"/kandidaat/{action}")
        assert done.headers["Location"].endswith(f"/kandidaat/bedankt/{outcome}")
        db.session.expire_all()
        assert db.session.get(Invitation, invitee.id).status == "declined"
    objector = db.session.scalar(sa.select(Invitation).where(
        Invitation.email == "inwoner1@example.org"))
    key = objector.selection.resident.person_key
    assert db.session.scalar(sa.select(Suppression).where(Suppression.person_key == key))
    sink.messages.clear()
    login_as("researcher")
    assert client.post(f"/juries/{jury.id}/mail", data={"step": "reminder"}).status_code == 302
    assert [to for (to,), _ in sink.messages] == ["inwoner2@example.org"]


def test_an_invitee_whose_email_bounced_gets_a_letter(client, login_as, sink, register_loaded):
    jury = invited_jury(register_loaded)
    login_as("researcher")
    client.post(f"/juries/{jury.id}/mail", data={"step": "invite"})
    bounced = next(i for i in candidacy.invitations(jury) if i.channel == "email")
    bounced.status = "undeliverable"
    db.session.commit()
    response = client.post(f"/juries/{jury.id}/brieven.pdf")
    assert response.status_code == 200
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(response.data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    resident = bounced.selection.resident
    assert resident.last_name in text
    bounced = db.session.get(Invitation, bounced.id)
    assert (bounced.channel, bounced.status) == ("letter", "sent")
    letters = [i for i in candidacy.invitations(jury) if i.channel == "letter"]
    assert len(letters) == 6
