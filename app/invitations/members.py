"""Panel members: their own preferences and leaving, and researchers pausing or removing them."""

import sqlalchemy as sa

from app import audit
from app.extensions import db
from app.invitations import keys
from app.invitations.services import InvitationError
from app.models import Member, User, utcnow
from app.surveys import distribution

STAFF_ACTIONS = {"pause": "paused", "resume": "active", "remove": "left"}


def find_by_link(token: str) -> Member | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(sa.select(Member).where(
        Member.link_token_hash == keys.token_hash(token)))


def update_preferences(member: Member, *, contact_preference: str, email: str | None,
                       language: str) -> None:
    """The member's own change of contact channel, address or language; caller commits."""
    if member.status == "left":
        raise InvitationError("U bent geen lid meer van dit panel.")
    if contact_preference == "email" and not email:
        raise InvitationError("Geef een e-mailadres of kies papier.")
    member.contact_preference, member.language = contact_preference, language
    new_email = email if contact_preference == "email" else None
    if new_email != member.email:
        member.email_undeliverable_at = None  # a new address gets a new chance
    member.email = new_email
    audit.record("member_preferences_changed", member,
                 details={"contact_preference": contact_preference, "language": language,
                          "by": "member"})
    distribution.realign(member)


def leave(member: Member) -> None:
    """The member leaves the panel; caller commits."""
    if member.status != "left":
        member.status, member.left_at = "left", utcnow()
        audit.record("member_left", member, details={"by": "member"})


def staff_action(member: Member, action: str, *, actor: User) -> None:
    """Pause, resume or remove a member (a researcher's decision); caller commits."""
    if action not in STAFF_ACTIONS:
        raise InvitationError("Onbekende actie.")
    if member.status == "left":
        raise InvitationError("Dit lid heeft het panel al verlaten.")
    member.status = STAFF_ACTIONS[action]
    if action == "remove":
        member.left_at = utcnow()
    audit.record(f"member_{action}", member, actor=actor, details={"panel_id": member.panel_id})
    distribution.realign(member)


def questionnaires(member: Member) -> list[dict]:
    """The member's open questionnaires: title, channel and, for web ones, the personal link
    (the same as in their e-mail). May store a link's nonce: the caller commits."""
    from app.models import Survey
    from app.surveys.definition import text_in

    items = []
    for assignment in distribution.open_assignments(member):
        survey = db.session.get(Survey, assignment.survey_id)
        if survey.status != "open":
            continue
        link = None
        if assignment.channel == "web":
            token, _ = distribution.mail_secrets(assignment)
            link = distribution.personal_link(token)
        items.append({"title": text_in(survey.title, member.language or "nl"),
                      "channel": assignment.channel, "link": link,
                      "closes_at": survey.closes_at,
                      "paper_sent": assignment.channel == "paper" and assignment.sent_at})
    return items


def member_list(panel_id: int, *, status: str | None = None, stratum: str | None = None,
                contact_preference: str | None = None) -> list[Member]:
    query = sa.select(Member).where(Member.panel_id == panel_id).order_by(Member.joined_at)
    if status:
        query = query.where(Member.status == status)
    if stratum:
        query = query.where(Member.stratum == stratum)
    if contact_preference:
        query = query.where(Member.contact_preference == contact_preference)
    return list(db.session.scalars(query))


def strata_of(panel_id: int) -> list[str]:
    return list(db.session.scalars(sa.select(Member.stratum).where(Member.panel_id == panel_id)
                                   .distinct().order_by(Member.stratum)))
