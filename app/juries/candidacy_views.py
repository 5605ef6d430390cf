"""Public candidacy pages: a resident with a jury invitation puts themselves forward.

As on the join pages, the invitation travels in the session, never in the URL: the QR link
``/kandidaat/t/<token>`` is swapped for a session value and redirected to a clean address.
"""

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.invitations import joining
from app.invitations.services import InvitationError
from app.join.forms import ActionForm, CodeForm
from app.join.limits import overall, overall_posts, per_code, per_ip, per_ip_posts
from app.juries import candidacy as service
from app.juries.blueprint import bp
from app.juries.forms import candidacy_form
from app.juries.services import JuryError
from app.models import Invitation
from app.security import public


def start(invitation: Invitation) -> None:
    session["jury"] = {"invitation": invitation.id, "nonce": invitation.secret_nonce}


def _current() -> Invitation | None:
    state = session.get("jury") or {}
    invitation = db.session.get(Invitation, state.get("invitation", 0))
    if invitation is None or invitation.secret_nonce != state.get("nonce"):
        return None
    return invitation if service.jury_of(invitation) is not None else None


@bp.route("/kandidaat/", methods=["GET", "POST"])
@public
@per_code
@overall_posts
@per_ip_posts
def candidacy_code():
    form = CodeForm()
    if form.validate_on_submit():
        invitation = joining.find_by_code(form.code.data)
        if invitation is not None and service.jury_of(invitation) is not None:
            start(invitation)
            return redirect(url_for("juries.candidacy"))
        form.code.errors.append(_("Deze code kennen we niet. Controleer de letters en cijfers "
                                  "in uw brief."))
    return render_template("juries/candidacy_code.html", form=form), 422 if form.errors else 200


@bp.get("/kandidaat/t/<token>")
@public
@overall
@per_ip
def candidacy_token(token: str):
    invitation = joining.find_by_token(token)
    if invitation is None or service.jury_of(invitation) is None:
        return render_template("join/unknown_link.html", step=None), 404
    start(invitation)
    return redirect(url_for("juries.candidacy"))


@bp.get("/kandidaat/afmelden/<token>")
@public
@overall
@per_ip
def candidacy_unsubscribe(token: str):
    """The e-mail's unsubscribe link: the form's "no, thank you" part (nothing changes on GET)."""
    invitation = joining.find_by_token(token)
    if invitation is None or service.jury_of(invitation) is None:
        return render_template("join/unknown_link.html", step=None), 404
    start(invitation)
    return redirect(url_for("juries.candidacy", _anchor="niet-meedoen"))


@bp.post("/kandidaat/niet-deelnemen")
@public
@per_ip_posts
def candidacy_decline():
    return _stop(joining.decline, "declined")


@bp.post("/kandidaat/bezwaar")
@public
@per_ip_posts
def candidacy_object():
    return _stop(joining.object_to_contact, "objected")


def _stop(action, outcome: str):
    """Decline or object (Art. 21) for the invitation in the session; no more reminders."""
    invitation = _current()
    if invitation is None or not ActionForm().validate_on_submit():
        return redirect(url_for("juries.candidacy_code"))
    if service.invitation_state(invitation) != "open":
        return redirect(url_for("juries.candidacy"))
    try:
        action(invitation, source="web")
    except InvitationError:
        return redirect(url_for("juries.candidacy"))
    db.session.commit()
    session.pop("jury", None)
    return redirect(url_for("juries.candidacy_stopped", outcome=outcome))


@bp.get("/kandidaat/bedankt/<any(declined, objected):outcome>")
@public
def candidacy_stopped(outcome: str):
    return render_template("join/stopped.html", outcome=outcome)


@bp.route("/kandidaat/formulier", methods=["GET", "POST"])
@public
def candidacy():
    invitation = _current()
    if invitation is None:
        return redirect(url_for("juries.candidacy_code"))
    jury, state = service.jury_of(invitation), service.invitation_state(invitation)
    form = candidacy_form(jury.self_features, request.form if request.method == "POST" else None)
    if state == "open" and form.validate_on_submit():
        answers = {item["key"]: form[f"f_{item['key']}"].data for item in jury.self_features}
        try:
            service.register(invitation, availability=form.availability.data or "",
                               answers=answers)
        except JuryError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            session.pop("jury", None)
            return redirect(url_for("juries.candidacy_done"))
    return render_template("juries/candidacy.html", form=form, jury=jury, state=state,
                           notice=service.privacy_notice(jury), action_form=ActionForm()), \
        422 if form.errors or form.form_errors else 200


@bp.get("/kandidaat/klaar")
@public
def candidacy_done():
    return render_template("juries/candidacy_done.html")
