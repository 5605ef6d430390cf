"""Builder services: create, import, copy, edit, open and close surveys (add/flush, no commit)."""

from typing import Any

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import Assignment, Response, Survey
from app.surveys import editor, versions
from app.surveys.definition import (
    DefinitionError,
    SurveyDefinition,
    dump_definition,
    load_definition,
    to_json,
)

STARTER = {"format": "stadspanel-survey", "version": 1, "languages": ["nl"],
           "title": {"nl": ""}, "sections": [{"code": "S1", "title": {"nl": "Deel 1"},
                                               "questions": [editor.placeholder_question("Q1")]}]}


def create_survey(data: str | bytes | dict, *, user_id: int | None = None,
                  panel_id: int | None = None, copied_from_id: int | None = None) -> Survey:
    """A new draft survey from a definition document; raises DefinitionError (Dutch messages)."""
    definition = load_definition(data)
    survey = Survey(title=dict(definition.title), languages=list(definition.languages),
                    status="draft", version=1, panel_id=panel_id, copied_from_id=copied_from_id)
    db.session.add(survey)
    db.session.flush()
    versions.save_definition(survey, definition, user_id=user_id)
    audit.record("survey_created", survey, details={"copied_from": copied_from_id})
    return survey


def create_blank(title: str, *, user_id: int | None = None) -> Survey:
    """A new survey with one empty section, to fill in with the editor."""
    document = {**STARTER, "title": {"nl": title.strip()}}
    return create_survey(document, user_id=user_id)


def copy_survey(source: Survey, *, title: str | None = None,
                user_id: int | None = None) -> Survey:
    """A draft copy of `source`'s current definition (a new wave), linked to its source."""
    document = dump_definition(versions.definition_of(source))
    if title:
        document["title"] = {**document["title"], "nl": title.strip()}
    return create_survey(document, user_id=user_id, panel_id=source.panel_id,
                         copied_from_id=source.id)


def export_json(survey: Survey, number: int | None = None) -> str:
    """The survey's definition as JSON text (current version unless `number`)."""
    return to_json(versions.definition_of(survey, number))


def replace_definition(survey: Survey, data: str | bytes | dict, *,
                       user_id: int | None = None) -> SurveyDefinition:
    """Replace the definition (import over an existing survey); versioned as any edit."""
    definition = load_definition(data)
    row = versions.save_definition(survey, definition, user_id=user_id)
    audit.record("survey_edited", survey, details={"version": row.number})
    return definition


def apply_edit(survey: Survey, operation: str, *, user_id: int | None = None,
               **arguments: Any) -> SurveyDefinition:
    """Apply one editor operation (see :mod:`app.surveys.editor`) and save the result."""
    document = dump_definition(versions.definition_of(survey))
    try:
        changed = editor.OPERATIONS[operation](document, **arguments)
    except editor.EditError as error:
        raise DefinitionError([str(error)]) from None
    return replace_definition(survey, changed, user_id=user_id)


def open_survey(survey: Survey) -> None:
    if not versions.definition_of(survey).questions:
        raise DefinitionError(["Een bevraging zonder vragen kan niet geopend worden."])
    survey.open()
    audit.record("survey_opened", survey, details={"version": survey.version})


def close_survey(survey: Survey) -> None:
    survey.close()
    audit.record("survey_closed", survey)


def surveys_overview() -> list[tuple[Survey, int, int]]:
    """Every survey with its number of assignments and of complete responses."""
    assigned = (sa.select(sa.func.count()).select_from(Assignment)
                .where(Assignment.survey_id == Survey.id).scalar_subquery())
    complete = (sa.select(sa.func.count()).select_from(Response)
                .where(Response.survey_id == Survey.id, Response.status == "complete")
                .scalar_subquery())
    rows = db.session.execute(sa.select(Survey, assigned, complete).order_by(Survey.id.desc()))
    return [tuple(row) for row in rows]
