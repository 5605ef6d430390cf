"""Sending invitation e-mails exactly once per invitation and step.

Before a message goes out, its ``mail_log`` row (UNIQUE invitation + step) is inserted and
committed on its own. A second run, a resumed job or a parallel worker fails that insert and
skips the invitation, so nobody gets the same e-mail twice. The price is a crash window: if the
process dies after the claim is committed and before the SMTP server accepted the message, the
row stays ``claimed`` and is NOT retried automatically (we cannot know whether the server got
it). The batch page lists such rows; a researcher who has checked the mail server's log can
release one with "opnieuw proberen", which marks it deferred for the next run.
Deferred rows (4xx replies, network errors) are retried by the next run after a back-off.
"""

import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.invitations import keys, services, texts
from app.invitations.letters.content import format_date
from app.invitations.mail import bounces
from app.invitations.mail.smtp import MailResult, MailSettings, SmtpConnection, build_message
from app.models import Invitation, InvitationBatch, MailLog, utcnow

STEPS = ("invite", "reminder")
RETRY_BASE = timedelta(minutes=5)


def candidates(batch: InvitationBatch, step: str) -> list[int]:
    """Ids of the open e-mail invitations of a batch for `step`."""
    statuses = ["created", "sent", "reminded"] if step == "invite" else ["sent", "reminded"]
    ids = db.session.scalars(sa.select(Invitation.id).where(
        Invitation.batch_id == batch.id, Invitation.email.is_not(None),
        Invitation.status.in_(statuses)).order_by(Invitation.id))
    return list(ids)


def claim(invitation_id: int, step: str) -> MailLog | None:
    """Commit a claim on (invitation, step); None when it was claimed before."""
    return claim_step("invitation_id", invitation_id, step)


def claim_step(owner: str, owner_id: int, step: str) -> MailLog | None:
    """Commit a claim on (owner, step) before anything is sent; None when claimed before.

    ``owner`` is ``"invitation_id"`` (recruitment) or ``"assignment_id"`` (surveys). A deferred
    step whose back-off has passed is claimed again.
    """
    log = MailLog(**{owner: owner_id}, step=step, status="claimed")
    db.session.add(log)
    try:
        db.session.commit()
        return log
    except IntegrityError:
        db.session.rollback()
    column = getattr(MailLog, owner)
    claimed = db.session.execute(
        sa.update(MailLog).where(column == owner_id, MailLog.step == step,
                                 MailLog.status == "deferred", MailLog.retry_after <= utcnow())
        .values(status="claimed", attempts=MailLog.attempts + 1))
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    return db.session.scalar(sa.select(MailLog).where(column == owner_id, MailLog.step == step))


def deliver(connection: SmtpConnection, invitation: Invitation, step: str) -> MailResult:
    """Build and send the e-mail of one invitation (the claim is already committed)."""
    batch = db.session.get(InvitationBatch, invitation.batch_id)
    template = texts.to_template(texts.template_values(batch.panel_id, invitation.language))
    code, token = keys.invitation_secrets(invitation)
    contacts = texts.letter_contacts()
    values = {"voornaam": invitation.selection.resident.first_name or "",
              "naam": invitation.selection.resident.last_name or "", "code": code,
              "link": services.join_link(token), "website": services.short_join_url(),
              "panel": batch.panel.name, "deadline": format_date(batch.deadline, "nl"),
              "telefoon": contacts["phone"], "email": contacts["email"]}
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    message = build_message(to=invitation.email, sender=connection.settings.sender,
                            template=template, values=values, reminder=step == "reminder",
                            unsubscribe_url=f"{base}/doe-mee/afmelden/{token}")
    return connection.send(message, envelope_from=bounces.return_path("i", invitation.id, step))


def record(log: MailLog, invitation: Invitation, result: MailResult) -> None:
    """Store the outcome of one send and move the invitation on; commits."""
    now = utcnow()
    log.status, log.smtp_code, log.error = result.status, result.code, result.error
    if result.status == "sent":
        log.sent_at = now
        if log.step == "invite":
            invitation.status, invitation.sent_at = "sent", now
        else:
            invitation.status, invitation.reminded_at = "reminded", now
    elif result.status == "bounced":
        invitation.status = "undeliverable"
    else:
        log.retry_after = now + RETRY_BASE * 2 ** (log.attempts - 1)
    services.add_events([invitation.id], f"mail_{log.step}_{result.status}",
                        details={"code": result.code})
    db.session.commit()


def pause(seconds: float) -> None:
    """Throttle between two messages (a separate function so tests can interrupt here)."""
    if seconds > 0:
        time.sleep(seconds)


def release(log: MailLog) -> None:
    """Let the next run retry a claimed-but-unconfirmed message; caller commits."""
    if log.status != "claimed":
        raise services.InvitationError("Alleen een niet-bevestigde e-mail kan opnieuw.")
    log.status, log.retry_after = "deferred", utcnow()


def send_each(job, ids: list[int], step: str, *, channel, load) -> dict:
    """The sending loop shared by recruitment and survey mail: claim, send, record, throttle.

    ``channel`` is the module with ``claim(id, step)``, ``deliver(connection, obj, step)``,
    ``record(log, obj, result)`` and ``pause(seconds)`` (looked up at call time, so tests can
    interrupt a run); ``load(id)`` returns the invitation or assignment.
    """
    from app import jobs

    rate = current_app.config.get("MAIL_RATE_PER_MINUTE") or 0
    interval = 60 / rate if rate else 0
    counts = {"sent": 0, "bounced": 0, "deferred": 0, "skipped": 0}
    jobs.report_progress(job, 0, len(ids))
    with SmtpConnection(MailSettings.from_config(current_app.config)) as connection:
        for number, item_id in enumerate(ids, start=1):
            log = channel.claim(item_id, step)
            if log is None:
                counts["skipped"] += 1
                continue
            item = load(item_id)
            result = channel.deliver(connection, item, step)
            channel.record(log, item, result)
            counts[result.status] += 1
            jobs.report_progress(job, number, len(ids))
            channel.pause(interval)
    return counts
