"""Builder: e-mail invitations and reminders of a survey (a background job)."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit, jobs
from app.extensions import db
from app.invitations.mail import mailing
from app.models import MailLog, Survey
from app.security import roles_required
from app.surveys.blueprint import bp
from app.surveys.forms import ActionForm, MailStepForm
from app.surveys.mail import sending
from app.surveys.mail.sending import SurveyMailError, request_mail


@bp.post("/<int:survey_id>/mail")
@roles_required("researcher")
def send_mail(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = MailStepForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        job = request_mail(survey, form.step.data, user_id=current_user.id)
    except SurveyMailError as error:
        flash(str(error), "error")
        return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="e-mail"))
    db.session.commit()
    jobs.dispatch(job.id)
    flash(_("De e-mails worden op de achtergrond verstuurd."), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="e-mail"))


@bp.post("/<int:survey_id>/mail/<int:log_id>/opnieuw")
@roles_required("researcher")
def release_mail(survey_id: int, log_id: int):
    """Let the next run retry an e-mail that a crash left claimed (after checking the server)."""
    survey = db.get_or_404(Survey, survey_id)
    log = db.get_or_404(MailLog, log_id)
    if log not in sending.claimed(survey) or not ActionForm().validate_on_submit():
        abort(404)
    mailing.release(log)
    audit.record("mail_released", log, details={"assignment_id": log.assignment_id,
                                                "step": log.step})
    db.session.commit()
    flash(_("De e-mail gaat mee met de volgende verzending van deze stap."), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="e-mail"))
