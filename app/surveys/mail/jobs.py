"""Background job: one e-mail step of a survey, claimed first, throttled, resumable."""


from app import jobs
from app.extensions import db
from app.invitations.mail.mailing import send_each
from app.models import Assignment, Job, Survey
from app.surveys.mail import sending


@jobs.handler("survey_mail")
def send_survey_mail(job: Job, *, survey_id: int, step: str) -> dict:
    """Send `step` to every open e-mail assignment of a survey that has not had it.

    Safe to run again (``flask jobs resume``): claimed steps are skipped.
    """
    survey = db.session.get(Survey, survey_id)
    ids = sending.candidates(survey, step)
    sending.prepare(ids)
    return send_each(job, ids, step, channel=sending,
                     load=lambda item_id: db.session.get(Assignment, item_id))
