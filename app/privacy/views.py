"""Privacy pages: studies, retention, anonymisation, the DPIA annex and the public notice."""

import io

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import jobs
from app.extensions import db
from app.models import Job, Survey
from app.privacy import anonymise as anonymise_service
from app.privacy import dpia, retention, rights, studies
from app.privacy import jobs as privacy_jobs
from app.privacy.blueprint import bp
from app.privacy.forms import KINDS, AnonymiseForm, RetentionForm, StudyForm
from app.security import public, roles_required

STATUS_LABELS = {"open": _l("open"), "done": _l("afgehandeld"), "refused": _l("geweigerd")}


@bp.context_processor
def labels() -> dict:
    kinds = dict(KINDS)
    return {"request_kind": lambda kind: kinds.get(kind, kind),
            "request_status": lambda status: STATUS_LABELS.get(status, status)}


@bp.get("/")
@roles_required("researcher")
def index():
    return render_template("privacy/index.html", studies=studies.all_studies(),
                           overdue=rights.overdue_count(), plan=retention.plan())


@bp.route("/studies/nieuw", methods=["GET", "POST"])
@roles_required("researcher")
def new_study():
    return _study_page(None)


@bp.route("/studies/<int:study_id>", methods=["GET", "POST"])
@roles_required("researcher")
def study(study_id: int):
    from app.models import Study

    return _study_page(db.get_or_404(Study, study_id))


def _study_page(record):
    form = StudyForm(obj=record)
    if form.validate_on_submit():
        values = studies.StudyValues(**{name: getattr(form, name).data
                                        for name in studies.STUDY_FIELDS})
        try:
            saved = studies.save_study(values, study=record, user_id=current_user.id)
        except studies.StudyError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("De studie is bewaard."), "info")
            return redirect(url_for("privacy.study", study_id=saved.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("privacy/study.html", form=form, record=record), status


@bp.route("/bewaartermijnen", methods=["GET", "POST"])
@roles_required("researcher")
def retention_page():
    form = RetentionForm()
    if form.validate_on_submit():
        job = jobs.create_job(privacy_jobs.RETENTION_JOB, {}, user_id=current_user.id)
        db.session.commit()
        jobs.dispatch(job.id)
        return redirect(url_for("privacy.retention_page", taak=job.id))
    last = db.session.scalar(sa.select(Job).where(Job.kind == privacy_jobs.RETENTION_JOB)
                             .order_by(Job.id.desc()).limit(1))
    return render_template("privacy/retention.html", form=form, plan=retention.plan(),
                           last=last), 422 if form.errors else 200


@bp.route("/bevraging/<int:survey_id>/anonimiseren", methods=["GET", "POST"])
@roles_required("researcher")
def anonymise(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = AnonymiseForm()
    if form.validate_on_submit():
        try:
            if form.confirm_text.data.strip().upper() != "ANONIEM":
                raise anonymise_service.AnonymiseError(_("Typ ANONIEM om te bevestigen."))
            anonymise_service.anonymise(survey, current_user)
        except anonymise_service.AnonymiseError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("De antwoorden zijn niet meer aan personen gekoppeld."), "info")
            return redirect(url_for("privacy.anonymise", survey_id=survey.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("privacy/anonymise.html", survey=survey, form=form,
                           done=anonymise_service.anonymisation(survey),
                           linked=anonymise_service.linked_count(survey)), status


@bp.get("/dpia.<any(md, pdf):extension>")
@roles_required("researcher")
def dpia_annex(extension: str):
    text = dpia.dpia_markdown()
    if extension == "md":
        data, mimetype = text.encode("utf-8"), "text/markdown; charset=utf-8"
    else:
        data, mimetype = dpia.dpia_pdf(text), "application/pdf"
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"dpia-bijlage.{extension}")


@bp.get("/verklaring")
@public
def notice():
    from app.invitations.texts import default_values

    study = studies.latest_study()
    if study is None:
        abort(404)
    return render_template("privacy/notice.html", study=study,
                           privacy=default_values()["privacy"])
