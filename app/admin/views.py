import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required

from app.admin import services
from app.admin.forms import ROLE_CHOICES, ActiveForm, RoleForm, UserForm
from app.auth import sessions
from app.extensions import db
from app.models import AuditEvent, User
from app.security import roles_required

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.get("/")
@roles_required("admin")
def index():
    return redirect(url_for("admin.users"))


@bp.route("/gebruikers", methods=["GET", "POST"])
@roles_required("admin")
def users():
    form = UserForm()
    if form.validate_on_submit():
        try:
            services.create_user(form.email.data, form.name.data, form.role.data,
                                 form.password.data)
        except services.UserError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Gebruiker aangemaakt."), "success")
            return redirect(url_for("admin.users"))
    users = db.session.scalars(sa.select(User).order_by(User.email)).all()
    status = 422 if form.errors else 200
    return render_template("admin/users.html", form=form, users=users, role_choices=ROLE_CHOICES,
                           active_form=ActiveForm(), open_sessions=sessions.open_counts()), status


@bp.post("/gebruikers/<int:user_id>/rol")
@roles_required("admin")
@fresh_login_required
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("U kunt uw eigen rol niet wijzigen."), "error")
        return redirect(url_for("admin.users"))
    services.change_role(user, form.role.data)
    db.session.commit()
    flash(_("Rol gewijzigd."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/gebruikers/<int:user_id>/actief")
@roles_required("admin")
@fresh_login_required
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ActiveForm().validate_on_submit() or user.id == current_user.id:
        abort(400)
    services.set_active(user, not user.active)
    db.session.commit()
    return redirect(url_for("admin.users"))


@bp.post("/gebruikers/<int:user_id>/afmelden")
@roles_required("admin")
@fresh_login_required
def log_out_user(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ActiveForm().validate_on_submit() or user.id == current_user.id:
        abort(400)  # one's own other sessions end with a password change
    count = services.log_out_everywhere(user)
    db.session.commit()
    flash(_("%(name)s is overal afgemeld (%(count)s sessies beëindigd).", name=user.name,
            count=count), "success")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
@roles_required("admin")
def audit_log():
    page = db.paginate(sa.select(AuditEvent).order_by(AuditEvent.id.desc()), per_page=50)
    return render_template("admin/audit.html", page=page)
