"""Jury invitations and reminders by e-mail, on the panel's mail machinery.

The register holds no e-mail addresses. As in panel recruitment, an invitation is e-mailed
only when ``Invitation.email`` is set (channel ``email``); the others get a letter. The one
address the city holds for a resident is the one they gave as an active panel member who chose
e-mail (and whose e-mail did not bounce): ``attach_known_addresses`` copies it onto the jury
invitations that nothing was sent for yet (audited). Sending reuses ``app.invitations.mail``:
the claim in ``mail_log`` (once per invitation and step), SMTP, VERP bounces and the timeline.
"""

import sys

import sqlalchemy as sa
from flask import current_app

from app import audit, jobs
from app.extensions import db
from app.invitations import keys
from app.invitations.letters.content import (
    LetterError,
    LetterTemplate,
    format_date,
    validate_contacts,
)
from app.invitations.mail import bounces
from app.invitations.mail.mailing import claim, pause, record, send_each  # noqa: F401 (channel)
from app.invitations.mail.smtp import MailResult, SmtpConnection, build_message
from app.invitations.services import is_suppressed
from app.juries import candidacy
from app.juries.services import JuryError
from app.models import Invitation, Jury, Member, utcnow

EMAIL_BODY = """Beste {voornaam} {naam},

De stad stelt {panel} samen: een kleine groep inwoners die samen een advies voorbereidt. \
U werd toevallig gekozen uit het bevolkingsregister om u kandidaat te stellen.

Wie zich kandidaat stelt, komt in een pool. Uit die pool loten we de leden, zo dat de groep \
lijkt op alle inwoners. De loting is openbaar en iedereen kan ze nagaan.

Stel u kandidaat vóór {deadline}."""
STEP_STATUS = {"invite": "created", "reminder": "sent"}  # who is still waiting for this step


def attach_known_addresses(jury: Jury) -> int:
    """Copy panel members' e-mail addresses onto unsent jury invitations; returns how many."""
    waiting = [item for item in candidacy.invitations(jury)
               if item.status == "created" and item.email is None]
    addresses = dict(db.session.execute(sa.select(Member.resident_id, Member.email).where(
        Member.resident_id.in_([item.selection.resident_id for item in waiting]),
        Member.status == "active", Member.contact_preference == "email",
        Member.email.is_not(None), Member.email_undeliverable_at.is_(None))).all())
    linked = [item for item in waiting if item.selection.resident_id in addresses]
    for invitation in linked:
        invitation.email, invitation.channel = addresses[invitation.selection.resident_id], "email"
    if linked:
        audit.record("jury_addresses_linked", jury, details={"invitations": len(linked),
                                                             "source": "panel_members"})
    return len(linked)


def candidates(jury: Jury, step: str) -> list[int]:
    """Ids of the e-mail invitations still waiting for ``step``; none after the deadline."""
    if jury.lotteries or (jury.deadline and utcnow().date() > jury.deadline):
        return []
    return [item.id for item in candidacy.invitations(jury)
            if item.channel == "email" and item.email and item.status == STEP_STATUS[step]
            and not is_suppressed(item)]


def start(jury: Jury, step: str, *, user_id: int | None):
    """Check that e-mail can go out now, then queue the job; caller commits and dispatches."""
    if jury.invitation_draw_id is None:
        raise JuryError("Nodig eerst inwoners uit het register uit.")
    if jury.lotteries or (jury.deadline and utcnow().date() > jury.deadline):
        raise JuryError("De termijn om zich kandidaat te stellen is voorbij; er gaan geen "
                        "e-mails meer uit.")
    try:
        validate_contacts(candidacy.letter_content(jury))
    except LetterError as error:
        raise JuryError(str(error)) from error
    if step == "invite":
        attach_known_addresses(jury)
    ids = candidates(jury, step)
    if not ids:
        raise JuryError("Er is niemand die deze e-mail nog moet krijgen.")
    job = jobs.create_job("juries.mail", {"jury_id": jury.id, "step": step}, user_id=user_id)
    audit.record("jury_mail_requested", jury, details={"step": step, "job_id": job.id,
                                                      "invitations": len(ids)})
    return job


def deliver(connection: SmtpConnection, invitation: Invitation, step: str) -> MailResult:
    """Build and send the e-mail of one jury invitation (the claim is already committed)."""
    jury = candidacy.jury_of(invitation)
    content = candidacy.letter_content(jury)
    letter = content.templates["nl"]
    template = LetterTemplate(subject=letter.subject, body=EMAIL_BODY, closing=letter.closing,
                              reminder_subject=letter.reminder_subject,
                              reminder_body=letter.reminder_body, privacy=letter.privacy)
    code, token = keys.invitation_secrets(invitation)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    resident = invitation.selection.resident
    values = {"voornaam": resident.first_name or "", "naam": resident.last_name or "",
              "code": code, "link": f"{base}/kandidaat/t/{token}",
              "website": f"{base}/kandidaat".split("://", 1)[-1], "panel": jury.name,
              "deadline": format_date(content.deadline, "nl"), "telefoon": content.phone,
              "email": content.email}
    message = build_message(to=invitation.email, sender=connection.settings.sender,
                            template=template, values=values, reminder=step == "reminder",
                            unsubscribe_url=f"{base}/kandidaat/afmelden/{token}")
    return connection.send(message, envelope_from=bounces.return_path("i", invitation.id, step))


@jobs.handler("juries.mail")
def send_mail(job, jury_id: int, step: str) -> dict:
    """Send one e-mail step to a jury's invitees: claimed first, throttled, resumable."""
    ids = candidates(db.session.get(Jury, jury_id), step)
    return send_each(job, ids, step, channel=sys.modules[__name__],
                     load=lambda item_id: db.session.get(Invitation, item_id))
