"""Survey e-mails (invitation and two reminders), sent exactly once per assignment and step.

The same rules as recruitment mail (``app/invitations/mail/mailing.py``): the ``mail_log`` row
(UNIQUE assignment + step) is committed before the message goes out, so a second run, a
resumed job or a parallel worker skips it. A 5xx reply marks the assignment undeliverable;
a 4xx reply or a network error defers the row, retried by a later run after a back-off. A
crash between claim and send leaves the row ``claimed``: never retried automatically, as the
message may have left; staff check the mail server's log and release it (``claimed``).
"""

import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from app import audit
from app.extensions import db
from app.invitations import keys
from app.invitations.mail import bounces
from app.invitations.mail.mailing import claim_step
from app.invitations.mail.smtp import MailResult, SmtpConnection
from app.models import Assignment, Job, MailLog, Member, Survey, utcnow
from app.surveys import distribution
from app.surveys.mail.message import SurveyMail, survey_message

STEPS = ("invitation", "reminder1", "reminder2")
PREVIOUS = {"invitation": None, "reminder1": "invitation", "reminder2": "reminder1"}
RETRY_BASE = timedelta(minutes=5)


class SurveyMailError(ValueError):
    """The e-mails cannot be sent now (message in Dutch)."""


def candidates(survey: Survey, step: str) -> list[int]:
    """Ids of the open e-mail assignments of `survey` that `step` goes to.

    Active members who chose e-mail, not completed, not undeliverable; a reminder only to
    those whose previous e-mail was sent.
    """
    return list(db.session.scalars(_candidate_query(survey, step).order_by(Assignment.id)))


def _candidate_query(survey: Survey, step: str) -> sa.Select:
    query = (sa.select(Assignment.id).join(Member, Member.id == Assignment.member_id)
             .where(Assignment.survey_id == survey.id, Assignment.channel == "web",
                    Assignment.status != "completed", Assignment.undeliverable_at.is_(None),
                    Member.status == "active", Member.contact_preference == "email",
                    Member.email.is_not(None)))
    if PREVIOUS[step]:
        query = query.where(Assignment.id.in_(sa.select(MailLog.assignment_id).where(
            MailLog.step == PREVIOUS[step], MailLog.status == "sent")))
    return query


def prepare(assignment_ids: list[int]) -> None:
    """Store every assignment's derived link (and member link) before any mail leaves;
    commits, so a link in a sent e-mail always works, even after a crash."""
    for assignment_id in assignment_ids:
        assignment = db.session.get(Assignment, assignment_id)
        distribution.mail_secrets(assignment)
        keys.member_token(db.session.get(Member, assignment.member_id))
    db.session.commit()


def claim(assignment_id: int, step: str) -> MailLog | None:
    """Commit a claim on (assignment, step); None when it was claimed before."""
    return claim_step("assignment_id", assignment_id, step)


def deliver(connection: SmtpConnection, assignment: Assignment, step: str) -> MailResult:
    """Build and send one survey e-mail (the claim and the link are already committed)."""
    message = survey_message(compose(assignment), sender=connection.settings.sender,
                             reminder=step != "invitation")
    return connection.send(message, envelope_from=bounces.return_path("a", assignment.id, step))


def compose(assignment: Assignment) -> SurveyMail:
    """The personal parts of an assignment's e-mail (derived link and code, member links)."""
    config = current_app.config
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    member = db.session.get(Member, assignment.member_id)
    survey = assignment.survey
    token, code = distribution.mail_secrets(assignment)
    member_link = f"{base}/doe-mee/lid/{keys.member_token(member)}"
    title = survey.title.get(assignment.language) or survey.title.get("nl") or ""
    return SurveyMail(
        to=member.email, language=assignment.language, title=title, panel=member.panel.name,
        link=distribution.personal_link(token), code=code, website=f"{base}/antwoorden",
        preferences_url=member_link, unsubscribe_url=member_link,
        controller=config.get("CONTROLLER_NAME") or "", dpo=config.get("DPO_CONTACT") or "")


def record(log: MailLog, assignment: Assignment, result: MailResult) -> None:
    """Store the outcome of one send and mark the assignment; commits."""
    now = utcnow()
    log.status, log.smtp_code, log.error = result.status, result.code, result.error
    if result.status == "sent":
        log.sent_at = now
        distribution.mark_sent(assignment)
    elif result.status == "bounced":
        distribution.email_bounced(assignment)
    else:
        log.retry_after = now + RETRY_BASE * 2 ** (log.attempts - 1)
    db.session.commit()


def pause(seconds: float) -> None:
    """Throttle between two messages (a separate function so tests can interrupt here)."""
    if seconds > 0:
        time.sleep(seconds)


def request_mail(survey: Survey, step: str, *, user_id: int | None):
    """Queue the ``survey_mail`` job for one step (audited); caller commits and dispatches."""
    from app import jobs

    if step not in STEPS:
        raise SurveyMailError("Onbekende e-mail.")
    if survey.status != "open":
        raise SurveyMailError("Open de bevraging eerst; anders werkt de link in de e-mail niet.")
    job = jobs.create_job("survey_mail", {"survey_id": survey.id, "step": step},
                          user_id=user_id)
    audit.record("survey_mail_requested", survey, details={"step": step, "job_id": job.id})
    return job


def overview(survey: Survey) -> list[dict]:
    """Per step: how many e-mails were sent, bounced, deferred, left claimed, or are pending."""
    rows = db.session.execute(
        sa.select(MailLog.step, MailLog.status, sa.func.count())
        .join(Assignment, Assignment.id == MailLog.assignment_id)
        .where(Assignment.survey_id == survey.id).group_by(MailLog.step, MailLog.status)).all()
    counts = {(step, status): count for step, status, count in rows}
    return [{"step": step, **{status: counts.get((step, status), 0)
                              for status in ("sent", "bounced", "deferred", "claimed")},
             "pending": _pending(survey, step)} for step in STEPS]


def claimed(survey: Survey) -> list[MailLog]:
    """The survey's e-mails claimed but never confirmed sent (a crash mid-send)."""
    return list(db.session.scalars(
        sa.select(MailLog).join(Assignment, Assignment.id == MailLog.assignment_id)
        .where(Assignment.survey_id == survey.id, MailLog.status == "claimed")
        .order_by(MailLog.id)))


def latest_job(survey: Survey) -> Job | None:
    """The newest ``survey_mail`` job of `survey` (to show its progress or error)."""
    jobs_of_kind = db.session.scalars(sa.select(Job).where(Job.kind == "survey_mail")
                                      .order_by(Job.id.desc()).limit(50))
    return next((job for job in jobs_of_kind if job.params.get("survey_id") == survey.id), None)


def _pending(survey: Survey, step: str) -> int:
    """Assignments the next run of `step` would mail that have no claim for it yet."""
    claimed = sa.select(MailLog.assignment_id).where(MailLog.step == step,
                                                     MailLog.assignment_id.is_not(None))
    query = _candidate_query(survey, step).where(Assignment.id.not_in(claimed))
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
