"""Distribution: assignments for panel members or a draw's residents, their codes and links.

Tokens and codes are stored only as keyed hashes. E-mailed links and codes are derived from
the assignment's random ``secret_nonce`` (:func:`mail_secrets`, as ``app/invitations/keys.py``
does for invitations), so a reminder repeats the link of the first e-mail. Paper codes are
issued at random per batch (:func:`issue_paper_codes`); issuing again replaces the earlier code.
A partial response belongs to the assignment and survives either change.
"""

import secrets
from collections.abc import Iterator
from datetime import UTC

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app import audit
from app.extensions import db
from app.invitations import keys
from app.invitations.codes import generate_code, generate_link_token, hash_code, hash_token
from app.models import Assignment, Draw, Member, Panel, Response, Selection, Survey, utcnow
from app.surveys import population

TOKEN_PATH = "/antwoorden/t/"  # the respond.token route
CHANNEL_BY_PREFERENCE = {"email": "web", "paper": "paper"}


def hash_secret() -> bytes:
    """The key of the token and code hashes (the persistent keyed-hash secret)."""
    return current_app.config["PERSON_KEY_SECRET"].encode("utf-8")


def _new_assignment(survey: Survey, channel: str, language: str, **owner: int) -> Assignment:
    secret = hash_secret()
    return Assignment(survey_id=survey.id, channel=channel, language=language, status="created",
                      pseudonym=f"R{secrets.token_hex(8)}",
                      token_hash=hash_token(generate_link_token(), secret),
                      code_hash=hash_code(generate_code(), secret), **owner)


def assign_panel(survey: Survey) -> int:
    """Assign `survey` to every active member of its panel not yet assigned; returns the count."""
    if survey.panel_id is None:
        raise ValueError("Deze bevraging hoort niet bij een panel.")
    assigned = sa.select(Assignment.member_id).where(Assignment.survey_id == survey.id,
                                                     Assignment.member_id.is_not(None))
    members = db.session.scalars(sa.select(Member).where(
        Member.panel_id == survey.panel_id, Member.status == "active",
        Member.id.not_in(assigned)).order_by(Member.id)).all()
    languages = set(survey.languages)
    for member in members:
        language = member.language if member.language in languages else "nl"
        db.session.add(_new_assignment(survey, wanted_channel(member), language,
                                       member_id=member.id))
    population.pin(survey)
    db.session.flush()
    population.snapshot_assignments(survey)
    audit.record("survey_assigned", survey, details={"members": len(members)})
    return len(members)


def assign_draw(survey: Survey, draw: Draw) -> int:
    """Assign `survey` to the draw's selected residents (reserves excluded); paper letters."""
    assigned = sa.select(Assignment.selection_id).where(Assignment.survey_id == survey.id,
                                                        Assignment.selection_id.is_not(None))
    selections = db.session.scalars(sa.select(Selection).where(
        Selection.draw_id == draw.id, Selection.is_reserve.is_(False),
        Selection.id.not_in(assigned)).order_by(Selection.id)).all()
    for selection in selections:
        db.session.add(_new_assignment(survey, "paper", "nl", selection_id=selection.id))
    population.pin(survey, draw.frame_import_id)
    db.session.flush()
    population.snapshot_assignments(survey)
    audit.record("survey_assigned", survey, details={"draw": draw.id, "residents": len(selections)})
    return len(selections)


def personal_link(token: str) -> str:
    """The absolute personal link for a token (works outside a request, e.g. in a mail job)."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}{TOKEN_PATH}{token}"


def reissue(assignment: Assignment) -> tuple[str, str]:
    """A fresh link token and typed code for `assignment` (the old ones stop working)."""
    secret = hash_secret()
    token, code = generate_link_token(), generate_code()
    assignment.token_hash, assignment.code_hash = hash_token(token, secret), hash_code(code,
                                                                                      secret)
    return token, code


def mail_secrets(assignment: Assignment, *, rotate: bool = False) -> tuple[str, str]:
    """The (link token, typed code) of an e-mailed assignment; stores their hashes.

    Derived from a per-assignment nonce (a new one if `rotate` or none yet), so sending again
    gives the same link and code. The caller commits before the e-mail leaves.
    """
    if rotate or not assignment.secret_nonce:
        assignment.secret_nonce = keys.new_nonce()
    nonce = f"survey:{assignment.secret_nonce}"  # never equal to an invitation's nonce
    token = keys.derive_token("token", assignment.id, nonce)
    code = keys.derive_code(assignment.id, nonce)
    secret = hash_secret()
    assignment.token_hash, assignment.code_hash = hash_token(token, secret), hash_code(code,
                                                                                      secret)
    return token, code


def survey_invitation_messages(survey: Survey, *, channel: str = "web",
                               only_unsent: bool = True) -> Iterator[tuple[Assignment, str, str]]:
    """(assignment, personal link, typed code) for each open assignment, for the mailer.

    The link and code come from :func:`mail_secrets`; the caller sends, calls
    :func:`mark_sent` and commits. Completed assignments are skipped.
    """
    query = sa.select(Assignment).where(Assignment.survey_id == survey.id,
                                        Assignment.channel == channel,
                                        Assignment.status != "completed").order_by(Assignment.id)
    if only_unsent:
        query = query.where(Assignment.sent_at.is_(None))
    for assignment in db.session.scalars(query).all():
        token, code = mail_secrets(assignment)
        yield assignment, personal_link(token), code


def email_bounced(assignment: Assignment) -> None:
    """A survey e-mail came back undeliverable: this survey, the member's other open ones and
    their next ones go on paper (the next paper batch includes them); caller commits."""
    now = utcnow()
    if assignment.undeliverable_at is None:
        assignment.undeliverable_at = now
    if assignment.status != "completed":
        assignment.channel = "paper"
    if assignment.member_id is not None:
        member = db.session.get(Member, assignment.member_id)
        if member.email_undeliverable_at is None:
            member.email_undeliverable_at = now
        realign(member)


def wanted_channel(member: Member) -> str:
    """The channel the member can be reached on now: paper after a bounce, else their choice."""
    if member.email_undeliverable_at is not None or not member.email:
        return "paper"
    return CHANNEL_BY_PREFERENCE[member.contact_preference]


def open_assignments(member: Member) -> list[Assignment]:
    """The member's assignments not completed, of surveys still in draft or open."""
    return list(db.session.scalars(
        sa.select(Assignment).join(Survey, Survey.id == Assignment.survey_id)
        .where(Assignment.member_id == member.id, Assignment.status != "completed",
               Survey.status.in_(("draft", "open"))).order_by(Assignment.id)))


