"""Retention: purge register data of people never drawn, and contact data after fieldwork.

Staff sign-in records (``user_sessions``: times and a token hash) go too once they ended, or
were last used, ``STAFF_SESSION_RETENTION_DAYS`` ago; the audit log keeps logins and logouts.

``plan`` counts what a purge would remove (the dry run); ``run`` removes it. Margins, draws,
selections (pseudonymous) and answers (by pseudonym) stay, so weighting and audits still work.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app import audit
from app.extensions import db
from app.models import (
    DataSubjectRequest,
    Draw,
    Invitation,
    JuryCandidate,
    Member,
    RegisterImport,
    Resident,
    Selection,
    Study,
    UserSession,
)
from app.privacy.studies import latest_study

CONTACT_FIELDS = ("first_name", "last_name", "street", "house_number", "box", "postcode",
                  "municipality", "birth_date", "household_id")
STAYING = ("active", "paused")


@dataclass(frozen=True)
class RetentionReport:
    """What a purge removes, per category (a count of rows or people)."""

    unselected_residents: int
    selected_contact_details: int
    invitation_emails: int
    member_emails: int
    staff_sessions: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _now() -> datetime:
    return datetime.now(UTC)


def _expired_imports(now: datetime) -> list[int]:
    """Committed imports whose study's period for unselected residents has passed."""
    fallback = latest_study()
    rows = db.session.execute(
        sa.select(RegisterImport.id, RegisterImport.committed_at, Study.unselected_retention_days)
        .outerjoin(Study, Study.id == RegisterImport.study_id)
        .where(RegisterImport.status == "committed")).all()
    expired = []
    for import_id, committed_at, days in rows:
        days = days if days is not None else (fallback.unselected_retention_days
                                              if fallback else None)
        if days is None or committed_at is None:
            continue
        moment = committed_at if committed_at.tzinfo else committed_at.replace(tzinfo=UTC)
        if moment + timedelta(days=days) <= now:
            expired.append(import_id)
    return expired


def _unselected(now: datetime):
    return sa.select(Resident.id).where(
        Resident.last_import_id.in_(_expired_imports(now)),
        ~sa.exists().where(Selection.resident_id == Resident.id),
        ~sa.exists().where(Member.resident_id == Resident.id),
        ~sa.exists().where(JuryCandidate.resident_id == Resident.id))  # app/juries/retention.py


def _finished_studies(today: date) -> list[int]:
    studies = db.session.scalars(sa.select(Study).where(Study.fieldwork_end.is_not(None)))
    return [study.id for study in studies
            if study.fieldwork_end + timedelta(days=study.contact_retention_days) <= today]


def _selected_contacts(today: date):
    """Residents drawn in a finished study who are not (still) panel members."""
    drawn = sa.select(Selection.resident_id).join(Draw, Draw.id == Selection.draw_id).where(
        Draw.study_id.in_(_finished_studies(today)))
    staying = sa.select(Member.resident_id).where(Member.status.in_(STAYING),
                                                  Member.resident_id.is_not(None))
    return sa.select(Resident.id).where(
        Resident.id.in_(drawn), Resident.id.not_in(staying),
        sa.or_(Resident.last_name.is_not(None), Resident.street.is_not(None)))


def _invitation_emails(today: date):
    drawn = sa.select(Selection.id).join(Draw, Draw.id == Selection.draw_id).where(
        Draw.study_id.in_(_finished_studies(today)))
    return sa.select(Invitation.id).where(Invitation.selection_id.in_(drawn),
                                          Invitation.email.is_not(None))


def _member_emails(now: datetime):
    study = latest_study()
    if study is None:
        return sa.select(Member.id).where(sa.false())
    cutoff = now - timedelta(days=study.contact_retention_days)
    return sa.select(Member.id).where(Member.status == "left", Member.left_at <= cutoff,
                                      Member.email.is_not(None))


def _staff_sessions(now: datetime):
    """Sign-in records that ended, or were last used, longer ago than their retention."""
    cutoff = now - timedelta(days=current_app.config["STAFF_SESSION_RETENTION_DAYS"])
    return sa.select(UserSession.id).where(sa.func.coalesce(
        UserSession.ended_at, UserSession.last_seen_at) <= cutoff)


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def plan(*, now: datetime | None = None) -> RetentionReport:
    """The dry run: how many rows each category of the purge would touch."""
    now = now or _now()
    return RetentionReport(
        unselected_residents=_count(_unselected(now)),
        selected_contact_details=_count(_selected_contacts(now.date())),
        invitation_emails=_count(_invitation_emails(now.date())),
        member_emails=_count(_member_emails(now)),
        staff_sessions=_count(_staff_sessions(now)))


def run(*, now: datetime | None = None) -> RetentionReport:
    """Purge what ``plan`` counts, in the caller's transaction (the caller commits)."""
    now = now or _now()
    report = plan(now=now)
    unselected = list(db.session.scalars(_unselected(now)))
    for chunk in _chunks(unselected):
        db.session.execute(sa.update(DataSubjectRequest).where(
            DataSubjectRequest.resident_id.in_(chunk)).values(resident_id=None))
        db.session.execute(sa.delete(Resident).where(Resident.id.in_(chunk)))
    contacts = list(db.session.scalars(_selected_contacts(now.date())))
    for chunk in _chunks(contacts):
        db.session.execute(sa.update(Resident).where(Resident.id.in_(chunk))
                           .values(dict.fromkeys(CONTACT_FIELDS)))
    db.session.execute(sa.update(Invitation).where(
        Invitation.id.in_(list(db.session.scalars(_invitation_emails(now.date())))))
        .values(email=None))
    db.session.execute(sa.update(Member).where(
        Member.id.in_(list(db.session.scalars(_member_emails(now))))).values(email=None))
    db.session.execute(sa.delete(UserSession).where(
        UserSession.id.in_(list(db.session.scalars(_staff_sessions(now))))))
    audit.record("retention_purge", object_type="Retention", details=report.as_dict())
    return report


def _chunks(ids: list[int], size: int = 5000):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
