"""Data-subject requests: the log with due dates, and erase, restrict and object."""

import calendar
from datetime import date

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.models import (
    Answer,
    Assignment,
    DataSubjectRequest,
    Invitation,
    Member,
    Resident,
    Response,
    Selection,
    Suppression,
    User,
    utcnow,
)
from app.privacy.people import assignments_of

ERASED_FIELDS = ("first_name", "last_name", "birth_date", "street", "house_number", "box",
                 "postcode", "municipality", "nationality", "household_id")
ANSWER_CHOICES = ("anonymise", "delete")


class RequestError(ValueError):
    """A request step cannot be done; the message is Dutch and safe to show."""


def due_date(received_on: date) -> date:
    """One month after receipt (Art. 12(3) GDPR); the last day of a shorter month caps it."""
    year, month = received_on.year + received_on.month // 12, received_on.month % 12 + 1
    return date(year, month, min(received_on.day, calendar.monthrange(year, month)[1]))


def open_request(kind: str, received_on: date, *, note: str = "",
                 user: User | None = None) -> DataSubjectRequest:
    """Log a new request; the caller commits."""
    request = DataSubjectRequest(kind=kind, received_on=received_on,
                                 due_on=due_date(received_on), note=note.strip(),
                                 created_by_id=user.id if user else None)
    request.add_log("ontvangen", user.email if user else "systeem")
    db.session.add(request)
    db.session.flush()
    audit.record("dsr_opened", request, details={"kind": kind})
    return request


def list_requests() -> list[DataSubjectRequest]:
    """Open requests first (earliest due first), then the closed ones."""
    return list(db.session.scalars(sa.select(DataSubjectRequest).order_by(
        (DataSubjectRequest.status != "open"), DataSubjectRequest.due_on,
        DataSubjectRequest.id)))


def link_person(request: DataSubjectRequest, resident: Resident, user: User) -> None:
    request.resident_id = resident.id
    request.add_log(f"persoon gekoppeld (inwoner {resident.id})", user.email)
    audit.record("dsr_person_linked", request, details={"resident": resident.id})


def log_step(request: DataSubjectRequest, action: str, user: User, **details) -> None:
    request.add_log(action, user.email)
    request.handled_by_id = user.id
    audit.record(f"dsr_{action.split()[0]}", request,
                 details={"resident": request.resident_id, **details})


def close(request: DataSubjectRequest, user: User, *, refused: bool = False) -> None:
    if request.status != "open":
        raise RequestError("Dit verzoek is al afgesloten.")
    request.status, request.closed_at = ("refused" if refused else "done"), utcnow()
    log_step(request, "geweigerd" if refused else "afgehandeld", user)


def _person(request: DataSubjectRequest) -> Resident:
    if request.resident_id is None:
        raise RequestError("Koppel eerst de persoon aan dit verzoek.")
    return db.session.get(Resident, request.resident_id)


def erase(request: DataSubjectRequest, user: User, *, answers: str = "anonymise") -> dict:
    """Art. 17: remove personal fields and contact data; margins and aggregates stay."""
    if answers not in ANSWER_CHOICES:
        raise RequestError("Kies wat er met de antwoorden gebeurt.")
    resident = _person(request)
    for name in ERASED_FIELDS:
        setattr(resident, name, None)
    resident.in_frame, resident.erased_at = False, utcnow()
    counts = {"members": _end_memberships(resident, erase_contact=True),
              "invitations": _erase_invitation_emails(resident),
              "responses_deleted": _delete_answers(resident) if answers == "delete" else 0,
              "assignments_unlinked": _unlink_assignments(resident)}
    log_step(request, "gewist", user, answers=answers, **counts)
    return counts


def restrict(request: DataSubjectRequest, user: User) -> None:
    """Art. 18: keep the data but never draw or contact the person."""
    resident = _person(request)
    resident.restricted_at = resident.restricted_at or utcnow()
    log_step(request, "beperkt", user)


def lift_restriction(request: DataSubjectRequest, user: User) -> None:
    _person(request).restricted_at = None
    log_step(request, "beperking opgeheven", user)


def object_to_processing(request: DataSubjectRequest, user: User) -> None:
    """Art. 21: the keyed hash goes on the objection list that every draw checks."""
    resident = _person(request)
    suppress(resident.person_key, reason=f"bezwaar (art. 21 AVG), verzoek {request.id}")
    _end_memberships(resident, erase_contact=False)
    log_step(request, "bezwaar", user)


def suppress(person_key: str, *, reason: str) -> None:
    exists = db.session.scalar(sa.select(Suppression.id).where(
        Suppression.person_key == person_key))
    if exists is None:
        db.session.add(Suppression(person_key=person_key, reason=reason[:200]))
        db.session.flush()


def _end_memberships(resident: Resident, *, erase_contact: bool) -> int:
    members = db.session.scalars(sa.select(Member).where(Member.resident_id == resident.id))
    count = 0
    for member in members:
        count += 1
        if member.status != "left":
            member.status, member.left_at = "left", utcnow()
        if erase_contact:
            member.email, member.profile, member.link_token_hash = None, {}, None
    return count


def _erase_invitation_emails(resident: Resident) -> int:
    selections = sa.select(Selection.id).where(Selection.resident_id == resident.id)
    result = db.session.execute(sa.update(Invitation).where(
        Invitation.selection_id.in_(selections)).values(email=None))
    return result.rowcount or 0


def _delete_answers(resident: Resident) -> int:
    ids = [assignment.id for assignment in assignments_of(resident)]
    responses = list(db.session.scalars(sa.select(Response.id).where(
        Response.assignment_id.in_(ids))))
    if responses:
        db.session.execute(sa.delete(Answer).where(Answer.response_id.in_(responses)))
        db.session.execute(sa.delete(Response).where(Response.id.in_(responses)))
    return len(responses)


def _unlink_assignments(resident: Resident) -> int:
    ids = [assignment.id for assignment in assignments_of(resident)]
    if ids:
        db.session.execute(sa.update(Assignment).where(Assignment.id.in_(ids))
                           .values(member_id=None, selection_id=None))
    return len(ids)


def today() -> date:
    return date.today()


def overdue_count(on: date | None = None) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(DataSubjectRequest).where(
        DataSubjectRequest.status == "open",
        DataSubjectRequest.due_on < (on or today()))) or 0

