"""Builder: assign a survey to a panel or a draw, and the paper batch (a background job)."""

import io

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import jobs
from app.extensions import db
from app.models import Draw, Job, Panel, Survey
from app.security import roles_required
from app.surveys import distribution, paper_jobs
from app.surveys.blueprint import bp
from app.surveys.forms import ActionForm, AssignForm


@bp.post("/<int:survey_id>/toewijzen")
@roles_required("researcher")
def assign(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = AssignForm()
    form.target.choices = [value for value, _label in distribution.assign_choices(survey)]
    if not form.validate_on_submit():
        abort(400)
    kind, _sep, target_id = form.target.data.partition(":")
    if kind == "panel":
        survey.panel_id = db.get_or_404(Panel, int(target_id)).id
        count = distribution.assign_panel(survey)
    else:
        count = distribution.assign_draw(survey, db.get_or_404(Draw, int(target_id)))
    db.session.commit()
    flash(_("%(count)s nieuwe toewijzingen.", count=count), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id))


@bp.post("/<int:survey_id>/papier")
@roles_required("researcher")
def paper_batch(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    only_new = request.form.get("scope") != "alles"
    job = jobs.create_job("survey_paper_batch", {"survey_id": survey.id, "only_new": only_new},
                          user_id=current_user.id)
    db.session.commit()
    jobs.dispatch(job.id)
    return redirect(url_for("surveys.paper_status", survey_id=survey.id, job_id=job.id))


@bp.get("/<int:survey_id>/papier/<int:job_id>")
@roles_required("researcher")
def paper_status(survey_id: int, job_id: int):
    from flask import render_template

    survey, job = _paper_job(survey_id, job_id)
    return render_template("surveys/paper.html", survey=survey, job=job)


@bp.get("/<int:survey_id>/papier/<int:job_id>.pdf")
@roles_required("researcher")
def paper_download(survey_id: int, job_id: int):
    survey, job = _paper_job(survey_id, job_id)
    path = paper_jobs.batch_path(job.id)
    if job.status != "done" or not path.exists():
        abort(404)
    return send_file(io.BytesIO(path.read_bytes()), mimetype="application/pdf", as_attachment=True,
                     download_name=f"bevraging-{survey.id}-papier-{job.id}.pdf")


def _paper_job(survey_id: int, job_id: int) -> tuple[Survey, Job]:
    survey = db.get_or_404(Survey, survey_id)
    job = db.get_or_404(Job, job_id)
    if job.kind != "survey_paper_batch" or job.params.get("survey_id") != survey.id:
        abort(404)
    return survey, job
