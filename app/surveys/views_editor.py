"""Builder: the structured editor (general texts, sections, questions, order, JSON import)."""

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models import Survey
from app.security import roles_required
from app.surveys import editor_forms, services, versions
from app.surveys.blueprint import bp
from app.surveys.definition import DefinitionError, dump_definition
from app.surveys.forms import (
    ActionForm,
    ImportForm,
    MetaForm,
    MoveForm,
    QuestionForm,
    SectionForm,
    uploaded_definition,
)


def _save(survey: Survey, operation: str, form, **arguments):
    """Apply an edit; on success commit and go back to the survey, else re-show the form."""
    try:
        services.apply_edit(survey, operation, user_id=current_user.id, **arguments)
    except (DefinitionError, editor_forms.FormValueError) as error:
        form.form_errors.extend(getattr(error, "messages", [str(error)]))
        return None
    db.session.commit()
    flash(_("Bewaard als versie %(number)s.", number=survey.version), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id))


def _edit_page(survey: Survey, form, heading: str):
    status = 422 if form.form_errors or form.errors else 200
    return render_template("surveys/edit.html", survey=survey, form=form, heading=heading), status


def _document(survey: Survey) -> dict:
    return dump_definition(versions.definition_of(survey))


@bp.route("/<int:survey_id>/vraag/nieuw", methods=["GET", "POST"])
@roles_required("researcher")
def new_question(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    section = request.args.get("sectie", "")
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = editor_forms.question_from(form)
        except editor_forms.FormValueError as error:
            form.form_errors.append(str(error))
        else:
            done = _save(survey, "add_question", form, section=section, question=question)
            if done:
                return done
    return _edit_page(survey, form, _("Nieuwe vraag"))


@bp.route("/<int:survey_id>/vraag/<code>", methods=["GET", "POST"])
@roles_required("researcher")
def edit_question(survey_id: int, code: str):
    survey = db.get_or_404(Survey, survey_id)
    found = [item for section in _document(survey)["sections"]
             for item in section["questions"] if item["code"] == code]
    if not found:
        abort(404)
    form = QuestionForm()
    if not form.is_submitted():
        editor_forms.fill_question(form, found[0])
    elif form.validate():
        try:
            question = editor_forms.question_from(form)
        except editor_forms.FormValueError as error:
            form.form_errors.append(str(error))
        else:
            done = _save(survey, "update_question", form, code=code, question=question)
            if done:
                return done
    return _edit_page(survey, form, _("Vraag %(code)s wijzigen", code=code))


@bp.post("/<int:survey_id>/vraag/<code>/verwijderen")
@roles_required("researcher")
def delete_question(survey_id: int, code: str):
    survey = db.get_or_404(Survey, survey_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return _save(survey, "delete_question", form, code=code) or _problem(survey, form)


@bp.post("/<int:survey_id>/vraag/<code>/verplaatsen")
@roles_required("researcher")
def move_question(survey_id: int, code: str):
    survey = db.get_or_404(Survey, survey_id)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("-1", "1"):
        abort(400)
    return _save(survey, "move_question", form, code=code,
                 direction=int(form.direction.data)) or _problem(survey, form)


def _problem(survey: Survey, form):
    for message in form.form_errors:
        flash(message, "error")
    return redirect(url_for("surveys.show", survey_id=survey.id))


@bp.route("/<int:survey_id>/sectie/nieuw", methods=["GET", "POST"])
@bp.route("/<int:survey_id>/sectie/<code>", methods=["GET", "POST"])
@roles_required("researcher")
def edit_section(survey_id: int, code: str | None = None):
    survey = db.get_or_404(Survey, survey_id)
    sections = {item["code"]: item for item in _document(survey)["sections"]}
    if code is not None and code not in sections:
        abort(404)
    form = SectionForm()
    if not form.is_submitted() and code is not None:
        form.code.data = code
        editor_forms.fill_texts(form, "title", sections[code]["title"])
        condition = sections[code]["condition"]
        form.condition.data = json.dumps(condition, ensure_ascii=False) if condition else ""
    elif form.validate_on_submit():
        try:
            arguments = {"code": form.code.data.strip(),
                         "title": editor_forms.texts_from(form, "title")}
            condition = editor_forms.condition_from(form.condition.data)
        except editor_forms.FormValueError as error:
            form.form_errors.append(str(error))
        else:
            done = (_save(survey, "add_section", form, **arguments) if code is None else
                    _save(survey, "update_section", form, section=code, condition=condition,
                          **arguments))
            if done:
                return done
    return _edit_page(survey, form, _("Sectie") + (f" {code}" if code else ""))


@bp.post("/<int:survey_id>/sectie/<code>/verwijderen")
@roles_required("researcher")
def delete_section(survey_id: int, code: str):
    survey = db.get_or_404(Survey, survey_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return _save(survey, "delete_section", form, section=code) or _problem(survey, form)


@bp.post("/<int:survey_id>/sectie/<code>/verplaatsen")
@roles_required("researcher")
def move_section(survey_id: int, code: str):
    survey = db.get_or_404(Survey, survey_id)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("-1", "1"):
        abort(400)
    return _save(survey, "move_section", form, section=code,
                 direction=int(form.direction.data)) or _problem(survey, form)


@bp.route("/<int:survey_id>/algemeen", methods=["GET", "POST"])
@roles_required("researcher")
def edit_meta(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    document, form = _document(survey), MetaForm()
    if not form.is_submitted():
        form.languages.data = ", ".join(document["languages"])
        for prefix in ("title", "intro", "outro"):
            editor_forms.fill_texts(form, prefix, document[prefix])
    elif form.validate():
        languages = [item.strip() for item in form.languages.data.split(",") if item.strip()]
        done = _save(survey, "update_meta", form, languages=languages,
                     **{prefix: editor_forms.texts_from(form, prefix)
                        for prefix in ("title", "intro", "outro")})
        if done:
            return done
    return _edit_page(survey, form, _("Titel, talen en teksten"))


@bp.route("/<int:survey_id>/importeren", methods=["GET", "POST"])
@roles_required("researcher")
def replace(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        try:
            services.replace_definition(survey, uploaded_definition(form), user_id=current_user.id)
        except DefinitionError as error:
            problems = error.messages
        else:
            db.session.commit()
            flash(_("Definitie ingelezen als versie %(number)s.", number=survey.version),
                  "success")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_template("surveys/replace.html", survey=survey, form=form,
                           problems=problems), 422 if problems else 200
