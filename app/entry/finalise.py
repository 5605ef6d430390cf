"""Receiving paper forms by their printed code, and turning agreed values into the real records.

A final questionnaire becomes the assignment's one Response (mode ``paper``, status
``complete``), its answers normalised and routed exactly as web answers are. A final reply slip
is applied through the join services. A paper response for an assignment that already has a
(web) response is refused: the database allows only one response per assignment.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app import audit
from app.entry import fields as keying
from app.entry.errors import ClaimTakenError, EntryError
from app.entry.settings import passes_for
from app.entry.slips import apply_slip, slip_definition
from app.extensions import db
from app.invitations import joining
from app.models import Answer, Assignment, Invitation, PaperForm, Response, Survey, User, utcnow
from app.respond.access import assignment_by_code
from app.surveys import versions
from app.surveys.definition import SurveyDefinition

WEB_EXISTS = ("Voor deze code bestaat al een antwoord via de website. Een papieren antwoord kan "
              "daarom niet ingevoerd worden; leg het formulier apart voor de onderzoeker.")
UNKNOWN = "Deze code hoort niet bij deze bevraging. Controleer de code op het formulier."


def definition_of(form: PaperForm) -> SurveyDefinition:
    """The definition the form was printed from (kept on the instance for this request)."""
    if form.kind == "slip":
        return slip_definition()
    cached = form.__dict__.get("_entry_definition")
    if cached is None:
        survey = db.session.get(Survey, form.survey_id)
        cached = versions.definition_of(survey, form.survey_version)
        form.__dict__["_entry_definition"] = cached
    return cached


def receive_survey_form(survey: Survey, typed_code: str, *, actor: User) -> PaperForm:
    """The paper form of the assignment with this code (registered on first scan)."""
    assignment = assignment_by_code(typed_code)
    if assignment is None or assignment.survey_id != survey.id:
        raise EntryError(UNKNOWN)
    form = db.session.scalar(sa.select(PaperForm).where(
        PaperForm.assignment_id == assignment.id))
    if form is not None:
        return form
    if _has_response(assignment.id):
        raise EntryError(WEB_EXISTS)
    passes, sampled = passes_for(survey.id, assignment.id)
    form = PaperForm(kind="survey", survey_id=survey.id, survey_version=survey.version,
                     assignment_id=assignment.id, status="received", passes_required=passes,
                     sampled_for_verification=sampled, received_by_id=actor.id)
    return _registered(form, actor)


def receive_slip(typed_code: str, *, actor: User) -> PaperForm:
    """The reply slip of the invitation with this letter code."""
    invitation = joining.find_by_code(typed_code)
    if invitation is None:
        raise EntryError("Deze code kennen we niet. Controleer de code op de antwoordstrook.")
    form = db.session.scalar(sa.select(PaperForm).where(
        PaperForm.invitation_id == invitation.id))
    if form is not None:
        return form
    form = PaperForm(kind="slip", invitation_id=invitation.id, status="received",
                     passes_required=2, received_by_id=actor.id)
    return _registered(form, actor)


def _registered(form: PaperForm, actor: User) -> PaperForm:
    db.session.add(form)
    try:
        db.session.flush()
    except IntegrityError:  # a colleague scanned the same form at the same moment
        raise ClaimTakenError("Een collega registreerde dit formulier net. Scan de code "
                         "opnieuw.") from None
    audit.record("paper_form_received", form, actor=actor,
                 details={"passes": form.passes_required,
                          "sampled": form.sampled_for_verification})
    return form


def _has_response(assignment_id: int) -> bool:
    return db.session.scalar(sa.select(Response.id).where(
        Response.assignment_id == assignment_id)) is not None


def finalise(form: PaperForm, values: dict[str, Any], *, actor: User) -> None:
    """Write the agreed (or resolved) values to the real records; raises EntryError."""
    if form.kind == "slip":
        answers = keying.answers_from(slip_definition(), values)
        reply = apply_slip(db.session.get(Invitation, form.invitation_id), answers, actor=actor)
        details = {"invitation_id": form.invitation_id, "reply": reply}
    else:
        response = _paper_response(form, values)
        form.response_id = response.id
        details = {"response_id": response.id, "assignment_id": form.assignment_id}
    form.final_values, form.status, form.finalised_at = dict(values), "final", utcnow()
    db.session.flush()
    audit.record("paper_form_final", form, actor=actor,
                 details={**details, "passes": form.passes_required})


def _paper_response(form: PaperForm, values: dict[str, Any]) -> Response:
    assignment = db.session.get(Assignment, form.assignment_id)
    if _has_response(assignment.id):
        raise EntryError(WEB_EXISTS)
    now = utcnow()
    response = Response(assignment_id=assignment.id, survey_id=form.survey_id,
                        survey_version=form.survey_version, mode="paper", status="complete",
                        language=assignment.language, started_at=now, submitted_at=now)
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError:  # a web response was stored at the same moment
        raise EntryError(WEB_EXISTS) from None
    answers = keying.answers_from(definition_of(form), values)
    db.session.add_all(Answer(response_id=response.id, question_code=code, value=value)
                       for code, value in answers.items())
    assignment.status, assignment.completed_at = "completed", now
    return response
