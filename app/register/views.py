import hashlib
import json

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app import audit, jobs
from app.extensions import db
from app.forms import choices
from app.models import Job, Margin, RegisterImport
from app.privacy.studies import study_choices
from app.register import districts, exports, mapping, services
from app.register import jobs as register_jobs
from app.register.forms import CommitForm, ConfirmForm, ResumeForm, StreetTableForm, UploadForm
from app.security import roles_required
from app.templating import COLUMN_LABELS

bp = Blueprint("register", __name__, url_prefix="/register")


@bp.route("/", methods=["GET", "POST"])
@roles_required("researcher")
def index():
    form = UploadForm()
    form.study_id.choices = choices([(0, "—"), *study_choices()])
    if not form.is_submitted() and len(form.study_id.choices) > 1:
        form.study_id.data = form.study_id.choices[1].value  # the latest study
    if form.validate_on_submit():
        try:
            record = _create_import(form)
        except services.ImportRefusedError as error:
            form.legal_basis.errors.append(str(error))
        except districts.StreetTableError as error:
            form.street_table.errors.append(str(error))
        else:
            _start(record, "register_preview")
            return redirect(url_for("register.show", import_id=record.id))
    imports = db.session.scalars(
        sa.select(RegisterImport).options(selectinload(RegisterImport.created_by))
        .order_by(RegisterImport.id.desc()).limit(50)).all()
    status = 422 if form.errors else 200
    return render_template("register/index.html", form=form, imports=imports,
                           frame_size=services.frame_size()), status


def _create_import(form: UploadForm) -> RegisterImport:
    table = (districts.read_street_table(form.street_table.data.read())
             if form.street_table.data else None)
    incoming = register_jobs.receive_upload(form.file.data)
    try:
        record = services.start_import(
            incoming, filename=form.file.data.filename or "register",
            reference_date=form.reference_date.data, legal_basis=form.legal_basis.data,
            max_error_share=float(form.max_error_share.data) / 100,
            minimum_age=form.minimum_age.data, user_id=current_user.id, street_districts=table,
            study_id=form.study_id.data or None)
    except services.ImportRefusedError:
        incoming.unlink(missing_ok=True)
        raise
    register_jobs.keep_upload(record, incoming)
    return record


