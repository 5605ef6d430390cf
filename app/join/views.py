"""Public pages where an invited resident joins the panel, declines or objects.

The invitation travels in the session, never in the URL: a QR link ``/doe-mee/t/<token>`` is
swapped for a session value on first use and redirected to a clean address, so the token is
left neither in the browser history nor in a Referer header.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.invitations import joining, keys, texts
from app.invitations.services import InvitationError
from app.join.forms import NO_ANSWER, ActionForm, CodeForm, ConfirmForm, ConsentForm, ContactForm
from app.join.forms import profile_form as make_profile_form
from app.join.limits import overall, overall_posts, per_code, per_ip, per_ip_posts
from app.models import Invitation, JoinProfileQuestion, Panel
from app.security import public

bp = Blueprint("join", __name__, url_prefix="/doe-mee")
STEPS = ("about", "consent", "contact", "profile", "confirm")


def _current() -> Invitation | None:
    state = session.get("join") or {}
    invitation = db.session.get(Invitation, state.get("invitation", 0))
    if invitation is None or invitation.secret_nonce != state.get("nonce"):
        return None
    return invitation


def _start(invitation: Invitation) -> None:
    session["join"] = {"invitation": invitation.id, "nonce": invitation.secret_nonce}


def _begin(invitation: Invitation):
    """Continue with a typed code or link: a jury invitation (no panel batch) goes to the
    jury's candidacy form, any other to the join pages."""
    if invitation.batch_id is None:
        from app.juries.candidacy_views import start

        start(invitation)
        return redirect(url_for("juries.candidacy"))
    _start(invitation)
    return redirect(url_for("join.about"))


def _page(name: str, invitation: Invitation | None = None, status: int = 200, **context):
    steps = [item for item in STEPS if item != "profile" or _questions(invitation)]
    step = steps.index(name) + 1 if name in steps else None
    return render_template(f"join/{name}.html", invitation=invitation, step=step,
                           steps=len(steps), **context), status


@bp.route("/", methods=["GET", "POST"])
@public
@per_code
@overall_posts
@per_ip_posts
def code():
    form = CodeForm()
    if form.validate_on_submit():
        invitation = joining.find_by_code(form.code.data)
        if invitation is not None:
            return _begin(invitation)
        form.code.errors.append(_("Deze code kennen we niet. Controleer de letters en cijfers "
                                  "in uw brief."))
    return _page("code", form=form, status=422 if form.errors else 200)


@bp.get("/t/<token>")
@public
@overall
@per_ip
def token(token: str):
    invitation = joining.find_by_token(token)
    if invitation is None:
        return _page("unknown_link", status=404)
    return _begin(invitation)


@bp.get("/afmelden/<token>")
@public
@overall
@per_ip
def unsubscribe(token: str):
    invitation = joining.find_by_token(token)
    if invitation is None:
        return _page("unknown_link", status=404)
    if invitation.batch_id is None:  # jury letters carry no unsubscribe link; be safe anyway
        return _begin(invitation)
    _start(invitation)
    return redirect(url_for("join.about", _anchor="niet-meedoen"))


def _guard(invitation: Invitation | None):
    """A response when the visitor may not continue (no session, used, expired)."""
    if invitation is None:
        return redirect(url_for("join.code"))
    state = joining.state(invitation)
    if state != "open":
        return _page("closed", invitation, state=state, action_form=ActionForm())
    return None


@bp.get("/uitleg")
@public
def about():
    invitation = _current()
    blocked = _guard(invitation)
    if blocked is not None:
        return blocked
    panel_id = joining.panel_id_of(invitation)
    values = texts.template_values(panel_id, str(session.get("language") or "nl"))
    panel = db.session.get(Panel, panel_id)
    return _page("about", invitation, privacy=values["privacy"], action_form=ActionForm(),
                 panel=panel)


@bp.route("/toestemming", methods=["GET", "POST"])
@public
def consent():
    invitation = _current()
    blocked = _guard(invitation)
    if blocked is not None:
        return blocked
    form = ConsentForm()
    if form.validate_on_submit():
        version = texts.consent_version(joining.panel_id_of(invitation),
                                        str(session.get("language") or "nl"))
        session["join"] = {**session["join"], "consent_version": version,
                           "consent_at": datetime.now(UTC).isoformat()}
        return redirect(url_for("join.contact"))
    return _page("consent", invitation, form=form, status=422 if form.errors else 200)


