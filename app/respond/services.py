"""The respondent's questionnaire: pages, autosave, display conditions, review and submit.

Every page POST saves (a ``partial`` response); answers to questions that become hidden are
cleared; the final submit flips the one response of the assignment to ``complete`` with a
conditional UPDATE, so a double click or a re-post cannot complete (or create) it twice.
"""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Answer, Response, utcnow
from app.respond import state
from app.respond.answers import raw_answer
from app.respond.state import Respondent, ResponseRow
from app.surveys.definition import (
    Question,
    Section,
    SurveyDefinition,
    validate_answer,
    visible_questions,
    visible_sections,
)
from app.surveys.definition.logic import is_answered

REVIEW = "*review"


@dataclass
class PageResult:
    errors: dict[str, str]
    raw: dict[str, Any]
    target: str  # a section code, REVIEW, or "" to stay on the page
    notice: bool = False


def availability(respondent: Respondent) -> str | None:
    """Why the questionnaire cannot be answered now: closed, completed, not open; else None."""
    survey = respondent.survey
    if respondent.assignment.status == "completed" or (
            respondent.response is not None and respondent.response.status == "complete"):
        return "completed"
    now = utcnow()
    if survey.status == "closed" or (survey.closes_at and _aware(survey.closes_at) <= now):
        return "closed"
    if survey.status != "open" or (survey.opens_at and _aware(survey.opens_at) > now):
        return "not_open"
    return None


def _aware(moment):
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sections(respondent: Respondent) -> list[Section]:
    return visible_sections(respondent.definition, respondent.answers)


def page_questions(respondent: Respondent, section: Section) -> list[Question]:
    """The section's questions whose display condition holds on the saved answers."""
    shown = {question.code for question in visible_questions(respondent.definition,
                                                             respondent.answers)}
    return [question for question in section.questions if question.code in shown]


def resume_target(respondent: Respondent) -> str:
    """Where a returning respondent continues: the saved section if still shown, else the first."""
    visible = sections(respondent)
    saved = respondent.response.current_section if respondent.response else None
    if saved == REVIEW or not visible:
        return REVIEW
    codes = [section.code for section in visible]
    return saved if saved in codes else codes[0]


def find_section(respondent: Respondent, code: str) -> tuple[Section, int, int] | None:
    """The visible section `code` with its 1-based number and the number of visible sections."""
    visible = sections(respondent)
    for number, section in enumerate(visible, start=1):
        if section.code == code:
            return section, number, len(visible)
    return None


def save_page(respondent: Respondent, section: Section, form: MultiDict,
              action: str) -> PageResult:
    """Validate and store one page; decide where the respondent goes next (PRG target)."""
    rendered = page_questions(respondent, section)
    answers, errors, raw, blocking = dict(respondent.answers), {}, {}, False
    for question in rendered:
        raw[question.code] = raw_answer(question, form)
        error, invalid = _apply(question, raw[question.code], answers)
        if error:
            errors[question.code] = error
            blocking = blocking or action == "next" or invalid
    _store(respondent, _without_hidden(respondent.definition, answers))
    if blocking:
        return PageResult(errors, raw, "")
    target = _target(respondent, section, rendered, action)
    state.update_response(respondent.response, current_section=target)
    return PageResult({}, {}, target, notice=action == "next" and target == section.code)


def _apply(question: Question, raw: Any, answers: dict[str, Any]) -> tuple[str | None, bool]:
    """Put a valid answer in `answers` (or remove a cleared one); (error, input was invalid)."""
    value, error = validate_answer(question, raw)
    if value is not None:
        answers[question.code] = value
        return error, False
    if error is None or _blank(raw):
        answers.pop(question.code, None)
        return error, False
    return error, True


def _blank(raw: Any) -> bool:
    return _blank_matrix(raw) if isinstance(raw, dict) else not is_answered(raw)


def _blank_matrix(raw: Any) -> bool:
    return isinstance(raw, dict) and not any(is_answered(value) for value in raw.values())


def _without_hidden(definition: SurveyDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    shown = {question.code for question in visible_questions(definition, answers)}
    return {code: value for code, value in answers.items() if code in shown}


def _target(respondent: Respondent, section: Section, rendered: list[Question],
            action: str) -> str:
    if action == "save":
        return section.code
    now_shown = page_questions(respondent, section)
    if action == "next" and any(question not in rendered for question in now_shown):
        return section.code  # an answer on this page revealed a question here
    codes = [item.code for item in sections(respondent)]
    order = [item.code for item in respondent.definition.sections]
    position = order.index(section.code)
    if action == "back":
        earlier = [code for code in codes if order.index(code) < position]
        return earlier[-1] if earlier else section.code
    later = [code for code in codes if order.index(code) > position]
    return later[0] if later else REVIEW


def _ensure_response(respondent: Respondent) -> ResponseRow:
    if respondent.response is None:
        respondent.response = state.insert_response(respondent, utcnow())
    if respondent.assignment.status in ("created", "sent"):
        state.update_assignment(respondent.assignment, status="started", started_at=utcnow())
    return respondent.response


def _store(respondent: Respondent, answers: dict[str, Any]) -> None:
    """Write only what changed: one DELETE for cleared answers, one UPSERT for the rest."""
    response = _ensure_response(respondent)
    saved = respondent.answers
    removed = [code for code in saved if code not in answers]
    changed = [{"response_id": response.id, "question_code": code, "value": value}
               for code, value in answers.items() if code not in saved or saved[code] != value]
    if removed:
        db.session.execute(sa.delete(Answer).where(
            Answer.response_id == response.id, Answer.question_code.in_(removed)))
    if changed:
        db.session.execute(_upsert(), changed)
    respondent.answers = answers


_UPSERTS: dict[str, Any] = {}


def _upsert():
    """INSERT ... ON CONFLICT (response, question) DO UPDATE, for SQLite and PostgreSQL."""
    name = db.session.get_bind().dialect.name
    if name not in _UPSERTS:
        module = postgresql if name == "postgresql" else sqlite
        insert = module.insert(Answer.__table__)
        _UPSERTS[name] = insert.on_conflict_do_update(
            index_elements=["response_id", "question_code"],
            set_={"value": insert.excluded.value})
    return _UPSERTS[name]


def missing_required(respondent: Respondent) -> list[tuple[Section, Question]]:
    """Visible required questions still without a valid answer, in survey order."""
    shown = {question.code for question in visible_questions(respondent.definition,
                                                             respondent.answers)}
    missing = []
    for section in sections(respondent):
        for question in section.questions:
            if question.code in shown:
                _, error = validate_answer(question, respondent.answers.get(question.code))
                if error:
                    missing.append((section, question))
    return missing


def submit(respondent: Respondent) -> bool:
    """Complete the response once; True when this call completed it, False if it already was."""
    response = _ensure_response(respondent)
    completed = db.session.execute(
        sa.update(Response).where(Response.id == response.id, Response.status == "partial")
        .values(status="complete", submitted_at=utcnow(), current_section=REVIEW)
        .execution_options(synchronize_session=False)).rowcount
    if respondent.assignment.status != "completed":
        state.update_assignment(respondent.assignment, status="completed",
                                completed_at=utcnow())
    return completed == 1


def set_language(respondent: Respondent, language: str) -> None:
    if language in respondent.definition.languages:
        state.update_assignment(respondent.assignment, language=language)
        if respondent.response is not None:
            state.update_response(respondent.response, language=language)