def _revision(record: RegisterImport) -> str:
    text = json.dumps([record.column_mapping, record.street_districts], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _start(record: RegisterImport, kind: str, **params) -> None:
    revision = _revision(record) + ("-confirmed" if params.get("confirm_departures") else "")
    job = jobs.create_job(kind, {"import_id": record.id, **params},
                          key=f"{kind}:{record.id}:{record.status}:{revision}",
                          user_id=current_user.id)
    record.job_id = job.id
    db.session.commit()
    jobs.dispatch(job.id)


def _job(record: RegisterImport) -> Job | None:
    """The import's job, marked interrupted (and its upload deleted) if its process died."""
    job = jobs.refresh(db.session.get(Job, record.job_id) if record.job_id else None)
    if job is not None and job.status == "interrupted" and db.session.dirty:
        db.session.commit()
    return job


@bp.get("/<int:import_id>")
@roles_required("researcher")
def show(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    job = _job(record)
    if record.preview_rows:
        audit.record("register_preview_viewed", record, details={"rows": len(record.preview_rows)})
        db.session.commit()
    return render_template("register/show.html", record=record, job=job, form=ConfirmForm(),
                           problems=record.problems[:200], margins=_margins(record),
                           too_many=services.too_many_errors(record), resume_form=ResumeForm(),
                           **_setup_forms(record))


def _departures(record: RegisterImport) -> dict:
    """The question to ask before an import takes a large share of the frame out."""
    current = services.frame_size()
    held = record.status == "preview" and services.too_many_leave(record, current)
    return {"departure_question": services.departure_question(record, current) if held else None,
            "commit_form": CommitForm(formdata=None)}


def _margins(record: RegisterImport) -> list:
    if record.status != "committed":
        return []
    return db.session.execute(
        sa.select(Margin.age_band, Margin.sex, sa.func.sum(Margin.count))
        .where(Margin.import_id == record.id).group_by(Margin.age_band, Margin.sex)
        .order_by(Margin.age_band, Margin.sex)).all()


def _setup_forms(record: RegisterImport, mapping_form=None, street_form=None) -> dict:
    needs = mapping.needs_mapping(record)
    return {
        "mapping_form": mapping_form or (mapping.mapping_form(record, COLUMN_LABELS)
                                         if needs else None),
        "mapping_state": mapping.mapping_state(record) if needs else None,
        "street_form": street_form or StreetTableForm(formdata=None),
        **_departures(record),
    }


@bp.post("/<int:import_id>/kolommen")
@roles_required("researcher")
def save_mapping(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    if not mapping.needs_mapping(record):
        abort(400)
    form = mapping.mapping_form(record, COLUMN_LABELS, formdata=request.form)
    try:
        chosen = mapping.chosen_mapping(form) if form.validate() else None
    except mapping.MappingError as error:
        form.form_errors.append(str(error))
        chosen = None
    if chosen is None:
        return _show_again(record, mapping_form=form)
    mapping.save_mapping(record, chosen)
    audit.record("register_mapping_saved", record, details={"columns": sorted(chosen.values())})
    _start(record, "register_preview")
    return redirect(url_for("register.show", import_id=record.id))


@bp.post("/<int:import_id>/wijken")
@roles_required("researcher")
def street_table(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    form = StreetTableForm()
    if record.status != "preview":
        abort(400)
    try:
        valid = form.validate()
        table = districts.read_street_table(form.street_table.data.read()) if valid else None
    except districts.StreetTableError as error:
        form.street_table.errors.append(str(error))
        table = None
    if table is None:
        return _show_again(record, street_form=form)
    record.street_districts, record.preview_rows = table, []
    audit.record("register_street_table_saved", record, details={"streets": len(table)})
    _start(record, "register_preview")
    return redirect(url_for("register.show", import_id=record.id))


def _show_again(record: RegisterImport, resume_form=None, **forms):
    job = _job(record)
    return render_template("register/show.html", record=record, job=job, form=ConfirmForm(),
                           problems=record.problems[:200], margins=[],
                           too_many=services.too_many_errors(record),
                           resume_form=resume_form or ResumeForm(),
                           **_setup_forms(record, **forms)), 422


@bp.post("/<int:import_id>/inlezen")
@roles_required("researcher")
def commit(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    form = CommitForm()
    if not form.validate_on_submit() or record.status != "preview":
        abort(400)
    if (job := _job(record)) is not None and job.status == "interrupted":
        abort(400)  # the upload is gone: resume with the file, or cancel
    confirmed = bool(form.confirm_departures.data)
    if not confirmed and services.too_many_leave(record):
        flash(_("Bevestig eerst dat dit het volledige register is; er werd niets ingelezen."),
              "error")
        return redirect(url_for("register.show", import_id=record.id))
    audit.record("register_commit_requested", record, details={"confirmed": confirmed})
    _start(record, "register_commit", confirm_departures=confirmed)
    return redirect(url_for("register.show", import_id=record.id))


@bp.post("/<int:import_id>/annuleren")
@roles_required("researcher")
def cancel(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    if not ConfirmForm().validate_on_submit() or record.status != "preview":
        abort(400)
    job = _job(record)
    if job is not None and job.status in ("queued", "interrupted"):
        jobs.cancel(job)
    register_jobs.discard_upload(record)
    record.status = "cancelled"
    audit.record("register_import_cancelled", record)
    db.session.commit()
    flash(_("De import is geannuleerd; er werd niets ingelezen."), "info")
    return redirect(url_for("register.index"))


@bp.post("/<int:import_id>/hervatten")
@roles_required("researcher")
def resume(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    job, form = _job(record), ResumeForm()
    if job is None or job.status != "interrupted" or record.status != "preview":
        abort(400)
    if form.validate_on_submit():
        try:
            register_jobs.take_upload_again(record, form.file.data)
        except services.ImportRefusedError as error:
            form.file.errors.append(str(error))
        else:
            jobs.resume(job)
            audit.record("register_import_resumed", record, details={"job": job.id})
            db.session.commit()
            jobs.dispatch(job.id)
            return redirect(url_for("register.show", import_id=record.id))
    return _show_again(record, resume_form=form)


@bp.get("/<int:import_id>/fouten.<any(csv, xlsx):extension>")
@roles_required("researcher")
def problems(import_id: int, extension: str):
    record = db.get_or_404(RegisterImport, import_id)
    audit.record("register_problems_exported", record, details={"format": extension})
    db.session.commit()
    data, mimetype = exports.problems_file(record.problems, extension)
    name = f"registerimport-{record.id}-fouten.{extension}"
    return send_file(data, mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/<int:import_id>/status")
@roles_required("researcher")
def status(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    job = _job(record)
    return {"status": record.status, "job": job.status if job else None,
            "percent": job.percent if job else 0, "url": request.path}


@bp.errorhandler(413)
def too_large(_error):
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / 2**20
    message = _("Het bestand is te groot: de grens is %(mb)s MB. Er werd niets opgeslagen. "
                "Vraag de bevolkingsdienst een export zonder overbodige kolommen, of laat een "
                "beheerder het bestand inlezen met 'flask register import --chunked'.",
                mb=f"{limit:g}")
    return render_template("register/too_large.html", message=message), 413

