"""Asynchronous bounces end to end: a signed VERP envelope sender on real SMTP, DSNs built with
the ``email`` package and written to a Maildir, read back by ``flask mail bounces``."""

import hashlib
import hmac
import json
import mailbox
import re
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.invitations.mail import bounces
from app.invitations.mail.dsn import Bounce
from app.models import Assignment, AuditEvent, Invitation, InvitationEvent, MailLog
from app.surveys.mail import sending
from tests.conftest import TEST_SECRETS
from tests.web.invitations.test_invitations import CONFIG
from tests.web.invitations.test_invitations_mail import Sink, email_batch, send, sink, smtp_port  # noqa: F401
from tests.web.surveys.test_survey_mail import assignment_of, emails, panel_survey
from tests.web.surveys.test_survey_mail import send as send_survey

BOUNCE_ADDRESS = "bounces@panel.zennegem.be"
VERP = re.compile(r"bounces\+([a-z0-9._-]+)@panel\.zennegem\.be")


@pytest.fixture
def app_config(smtp_port):  # noqa: F811
    return {**CONFIG, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port,
            "MAIL_FROM": "panel@zennegem.be", "MAIL_BOUNCE_ADDRESS": BOUNCE_ADDRESS}


def signature(payload: str) -> str:
    key = TEST_SECRETS["SECRET_KEY"].encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()[:12]


def envelope_sender(sink, address: str) -> str:  # noqa: F811
    return next(sender for to, sender in sink.envelope_senders if to == [address])


def build_dsn(verp: str, *, action: str = "failed", status: str = "5.1.1",
              diagnostic: str = "smtp; 550 5.1.1 <jan@example.org>: Recipient address rejected: "
                                "User unknown in virtual mailbox table",
              recipient_header: str = "Delivered-To", delivered_to: str | None = None) -> bytes:
    """An RFC 3464 report as Postfix writes it, returned to the VERP address."""
    report = MIMEMultipart("report", report_type="delivery-status")
    report[recipient_header] = verp
    if delivered_to:
        report["Delivered-To"] = delivered_to
    report["From"] = "MAILER-DAEMON@relay.zennegem.be (Mail Delivery System)"
    report["To"] = verp
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Auto-Submitted"] = "auto-replied"
    report.attach(MIMEText("This is the mail system at host relay.zennegem.be.\n\n"
                           "I'm sorry to have to inform you that your message could not\n"
                           "be delivered to one or more recipients.\n"))
    per_message, per_recipient = Message(), Message()
    per_message["Reporting-MTA"] = "dns; relay.zennegem.be"
    per_message["Arrival-Date"] = "Mon, 3 Mar 2025 10:00:03 +0100"
    per_recipient["Final-Recipient"] = "rfc822; jan@example.org"
    per_recipient["Action"] = action
    per_recipient["Status"] = status
    per_recipient["Remote-MTA"] = "dns; mx.example.org"
    per_recipient["Diagnostic-Code"] = diagnostic
    delivery_status = MIMEBase("message", "delivery-status")
    delivery_status.set_payload([per_message, per_recipient])
    report.attach(delivery_status)
    report.attach(MIMEText("From: panel@zennegem.be\nTo: jan@example.org\n"
                           "Subject: Doe mee aan Stadspanel\n", "rfc822-headers"))
    return report.as_bytes()


def auto_reply(verp: str) -> bytes:
    reply = MIMEText("Ik ben afwezig tot maandag 5.1.1 (dringend: bel het onthaal).\n")
    reply["From"], reply["To"] = "Jan Peeters <jan@example.org>", verp
    reply["Subject"], reply["Auto-Submitted"] = "Afwezig", "auto-replied"
    return reply.as_bytes()


def maildir_with(tmp_path, *messages: bytes) -> mailbox.Maildir:
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    for raw in messages:
        box.add(raw)
    return box


def run_cli(runner, box: mailbox.Maildir):
    result = runner.invoke(args=["mail", "bounces", box._path])
    db.session.expire_all()
    return result


