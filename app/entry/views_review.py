"""Researcher pages: progress and quality per survey (or reply slips), settings, resolving."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.entry import fields as keying
from app.entry import quality, services, settings
from app.entry.blueprint import bp
from app.entry.errors import EntryError
from app.entry.finalise import definition_of
from app.entry.forms import KeyingForm, SettingForm
from app.entry.slips import slip_definition
from app.extensions import db
from app.models import PaperForm, Survey
from app.security import roles_required
from app.surveys import versions


@bp.get("/overzicht/<int:survey_id>")
@roles_required("researcher")
def overview(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    setting = settings.setting_for(survey.id)
    form = SettingForm(data={"mode": setting.mode, "seed": setting.seed,
                             "share": round(setting.verification_share * 100)})
    return _overview_page(survey, versions.definition_of(survey), form)


@bp.get("/overzicht/stroken")
@roles_required("researcher")
def slip_overview():
    return _overview_page(None, slip_definition(), None)


def _overview_page(survey, definition, form, status: int = 200):
    survey_id = survey.id if survey else None
    clerks, per_field = quality.error_rates(survey_id, definition)
    return render_template("entry/overview.html", survey=survey, form=form,
                           progress=quality.progress(survey_id), clerks=clerks,
                           per_field=per_field,
                           conflicts=services.open_conflicts(survey_id)), status


@bp.post("/overzicht/<int:survey_id>/instelling")
@roles_required("researcher")
def change_setting(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = SettingForm()
    if form.validate_on_submit():
        settings.change_setting(survey.id, mode=form.mode.data, share=form.share.data / 100,
                                seed=form.seed.data, actor=current_user)
        db.session.commit()
        flash(_("De invoerinstelling is bewaard; ze geldt voor formulieren die vanaf nu "
                "binnenkomen."), "success")
        return redirect(url_for("entry.overview", survey_id=survey.id))
    return _overview_page(survey, versions.definition_of(survey), form, status=422)


def _conflict_form(form_id: int) -> PaperForm:
    paper_form = db.get_or_404(PaperForm, form_id)
    if paper_form.status not in ("conflict", "final") or not paper_form.conflicts:
        abort(404)
    return paper_form


@bp.get("/formulier/<int:form_id>")
@roles_required("researcher")
def conflict(form_id: int):
    return _conflict_page(_conflict_form(form_id), {}, {})


@bp.post("/formulier/<int:form_id>")
@roles_required("researcher")
def resolve(form_id: int):
    paper_form = _conflict_form(form_id)
    choices = {item.field: (request.form.get(f"source-{item.field}", ""),
                            request.form.get(f"other-{item.field}", ""))
               for item in paper_form.conflicts}
    if not KeyingForm().validate_on_submit():
        return _conflict_page(paper_form, choices, {}, status=400)
    try:
        errors = services.resolve(paper_form, current_user, choices)
    except EntryError as error:
        db.session.rollback()
        return _conflict_page(db.get_or_404(PaperForm, form_id), choices, {}, status=422,
                              message=str(error))
    if errors:
        return _conflict_page(paper_form, choices, errors, status=422)
    db.session.commit()
    flash(_("De verschillen zijn opgelost; het formulier is definitief."), "success")
    target = url_for("entry.overview", survey_id=paper_form.survey_id) \
        if paper_form.survey_id else url_for("entry.slip_overview")
    return redirect(target)


def _conflict_page(paper_form: PaperForm, choices: dict, errors: dict, *, status: int = 200,
                   message: str | None = None):
    by_key = {item.key: item for item in keying.entry_fields(definition_of(paper_form))}
    rows = [(item, by_key[item.field],
             keying.shown_value(by_key[item.field], item.first_value),
             keying.shown_value(by_key[item.field], item.second_value),
             keying.shown_value(by_key[item.field], item.resolved_value))
            for item in paper_form.conflicts]
    keyer = current_user.id in services.keyers(paper_form)
    return render_template("entry/conflict.html", paper_form=paper_form, rows=rows,
                           choices=choices, errors=errors, message=message, keyer=keyer,
                           form=KeyingForm()), status
