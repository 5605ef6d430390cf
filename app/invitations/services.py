"""Invitation batches from draws, letter runs and the invitation timeline."""

from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from app import audit, jobs
from app.extensions import db
from app.invitations import keys, texts
from app.invitations.letters import Recipient
from app.invitations.letters.content import LetterError, validate_contacts, validate_content
from app.invitations.letters.envelopes import PROFILES
from app.models import (
    Draw,
    Invitation,
    InvitationBatch,
    InvitationEvent,
    LetterRun,
    Resident,
    Selection,
    Suppression,
    utcnow,
)

OPEN_STATUSES = ("created", "sent", "reminded")


class InvitationError(ValueError):
    """A request the invitation workflow refuses, with a Dutch message."""


def create_batch(draw: Draw, *, deadline: date, include_reserves: bool,
                 envelope_profile: str, user_id: int | None) -> InvitationBatch:
    """One invitation per selected resident not yet invited and not suppressed; caller commits."""
    if draw.panel_id is None:
        raise InvitationError("Deze trekking hoort bij geen panel; kies een wervingstrekking.")
    if envelope_profile not in PROFILES:
        raise InvitationError("Onbekend enveloptype.")
    selection_ids = _uninvited(draw, include_reserves)
    if not selection_ids:
        raise InvitationError("Alle getrokken personen hebben al een uitnodiging.")
    batch = InvitationBatch(draw_id=draw.id, panel_id=draw.panel_id, deadline=deadline,
                            include_reserves=include_reserves,
                            envelope_profile=envelope_profile, created_by_id=user_id)
    db.session.add(batch)
    db.session.flush()
    invitations = [Invitation(selection_id=selection_id, channel="letter", status="created",
                              code_hash=f"pending-{index}-{batch.id}",
                              token_hash=f"pending-{index}-{batch.id}", batch_id=batch.id,
                              expires_on=deadline)
                   for index, selection_id in enumerate(selection_ids)]
    db.session.add_all(invitations)
    db.session.flush()
    for invitation in invitations:
        keys.issue_invitation_secrets(invitation)
    db.session.flush()
    audit.record("invitation_batch_created", batch,
                 details={"draw_id": draw.id, "invitations": len(invitations)})
    return batch


def _uninvited(draw: Draw, include_reserves: bool) -> list[int]:
    query = (sa.select(Selection.id).join(Resident, Resident.id == Selection.resident_id)
             .outerjoin(Invitation, Invitation.selection_id == Selection.id)
             .where(Selection.draw_id == draw.id, Invitation.id.is_(None),
                    Resident.erased_at.is_(None), Resident.restricted_at.is_(None),
                    Resident.person_key.not_in(sa.select(Suppression.person_key)))
             .order_by(Selection.is_reserve, Selection.order, Selection.id))
    if not include_reserves:
        query = query.where(Selection.is_reserve.is_(False))
    return list(db.session.scalars(query))


def batch_counts(batch: InvitationBatch) -> dict[str, int]:
    rows = db.session.execute(sa.select(Invitation.status, sa.func.count())
                              .where(Invitation.batch_id == batch.id)
                              .group_by(Invitation.status)).all()
    return {status: count for status, count in rows}


def start_mail(batch: InvitationBatch, step: str, *, user_id: int | None):
    """Check that the e-mails can be answered, then queue the mail job; caller commits."""
    validate_contacts(texts.letter_content(batch.panel, deadline=batch.deadline,
                                           letter_date=date.today()))
    job = jobs.create_job("mail.send", {"batch_id": batch.id, "step": step}, user_id=user_id)
    audit.record("mail_requested", batch, details={"step": step, "job_id": job.id})
    return job


def start_letter_run(batch: InvitationBatch, *, kind: str, no_reaction_since: date | None = None,
                     rotate: bool = False, user_id: int | None = None) -> LetterRun:
    """Check the texts, then queue the PDF job; caller commits and dispatches ``run.job_id``."""
    content = texts.letter_content(batch.panel, deadline=batch.deadline, letter_date=date.today())
    validate_content(content)
    if kind == "reminder" and no_reaction_since is None:
        raise InvitationError("Kies de datum waarvoor de uitnodiging verstuurd moet zijn.")
    run = LetterRun(batch_id=batch.id, kind=kind, no_reaction_since=no_reaction_since)
    db.session.add(run)
    db.session.flush()
    job = jobs.create_job("letters.render", {"run_id": run.id, "rotate": bool(rotate)},
                          key=f"letters-{run.id}", user_id=user_id)
    run.job_id = job.id
    audit.record("letters_requested", run, details={"batch_id": batch.id, "kind": kind,
                                                    "new_codes": bool(rotate)})
    return run


def letter_invitations(run: LetterRun) -> list[Invitation]:
    """The letter invitations of a run: all of them, or the open ones invited before a date."""
    query = (sa.select(Invitation).where(Invitation.batch_id == run.batch_id,
                                         Invitation.channel == "letter")
             .options(selectinload(Invitation.selection).selectinload(Selection.resident))
             .order_by(Invitation.id))
    if run.kind == "reminder":
        cutoff = datetime.combine(run.no_reaction_since, time.max, tzinfo=UTC)
        query = query.where(Invitation.status.in_(["sent", "reminded"]),
                            Invitation.sent_at <= cutoff)
    suppressed = set(db.session.scalars(sa.select(Suppression.person_key)))
    return [invitation for invitation in db.session.scalars(query)
            if invitation.selection.resident.person_key not in suppressed]


def is_suppressed(invitation: Invitation) -> bool:
    """Objected (suppression list) or restricted (Art. 18): never contact."""
    if invitation.selection.resident.restricted_at is not None:
        return True
    key = invitation.selection.resident.person_key
    return db.session.scalar(sa.select(Suppression.id).where(Suppression.person_key == key)) \
        is not None


def join_link(token: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/doe-mee/t/{token}"


def short_join_url() -> str:
    configured = current_app.config.get("JOIN_SHORT_URL")
    base = configured or f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/doe-mee"
    return base.split("://", 1)[-1]


def recipient_for(invitation: Invitation, code: str, token: str) -> Recipient:
    resident = invitation.selection.resident
    if not resident.street or not resident.postcode:
        raise LetterError(f"Uitnodiging {invitation.id} heeft geen volledig adres.")
    return Recipient(
        first_name=resident.first_name or "", last_name=resident.last_name or "",
        street=resident.street, house_number=resident.house_number or "", box=resident.box,
        postcode=resident.postcode, municipality=resident.municipality or "", code=code,
        link=join_link(token), short_url=short_join_url(), language=invitation.language)


def add_events(invitation_ids: list[int], kind: str, *, details: dict | None = None,
               actor_id: int | None = None) -> None:
    """Add one timeline event per invitation (bulk insert)."""
    if invitation_ids:
        now = utcnow()
        db.session.execute(sa.insert(InvitationEvent), [
            {"invitation_id": invitation_id, "kind": kind, "at": now, "details": details or {},
             "actor_id": actor_id} for invitation_id in invitation_ids])


def timeline(invitation: Invitation) -> list[InvitationEvent]:
    return list(db.session.scalars(sa.select(InvitationEvent)
                                   .where(InvitationEvent.invitation_id == invitation.id)
                                   .order_by(InvitationEvent.at, InvitationEvent.id)))
