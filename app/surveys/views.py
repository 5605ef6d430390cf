"""Builder pages: list, import, export, copy, open/close, translations, respondent preview."""

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import db
from app.models import Survey
from app.models.survey import SurveyStateError
from app.security import roles_required
from app.surveys import distribution, services, versions
from app.surveys.blueprint import bp
from app.surveys.definition import DefinitionError, untranslated, visible_sections
from app.surveys.display import LANGUAGE_NAMES, template_helpers
from app.surveys.forms import (
    ActionForm,
    BlankForm,
    CopyForm,
    ImportForm,
    uploaded_definition,
)


@bp.get("/")
@roles_required("researcher")
def index():
    return render_template("surveys/index.html", surveys=services.surveys_overview(),
                           import_form=ImportForm(), blank_form=BlankForm(), problems=[])


@bp.post("/nieuw")
@roles_required("researcher")
def create():
    import_form, blank_form, problems = ImportForm(), BlankForm(), []
    try:
        if request.form.get("kind") == "blank" and blank_form.validate_on_submit():
            survey = services.create_blank(blank_form.title.data, user_id=current_user.id)
        elif request.form.get("kind") == "import" and import_form.validate_on_submit():
            survey = services.create_survey(uploaded_definition(import_form),
                                            user_id=current_user.id)
        else:
            abort(400)
    except DefinitionError as error:
        problems = error.messages
    else:
        db.session.commit()
        return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_template("surveys/index.html", surveys=services.surveys_overview(),
                           import_form=import_form, blank_form=blank_form,
                           problems=problems), 422


@bp.get("/<int:survey_id>")
@roles_required("researcher")
def show(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    definition = versions.definition_of(survey)
    return render_template(
        "surveys/show.html", survey=survey, definition=definition,
        counts=distribution.dashboard_counts(survey), action_form=ActionForm(),
        copy_form=CopyForm(), editable=True, targets=distribution.assign_choices(survey),
        mail=_mail_overview(survey), awaiting_paper=distribution.awaiting_paper(survey),
        **template_helpers(definition, "nl"))


def _mail_overview(survey: Survey) -> dict:
    from app.surveys.mail import sending

    return {"steps": sending.overview(survey), "job": sending.latest_job(survey),
            "stuck": sending.claimed(survey)}


@bp.get("/<int:survey_id>/definitie.json")
@roles_required("researcher")
def export(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    number = request.args.get("versie", type=int)
    try:
        text = services.export_json(survey, number)
    except LookupError:
        abort(404)
    name = f"bevraging-{survey.id}-v{number or survey.version}.json"
    return Response(text, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/<int:survey_id>/kopie")
@roles_required("researcher")
def copy(survey_id: int):
    source = db.get_or_404(Survey, survey_id)
    form = CopyForm()
    if not form.validate_on_submit():
        flash(_("Geef de kopie een titel."), "error")
        return redirect(url_for("surveys.show", survey_id=source.id))
    survey = services.copy_survey(source, title=form.title.data, user_id=current_user.id)
    db.session.commit()
    flash(_("Kopie gemaakt. Pas ze aan voor de nieuwe golf."), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id))


@bp.post("/<int:survey_id>/<any(openen, sluiten):action>")
@roles_required("researcher")
def change_status(survey_id: int, action: str):
    survey = db.get_or_404(Survey, survey_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        (services.open_survey if action == "openen" else services.close_survey)(survey)
    except (SurveyStateError, DefinitionError) as error:
        flash(str(error), "error")
    else:
        db.session.commit()
    return redirect(url_for("surveys.show", survey_id=survey.id))


@bp.get("/<int:survey_id>/vertalingen")
@roles_required("researcher")
def translations(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    missing = untranslated(versions.definition_of(survey))
    return render_template("surveys/translations.html", survey=survey, missing=missing)


@bp.get("/<int:survey_id>/voorbeeld")
@roles_required("researcher")
def preview(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    definition = versions.definition_of(survey)
    language = request.args.get("taal", "nl")
    language = language if language in definition.languages else "nl"
    shown = visible_sections(definition, {}) or list(definition.sections)
    codes = [section.code for section in shown]
    code = request.args.get("deel", codes[0] if codes else "")
    if code not in codes:
        abort(404)
    index = codes.index(code)

    def link(position: int) -> str | None:
        if not 0 <= position < len(codes):
            return None
        return url_for("surveys.preview", survey_id=survey.id, deel=codes[position],
                       taal=language)

    return render_template(
        "respond/page.html", preview=True, survey_id=survey.id, definition=definition,
        language=language, section=shown[index], number=index + 1, total=len(codes),
        questions=list(shown[index].questions), answers={}, errors={}, raw={},
        next_url=link(index + 1), previous_url=link(index - 1),
        **template_helpers(definition, language))


STATUS_LABELS = {"draft": _l("ontwerp"), "open": _l("open"), "closed": _l("gesloten")}
ASSIGNMENT_LABELS = {"created": _l("aangemaakt"), "sent": _l("verstuurd"),
                     "started": _l("begonnen"), "completed": _l("ingevuld")}
CHANNEL_LABELS = {"web": _l("online (e-mail)"), "paper": _l("papier")}


@bp.context_processor
def labels() -> dict:
    return {"survey_status": lambda status: STATUS_LABELS.get(status, status),
            "assignment_status": lambda status: ASSIGNMENT_LABELS.get(status, status),
            "assignment_statuses": tuple(ASSIGNMENT_LABELS),
            "channel_label": lambda channel: CHANNEL_LABELS.get(channel, channel),
            "language_name": lambda code: LANGUAGE_NAMES.get(code, code)}
