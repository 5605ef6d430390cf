"""Invitation batches, letter runs, letter texts, the mail log, timelines and profile questions."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAt, enum_check, utcnow

LETTER_KINDS = ("invitation", "reminder")
MAIL_STATUSES = ("claimed", "sent", "deferred", "bounced", "failed")


class InvitationBatch(CreatedAt, db.Model):
    """The invitations made from one draw for one panel, with one deadline."""

    __tablename__ = "invitation_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(sa.ForeignKey("draws.id"), index=True)
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("panels.id"), index=True)
    include_reserves: Mapped[bool] = mapped_column(default=False)
    deadline: Mapped[date]
    envelope_profile: Mapped[str] = mapped_column(sa.String(20), default="DL_LEFT")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    draw = relationship("Draw")
    panel = relationship("Panel")
    letter_runs: Mapped[list["LetterRun"]] = relationship(
        back_populates="batch", order_by="LetterRun.id")


class LetterRun(CreatedAt, db.Model):
    """One rendered mailing (invitations or reminders) of a batch: the PDF and its CSV."""

    __tablename__ = "letter_runs"
    __table_args__ = (enum_check("kind", LETTER_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("invitation_batches.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    no_reaction_since: Mapped[date | None]  # reminders: invited before, no reaction since
    letter_count: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jobs.id"))
    pdf: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    mailing_list: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    rendered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    batch: Mapped[InvitationBatch] = relationship(back_populates="letter_runs")


class LetterTemplateRecord(db.Model):
    """The letter and e-mail text of one panel in one language, with its privacy notice."""

    __tablename__ = "letter_templates"
    __table_args__ = (sa.UniqueConstraint("panel_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("panels.id"), index=True)
    language: Mapped[str] = mapped_column(sa.String(2))
    subject: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    closing: Mapped[str] = mapped_column(sa.Text)
    reminder_subject: Mapped[str] = mapped_column(sa.Text)
    reminder_body: Mapped[str] = mapped_column(sa.Text)
    privacy: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # PrivacyNotice fields
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class MailLog(CreatedAt, db.Model):
    """One e-mail step of one invitation or one survey assignment; the UNIQUE pair is claimed
    before sending. Exactly one of ``invitation_id`` and ``assignment_id`` is set."""

    __tablename__ = "mail_log"
    __table_args__ = (
        sa.UniqueConstraint("invitation_id", "step"),
        sa.UniqueConstraint("assignment_id", "step"),
        sa.CheckConstraint("(invitation_id IS NULL) <> (assignment_id IS NULL)", name="one_owner"),
        enum_check("status", MAIL_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assignments.id"), index=True)
    step: Mapped[str] = mapped_column(sa.String(30))
    status: Mapped[str] = mapped_column(sa.String(10), default="claimed")
    attempts: Mapped[int] = mapped_column(default=1)
    smtp_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.String(500))
    retry_after: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class InvitationEvent(db.Model):
    """The timeline of one invitation: letter printed, mailed, consent, joined, declined."""

    __tablename__ = "invitation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class JoinProfileQuestion(db.Model):
    """An optional question a city asks when someone joins (stored in ``Member.profile``)."""

    __tablename__ = "join_profile_questions"
    __table_args__ = (sa.UniqueConstraint("panel_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("panels.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    text: Mapped[str] = mapped_column(sa.String(300))
    options: Mapped[list] = mapped_column(sa.JSON, default=list)  # [[value, label], ...]
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
