import time

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app import audit
from app.auth import sessions
from app.auth.forms import LoginForm, LogoutForm, PasswordChangeForm
from app.auth.services import (
    LoginRefusedError,
    PasswordChangeError,
    authenticate,
    change_password,
)
from app.extensions import db, limiter
from app.security import STAFF_ROLES, fresh_session, public, roles_required, safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], scope="staff-login")
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except LoginRefusedError:
            db.session.commit()
            form.form_errors.append(_("E-mailadres of wachtwoord klopt niet, of de account is "
                                      "tijdelijk geblokkeerd."))
        else:
            target = safe_next(request.args.get("next"), url_for("main.index"))
            if user.totp_secret:
                await_code(user, target)
                db.session.commit()
                return redirect(url_for("auth.code"))
            return finish_login(user, target)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


def await_code(user, target: str) -> None:
    """Password accepted, code still to come: no login yet, only a short-lived marker."""
    fresh_session()
    session.update(mfa_user=user.id, mfa_since=int(time.time()), mfa_next=target)


def finish_login(user, target: str):
    fresh_session()  # no session fixation: start a fresh session at login
    sessions.start(user)
    login_user(user)
    db.session.commit()
    return redirect(target)


@bp.get("/sessie")
@public
def session_alive():
    """The staff keep-alive (static/keepalive.js): ``alive`` says whether the session lives.

    Loading the user touches the session's ``last_seen_at`` (``sessions.load``), so a clerk
    typing a long paper form for more than the idle timeout stays logged in; the page pings
    only after keyboard or mouse activity, so an unattended screen still times out.
    """
    if not current_user.is_authenticated:
        return jsonify(alive=False)
    return jsonify(alive=True, idle_seconds=int(current_app.config["STAFF_IDLE_MINUTES"] * 60))


@bp.post("/logout")
@roles_required(*STAFF_ROLES)
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        sessions.end_current(user)  # every copy of this cookie is now worthless
        audit.record("logout", user)
        db.session.commit()
        logout_user()
        fresh_session()
        flash(_("U bent afgemeld."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current.data, form.new.data)
        except PasswordChangeError as error:
            form.new.errors.append(str(error))
        else:
            sessions.start(user)  # every other session ended; this one goes on, renewed
            db.session.commit()
            fresh_session()
            login_user(user)
            flash(_("Uw wachtwoord is gewijzigd. U bent overal elders afgemeld."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200
