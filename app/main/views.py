import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, session, url_for
from flask_login import current_user

from app import jobs
from app.extensions import db
from app.main.forms import LanguageForm
from app.models import Job, Member, Panel, RegisterImport, Resident, Survey
from app.security import public, roles_required, safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/welcome.html")


@bp.get("/dashboard")
@roles_required("researcher", "data_entry", "councillor")
def dashboard():
    counts = {
        "residents": db.session.scalar(
            sa.select(sa.func.count()).select_from(Resident).where(Resident.in_frame)
        ),
        "imports": db.session.scalar(sa.select(sa.func.count()).select_from(RegisterImport)),
        "panels": db.session.scalar(sa.select(sa.func.count()).select_from(Panel)),
        "members": db.session.scalar(
            sa.select(sa.func.count()).select_from(Member).where(Member.status == "active")
        ),
        "surveys": db.session.scalar(sa.select(sa.func.count()).select_from(Survey)),
    }
    return render_template("main/dashboard.html", counts=counts)


@bp.post("/taal")
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
    return redirect(safe_next(form.next.data, url_for("main.index")))


@bp.get("/jobs/<int:job_id>")
@roles_required("researcher", "data_entry")
def job_status(job_id: int):
    job = db.get_or_404(Job, job_id)
    if job.created_by_id != current_user.id and current_user.role != "admin":
        abort(403)  # only who started the job (and admins) may read its status
    if jobs.refresh(job).status == "interrupted":
        db.session.commit()
    return {"id": job.id, "status": job.status, "progress": job.progress, "total": job.total,
            "percent": job.percent, "error": job.error, "result": job.result}


@bp.get("/toegankelijkheid")
@public
def accessibility():
    return render_template("main/accessibility.html")
