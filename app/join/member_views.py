"""A member's own page, reached by the personal link: preferences and leaving the panel."""

from flask import redirect, render_template, session, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.invitations import members
from app.invitations.services import InvitationError
from app.join.forms import ActionForm, ContactForm
from app.join.limits import overall, per_ip
from app.join.views import bp
from app.models import Member
from app.security import public


def _member() -> Member | None:
    state = session.get("member") or {}
    member = db.session.get(Member, state.get("id", 0))
    if member is None or member.link_nonce != state.get("nonce"):
        return None
    return member


@bp.get("/lid/<token>")
@public
@overall
@per_ip
def member_link(token: str):
    member = members.find_by_link(token)
    if member is None:
        return render_template("join/unknown_link.html", step=None), 404
    session["member"] = {"id": member.id, "nonce": member.link_nonce}
    return redirect(url_for("join.member_page"))


@bp.route("/lid", methods=["GET", "POST"])
@public
def member_page():
    member = _member()
    if member is None:
        return redirect(url_for("join.code"))
    form = ContactForm(obj=member)
    if member.status != "left" and form.validate_on_submit():
        try:
            members.update_preferences(member, contact_preference=form.contact_preference.data,
                                       email=form.email.data or None,
                                       language=form.language.data)
        except InvitationError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("join.member_page", saved=1))
    status = 422 if form.errors or form.form_errors else 200
    open_items = members.questionnaires(member) if member.status == "active" else []
    db.session.commit()  # a questionnaire link shown here keeps working
    return render_template("join/member.html", member=member, form=form, step=None,
                           leave_form=ActionForm(), questionnaires=open_items,
                           saved_message=_("Uw keuze is opgeslagen.")), status


@bp.post("/lid/verlaten")
@public
def member_leave():
    member = _member()
    if member is None or not ActionForm().validate_on_submit():
        return redirect(url_for("join.code"))
    members.leave(member)
    db.session.commit()
    return redirect(url_for("join.member_page"))
