"""Anonymise a survey after fieldwork: cut every answer loose from the person who gave it."""

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import Assignment, Survey, SurveyAnonymisation, User


class AnonymiseError(ValueError):
    """The survey cannot be anonymised (yet); the message is Dutch and safe to show."""


def anonymisation(survey: Survey) -> SurveyAnonymisation | None:
    return db.session.scalar(sa.select(SurveyAnonymisation).where(
        SurveyAnonymisation.survey_id == survey.id))


def linked_count(survey: Survey) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Assignment).where(
        Assignment.survey_id == survey.id, sa.or_(Assignment.member_id.is_not(None),
                                                  Assignment.selection_id.is_not(None)))) or 0


def anonymise(survey: Survey, user: User | None) -> SurveyAnonymisation:
    """Set every assignment's member and selection to NULL (irreversible); caller commits.

    Answers stay, keyed by the assignment's pseudonym; weight sets already made stay too.
    """
    if survey.status != "closed":
        raise AnonymiseError("Sluit de bevraging eerst: anonimiseren kan pas na het veldwerk.")
    if anonymisation(survey) is not None:
        raise AnonymiseError("Deze bevraging is al geanonimiseerd.")
    count = linked_count(survey)
    db.session.execute(sa.update(Assignment).where(Assignment.survey_id == survey.id)
                       .values(member_id=None, selection_id=None))
    record = SurveyAnonymisation(survey_id=survey.id, by_id=user.id if user else None,
                                 assignments=count)
    db.session.add(record)
    db.session.flush()
    audit.record("survey_anonymised", survey, actor=user, details={"assignments": count})
    return record