@bp.route("/contact", methods=["GET", "POST"])
@public
def contact():
    invitation = _current()
    blocked = _guard(invitation) or _require(invitation, "consent_at", "join.consent")
    if blocked is not None:
        return blocked
    form = ContactForm(data=session["join"].get("contact"))
    if form.validate_on_submit():
        session["join"] = {**session["join"], "contact": {
            "contact_preference": form.contact_preference.data,
            "email": form.email.data or None if form.contact_preference.data == "email" else None,
            "language": form.language.data}}
        target = "join.profile" if _questions(invitation) else "join.confirm"
        return redirect(url_for(target))
    return _page("contact", invitation, form=form, status=422 if form.errors else 200)


def _require(invitation: Invitation, key: str, endpoint: str):
    return None if key in session["join"] else redirect(url_for(endpoint))


def _questions(invitation: Invitation | None) -> list[JoinProfileQuestion]:
    if invitation is None:
        return []
    return list(db.session.scalars(sa.select(JoinProfileQuestion).where(
        JoinProfileQuestion.panel_id == joining.panel_id_of(invitation),
        JoinProfileQuestion.active.is_(True)).order_by(JoinProfileQuestion.position)))


@bp.route("/profiel", methods=["GET", "POST"])
@public
def profile():
    invitation = _current()
    blocked = _guard(invitation) or _require(invitation, "contact", "join.contact")
    if blocked is not None:
        return blocked
    questions = _questions(invitation)
    saved = {f"q_{key}": value for key, value in session["join"].get("profile", {}).items()}
    form = make_profile_form(questions, saved if request.method == "GET" else None)
    if form.validate_on_submit():
        answers = {question.key: form[f"q_{question.key}"].data for question in questions}
        session["join"] = {**session["join"], "profile": {
            key: value for key, value in answers.items() if value and value != NO_ANSWER}}
        return redirect(url_for("join.confirm"))
    return _page("profile", invitation, form=form, questions=questions,
                 status=422 if form.errors else 200)


@bp.route("/bevestigen", methods=["GET", "POST"])
@public
def confirm():
    invitation = _current()
    blocked = _guard(invitation) or _require(invitation, "contact", "join.contact")
    if blocked is not None:
        return blocked
    form, state = ConfirmForm(), session["join"]
    if form.validate_on_submit():
        choices = joining.JoinChoices(
            consent_version=state["consent_version"],
            consent_at=datetime.fromisoformat(state["consent_at"]), **state["contact"],
            profile=state.get("profile", {}))
        try:
            member = joining.join(invitation, choices, source="web")
        except InvitationError as error:
            form.form_errors.append(str(error))
        else:
            link = keys.member_token(member)
            db.session.commit()
            session.pop("join", None)
            session["member"] = {"id": member.id, "nonce": member.link_nonce, "new": True}
            session["member_link"] = link
            return redirect(url_for("join.done"))
    return _page("confirm", invitation, form=form, state=state, questions=_questions(invitation),
                 status=422 if form.form_errors else 200)


@bp.get("/klaar")
@public
def done():
    link = session.get("member_link")
    if not link:
        return redirect(url_for("join.code"))
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return _page("done", member_link=f"{base}/doe-mee/lid/{link}")


@bp.post("/niet-deelnemen")
@public
def decline():
    return _stop(joining.decline, "declined")


@bp.post("/bezwaar")
@public
def object_to_contact():
    return _stop(joining.object_to_contact, "objected")


def _stop(action, outcome: str):
    invitation = _current()
    form = ActionForm()
    if invitation is None or not form.validate_on_submit():
        return redirect(url_for("join.code"))
    try:
        action(invitation, source="web")
    except InvitationError as error:
        return _page("closed", invitation, state=joining.state(invitation), error=str(error),
                     action_form=ActionForm(), status=422)
    db.session.commit()
    session.pop("join", None)
    return redirect(url_for("join.stopped", outcome=outcome))


@bp.get("/bedankt/<any(declined, objected):outcome>")
@public
def stopped(outcome: str):
    return _page("stopped", outcome=outcome)