def _has_paper_form(assignment: Assignment) -> bool:
    """A paper questionnaire was printed for it (after the last bounced e-mail, if any)."""
    sent, bounced = assignment.sent_at, assignment.undeliverable_at
    return sent is not None and (bounced is None or _aware(sent) > _aware(bounced))


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def realign(member: Member) -> int:
    """After any change of the member's channel (their choice, a bounce, a staff action):
    give each open assignment exactly one way to answer; returns how many moved.

    To paper: the assignment joins the next paper batch (an e-mail already sent no longer
    counts as its questionnaire; the paper batch's new code also retires the e-mailed link).
    To e-mail: only while no paper questionnaire was printed for it (a form in hand stays
    the way to answer); the next mail run sends it. Caller commits.
    """
    if member.status != "active":
        return 0
    wanted, moved = wanted_channel(member), 0
    for assignment in open_assignments(member):
        if assignment.channel == wanted:
            continue
        if wanted == "paper":
            assignment.channel, assignment.sent_at = "paper", None
        elif not _has_paper_form(assignment):
            assignment.channel, assignment.sent_at = "web", None
            assignment.undeliverable_at = None  # a new address gets a new chance
        else:
            continue
        moved += 1
    if moved:
        audit.record("assignments_realigned", member, details={"channel": wanted,
                                                                "assignments": moved})
    return moved


def mark_sent(assignment: Assignment) -> None:
    assignment.sent_at = utcnow()
    if assignment.status == "created":
        assignment.status = "sent"


def last_send_bounced() -> sa.ColumnElement:
    """The last questionnaire sent (if any) came back undeliverable, and none followed."""
    return sa.and_(Assignment.undeliverable_at.is_not(None),
                   sa.or_(Assignment.sent_at.is_(None),
                          Assignment.sent_at <= Assignment.undeliverable_at))


def _awaiting_paper() -> sa.ColumnElement:
    """Never sent a questionnaire, or only an e-mail that came back undeliverable."""
    return sa.or_(Assignment.sent_at.is_(None), last_send_bounced())


def awaiting_paper(survey: Survey) -> int:
    """Paper assignments, not completed, that have not had a paper questionnaire yet."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Assignment).where(
        Assignment.survey_id == survey.id, Assignment.channel == "paper",
        Assignment.status != "completed", _awaiting_paper()))


def issue_paper_codes(survey: Survey, *, only_new: bool = True) -> list[tuple[Assignment, str]]:
    """New typed codes for the paper assignments not completed, marked as sent.

    By default only for those that have not had a paper questionnaire yet: a new code makes
    the code on an earlier printed form invalid, so reprinting everyone (``only_new=False``,
    e.g. after a lost print run) is a deliberate choice.
    """
    query = sa.select(Assignment).where(
        Assignment.survey_id == survey.id, Assignment.channel == "paper",
        Assignment.status != "completed")
    if only_new:
        query = query.where(_awaiting_paper())
    rows = db.session.scalars(query.order_by(Assignment.id)).all()
    issued = []
    for assignment in rows:
        _token, code = reissue(assignment)
        mark_sent(assignment)
        issued.append((assignment, code))
    db.session.flush()
    return issued


def dashboard_counts(survey: Survey) -> dict:
    """Assignments per (channel, status), and responses per (mode, status)."""
    assignments = db.session.execute(
        sa.select(Assignment.channel, Assignment.status, sa.func.count())
        .where(Assignment.survey_id == survey.id)
        .group_by(Assignment.channel, Assignment.status)).all()
    responses = db.session.execute(
        sa.select(Response.mode, Response.status, sa.func.count())
        .where(Response.survey_id == survey.id).group_by(Response.mode, Response.status)).all()
    return {"assignments": {(channel, status): count for channel, status, count in assignments},
            "responses": {(mode, status): count for mode, status, count in responses}}


def assign_choices(survey: Survey) -> list[tuple[str, str]]:
    """Where a survey can be assigned: active panels, and the 50 latest draws."""
    panels = db.session.scalars(sa.select(Panel).where(Panel.active).order_by(Panel.name)).all()
    draws = db.session.scalars(sa.select(Draw).order_by(Draw.id.desc()).limit(50)).all()
    return ([(f"panel:{panel.id}", _("Actieve leden van panel %(name)s", name=panel.name))
             for panel in panels] +
            [(f"draw:{draw.id}", _("Geselecteerden van trekking %(id)s (%(size)s)",
                                   id=draw.id, size=draw.sample_size)) for draw in draws])
