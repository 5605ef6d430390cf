"""Per-panel pages: letter texts, profile questions, monitoring, members and paper replies."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.extensions import db
from app.invitations import joining, members, monitoring, texts
from app.invitations.blueprint import bp
from app.invitations.forms import (
    PRIVACY_FIELD_NAMES,
    ActionForm,
    MemberActionForm,
    PaperReplyForm,
    ProfileQuestionForm,
    TemplateForm,
)
from app.invitations.letters.content import LetterError
from app.invitations.participation import participation
from app.invitations.services import InvitationError
from app.models import JoinProfileQuestion, Member, Panel
from app.security import roles_required
from app.templating import stratum_label


@bp.route("/panel/<int:panel_id>/brieftekst/<any(nl, fr, en):language>",
          methods=["GET", "POST"])
@roles_required("researcher")
def template(panel_id: int, language: str):
    panel = db.get_or_404(Panel, panel_id)
    form = TemplateForm()
    if request.method == "GET":
        _fill_template_form(form, texts.template_values(panel.id, language))
    elif form.validate_on_submit():
        values = {name: form[name].data for name in texts.TEXT_FIELDS}
        values["privacy"] = {name: form[f"privacy_{name}"].data for name in PRIVACY_FIELD_NAMES}
        try:
            record = texts.save_template(panel, language, values, user_id=current_user.id)
        except LetterError as error:
            form.form_errors.append(str(error))
        else:
            audit.record("letter_template_saved", record, details={"version": record.version})
            db.session.commit()
            flash(_("De brieftekst is opgeslagen."), "success")
            return redirect(url_for("invitations.template", panel_id=panel.id,
                                    language=language))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("invitations/template.html", panel=panel, form=form,
                           language=language, privacy_fields=PRIVACY_FIELD_NAMES), status


def _fill_template_form(form: TemplateForm, values: dict) -> None:
    for name in texts.TEXT_FIELDS:
        form[name].data = values[name]
    for name in PRIVACY_FIELD_NAMES:
        form[f"privacy_{name}"].data = values["privacy"].get(name, "")


@bp.route("/panel/<int:panel_id>/profielvragen", methods=["GET", "POST"])
@roles_required("researcher")
def profile_questions(panel_id: int):
    panel = db.get_or_404(Panel, panel_id)
    form = ProfileQuestionForm()
    if form.validate_on_submit():
        options = [line.strip() for line in form.options.data.splitlines() if line.strip()]
        question = JoinProfileQuestion(panel_id=panel.id, key=form.key.data, text=form.text.data,
                                       options=[[str(i + 1), o] for i, o in enumerate(options)],
                                       position=len(_questions(panel.id)))
        if any(existing.key == question.key for existing in _questions(panel.id)):
            form.key.errors.append(_("Deze korte naam bestaat al."))
        else:
            db.session.add(question)
            db.session.flush()
            audit.record("profile_question_added", question, details={"panel_id": panel.id})
            db.session.commit()
            return redirect(url_for("invitations.profile_questions", panel_id=panel.id))
    return render_template("invitations/profile_questions.html", panel=panel, form=form,
                           questions=_questions(panel.id)), 422 if form.errors else 200


def _questions(panel_id: int) -> list[JoinProfileQuestion]:
    return list(db.session.scalars(sa.select(JoinProfileQuestion).where(
        JoinProfileQuestion.panel_id == panel_id).order_by(JoinProfileQuestion.position)))


@bp.get("/panel/<int:panel_id>/opvolging")
@roles_required("researcher")
def monitor(panel_id: int):
    panel = db.get_or_404(Panel, panel_id)
    frame = monitoring.invitation_frame(panel.id)
    return render_template("invitations/monitor.html", panel=panel,
                           strata=monitoring.summary(frame, "stratum"),
                           channels=monitoring.summary(frame, "channel"),
                           days=monitoring.per_day(frame), total=len(frame),
                           stratum_words=lambda label: stratum_label(label, panel.strata))


@bp.get("/panel/<int:panel_id>/leden")
@roles_required("researcher")
def member_list(panel_id: int):
    panel = db.get_or_404(Panel, panel_id)
    filters = {name: request.args.get(name) or None
               for name in ("status", "stratum", "contact_preference")}
    stats = participation(panel.id)
    listed = members.member_list(panel.id, **filters)
    if request.args.get("deelname") == "stil":
        listed = [member for member in listed if member.id in stats and stats[member.id].silent]
    return render_template("invitations/members.html", panel=panel, filters=filters,
                           members=listed, participation=stats, silent_only=(
                               request.args.get("deelname") == "stil"),
                           strata=members.strata_of(panel.id), form=MemberActionForm())


@bp.post("/panel/<int:panel_id>/leden/<int:member_id>")
@roles_required("researcher")
def member_action(panel_id: int, member_id: int):
    panel = db.get_or_404(Panel, panel_id)
    member = db.get_or_404(Member, member_id)
    if member.panel_id != panel.id:
        abort(404)
    form = MemberActionForm()
    if form.validate_on_submit():
        try:
            members.staff_action(member, form.action.data, actor=current_user)
        except InvitationError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Het lid is bijgewerkt."), "success")
    return redirect(url_for("invitations.member_list", panel_id=panel.id))


@bp.route("/papier", methods=["GET", "POST"])
@roles_required("researcher", "data_entry")
def paper_reply():
    form = PaperReplyForm()
    if form.validate_on_submit():
        invitation = joining.find_by_code(form.code.data)
        try:
            _apply_paper_reply(invitation, form)
        except InvitationError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Het antwoord is opgeslagen."), "success")
            return redirect(url_for("invitations.paper_reply"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("invitations/paper_reply.html", form=form,
                           action_form=ActionForm()), status


def _apply_paper_reply(invitation, form: PaperReplyForm) -> None:
    if invitation is None:
        raise InvitationError(_("Deze code kennen we niet. Controleer de code op het formulier."))
    if form.reply.data == "decline":
        joining.decline(invitation, source="paper", actor=current_user)
    elif form.reply.data == "object":
        joining.object_to_contact(invitation, source="paper", actor=current_user)
    else:
        if not form.consent.data or not form.contact_preference.data:
            raise InvitationError(_("Wie meedoet, tekent voor toestemming en kiest e-mail of "
                                    "papier."))
        choices = joining.JoinChoices(
            consent_version="papier-" + texts.consent_version(
                joining.panel_id_of(invitation), form.language.data),
            consent_at=datetime.now(UTC), contact_preference=form.contact_preference.data,
            language=form.language.data, email=form.email.data or None)
        joining.join(invitation, choices, source="paper", actor=current_user)
