import io

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit, jobs
from app.extensions import db
from app.models import Job, Report, Response, Survey, WeightSet
from app.results import data, reporting, weighting
from app.results.forms import PublishForm, ReportForm, WeightForm
from app.security import roles_required
from reports.disposition import response_rates
from reports.errors import ReportsError

bp = Blueprint("results", __name__, url_prefix="/resultaten")


@bp.get("/")
@roles_required("researcher", "councillor")
def index():
    reports = reporting.published_reports()
    if current_user.role == "councillor":
        return render_template("results/dashboard.html", reports=reports,
                               versions=reporting.report_versions(reports))
    surveys = db.session.scalars(sa.select(Survey).order_by(Survey.id.desc())).all()
    complete = dict(db.session.execute(
        sa.select(Response.survey_id, sa.func.count()).where(Response.status == "complete")
        .group_by(Response.survey_id)).all())
    return render_template("results/index.html", surveys=surveys, complete=complete,
                           reports=reports)


@bp.get("/bevraging/<int:survey_id>")
@roles_required("researcher")
def survey(survey_id: int):
    item = db.get_or_404(Survey, survey_id)
    return _survey_page(item, WeightForm(), ReportForm())


def _survey_page(item: Survey, form: WeightForm, report_form: ReportForm, status: int = 200):
    weight_sets = db.session.scalars(sa.select(WeightSet).where(WeightSet.survey_id == item.id)
                                     .order_by(WeightSet.id.desc())).all()
    reports = db.session.scalars(sa.select(Report).where(Report.survey_id == item.id)
                                 .order_by(Report.id.desc())).all()
    complete = db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(
        Response.survey_id == item.id, Response.status == "complete"))
    response = {key: (value, response_rates(value))
                for key, value in data.dispositions(item).items()}
    return render_template("results/survey.html", survey=item, form=form, complete=complete,
                           response=response,
                           report_form=report_form, weight_sets=weight_sets, reports=reports,
                           publish_form=PublishForm()), status


@bp.post("/bevraging/<int:survey_id>/wegen")
@roles_required("researcher")
def weigh(survey_id: int):
    item = db.get_or_404(Survey, survey_id)
    form = WeightForm()
    if form.validate_on_submit():
        choice = weighting.WeightingChoice(
            method=form.method.data, variables=list(form.variables.data or []),
            trim_lower=float(form.trim_lower.data) if form.trim_lower.data else None,
            trim_upper=float(form.trim_upper.data) if form.trim_upper.data else None,
            propensity=form.propensity.data)
        try:
            weight_set = weighting.create_weight_set(
                item, choice, data.respondent_frame(item),
                data.invited_frame(item) if choice.propensity else None, current_user.id)
        except ReportsError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("results.weight_set", weight_set_id=weight_set.id))
    return _survey_page(item, form, ReportForm(), 422)


@bp.get("/weging/<int:weight_set_id>")
@roles_required("researcher")
def weight_set(weight_set_id: int):
    item = db.get_or_404(WeightSet, weight_set_id)
    return render_template("results/weight_set.html", weight_set=item,
                           survey=db.session.get(Survey, item.survey_id))


@bp.post("/bevraging/<int:survey_id>/rapport")
@roles_required("researcher")
def generate(survey_id: int):
    item = db.get_or_404(Survey, survey_id)
    form = ReportForm()
    if not form.validate_on_submit():
        abort(400)
    current = db.session.scalar(sa.select(WeightSet).where(
        WeightSet.survey_id == item.id, WeightSet.is_current.is_(True)))
    report = reporting.start_report(item, form.kind.data, current, current_user.id)
    db.session.commit()
    jobs.dispatch(report.job_id)
    return redirect(url_for("results.report", report_id=report.id))


def _visible_report(report_id: int) -> Report:
    report = db.get_or_404(Report, report_id)
    if current_user.role == "councillor" and (
            report.published_at is None or report.kind not in reporting.COUNCIL_KINDS):
        abort(404)
    return report


@bp.get("/rapport/<int:report_id>")
@roles_required("researcher", "councillor")
def report(report_id: int):
    item = _visible_report(report_id)
    job = db.session.get(Job, item.job_id) if item.job_id else None
    return render_template("results/report.html", report=item, job=job,
                           publish_form=PublishForm())


@bp.get("/rapport/<int:report_id>/download")
@roles_required("researcher", "councillor")
def download(report_id: int):
    item = _visible_report(report_id)
    if item.content is None:
        abort(404)
    audit.record("report_downloaded", item, details={"kind": item.kind})
    db.session.commit()
    name = f"rapport-{item.id}-{item.kind}.{reporting.EXTENSIONS[item.kind]}"
    return send_file(io.BytesIO(item.content), mimetype=reporting.MIMETYPES[item.kind],
                     as_attachment=True, download_name=name)


@bp.post("/rapport/<int:report_id>/publiceren")
@roles_required("researcher")
def publish(report_id: int):
    item = db.get_or_404(Report, report_id)
    if not PublishForm().validate_on_submit() or item.content is None:
        abort(400)
    if item.kind not in reporting.COUNCIL_KINDS:
        flash(_("Alleen het rapport en de presentatie kunnen gepubliceerd worden."), "error")
    else:
        reporting.publish(item, item.published_at is None)
        db.session.commit()
    return redirect(url_for("results.report", report_id=item.id))
