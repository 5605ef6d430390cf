"""E-mail invitations through a real local SMTP server: content, bounces, exactly-once sending."""

import email
import email.policy
import socket

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app import jobs
from app.extensions import db
from app.invitations import keys
from app.invitations.mail import mailing
from app.models import Invitation, InvitationEvent, Job, MailLog
from tests.web.invitations.test_invitations import CONFIG, invitations_of, make_batch

REJECTED = "weg@example.org"


class Sink:
    """Collects every accepted message (and its envelope sender, MAIL FROM); refuses RCPT for
    REJECTED with 550 or 451."""

    def __init__(self, reject_code: str = "550 5.1.1 No such user") -> None:
        self.messages = []
        self.envelope_senders = []  # (recipients, MAIL FROM), in the order of self.messages
        self.reject_code = reject_code

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == REJECTED:
            return self.reject_code
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        self.envelope_senders.append((list(envelope.rcpt_tos), envelope.mail_from))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_config(smtp_port):
    return {**CONFIG, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port,
            "MAIL_FROM": "panel@zennegem.be"}


@pytest.fixture
def sink(smtp_port):
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


def email_batch(n: int = 4, addresses: list[str] | None = None):
    batch = make_batch(n=n)
    invitations = invitations_of(batch)
    for index, invitation in enumerate(invitations):
        invitation.email = (addresses or [])[index] if addresses else f"inwoner{index}@example.org"
        invitation.channel = "email"
    db.session.commit()
    return batch, invitations


def send(batch, step: str = "invite") -> Job:
    job = jobs.create_job("mail.send", {"batch_id": batch.id, "step": step})
    db.session.commit()
    jobs.run_job(job.id)
    return db.session.get(Job, job.id)


def test_personal_mail_has_link_code_privacy_and_unsubscribe(app, sink):
    batch, invitations = email_batch(n=2)
    job = send(batch)
    assert job.status == "done" and job.result["sent"] == 2
    by_recipient = {tuple(to): message for to, message in sink.messages}
    invitation = invitations[0]
    message = by_recipient[(invitation.email,)]
    code, token = keys.invitation_secrets(invitation)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"https://panel.zennegem.be/doe-mee/t/{token}"
    assert message["From"] == "panel@zennegem.be" and message["Subject"] == "Doe mee aan " \
        + batch.panel.name
    assert link in text and code in text and f'href="{link}"' in html and code in html
    assert "privacy@zennegem.be" in text and "bevolkingsregister" in text
    unsubscribe = f"https://panel.zennegem.be/doe-mee/afmelden/{token}"
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>" and unsubscribe in text
    assert invitation.selection.resident.first_name in text
    db.session.expire_all()
    assert {i.status for i in invitations_of(batch)} == {"sent"}


def test_unsubscribe_link_leads_to_the_decline_buttons(app, sink, client):
    batch, invitations = email_batch(n=1)
    send(batch)
    token = keys.invitation_secrets(invitations[0])[1]
    response = client.get(f"/doe-mee/afmelden/{token}")
    assert response.headers["Location"] == "/doe-mee/uitleg#niet-meedoen"
    page = client.get("/doe-mee/uitleg").get_data(as_text=True)
    assert "Ik wil niet deelnemen" in page and "Ik wil niet meer gecontacteerd worden" in page


def test_running_twice_sends_each_invitation_once(app, sink):
    batch, invitations = email_batch(n=4)
    send(batch)
    second = send(batch)
    assert second.result["sent"] == 0
    recipients = sorted(to[0] for to, _ in sink.messages)
    assert recipients == sorted(i.email for i in invitations)
    counts = db.session.execute(sa.select(MailLog.step, sa.func.count()).group_by(MailLog.step))
    assert dict(counts.all()) == {"invite": 4}


