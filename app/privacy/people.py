"""Find everything Stadspanel holds about one person, and export it (Art. 15 GDPR)."""

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Answer,
    Assignment,
    DataSubjectRequest,
    Draw,
    Invitation,
    Member,
    Panel,
    Resident,
    Response,
    Selection,
    Suppression,
    Survey,
)

MAX_MATCHES = 50
REGISTER_FIELDS = ("first_name", "last_name", "sex", "birth_date", "street", "house_number",
                   "box", "postcode", "municipality", "district", "age_band", "nationality",
                   "nationality_group", "household_size", "in_frame", "left_frame_on",
                   "erased_at", "restricted_at")


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_by_name(last_name: str, *, first_name: str = "", street: str = "",
                 house_number: str = "", postcode: str = "") -> list[Resident]:
    """Residents whose name (and address, where given) match; bound parameters only."""
    if len(last_name.strip()) < 2:
        return []
    query = sa.select(Resident).where(
        sa.func.lower(Resident.last_name).like(_like(last_name), escape="\\"))
    for column, value in ((Resident.first_name, first_name), (Resident.street, street)):
        if value.strip():
            query = query.where(sa.func.lower(column).like(_like(value), escape="\\"))
    if house_number.strip():
        query = query.where(Resident.house_number == house_number.strip())
    if postcode.strip():
        query = query.where(Resident.postcode == postcode.strip())
    return list(db.session.scalars(query.order_by(Resident.last_name, Resident.id)
                                   .limit(MAX_MATCHES)))


def find_by_code(code: str) -> Resident | None:
    """The person behind an invitation code or a survey access code."""
    from app.invitations.joining import find_by_code as invitation_by_code
    from app.respond.access import assignment_by_code

    invitation = invitation_by_code(code)
    if invitation is not None:
        return invitation.selection.resident
    assignment = assignment_by_code(code)
    if assignment is None:
        return None
    return resident_of(assignment)


def resident_of(assignment: Assignment) -> Resident | None:
    if assignment.member_id is not None:
        return db.session.get(Member, assignment.member_id).resident
    if assignment.selection_id is not None:
        return db.session.get(Selection, assignment.selection_id).resident
    return None


def assignments_of(resident: Resident) -> list[Assignment]:
    members = sa.select(Member.id).where(Member.resident_id == resident.id)
    selections = sa.select(Selection.id).where(Selection.resident_id == resident.id)
    return list(db.session.scalars(sa.select(Assignment).where(sa.or_(
        Assignment.member_id.in_(members), Assignment.selection_id.in_(selections)))
        .order_by(Assignment.id)))


def bundle(resident: Resident) -> dict:
    """Everything held about ``resident`` as plain JSON-ready data (never the person_key)."""
    return {
        "register": {name: _plain(getattr(resident, name)) for name in REGISTER_FIELDS},
        "objection_list": _suppressed(resident),
        "selections": _selections(resident),
        "invitations": _invitations(resident),
        "memberships": _memberships(resident),
        "surveys": [_assignment(assignment) for assignment in assignments_of(resident)],
        "requests": [{"id": r.id, "kind": r.kind, "received_on": _plain(r.received_on),
                      "status": r.status} for r in db.session.scalars(
            sa.select(DataSubjectRequest).where(DataSubjectRequest.resident_id == resident.id))],
    }


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _suppressed(resident: Resident) -> bool:
    return db.session.scalar(sa.select(Suppression.id).where(
        Suppression.person_key == resident.person_key)) is not None


def _selections(resident: Resident) -> list[dict]:
    rows = db.session.execute(
        sa.select(Selection.draw_id, Draw.purpose, Draw.created_at, Selection.stratum,
                  Selection.is_reserve).join(Draw, Draw.id == Selection.draw_id)
        .where(Selection.resident_id == resident.id).order_by(Selection.id)).all()
    return [{"draw": draw_id, "purpose": purpose, "drawn_at": _plain(at), "stratum": stratum,
             "reserve": reserve} for draw_id, purpose, at, stratum, reserve in rows]


def _invitations(resident: Resident) -> list[dict]:
    rows = db.session.scalars(sa.select(Invitation).join(
        Selection, Selection.id == Invitation.selection_id)
        .where(Selection.resident_id == resident.id).order_by(Invitation.id))
    return [{"id": row.id, "channel": row.channel, "status": row.status, "email": row.email,
             "language": row.language, "created_at": _plain(row.created_at),
             "sent_at": _plain(row.sent_at), "answered_at": _plain(row.answered_at)}
            for row in rows]


def _memberships(resident: Resident) -> list[dict]:
    rows = db.session.execute(sa.select(Member, Panel.name).join(
        Panel, Panel.id == Member.panel_id).where(Member.resident_id == resident.id)).all()
    return [{"panel": name, "status": member.status, "email": member.email,
             "contact_preference": member.contact_preference, "language": member.language,
             "consent_text_version": member.consent_text_version,
             "consent_at": _plain(member.consent_at), "joined_at": _plain(member.joined_at),
             "left_at": _plain(member.left_at), "profile": member.profile}
            for member, name in rows]


def _assignment(assignment: Assignment) -> dict:
    survey = db.session.get(Survey, assignment.survey_id)
    response = db.session.scalar(sa.select(Response).where(
        Response.assignment_id == assignment.id))
    answers = {} if response is None else {
        answer.question_code: answer.value for answer in db.session.scalars(
            sa.select(Answer).where(Answer.response_id == response.id)
            .order_by(Answer.question_code))}
    return {"survey": survey.title.get("nl") or next(iter(survey.title.values()), ""),
            "pseudonym": assignment.pseudonym, "channel": assignment.channel,
            "status": assignment.status,
            "submitted_at": _plain(response.submitted_at) if response else None,
            "answers": answers}