def audit_events() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "mail_bounced_async")))


def test_invitation_and_survey_mail_leave_with_a_signed_verp_sender(app, sink):  # noqa: F811
    batch, invitations = email_batch(n=2)
    send(batch)
    for invitation in invitations:
        payload = f"i{invitation.id}.invite"
        expected = f"bounces+{payload}.{signature(payload)}@panel.zennegem.be"
        assert envelope_sender(sink, invitation.email) == expected
        tag = VERP.fullmatch(expected).group(1)
        assert bounces.verify_tag(tag) == ("i", invitation.id, "invite")
    survey = panel_survey(emails(1))
    send_survey(survey)
    assignment = assignment_of("lid0@example.org")
    payload = f"a{assignment.id}.invitation"
    assert envelope_sender(sink, "lid0@example.org") == \
        f"bounces+{payload}.{signature(payload)}@panel.zennegem.be"
    assert {message["From"] for _to, message in sink.messages} == {"panel@zennegem.be"}


def test_without_a_bounce_address_the_envelope_sender_is_mail_from(app, sink):  # noqa: F811
    app.config["MAIL_BOUNCE_ADDRESS"] = None
    batch, invitations = email_batch(n=1)
    send(batch)
    send_survey(panel_survey(emails(1)))
    assert [sender for _to, sender in sink.envelope_senders] == ["panel@zennegem.be"] * 2


def test_forged_or_malformed_tags_do_not_verify(app):
    tag = bounces.make_tag("i", 5, "invite")
    assert bounces.verify_tag(tag) == ("i", 5, "invite")
    assert bounces.verify_tag(tag.upper()) == ("i", 5, "invite")  # a relay may change case
    assert bounces.verify_tag(tag.replace("i5.", "i6.")) is None
    assert bounces.verify_tag(tag.replace(".invite.", ".reminder.")) is None
    assert bounces.verify_tag(tag[:-1] + ("0" if tag[-1] != "0" else "1")) is None
    for malformed in (None, "", "i5.invite", "x5.invite." + tag[-12:], "i05.invite." + tag[-12:]):
        assert bounces.verify_tag(malformed) is None


