"""Helpdesk: a resident calls about a letter; staff type the code and see what happened.

The page shows the invitation's status and timeline (letter printed, e-mails, reply) and links
to registering a reply given by phone or on paper. The code is posted, never put in a URL, and
every lookup is audited: it shows personal data (name and street, to check who is calling).
"""

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app import audit
from app.extensions import db, limiter
from app.forms import BaseForm
from app.invitations import joining, services
from app.invitations.blueprint import bp
from app.models import InvitationBatch
from app.security import roles_required

EVENT_LABELS = {
    "letter_printed": _l("brief afgedrukt"), "reminder_printed": _l("herinneringsbrief afgedrukt"),
    "joined": _l("schreef zich in"), "declined": _l("zei nee"),
    "objected": _l("maakte bezwaar: niet meer contacteren"),
}
MAIL_STEPS = {"invite": _l("uitnodiging per e-mail"), "reminder": _l("herinnering per e-mail")}
MAIL_OUTCOMES = {"sent": _l("verstuurd"), "bounced": _l("geweigerd door de mailserver"),
                 "deferred": _l("uitgesteld, wordt opnieuw geprobeerd"),
                 "bounced_async": _l("later teruggekomen als onbestelbaar")}
SOURCES = {"web": _l("via de website"), "paper": _l("op papier of telefonisch"),
           "member_link": _l("via de ledenlink")}


class LookupForm(BaseForm):
    code = StringField(_l("Code op de brief"), validators=[InputRequired(), Length(max=64)],
                       description=_l("Zoals op de brief, met of zonder streepjes."))
    submit = SubmitField(_l("Opzoeken"))


def event_label(kind: str) -> str:
    """The timeline event in plain Dutch (``mail_invite_sent`` -> uitnodiging per e-mail: …)."""
    if kind in EVENT_LABELS:
        return str(EVENT_LABELS[kind])
    if kind.startswith("mail_"):
        step, _, outcome = kind[len("mail_"):].partition("_")
        if step in MAIL_STEPS and outcome in MAIL_OUTCOMES:
            return f"{MAIL_STEPS[step]}: {MAIL_OUTCOMES[outcome]}"
    return kind


@bp.route("/opzoeken", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"], methods=["POST"],
               scope="helpdesk-lookup")
@roles_required("researcher", "data_entry")
def lookup():
    form, invitation = LookupForm(), None
    if form.validate_on_submit():
        invitation = joining.find_by_code(form.code.data)
        if invitation is None:
            form.code.errors.append(_l("Deze code kennen we niet. Controleer de code op de brief."))
        else:
            audit.record("invitation_viewed", invitation, details={"via": "code"})
            db.session.commit()
    context = {}
    if invitation is not None:
        batch = invitation.batch_id and db.session.get(InvitationBatch, invitation.batch_id)
        context = {"batch": batch or None,
                   "events": services.timeline(invitation),
                   "resident": invitation.selection.resident}
    return render_template("invitations/lookup.html", form=form, invitation=invitation,
                           event_label=event_label,
                           sources=SOURCES, **context), 422 if form.errors else 200
