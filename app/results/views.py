import io

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit, jobs
from app.extensions import db
from app.models import Job, RegisterImport, Report, Response, Survey, WeightSet
from app.results import data, reporting, weighting
from app.results.forms import PublishForm, RemoveForm, ReportForm, ReweighForm, WeightForm
from app.security import roles_required
from app.surveys import population
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


def _register_choices(survey: Survey) -> list[tuple[int, str]]:
    return [(item.id, _("Registerimport %(id)s, peildatum %(date)s", id=item.id,
                        date=item.reference_date.strftime("%d/%m/%Y")) + " — " + (
        _("register van deze bevraging") if item.id == survey.register_import_id
        else _("nieuwer register"))) for item in population.import_choices(survey)]


def _survey_page(item: Survey, form: WeightForm, report_form: ReportForm, status: int = 200):
    weight_sets = db.session.scalars(sa.select(WeightSet).where(WeightSet.survey_id == item.id)
                                     .order_by(WeightSet.id.desc())).all()
    reports = db.session.scalars(sa.select(Report).where(Report.survey_id == item.id)
                                 .order_by(Report.id.desc())).all()
    form.register_import_id.choices = _register_choices(item)
    current = next((ws for ws in weight_sets if ws.is_current), None)
    report_jobs = {job.id: job for job in db.session.scalars(sa.select(Job).where(
        Job.id.in_([report.job_id for report in reports if report.job_id])))}
    complete = db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(
        Response.survey_id == item.id, Response.status == "complete"))
    response = {key: (value, response_rates(value))
                for key, value in data.dispositions(item).items()}
    return render_template("results/survey.html", survey=item, form=form, complete=complete,
                           response=response,
                           report_form=report_form, weight_sets=weight_sets, reports=reports,
                           publish_form=PublishForm(), current=current,
                           late=reporting.late_responses(item, current), report_jobs=report_jobs,
                           imports=_imports(weight_sets, item), reweigh_form=ReweighForm(),
                           remove_form=RemoveForm()), status


def _imports(weight_sets: list[WeightSet], survey: Survey) -> dict[int, RegisterImport]:
    ids = {ws.margins_import_id for ws in weight_sets} | {survey.register_import_id}
    return {record.id: record for record in db.session.scalars(
        sa.select(RegisterImport).where(RegisterImport.id.in_(ids - {None})))}


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
            weight_set = weighting.weigh_survey(item, choice, current_user.id,
                                                form.register_import_id.data or None)
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
    source = db.session.get(RegisterImport, item.margins_import_id) if (
        item.margins_import_id) else None
    return render_template("results/weight_set.html", weight_set=item, source=source,
                           survey=db.session.get(Survey, item.survey_id))


@bp.post("/bevraging/<int:survey_id>/rapport")
@roles_required("researcher")
def generate(survey_id: int):
    item = db.get_or_404(Survey, survey_id)
    form = ReportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        report = reporting.start_report(item, form.kind.data, _current(item), current_user.id,
                                        stored_weights=form.stored_weights.data)
    except ReportsError as error:
        flash(str(error), "error")
        return redirect(url_for("results.survey", survey_id=item.id))
    db.session.commit()
    jobs.dispatch(report.job_id)
    return redirect(url_for("results.report", report_id=report.id))


def _current(survey: Survey) -> WeightSet | None:
    return db.session.scalar(sa.select(WeightSet).where(
        WeightSet.survey_id == survey.id, WeightSet.is_current.is_(True)))


@bp.post("/bevraging/<int:survey_id>/herwegen")
@roles_required("researcher")
def reweigh(survey_id: int):
    item = db.get_or_404(Survey, survey_id)
    current = _current(item)
    if not ReweighForm().validate_on_submit() or current is None:
        abort(400)
    try:
        weight_set = weighting.reweigh(item, current, current_user.id)
    except ReportsError as error:
        flash(str(error), "error")
        return redirect(url_for("results.survey", survey_id=item.id))
    db.session.commit()
    flash(_("Opnieuw gewogen met dezelfde keuzes: elk antwoord heeft nu een gewicht."), "info")
    return redirect(url_for("results.weight_set", weight_set_id=weight_set.id))


@bp.post("/rapport/<int:report_id>/verwijderen")
@roles_required("researcher")
def remove(report_id: int):
    item = db.get_or_404(Report, report_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    survey_id = item.survey_id
    try:
        reporting.remove_failed(item)
    except ReportsError as error:
        flash(str(error), "error")
        return redirect(url_for("results.report", report_id=item.id))
    db.session.commit()
    flash(_("De mislukte poging is verwijderd."), "info")
    return redirect(url_for("results.survey", survey_id=survey_id))


def _visible_report(report_id: int) -> Report:
    report = db.get_or_404(Report, report_id)
    if current_user.role == "councillor" and (
            report.published_at is None or report.content is None
            or report.kind not in reporting.COUNCIL_KINDS):
        abort(404)
    return report


@bp.get("/rapport/<int:report_id>")
@roles_required("researcher", "councillor")
def report(report_id: int):
    item = _visible_report(report_id)
    job = db.session.get(Job, item.job_id) if item.job_id else None
    return render_template("results/report.html", report=item, job=job,
                           publish_form=PublishForm(), remove_form=RemoveForm())


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