class RefusingSink(Sink):
    """Refuses every VERP envelope sender, as a relay without plus addressing might."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if "+" in address:
            return "553 5.7.1 Sender address rejected: not owned by user"
        envelope.mail_from = address
        return "250 OK"


@pytest.fixture
def refusing_sink(smtp_port):  # noqa: F811
    handler = RefusingSink()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


def test_a_refused_envelope_sender_defers_and_never_marks_residents(app, refusing_sink):
    batch, invitations = email_batch(n=2)
    assert send(batch).result == {"sent": 0, "bounced": 0, "deferred": 2, "skipped": 0}
    db.session.expire_all()
    assert {invitation.status for invitation in invitations} == {"created"}
    logs = db.session.scalars(sa.select(MailLog)).all()
    assert {(log.status, log.smtp_code) for log in logs} == {("deferred", 553)}


def test_async_bounce_of_an_invitation_is_read_by_the_cli(app, sink, runner, client,  # noqa: F811
                                                          login_as, tmp_path):
    batch, invitations = email_batch(n=2)
    send(batch)
    bounced, other = invitations
    box = maildir_with(tmp_path, build_dsn(envelope_sender(sink, bounced.email)))
    result = run_cli(runner, box)
    assert result.exit_code == 0, result.output
    assert result.output == "1 onbestelbaar, 0 uitgesteld, 0 genegeerd, 0 onleesbaar\n"
    log = db.session.scalar(sa.select(MailLog).where(MailLog.invitation_id == bounced.id))
    assert (log.status, log.smtp_code) == ("bounced", 550)
    assert log.error.startswith("DSN 5.1.1: smtp; 550 5.1.1 <[adres]>: Recipient address rejected")
    assert "@" not in log.error  # addresses in a diagnostic are not kept
    assert db.session.get(Invitation, bounced.id).status == "undeliverable"
    assert db.session.get(Invitation, other.id).status == "sent"
    kinds = db.session.scalars(sa.select(InvitationEvent.kind).where(
        InvitationEvent.invitation_id == bounced.id).order_by(InvitationEvent.id)).all()
    assert kinds == ["mail_invite_sent", "mail_invite_bounced_async"]
    [event] = audit_events()
    assert (event.object_type, event.object_id) == ("MailLog", str(log.id))
    assert event.details == {"invitation_id": bounced.id, "step": "invite", "status": "5.1.1"}
    assert "@" not in json.dumps(event.details) and event.actor_label == "systeem"
    login_as("researcher")
    page = client.get(f"/uitnodigingen/reeks/{batch.id}").get_data(as_text=True)
    assert re.search(r'<span class="stat">1</span> onbestelbaar', page)
    assert send(batch, "reminder").result["sent"] == 1  # only the other one is reminded
    assert sink.messages[-1][0] == [other.email]


def test_async_bounce_of_a_survey_reminder_marks_the_assignment(app, sink, runner,  # noqa: F811
                                                               client, login_as, tmp_path):
    survey = panel_survey(emails(2))
    send_survey(survey)
    send_survey(survey, "reminder1")
    first = assignment_of("lid0@example.org")
    reminder_sender = [sender for to, sender in sink.envelope_senders
                       if to == ["lid0@example.org"]][-1]
    assert ".reminder1." in reminder_sender
    dsn = build_dsn(reminder_sender, recipient_header="X-Original-To",
                    delivered_to=BOUNCE_ADDRESS, status="5.2.1",
                    diagnostic="smtp; 550-5.2.1 The email account that you tried to reach is "
                               "disabled.")
    result = run_cli(runner, maildir_with(tmp_path, dsn))
    assert result.output == "1 onbestelbaar, 0 uitgesteld, 0 genegeerd, 0 onleesbaar\n"
    assert db.session.get(Assignment, first.id).undeliverable_at is not None
    assert assignment_of("lid1@example.org").undeliverable_at is None
    steps = {row["step"]: row for row in sending.overview(survey)}
    assert (steps["invitation"]["sent"], steps["invitation"]["bounced"]) == (2, 0)
    assert (steps["reminder1"]["sent"], steps["reminder1"]["bounced"]) == (1, 1)
    [event] = audit_events()
    assert event.details == {"assignment_id": first.id, "step": "reminder1", "status": "5.2.1"}
    login_as("researcher")
    page = client.get(f"/bevragingen/{survey.id}").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">Eerste herinnering</th>(.*?)</tr>", page).group(1)
    assert re.findall(r">(\d+)<", row) == ["1", "1", "0", "0", "0"]
    assert send_survey(survey, "reminder2").result["sent"] == 1
    assert sink.messages[-1][0] == ["lid1@example.org"]


def test_delayed_forged_auto_reply_and_garbage_change_nothing(app, sink, runner,  # noqa: F811
                                                              tmp_path):
    batch, invitations = email_batch(n=2)
    send(batch)
    genuine = envelope_sender(sink, invitations[0].email)
    forged = genuine.replace(f"+i{invitations[0].id}.", f"+i{invitations[1].id}.")
    box = maildir_with(
        tmp_path,
        build_dsn(genuine, action="delayed", status="4.4.1",
                  diagnostic="X-Postfix; connect to mx.example.org[192.0.2.7]:25: timed out"),
        build_dsn(forged),
        auto_reply(genuine),
        b"\x00\xff\xfe\x01 binary junk, not a message \x02\n\n\x03")
    result = run_cli(runner, box)
    assert result.exit_code == 0, result.output
    assert result.output == "0 onbestelbaar, 1 uitgesteld, 2 genegeerd, 1 onleesbaar\n"
    assert {invitation.status for invitation in invitations_reloaded(invitations)} == {"sent"}
    assert set(db.session.scalars(sa.select(MailLog.status))) == {"sent"}
    assert audit_events() == []
    assert all("S" in box.get_message(key).get_flags() for key in box.iterkeys())
    rerun = run_cli(runner, box)
    assert rerun.output == "0 onbestelbaar, 0 uitgesteld, 0 genegeerd, 0 onleesbaar\n"


def invitations_reloaded(invitations: list[Invitation]) -> list[Invitation]:
    return [db.session.get(Invitation, invitation.id) for invitation in invitations]


def test_a_second_identical_dsn_changes_nothing(app, sink, runner, tmp_path):  # noqa: F811
    batch, [invitation] = email_batch(n=1)
    send(batch)
    dsn = build_dsn(envelope_sender(sink, invitation.email))
    box = maildir_with(tmp_path, dsn)
    assert run_cli(runner, box).output.startswith("1 onbestelbaar")
    box.add(dsn)
    result = run_cli(runner, box)
    assert result.output == "0 onbestelbaar, 0 uitgesteld, 1 genegeerd, 0 onleesbaar\n"
    assert len(audit_events()) == 1
    events = db.session.scalars(sa.select(InvitationEvent.kind).where(
        InvitationEvent.kind == "mail_invite_bounced_async")).all()
    assert len(events) == 1


def test_a_failing_message_does_not_lose_the_others_and_is_retried(app, sink, runner,  # noqa: F811
                                                                   tmp_path, monkeypatch):
    batch, invitations = email_batch(n=2)
    send(batch)
    senders = [envelope_sender(sink, invitation.email) for invitation in invitations]
    box = maildir_with(tmp_path, *(build_dsn(sender) for sender in senders))
    real_apply = bounces.apply
    failing_tag = VERP.fullmatch(senders[0]).group(1)

    def apply_or_fail(bounce: Bounce) -> str:
        outcome = real_apply(bounce)
        if bounce.tag == failing_tag:
            raise RuntimeError("database went away")
        return outcome

    monkeypatch.setattr(bounces, "apply", apply_or_fail)
    result = run_cli(runner, box)
    assert result.exit_code == 1
    assert result.output == ("1 onbestelbaar, 0 uitgesteld, 0 genegeerd, 0 onleesbaar, "
                             "1 niet verwerkt (volgende keer opnieuw)\n")
    first, second = invitations_reloaded(invitations)
    assert (first.status, second.status) == ("sent", "undeliverable")  # first rolled back
    monkeypatch.undo()
    result = run_cli(runner, box)
    assert result.exit_code == 0
    assert result.output == "1 onbestelbaar, 0 uitgesteld, 0 genegeerd, 0 onleesbaar\n"
    assert db.session.get(Invitation, first.id).status == "undeliverable"


def test_an_invitation_that_joined_keeps_its_status(app, sink):  # noqa: F811
    batch, [invitation] = email_batch(n=1)
    send(batch)
    invitation.status = "joined"
    db.session.commit()
    tag = bounces.make_tag("i", invitation.id, "invite")
    assert bounces.apply(Bounce(tag=tag, action="failed", status="5.1.1")) == "bounced"
    db.session.commit()
    assert db.session.get(Invitation, invitation.id).status == "joined"
    assert db.session.scalar(sa.select(MailLog.status)) == "bounced"
    failed_but_temporary = Bounce(tag=tag, action="failed", status="4.4.7")
    assert bounces.apply(failed_but_temporary) == "delayed"
    assert bounces.apply(Bounce(tag=tag, action="relayed", status="2.0.0")) == "ignored"


def test_a_missing_maildir_is_a_clear_error(app, runner, tmp_path):
    result = runner.invoke(args=["mail", "bounces", str(tmp_path / "nergens")])
    assert result.exit_code == 1 and "is geen Maildir" in result.output
    (tmp_path / "leeg").mkdir()
    result = runner.invoke(args=["mail", "bounces", str(tmp_path / "leeg")])
    assert result.exit_code == 1 and "is geen Maildir" in result.output
