"""Joining a panel with an invitation: look-up, decline, objection and membership.

Look-ups never tell a visitor whether a code belongs to someone: an unknown or malformed code
gives None, and only the holder of a correct code learns that it was used or has expired.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.invitations import keys, services
from app.invitations.codes import normalise_code
from app.models import Invitation, InvitationBatch, Member, Suppression, User, utcnow

REACTED = ("joined", "declined")


@dataclass(frozen=True)
class JoinChoices:
    """What a resident chose on the join pages or on the paper reply form."""

    consent_version: str
    consent_at: datetime
    contact_preference: str
    language: str = "nl"
    email: str | None = None
    profile: dict = field(default_factory=dict)


def find_by_code(typed: str) -> Invitation | None:
    code = normalise_code(typed or "")
    if code is None:
        return None
    return db.session.scalar(sa.select(Invitation).where(
        Invitation.code_hash == keys.code_hash(code)))


def find_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(sa.select(Invitation).where(
        Invitation.token_hash == keys.token_hash(token)))


def state(invitation: Invitation) -> str:
    """``open``, ``joined``, ``declined``, ``objected``, ``expired`` or ``undeliverable``."""
    if services.is_suppressed(invitation) and invitation.status != "joined":
        return "objected"
    if invitation.status in REACTED:
        return invitation.status
    if invitation.expires_on and utcnow().date() > invitation.expires_on:
        return "expired"
    return "open"


def panel_id_of(invitation: Invitation) -> int:
    return db.session.get(InvitationBatch, invitation.batch_id).panel_id


def decline(invitation: Invitation, *, source: str, actor: User | None = None) -> None:
    """No, thank you: the invitation is closed and gets no reminders; caller commits."""
    if invitation.status == "joined":
        raise services.InvitationError("Deze persoon is al lid van het panel.")
    invitation.status, invitation.answered_at = "declined", utcnow()
    services.add_events([invitation.id], "declined", details={"source": source},
                        actor_id=actor.id if actor else None)
    audit.record("invitation_declined", invitation, actor=actor, details={"source": source})


def object_to_contact(invitation: Invitation, *, source: str, actor: User | None = None) -> None:
    """Art. 21 objection: suppress the person for every future draw; caller commits."""
    person_key = invitation.selection.resident.person_key
    if db.session.scalar(sa.select(Suppression.id).where(Suppression.person_key == person_key)) \
            is None:
        db.session.add(Suppression(person_key=person_key,
                                   reason=f"bezwaar (art. 21 AVG) via uitnodiging, {source}"))
    if invitation.status != "joined":
        invitation.status, invitation.answered_at = "declined", utcnow()
    member = db.session.scalar(sa.select(Member).where(Member.invitation_id == invitation.id))
    if member is not None and member.status != "left":
        member.status, member.left_at = "left", utcnow()
    services.add_events([invitation.id], "objected", details={"source": source},
                        actor_id=actor.id if actor else None)
    audit.record("invitation_objection", invitation, actor=actor, details={"source": source})
    db.session.flush()


def join(invitation: Invitation, choices: JoinChoices, *, source: str,
         actor: User | None = None) -> Member:
    """Make the invitee a panel member; caller commits."""
    if state(invitation) != "open":
        raise services.InvitationError("Deze uitnodiging kan niet meer gebruikt worden.")
    if choices.contact_preference == "email" and not choices.email:
        raise services.InvitationError("Geef een e-mailadres of kies papier.")
    selection = invitation.selection
    panel_id = panel_id_of(invitation)
    if db.session.scalar(sa.select(Member.id).where(
            Member.panel_id == panel_id, Member.resident_id == selection.resident_id)):
        raise services.InvitationError("Deze persoon is al lid van het panel.")
    member = Member(
        panel_id=panel_id, resident_id=selection.resident_id,
        invitation_id=invitation.id, pseudonym=secrets.token_hex(8), stratum=selection.stratum,
        consent_text_version=choices.consent_version, consent_at=choices.consent_at,
        contact_preference=choices.contact_preference,
        email=choices.email if choices.contact_preference == "email" else None,
        language=choices.language, status="active", joined_at=utcnow(),
        profile=dict(choices.profile))
    db.session.add(member)
    invitation.status, invitation.answered_at = "joined", utcnow()
    invitation.language = choices.language
    db.session.flush()
    keys.member_token(member)
    services.add_events([invitation.id], "joined", details={"source": source,
                                                            "consent": choices.consent_version},
                        actor_id=actor.id if actor else None)
    audit.record("member_joined", member, actor=actor,
                 details={"invitation_id": invitation.id, "source": source})
    return member
