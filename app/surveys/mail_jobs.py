"""Background job: one e-mail step of a survey, claimed first, throttled, resumable."""

from flask import current_app

from app import jobs
from app.extensions import db
from app.invitations.mail import MailSettings, SmtpConnection
from app.models import Assignment, Job, Survey
from app.surveys import survey_mailing


@jobs.handler("survey_mail")
def send_survey_mail(job: Job, *, survey_id: int, step: str) -> dict:
    """Send `step` to every open e-mail assignment of a survey that has not had it.

    Safe to run again (``flask jobs resume``): claimed steps are skipped.
    """
    survey = db.session.get(Survey, survey_id)
    ids = survey_mailing.candidates(survey, step)
    survey_mailing.prepare(ids)
    rate = current_app.config.get("MAIL_RATE_PER_MINUTE") or 0
    interval = 60 / rate if rate else 0
    counts = {"sent": 0, "bounced": 0, "deferred": 0, "skipped": 0}
    jobs.report_progress(job, 0, len(ids))
    with SmtpConnection(MailSettings.from_config(current_app.config)) as connection:
        for number, assignment_id in enumerate(ids, start=1):
            log = survey_mailing.claim(assignment_id, step)
            if log is None:
                counts["skipped"] += 1
                continue
            assignment = db.session.get(Assignment, assignment_id)
            result = survey_mailing.deliver(connection, assignment, step)
            survey_mailing.record(log, assignment, result)
            counts[result.status] += 1
            jobs.report_progress(job, number, len(ids))
            survey_mailing.pause(interval)
    return counts