def test_interrupted_job_resumes_without_duplicates(app, sink, monkeypatch):
    batch, invitations = email_batch(n=5)
    calls = {"n": 0}

    def crash_after_two(seconds):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(mailing, "pause", crash_after_two)
    first = send(batch)
    assert first.status == "failed" and len(sink.messages) == 2
    monkeypatch.undo()
    jobs.run_job(first.id)  # the same job resumed, as after a restart
    assert db.session.get(Job, first.id).status == "done"
    recipients = sorted(to[0] for to, _ in sink.messages)
    assert recipients == sorted(i.email for i in invitations)


def test_crash_between_claim_and_send_is_never_retried_automatically(app, sink, client,
                                                                     login_as, monkeypatch):
    batch, invitations = email_batch(n=3)

    def crash(connection, invitation, step):
        raise RuntimeError("power cut")

    monkeypatch.setattr(mailing, "deliver", crash)
    send(batch)
    monkeypatch.undo()
    send(batch)
    assert len(sink.messages) == 2  # the claimed one stays unsent
    stuck = db.session.scalars(sa.select(MailLog).where(MailLog.status == "claimed")).one()
    assert stuck.invitation_id == invitations[0].id
    login_as("researcher")
    page = client.get(f"/uitnodigingen/reeks/{batch.id}").get_data(as_text=True)
    assert "Niet bevestigde e-mails" in page
    response = client.post(f"/uitnodigingen/reeks/{batch.id}/mail/{stuck.id}/opnieuw")
    assert response.status_code == 302
    send(batch)
    assert sorted(to[0] for to, _ in sink.messages) == sorted(i.email for i in invitations)


def test_synchronous_550_marks_undeliverable_and_is_not_retried(app, sink):
    batch, invitations = email_batch(n=2, addresses=[REJECTED, "ok@example.org"])
    job = send(batch)
    assert job.result == {"sent": 1, "bounced": 1, "deferred": 0, "skipped": 0}
    db.session.expire_all()
    bounced = db.session.get(Invitation, invitations[0].id)
    log = db.session.scalar(sa.select(MailLog).where(MailLog.invitation_id == bounced.id))
    assert bounced.status == "undeliverable" and log.status == "bounced" and log.smtp_code == 550
    kinds = db.session.scalars(sa.select(InvitationEvent.kind).where(
        InvitationEvent.invitation_id == bounced.id)).all()
    assert kinds == ["mail_invite_bounced"]
    assert send(batch).result["sent"] == 0 and len(sink.messages) == 1


def test_temporary_451_is_deferred_then_retried_after_back_off(app, sink):
    sink.reject_code = "451 4.7.1 Try again later"
    batch, invitations = email_batch(n=1, addresses=[REJECTED])
    assert send(batch).result["deferred"] == 1
    log = db.session.scalar(sa.select(MailLog))
    assert log.status == "deferred" and log.smtp_code == 451 and log.retry_after is not None
    assert send(batch).result["skipped"] == 1  # back-off not over yet
    sink.reject_code = None
    invitation = invitations[0]
    invitation.email = "later@example.org"
    log.retry_after = log.created_at
    db.session.commit()
    assert send(batch).result["sent"] == 1
    log = db.session.scalar(sa.select(MailLog))
    assert log.status == "sent" and log.attempts == 2


def test_reminder_goes_only_to_those_who_did_not_react(app, sink):
    batch, invitations = email_batch(n=3)
    send(batch)
    invitations_of(batch)[0].status = "declined"
    db.session.commit()
    job = send(batch, "reminder")
    assert job.result["sent"] == 2
    reminders = [m for _, m in sink.messages if m["Subject"].startswith("Herinnering")]
    assert sorted(m["To"] for m in reminders) == sorted(i.email for i in invitations[1:])


def test_mail_button_queues_a_job(client, login_as, sink):
    batch, _ = email_batch(n=1)
    login_as("researcher")
    response = client.post(f"/uitnodigingen/reeks/{batch.id}/mail", data={"step": "invite"})
    assert response.status_code == 302 and len(sink.messages) == 1
