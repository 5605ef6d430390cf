"""Panels, draws, selections, invitations and members."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAt, enum_check

DRAW_PURPOSES = ("recruitment", "topup", "survey_sample", "jury")
CHANNELS = ("letter", "email")
INVITATION_STATUSES = ("created", "sent", "reminded", "joined", "declined", "undeliverable")
CONTACT_PREFERENCES = ("email", "paper")
LANGUAGES = ("nl", "fr", "en")
MEMBER_STATUSES = ("active", "paused", "left")


class Panel(CreatedAt, db.Model):
    __tablename__ = "panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    target_size: Mapped[int] = mapped_column(default=500)
    strata: Mapped[list] = mapped_column(sa.JSON, default=list)  # frame columns
    target_composition: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # stratum -> share
    active: Mapped[bool] = mapped_column(default=True)

    draws: Mapped[list["Draw"]] = relationship(back_populates="panel")
    members: Mapped[list["Member"]] = relationship(back_populates="panel")


class Draw(CreatedAt, db.Model):
    __tablename__ = "draws"
    __table_args__ = (
        enum_check("purpose", DRAW_PURPOSES, "purpose"),
        sa.CheckConstraint("sample_size >= 0", name="sample_size_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("panels.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    strata: Mapped[list] = mapped_column(sa.JSON)
    allocation_method: Mapped[str] = mapped_column(sa.String(30))
    parameters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    sample_size: Mapped[int]
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    algorithm: Mapped[str] = mapped_column(sa.String(60))
    frame_hash: Mapped[str] = mapped_column(sa.String(64))
    frame_import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("register_imports.id"))
    frame_snapshot: Mapped[bytes | None] = mapped_column(sa.LargeBinary)  # gzip CSV, pseudonymous
    exclusions: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # reason -> count
    stratum_table: Mapped[list] = mapped_column(sa.JSON, default=list)
    legal_basis: Mapped[str] = mapped_column(sa.Text, default="")
    study_id: Mapped[int | None] = mapped_column(sa.ForeignKey("studies.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    panel: Mapped[Panel | None] = relationship(back_populates="draws")
    selections: Mapped[list["Selection"]] = relationship(
        back_populates="draw", order_by="Selection.id"
    )


class Selection(db.Model):
    __tablename__ = "selections"
    __table_args__ = (sa.UniqueConstraint("draw_id", "resident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(sa.ForeignKey("draws.id"), index=True)
    resident_id: Mapped[int] = mapped_column(sa.ForeignKey("residents.id"), index=True)
    stratum: Mapped[str] = mapped_column(sa.String(200))
    order: Mapped[int]
    is_reserve: Mapped[bool] = mapped_column(default=False)
    inclusion_probability: Mapped[float]

    draw: Mapped[Draw] = relationship(back_populates="selections")
    resident = relationship("Resident")


class Invitation(CreatedAt, db.Model):
    __tablename__ = "invitations"
    __table_args__ = (
        enum_check("channel", CHANNELS, "channel"),
        enum_check("status", INVITATION_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    selection_id: Mapped[int] = mapped_column(sa.ForeignKey("selections.id"), unique=True)
    channel: Mapped[str] = mapped_column(sa.String(10))
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="created")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    expires_on: Mapped[date | None]
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitation_batches.id"),
                                                 index=True)
    secret_nonce: Mapped[str] = mapped_column(sa.String(32), default="")  # code derivation
    language: Mapped[str] = mapped_column(sa.String(2), default="nl")

    selection: Mapped[Selection] = relationship()


class Member(db.Model):
    __tablename__ = "members"
    __table_args__ = (
        sa.UniqueConstraint("panel_id", "resident_id"),
        enum_check("contact_preference", CONTACT_PREFERENCES, "contact_preference"),
        enum_check("language", LANGUAGES, "language"),
        enum_check("status", MEMBER_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("panels.id"), index=True)
    resident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("residents.id"))
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id"), unique=True)
    pseudonym: Mapped[str] = mapped_column(sa.String(32), unique=True)
    stratum: Mapped[str] = mapped_column(sa.String(200), default="")
    consent_text_version: Mapped[str] = mapped_column(sa.String(40))
    consent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    contact_preference: Mapped[str] = mapped_column(sa.String(10))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # Set when a survey e-mail to ``email`` bounced: later surveys go on paper until it changes.
    email_undeliverable_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    language: Mapped[str] = mapped_column(sa.String(2), default="nl")
    status: Mapped[str] = mapped_column(sa.String(10), default="active")
    joined_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    left_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    profile: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    link_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    link_nonce: Mapped[str] = mapped_column(sa.String(32), default="")

    panel: Mapped[Panel] = relationship(back_populates="members")
    resident = relationship("Resident")
