"""Background jobs: the letter PDF of a run and the e-mails of a batch."""


from app import jobs
from app.extensions import db
from app.invitations import keys, services, texts
from app.invitations.letters import mailing_list_csv, render_letters
from app.invitations.letters.addresses import AddressError
from app.invitations.letters.content import LetterError
from app.invitations.letters.envelopes import PROFILES
from app.invitations.mail import mailing
from app.models import Invitation, InvitationBatch, LetterRun, utcnow


@jobs.handler("letters.render")
def render_run(job, run_id: int, rotate: bool = False) -> dict:
    """Derive the codes, render the PDF and mailing list of a run, mark the letters sent."""
    run = db.session.get(LetterRun, run_id)
    batch = run.batch
    invitations = services.letter_invitations(run)
    jobs.report_progress(job, 0, len(invitations) + 1)
    recipients, printed, skipped = _recipients(invitations, rotate)
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


def _recipients(invitations: list, rotate: bool) -> tuple[list, list, int]:
    """Each invitation's letter recipient with its code; one without a usable address is skipped.

    Returns the recipients, the invitations they belong to and how many were skipped.
    """
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
    return recipients, printed, skipped


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
    return mailing.send_each(job, ids, step, channel=mailing,
                             load=lambda item_id: db.session.get(Invitation, item_id))
