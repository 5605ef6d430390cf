import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit, jobs
from app.extensions import db
from app.models import Job, Margin, RegisterImport
from app.register import exports, services
from app.register import jobs as register_jobs
from app.register.forms import ConfirmForm, UploadForm
from app.security import roles_required

bp = Blueprint("register", __name__, url_prefix="/register")


@bp.route("/", methods=["GET", "POST"])
@roles_required("researcher")
def index():
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            record = services.start_import(
                data, filename=form.file.data.filename or "register",
                reference_date=form.reference_date.data, legal_basis=form.legal_basis.data,
                max_error_share=float(form.max_error_share.data) / 100,
                minimum_age=form.minimum_age.data, user_id=current_user.id)
        except services.ImportRefusedError as error:
            form.legal_basis.errors.append(str(error))
        else:
            register_jobs.save_upload(record, data)
            _start(record, "register_preview")
            return redirect(url_for("register.show", import_id=record.id))
    imports = db.session.scalars(
        sa.select(RegisterImport).order_by(RegisterImport.id.desc()).limit(50)).all()
    status = 422 if form.errors else 200
    return render_template("register/index.html", form=form, imports=imports,
                           frame_size=services.frame_size()), status


def _start(record: RegisterImport, kind: str) -> None:
    job = jobs.create_job(kind, {"import_id": record.id},
                          key=f"{kind}:{record.id}:{record.status}:{len(record.column_mapping)}",
                          user_id=current_user.id)
    record.job_id = job.id
    db.session.commit()
    jobs.dispatch(job.id)


@bp.get("/<int:import_id>")
@roles_required("researcher")
def show(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    job = db.session.get(Job, record.job_id) if record.job_id else None
    if record.preview_rows:
        audit.record("register_preview_viewed", record, details={"rows": len(record.preview_rows)})
        db.session.commit()
    margins = []
    if record.status == "committed":
        margins = db.session.execute(
            sa.select(Margin.age_band, Margin.sex, sa.func.sum(Margin.count))
            .where(Margin.import_id == record.id).group_by(Margin.age_band, Margin.sex)
            .order_by(Margin.age_band, Margin.sex)).all()
    return render_template("register/show.html", record=record, job=job, form=ConfirmForm(),
                           problems=record.problems[:200], margins=margins,
                           too_many=services.too_many_errors(record))


@bp.post("/<int:import_id>/inlezen")
@roles_required("researcher")
def commit(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    if not ConfirmForm().validate_on_submit() or record.status != "preview":
        abort(400)
    _start(record, "register_commit")
    return redirect(url_for("register.show", import_id=record.id))


@bp.post("/<int:import_id>/annuleren")
@roles_required("researcher")
def cancel(import_id: int):
    record = db.get_or_404(RegisterImport, import_id)
    if not ConfirmForm().validate_on_submit() or record.status != "preview":
        abort(400)
    register_jobs.discard_upload(record)
    record.status = "cancelled"
    audit.record("register_import_cancelled", record)
    db.session.commit()
    flash(_("De import is geannuleerd; er werd niets ingelezen."), "info")
    return redirect(url_for("register.index"))


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
    job = db.session.get(Job, record.job_id) if record.job_id else None
    return {"status": record.status, "job": job.status if job else None,
            "percent": job.percent if job else 0, "url": request.path}
