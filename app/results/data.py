"""Survey responses as pseudonymous analysis frames (no names, addresses or e-mail)."""

import pandas as pd
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assignment, Member, Resident, Response, Selection, Survey
from app.results.design import panel_inclusion
from app.surveys import population
from app.surveys.definition import load_definition
from app.surveys.distribution import last_send_bounced
from reports.disposition import Dispositions
from sampling.strata import household_size_class

COVARIATES = ("age_band", "sex", "district", "nationality_group", "household_size")


def current_definition(survey: Survey):
    version = max(survey.versions, key=lambda v: v.number) if survey.versions else None
    return load_definition(version.definition) if version else None


def _covariates(survey: Survey, import_id: int | None) -> list:
    """Register data as of the survey's own import (kept on the assignment), or the residents'
    current data when a newer import was chosen."""
    if population.uses_own_register(survey, import_id):
        return [sa.func.coalesce(getattr(Assignment, c), getattr(Resident, c)).label(c)
                for c in COVARIATES]
    return [getattr(Resident, c) for c in COVARIATES]


def _people(survey: Survey, import_id: int | None = None) -> pd.DataFrame:
    """Every assignment of the survey with register covariates and the design weight."""
    covariates = _covariates(survey, import_id)
    via_member = sa.select(Assignment.id, Assignment.pseudonym, *covariates,
                           sa.literal(None).label("probability")).join(
        Member, Member.id == Assignment.member_id).join(
        Resident, Resident.id == Member.resident_id).where(Assignment.survey_id == survey.id)
    via_draw = sa.select(Assignment.id, Assignment.pseudonym, *covariates,
                         Selection.inclusion_probability).join(
        Selection, Selection.id == Assignment.selection_id).join(
        Resident, Resident.id == Selection.resident_id).where(Assignment.survey_id == survey.id)
    rows = db.session.execute(sa.union_all(via_member, via_draw)).all()
    frame = pd.DataFrame(rows, columns=["assignment_id", "respondent_id", *COVARIATES,
                                        "probability"])
    frame["household_size_class"] = frame["household_size"].map(
        lambda size: household_size_class(int(size or 1)))
    members = frame["assignment_id"].map(panel_inclusion(survey))
    probability = pd.to_numeric(frame["probability"], errors="coerce").fillna(members)
    frame["design_weight"] = (1 / probability.where(probability > 0)).fillna(1.0)
    return frame.drop(columns=["probability", "household_size"])


def _complete(survey: Survey) -> dict[int, dict]:
    """assignment id -> {question code: value} of complete responses."""
    rows = db.session.execute(
        sa.select(Response.assignment_id, Answer.question_code, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.survey_id == survey.id, Response.status == "complete")).all()
    answers: dict[int, dict] = {}
    for assignment_id, code, value in rows:
        answers.setdefault(assignment_id, {})[code] = value
    complete_ids = db.session.scalars(sa.select(Response.assignment_id).where(
        Response.survey_id == survey.id, Response.status == "complete"))
    for assignment_id in complete_ids:
        answers.setdefault(assignment_id, {})
    return answers


def analysis_columns(definition, answers: dict) -> dict[str, object]:
    """One respondent's answers in the reports' column convention."""
    columns: dict[str, object] = {}
    for question in definition.questions:
        value = answers.get(question.code)
        if question.type == "multiple":
            chosen = set(value or []) if isinstance(value, list) else set()
            for option in question.options:
                columns[f"{question.code}_{option.value}"] = (
                    None if value is None else int(option.value in chosen))
        elif question.type == "matrix":
            for item in question.items:
                columns[f"{question.code}_{item.code}"] = (value or {}).get(item.code)
        elif question.type == "number":
            columns[question.code] = None if value in (None, "") else _number(value, question)
        else:
            columns[question.code] = value
    return columns


def _number(value, question):
    if str(value) in question.missing_values:
        return str(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def respondent_frame(survey: Survey, import_id: int | None = None) -> pd.DataFrame:
    """Complete respondents: pseudonym, covariates, design weight and answer columns.

    Covariates as of the survey's register import, or of ``import_id`` (a newer one).
    """
    people = _people(survey, import_id)
    answers = _complete(survey)
    people = people[people["assignment_id"].isin(answers.keys())].copy()
    definition = current_definition(survey)
    if definition is not None and len(people):
        answer_rows = [analysis_columns(definition, answers[assignment_id])
                       for assignment_id in people["assignment_id"]]
        people = pd.concat([people.reset_index(drop=True),
                            pd.DataFrame(answer_rows)], axis=1)
    return people.drop(columns=["assignment_id"]).set_index("respondent_id", drop=False)


def invited_frame(survey: Survey, import_id: int | None = None) -> pd.DataFrame:
    """Everyone assigned, with covariates and whether they completed (for propensities)."""
    people = _people(survey, import_id)
    complete = set(_complete(survey))
    people["responded"] = people["assignment_id"].isin(complete)
    return people.drop(columns=["assignment_id"]).set_index("respondent_id", drop=False)


def dispositions(survey: Survey) -> dict[str, Dispositions]:
    """Final dispositions of the survey's assignments, overall (``""``) and per channel.

    Non-contact: no answer and the last questionnaire sent could not be delivered (an
    undeliverable e-mail not followed by a paper questionnaire).
    """
    rows = db.session.execute(
        sa.select(Assignment.channel, Response.status, last_send_bounced())
        .outerjoin(Response, Response.assignment_id == Assignment.id)
        .where(Assignment.survey_id == survey.id)).all()
    counts: dict[str, list[int]] = {"": [0, 0, 0, 0]}
    for channel, status, bounced in rows:
        if status == "complete":
            kind = 0
        elif status == "partial":
            kind = 1
        elif bounced:
            kind = 2
        else:
            kind = 3
        for key in ("", channel):
            counts.setdefault(key, [0, 0, 0, 0])[kind] += 1
    return {key: Dispositions(*values) for key, values in counts.items()}
