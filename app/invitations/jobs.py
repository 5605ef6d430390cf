"""Background jobs: the letter PDF of a run and the e-mails of a batch."""

from flask import current_app

from app import jobs
from app.extensions import db
from app.invitations import keys, mailing, services, texts
from app.invitations.addresses import AddressError
from app.invitations.envelopes import PROFILES
from app.invitations.letter_content import LetterError
from app.invitations.letters import mailing_list_csv, render_letters
from app.invitations.mail import MailSettings, SmtpConnection
from app.models import Invitation, InvitationBatch, LetterRun, utcnow


@jobs.handler("letters.render")
def render_run(job, run_id: int, rotate: bool = False) -> dict:
    """Derive the codes, render the PDF and mailing list of a run, mark the letters sent."""
    run = db.session.get(LetterRun, run_id)
    batch = run.batch
    invitations = services.letter_invitations(run)
    jobs.report_progress(job, 0, len(invitations) + 1)
    recipients, printed, skipped = [], [], 0
    for invitation in invitations:
        if rotate:
            code, token = keys.issue_invitation_secrets(invitation, rotate=True)
        else:
            code, token = keys.invitation_secrets(invitation)
        try:
            recipient = services.recipient_for(invitation, code, token)
            recipient.address_lines()
        except (LetterError, AddressError):
            skipped += 1
            continue
        recipients.append(recipient)
        printed.append(invitation)
    if not recipients:
        raise LetterError("Er zijn geen brieven om af te drukken.")
    content = texts.letter_content(batch.panel, deadline=batch.deadline,
                                   letter_date=utcnow().date())
    reminder = run.kind == "reminder"
    run.pdf = render_letters(recipients, content, PROFILES[batch.envelope_profile],
                             reminder=reminder)
    run.mailing_list = mailing_list_csv(recipients)
    run.letter_count, run.rendered_at = len(recipients), utcnow()
    _mark_printed(printed, reminder)
    services.add_events([item.id for item in printed],
                        "reminder_printed" if reminder else "letter_printed",
                        details={"run_id": run.id})
    return {"letters": len(recipients), "skipped": skipped}


def _mark_printed(invitations: list[Invitation], reminder: bool) -> None:
    now = utcnow()
    for invitation in invitations:
        if reminder:
            invitation.status, invitation.reminded_at = "reminded", now
        elif invitation.status == "created":
            invitation.status, invitation.sent_at = "sent", now


@jobs.handler("mail.send")
def send_mail(job, batch_id: int, step: str) -> dict:
    """Send one e-mail step to a batch: claimed first, throttled, resumable."""
    batch = db.session.get(InvitationBatch, batch_id)
    ids = mailing.candidates(batch, step)
    rate = current_app.config.get("MAIL_RATE_PER_MINUTE") or 0
    interval = 60 / rate if rate else 0
    counts = {"sent": 0, "bounced": 0, "deferred": 0, "skipped": 0}
    jobs.report_progress(job, 0, len(ids))
    with SmtpConnection(MailSettings.from_config(current_app.config)) as connection:
        for number, invitation_id in enumerate(ids, start=1):
            log = mailing.claim(invitation_id, step)
            if log is None:
                counts["skipped"] += 1
                continue
            invitation = db.session.get(Invitation, invitation_id)
            result = mailing.deliver(connection, invitation, step)
            mailing.record(log, invitation, result)
            counts[result.status] += 1
            jobs.report_progress(job, number, len(ids))
            mailing.pause(interval)
    return counts
