"""The second sign-in step (a code from an authenticator app) and enrolling one."""

import time

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import mfa
from app.auth.forms import CodeForm, MfaDisableForm
from app.auth.services import _aware, _count_failure
from app.auth.views import _login_limit, bp, finish_login
from app.extensions import db, limiter
from app.models import User, utcnow
from app.security import STAFF_ROLES, public, roles_required

PENDING_SECONDS = 300


def _pending_user() -> User | None:
    user_id, since = session.get("mfa_user"), session.get("mfa_since", 0)
    if user_id is None or time.time() - since > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.totp_secret:
        return None
    locked = user.locked_until and _aware(user.locked_until) > utcnow()
    return None if locked else user


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], scope="staff-login-code")
@public
def code():
    user, form = _pending_user(), CodeForm()
    if user is None:
        session.pop("mfa_user", None)
        return redirect(url_for("main.index"))
    if form.validate_on_submit():
        if mfa.check_code(user, form.code.data):
            return finish_login(user, session.get("mfa_next") or url_for("main.index"))
        _count_failure(user)  # wrong codes count towards the account lockout
        db.session.commit()
        form.code.errors.append(_("Deze code klopt niet of werd al gebruikt."))
    return render_template("auth/code.html", form=form), 422 if form.errors else 200


@bp.route("/tweestaps", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def mfa_setup():
    user = current_user._get_current_object()
    form, disable_form = CodeForm(prefix="enable"), MfaDisableForm(prefix="disable")
    try:
        if not user.totp_secret and form.validate_on_submit():
            mfa.enable(user, form.code.data)
        elif user.totp_secret and disable_form.validate_on_submit():
            mfa.disable(user, disable_form.password.data)
        else:
            return _page(user, form, disable_form)
    except mfa.MfaError as error:
        (disable_form.password if user.totp_secret else form.code).errors.append(str(error))
        return _page(user, form, disable_form)
    db.session.commit()
    flash(_("Tweestapsverificatie staat aan.") if user.totp_secret
          else _("Tweestapsverificatie staat uit."), "success")
    return redirect(url_for("auth.mfa_setup"))


def _page(user: User, form: CodeForm, disable_form: MfaDisableForm):
    secret = None if user.totp_secret else mfa.pending_secret(user)
    qr = mfa.qr_svg(user, secret) if secret else None
    status = 422 if form.errors or disable_form.errors else 200
    return render_template("auth/mfa.html", form=form, disable_form=disable_form, secret=secret,
                           qr=qr, required=mfa.required_for(user),
                           city=current_app.config["CITY_NAME"]), status
