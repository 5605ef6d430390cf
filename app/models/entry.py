"""Paper data entry: received paper forms, their keying passes, differences and settings.

A :class:`PaperForm` is one returned paper questionnaire (one assignment) or one reply slip of a
recruitment letter (one invitation). Each keying pass is an :class:`Entry` by one clerk; the
database refuses a second entry of the same pass and a second pass by the same clerk. Entries
carry a version counter (``version_id_col``): an UPDATE of a row that someone else changed
meanwhile raises ``StaleDataError`` instead of overwriting their work.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import CreatedAt, enum_check, utcnow

FORM_KINDS = ("survey", "slip")
FORM_STATUSES = ("received", "keyed_once", "conflict", "final")
ENTRY_STATUSES = ("claimed", "saved")
KEYING_MODES = ("double", "single")


class EntrySetting(CreatedAt, db.Model):
    """How a survey's paper forms are keyed: twice, or once with a seeded verification sample."""

    __tablename__ = "entry_settings"
    __table_args__ = (enum_check("mode", KEYING_MODES, "mode"),
                      sa.CheckConstraint("verification_share >= 0 AND verification_share <= 1",
                                         name="verification_share"))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), unique=True)
    mode: Mapped[str] = mapped_column(sa.String(10), default="double")
    verification_share: Mapped[float] = mapped_column(default=0.1)
    seed: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class PaperForm(CreatedAt, db.Model):
    __tablename__ = "paper_forms"
    __table_args__ = (enum_check("kind", FORM_KINDS, "kind"),
                      enum_check("status", FORM_STATUSES, "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    survey_id: Mapped[int | None] = mapped_column(sa.ForeignKey("surveys.id"), index=True)
    survey_version: Mapped[int | None]
    assignment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assignments.id"),
                                                      unique=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id"),
                                                      unique=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="received")
    passes_required: Mapped[int] = mapped_column(default=2)  # 1: single keying, not sampled
    sampled_for_verification: Mapped[bool] = mapped_column(default=False)
    final_values: Mapped[dict | None] = mapped_column(sa.JSON)  # keyed values incl. codes
    response_id: Mapped[int | None] = mapped_column(sa.ForeignKey("responses.id"))
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    entries: Mapped[list["Entry"]] = relationship(back_populates="form",
                                                  order_by="Entry.pass_number")
    conflicts: Mapped[list["Conflict"]] = relationship(back_populates="form",
                                                       order_by="Conflict.position")


class Entry(db.Model):
    """One keying pass of a form by one clerk (claimed while typing, saved when done)."""

    __tablename__ = "entries"
    __table_args__ = (sa.UniqueConstraint("form_id", "pass_number"),
                      sa.UniqueConstraint("form_id", "clerk_id"),
                      enum_check("status", ENTRY_STATUSES, "status"),
                      sa.CheckConstraint("pass_number IN (1, 2)", name="pass_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("paper_forms.id"), index=True)
    pass_number: Mapped[int]
    clerk_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="claimed")
    keyed_values: Mapped[dict | None] = mapped_column(sa.JSON)  # field -> value or code
    claimed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    version: Mapped[int] = mapped_column(nullable=False)

    form: Mapped[PaperForm] = relationship(back_populates="entries")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Conflict(db.Model):
    """One field where the two passes differ, and how a researcher resolved it."""

    __tablename__ = "entry_conflicts"
    __table_args__ = (sa.UniqueConstraint("form_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("paper_forms.id"), index=True)
    field: Mapped[str] = mapped_column(sa.String(60))
    position: Mapped[int]  # order on the paper form
    first_value: Mapped[dict | list | str | int | float | None] = mapped_column(sa.JSON)
    second_value: Mapped[dict | list | str | int | float | None] = mapped_column(sa.JSON)
    resolved_value: Mapped[dict | list | str | int | float | None] = mapped_column(sa.JSON)
    resolved: Mapped[bool] = mapped_column(default=False)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    form: Mapped[PaperForm] = relationship(back_populates="conflicts")
