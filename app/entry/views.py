"""Keying pages for clerks: choose what to key, scan the code, key the whole form, save."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.entry import fields as entry_fields_module
from app.entry import services
from app.entry.blueprint import bp
from app.entry.errors import ChangedElsewhereError, EntryError
from app.entry.finalise import definition_of, receive_slip, receive_survey_form
from app.entry.forms import SLIP, KeyingForm, StartForm
from app.extensions import db
from app.models import Entry, Survey
from app.security import roles_required

CLERKS = ("data_entry",)


def _start_form() -> StartForm:
    form = StartForm()
    surveys = db.session.scalars(sa.select(Survey).where(Survey.status != "draft")
                                 .order_by(Survey.id.desc())).all()
    form.survey.choices = [(str(survey.id), survey.title.get("nl") or f"#{survey.id}")
                           for survey in surveys]
    form.survey.choices.append((SLIP, _("Antwoordstroken van uitnodigingsbrieven")))
    if request.method == "GET" and request.args.get("bevraging"):
        form.survey.data = request.args["bevraging"]
    return form


@bp.get("/")
@roles_required("data_entry", "researcher")
def index():
    surveys = db.session.scalars(sa.select(Survey).where(Survey.status != "draft")
                                 .order_by(Survey.id.desc())).all()
    return render_template("entry/index.html", form=_start_form(), surveys=surveys)


@bp.post("/")
@roles_required(*CLERKS)
def start():
    form = _start_form()
    if form.validate_on_submit():
        try:
            entry = services.claim(_received(form), current_user)
        except EntryError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("entry.keying", entry_id=entry.id))
    return render_template("entry/index.html", form=form, surveys=[]), 422


def _received(form: StartForm):
    if form.survey.data == SLIP:
        return receive_slip(form.code.data, actor=current_user)
    survey = db.get_or_404(Survey, int(form.survey.data))
    return receive_survey_form(survey, form.code.data, actor=current_user)


@bp.get("/pas/<int:entry_id>")
@roles_required(*CLERKS)
def keying(entry_id: int):
    entry = services.entry_for(entry_id, current_user)
    if entry is None:
        flash(_("Deze invoer is niet (meer) van u. Scan de code opnieuw."), "error")
        return redirect(url_for("entry.index"))
    return _keying_page(entry, typed={}, errors={})


@bp.post("/pas/<int:entry_id>")
@roles_required(*CLERKS)
def save(entry_id: int):
    entry = db.get_or_404(Entry, entry_id)
    typed = {key[2:]: value for key, value in request.form.items() if key.startswith("f-")}
    form = KeyingForm()
    if not form.validate_on_submit():
        return _keying_page(entry, typed, {}, status=400,
                            message=_("De pagina is verlopen. Sla opnieuw op."))
    try:
        outcome = services.save_entry(entry, current_user, version=_posted_version(),
                                      typed=typed, checked=_checked())
    except EntryError as error:
        db.session.rollback()
        status = 409 if isinstance(error, ChangedElsewhereError) else 422
        return _keying_page(db.get_or_404(Entry, entry_id), typed, {}, status=status,
                            message=str(error))
    if outcome.errors or outcome.differences:
        return _keying_page(entry, typed, outcome.errors, status=422,
                            differences=outcome.differences)
    db.session.commit()
    flash(_("Opgeslagen. Scan het volgende formulier."), "success")
    return redirect(url_for("entry.index", bevraging=entry.form.survey_id or SLIP))


def _checked() -> list[str]:
    return [key for key in request.form.get("checked", "").split(",") if key]


def _posted_version() -> int | None:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return None


@bp.post("/pas/<int:entry_id>/vrijgeven")
@roles_required(*CLERKS)
def release(entry_id: int):
    entry = db.get_or_404(Entry, entry_id)
    survey_id = entry.form.survey_id
    if KeyingForm().validate_on_submit():
        try:
            services.release(entry, current_user)
        except EntryError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Het formulier is vrijgegeven voor een collega."), "success")
    return redirect(url_for("entry.index", bevraging=survey_id or SLIP))


def _keying_page(entry: Entry, typed: dict, errors: dict, *, status: int = 200,
                 message: str | None = None, differences: list[str] | None = None):
    definition = definition_of(entry.form)
    fields = entry_fields_module.entry_fields(definition)
    owner = entry.clerk_id == current_user.id and entry.status == "claimed"
    marked = set(errors) | set(differences or [])
    focus_key = next((item.key for item in fields if item.key in marked), fields[0].key)
    return render_template(
        "entry/keying.html", entry=entry, fields=fields, typed=typed, errors=errors,
        version=entry.version if owner else None, message=message, form=KeyingForm(),
        survey=db.session.get(Survey, entry.form.survey_id) if entry.form.survey_id else None,
        focus_key=focus_key, differences=differences or []), status
